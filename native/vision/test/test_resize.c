/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resizing and quantization against straightforward references: per-pixel
 * evaluation of the INTER_LINEAR_EXACT definition (no row caching), an area
 * mean by brute-force supersampling, and TFLite's quantize formula with libm.
 */
#include <math.h>
#include <string.h>

#include "unit.h"
#include "vision.h"

#define MAXS 80
static uint8_t src[MAXS * (MAXS + 7)];
static uint8_t out[MAXS * (MAXS + 3)], ref[MAXS * MAXS];
static uint8_t scratch[64 * 1024];

/* One axis: -1 = first pixel, -2 = last pixel, else interior with *c1. */
static int axis(int d, int dsz, int ssz, int *c1)
{
	double scale = 1.0 / ((double)dsz / (double)ssz);
	volatile double prod = scale * ((double)d + 0.5); /* no fused multiply-add in the reference either */
	double f = prod - 0.5;
	double fl = floor(f);
	if (fl < 0 || ssz <= 1)
		return -1;
	if (fl >= ssz - 1)
		return -2;
	*c1 = (int)nearbyint((f - fl) * 256.0);
	return (int)fl;
}

static unsigned hval(const uint8_t *row, int dx, int dw, int sw)
{
	int c1 = 0, i = axis(dx, dw, sw, &c1);
	if (i == -1)
		return row[0] * 256u;
	if (i == -2)
		return row[sw - 1] * 256u;
	return (unsigned)((256 - c1) * row[i] + c1 * row[i + 1]);
}

static void bilinear_ref(const uint8_t *s, int sw, int sh, int stride, int dw, int dh)
{
	for (int dy = 0; dy < dh; dy++)
		for (int dx = 0; dx < dw; dx++) {
			int c1 = 0, i = axis(dy, dh, sh, &c1);
			unsigned v;
			if (sw == dw && sh == dh)
				v = s[dy * stride + dx];
			else if (i < 0)
				v = (hval(s + (i == -1 ? 0 : sh - 1) * stride, dx, dw, sw) + 128) >> 8;
			else
				v = ((256u - c1) * hval(s + i * stride, dx, dw, sw) +
				     (unsigned)c1 * hval(s + (i + 1) * stride, dx, dw, sw) + 32768u) >>
				        16;
			ref[dy * dw + dx] = (uint8_t)v;
		}
}

UNIT_TEST(bilinear_matches_definition)
{
	static const int sz[] = {1, 2, 3, 5, 8, 13, 24, 25, 31, 64, 80};
	const int n = (int)(sizeof sz / sizeof sz[0]);
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			for (int c = 0; c < n; c += 2)
				for (int d = 1; d < n; d += 3) {
					int sw = sz[a], sh = sz[b], dw = sz[c], dh = sz[d];
					int stride = sw + 7, dstride = dw + 3;
					for (int p = 0; p < sh * stride; p++)
						src[p] = (uint8_t)unit_rand();
					vision_image_u8_t img = {src, sw, sh, stride};
					size_t need = vision_resize_bilinear_u8_get_buffer_size(dw);
					UNIT_ASSERT(need <= sizeof scratch);
					UNIT_EQ_INT(vision_resize_bilinear_u8(&img, NULL, out, dw, dh, dstride, scratch, need), VISION_OK);
					bilinear_ref(src, sw, sh, stride, dw, dh);
					for (int y = 0; y < dh; y++)
						for (int x = 0; x < dw; x++)
							if (out[y * dstride + x] != ref[y * dw + x]) {
								UNIT_FAIL("%dx%d -> %dx%d at %d,%d: %d, expected %d", sw, sh, dw, dh, x, y,
								          out[y * dstride + x], ref[y * dw + x]);
								return;
							}
				}
}

UNIT_TEST(bilinear_known_values)
{
	/* Exact 2:1 reduction is the rounded-up 2x2 mean, as OpenCV's INTER_AREA fast path. */
	for (int p = 0; p < 8 * 6; p++)
		src[p] = (uint8_t)unit_rand();
	vision_image_u8_t img = {src, 8, 6, 8};
	UNIT_EQ_INT(vision_resize_bilinear_u8(&img, NULL, out, 4, 3, 4, scratch, sizeof scratch), VISION_OK);
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 4; x++) {
			const uint8_t *s = src + 2 * y * 8 + 2 * x;
			UNIT_EQ_INT(out[y * 4 + x], (s[0] + s[1] + s[8] + s[9] + 2) >> 2);
		}
	/* A ROI resized to its own size is a copy. */
	vision_rect_t roi = {1, 2, 5, 3};
	UNIT_EQ_INT(vision_resize_bilinear_u8(&img, &roi, out, 5, 3, 5, scratch, sizeof scratch), VISION_OK);
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 5; x++)
			UNIT_EQ_INT(out[y * 5 + x], src[(y + 2) * 8 + x + 1]);
	/* Errors: ROI outside, short scratch. */
	vision_rect_t bad = {4, 0, 5, 3};
	UNIT_EQ_INT(vision_resize_bilinear_u8(&img, &bad, out, 5, 3, 5, scratch, sizeof scratch), VISION_ERR_ARG);
	UNIT_EQ_INT(vision_resize_bilinear_u8(&img, NULL, out, 5, 3, 5, scratch, 10), VISION_ERR_BUFFER);
}

/* Supersample both grids to sw*dw by sh*dh and average each destination block. */
static void area_ref(const uint8_t *s, int sw, int sh, int stride, int dw, int dh)
{
	for (int dy = 0; dy < dh; dy++)
		for (int dx = 0; dx < dw; dx++) {
			uint64_t sum = 0;
			for (int v = dy * sh; v < (dy + 1) * sh; v++)
				for (int u = dx * sw; u < (dx + 1) * sw; u++)
					sum += s[(v / dh) * stride + u / dw];
			uint64_t n = (uint64_t)sw * sh;
			ref[dy * dw + dx] = (uint8_t)((sum * 2 + n) / (2 * n));
		}
}

/* A random sw x sh image (rows `stride` apart) resized by area to dw x dh equals the supersampled mean. */
static int area_case(int sw, int sh, int stride, int dw, int dh)
{
	for (int p = 0; p < sh * stride; p++)
		src[p] = (uint8_t)unit_rand();
	vision_image_u8_t img = {src, sw, sh, stride};
	if (vision_resize_area_u8(&img, NULL, out, dw, dh, dw) != VISION_OK)
		return 0;
	area_ref(src, sw, sh, stride, dw, dh);
	return memcmp(out, ref, (size_t)(dw * dh)) == 0;
}

UNIT_TEST(area_matches_supersampling)
{
	static const int sz[] = {1, 2, 3, 7, 10, 24, 31};
	const int n = (int)(sizeof sz / sizeof sz[0]);
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			for (int c = 0; c < n; c++)
				for (int d = 0; d < n; d += 2) {
					const int sw = sz[a], sh = sz[b], dw = sz[c], dh = sz[d];
					if (!area_case(sw, sh, sw + 7, dw, dh)) {
						UNIT_FAIL("%dx%d -> %dx%d differs", sw, sh, dw, dh);
						return;
					}
				}
}

/* Rows wider than the 64 destination pixels the resize works out at a time: down, up and by one. */
UNIT_TEST(area_rows_past_a_chunk)
{
	static const int cases[][4] = {{150, 20, 70, 3}, {70, 9, 130, 4}, {129, 5, 128, 5}, {200, 3, 65, 2}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const int sw = cases[i][0], sh = cases[i][1], dw = cases[i][2], dh = cases[i][3];
		if (!area_case(sw, sh, sw + 3, dw, dh)) {
			UNIT_FAIL("%dx%d -> %dx%d differs", sw, sh, dw, dh);
			return;
		}
	}
}

/* A region just past the 32-bit path's bound (2 * 255 * w * h + w * h > 2^32, by less than w * h): all
   255, so every sum is the largest it can be, and the mean must still be 255 (the 64-bit path); one
   just inside takes the 32-bit path and must give the same. */
UNIT_TEST(area_large_regions_do_not_overflow)
{
	static const int sizes[][2] = {{4104, 2050}, {4096, 2048}};
	static uint8_t big[4104 * 2050];
	memset(big, 255, sizeof big);
	for (int i = 0; i < 2; i++) {
		vision_image_u8_t img = {big, sizes[i][0], sizes[i][1], sizes[i][0]};
		uint8_t mean[2] = {0, 0};
		UNIT_EQ_INT(vision_resize_area_u8(&img, NULL, mean, 2, 1, 2), VISION_OK);
		UNIT_EQ_INT(mean[0], 255);
		UNIT_EQ_INT(mean[1], 255);
	}
}

static int quant_ref(int p, float in_scale, float out_scale, int zp)
{
	float real = (float)p * in_scale;
	float v = real / out_scale;
	long q = lroundf(v) + zp; /* round half away from zero, as std::round */
	return q < -128 ? -128 : q > 127 ? 127 : (int)q;
}

UNIT_TEST(quantize_rounding_and_clamping)
{
	static const struct {
		float in_scale, out_scale;
		int zp;
	} cases[] = {
	        {1.0f / 255.0f, 1.0f / 255.0f, -128}, /* [0,1] input, full range */
	        {1.0f, 2.0f, 0},                      /* ties: p/2 at odd p */
	        {1.0f, 2.0f, -100},
	        {1.0f, 1.0f, -128}, /* pixel - 128 */
	        {1.0f, 0.01f, 0},   /* clamps at 127 */
	        {-1.0f, 0.5f, 3},   /* negative reals, ties away from zero, clamps at -128 */
	        {1.0f / 255.0f, 0.003921569f, 5},
	};
	static int8_t q[16 * 16];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (int p = 0; p < 256; p++)
			src[p] = (uint8_t)p;
		vision_image_u8_t img = {src, 16, 16, 16};
		size_t need = vision_crop_resize_quantize_s8_get_buffer_size(16, VISION_INTERP_BILINEAR);
		UNIT_EQ_INT(vision_crop_resize_quantize_s8(&img, NULL, q, 16, 16, VISION_INTERP_BILINEAR, cases[k].in_scale,
		                                           cases[k].out_scale, cases[k].zp, scratch, need),
		            VISION_OK);
		for (int p = 0; p < 256; p++)
			if (q[p] != quant_ref(p, cases[k].in_scale, cases[k].out_scale, cases[k].zp)) {
				UNIT_FAIL("case %zu pixel %d: %d, expected %d", k, p, q[p],
				          quant_ref(p, cases[k].in_scale, cases[k].out_scale, cases[k].zp));
				return;
			}
	}
	UNIT_EQ_INT(quant_ref(1, 1.0f, 2.0f, 0), 1);
	UNIT_EQ_INT(quant_ref(3, -1.0f, 2.0f, 0), -2);
}

UNIT_TEST(crop_resize_quantize_is_resize_then_quantize)
{
	for (int p = 0; p < 40 * 30; p++)
		src[p] = (uint8_t)unit_rand();
	vision_image_u8_t img = {src, 40, 30, 40};
	vision_rect_t roi = {3, 5, 31, 22};
	static int8_t q[13 * 9];
	for (int interp = 0; interp < 2; interp++) {
		if (interp == VISION_INTERP_BILINEAR)
			UNIT_EQ_INT(vision_resize_bilinear_u8(&img, &roi, out, 13, 9, 13, scratch, sizeof scratch), VISION_OK);
		else
			UNIT_EQ_INT(vision_resize_area_u8(&img, &roi, out, 13, 9, 13), VISION_OK);
		size_t need = vision_crop_resize_quantize_s8_get_buffer_size(13, (vision_interp_t)interp);
		UNIT_EQ_INT(vision_crop_resize_quantize_s8(&img, &roi, q, 13, 9, (vision_interp_t)interp, 1.0f / 255.0f,
		                                           0.0078125f, -1, scratch, need),
		            VISION_OK);
		for (int i = 0; i < 13 * 9; i++)
			UNIT_EQ_INT(q[i], quant_ref(out[i], 1.0f / 255.0f, 0.0078125f, -1));
		UNIT_EQ_INT(vision_crop_resize_quantize_s8(&img, &roi, q, 13, 9, (vision_interp_t)interp, 1.0f, 0.0f, 0,
		                                           scratch, need),
		            VISION_ERR_ARG);
		UNIT_EQ_INT(vision_crop_resize_quantize_s8(&img, &roi, q, 13, 9, (vision_interp_t)interp, 1.0f, 1.0f, 0,
		                                           scratch, 12),
		            VISION_ERR_BUFFER);
	}
}

int main(void)
{
	unit_rand_seed(777u);
	UNIT_RUN(bilinear_matches_definition);
	UNIT_RUN(bilinear_known_values);
	UNIT_RUN(area_matches_supersampling);
	UNIT_RUN(area_rows_past_a_chunk);
	UNIT_RUN(area_large_regions_do_not_overflow);
	UNIT_RUN(quantize_rounding_and_clamping);
	UNIT_RUN(crop_resize_quantize_is_resize_then_quantize);
	return unit_done();
}
