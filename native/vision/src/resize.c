/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resizing u8 images: OpenCV's INTER_LINEAR_EXACT (bilinear in fixed point,
 * the resize its Haar pyramid uses) and an exact area mean.
 *
 * INTER_LINEAR_EXACT as OpenCV 4.x defines it (facts, restated):
 *   scale  = 1 / (dst / src)                       double, two roundings
 *   f      = scale * (d + 0.5) - 0.5               double, two roundings
 *   i      = floor(f); c1 = round_half_even((f - i) * 256); c0 = 256 - c1
 *   i < 0  or src == 1     -> replicate the first source pixel
 *   i >= src - 1           -> replicate the last source pixel
 *   horizontal: h = c0 * s[i] + c1 * s[i+1]        (8 fractional bits, exact)
 *   vertical:   out = (c0 * h[i] + c1 * h[i+1] + 2^15) >> 16
 *   edge rows:  out = (h + 2^7) >> 8
 * An exact 2:1 reduction gives (a+b+c+d+2)>>2, so it also equals OpenCV's
 * INTER_AREA fast path that cv::resize switches to for that case.
 */
#include "vision_internal.h"

#if defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>

/* UXTB16 of x rotated right by 8, one instruction (GCC 12 rotates first, then extracts). */
static inline uint32_t uxtb16_ror8(uint32_t x)
{
	uint32_t r;
	__asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
	return r;
}
#endif

static int32_t floor_d(double v)
{
	int32_t i = (int32_t)v;
	return (double)i > v ? i - 1 : i;
}

/* One axis of the coefficient computation; returns 1 if d is an interior sample. */
static int lin_coeff(double scale, int32_t d, int32_t src_size, int32_t *ofs, uint16_t *c1)
{
	double f = scale * ((double)d + 0.5) - 0.5;
	int32_t i = floor_d(f);
	if (i < 0 || src_size <= 1 || i >= src_size - 1)
		return 0;
	*ofs = i;
	*c1 = (uint16_t)vision__round_even_d((f - (double)i) * 256.0);
	return 1;
}

/* [min, max) of the interior samples, as OpenCV's minofst/maxofst. */
static void lin_range(double scale, int32_t dst_size, int32_t src_size, int32_t *dmin, int32_t *dmax)
{
	int32_t lo = 0, hi = dst_size;
	for (int32_t d = 0; d < dst_size; d++) {
		double f = scale * ((double)d + 0.5) - 0.5;
		int32_t i = floor_d(f);
		if (i >= 0 && src_size > 1) {
			if (i >= src_size - 1 && d < hi)
				hi = d;
		} else if (d + 1 > lo) {
			lo = d + 1;
		}
	}
	*dmin = lo;
	*dmax = hi;
}

static double lin_scale(int32_t dst, int32_t src)
{
	double inv = (double)dst / (double)src;
	return 1.0 / inv;
}

size_t vision__lin_buffer_size(int32_t dst_w)
{
	if (dst_w <= 0)
		return 0;
	return vision__need((size_t)dst_w * sizeof(vision__lin_x_t)) + 2 * vision__need((size_t)dst_w * sizeof(uint16_t));
}

void vision__lin_init(vision__lin_t *r, const uint8_t *src, int32_t src_w, int32_t src_h, int32_t src_stride,
                      int32_t dst_w, int32_t dst_h, vision__arena_t *arena)
{
	r->src = src;
	r->src_w = src_w;
	r->src_h = src_h;
	r->src_stride = src_stride;
	r->dst_w = dst_w;
	r->dst_h = dst_h;
	r->xtab = (vision__lin_x_t *)vision__take(arena, (size_t)dst_w * sizeof(vision__lin_x_t));
	r->hrow[0] = (uint16_t *)vision__take(arena, (size_t)dst_w * sizeof(uint16_t));
	r->hrow[1] = (uint16_t *)vision__take(arena, (size_t)dst_w * sizeof(uint16_t));
	r->hsrc[0] = r->hsrc[1] = -1;
	if (arena->failed)
		return;
	double sx = lin_scale(dst_w, src_w);
	r->scale_y = lin_scale(dst_h, src_h);
	lin_range(sx, dst_w, src_w, &r->x_min, &r->x_max);
	lin_range(r->scale_y, dst_h, src_h, &r->y_min, &r->y_max);
	for (int32_t dx = 0; dx < dst_w; dx++) {
		vision__lin_x_t *t = &r->xtab[dx];
		t->ofs = 0;
		t->c1 = 0;
		t->pad = 0;
		(void)lin_coeff(sx, dx, src_w, &t->ofs, &t->c1);
	}
}

static const uint16_t *lin_hrow(vision__lin_t *r, int32_t sy, int32_t keep)
{
	if (r->hsrc[0] == sy)
		return r->hrow[0];
	if (r->hsrc[1] == sy)
		return r->hrow[1];
	int slot = r->hsrc[0] == keep ? 1 : 0;
	uint16_t *h = r->hrow[slot];
	const uint8_t *s = r->src + (size_t)sy * (size_t)r->src_stride;
	int32_t dx = 0;
	int32_t lo = r->x_min < r->dst_w ? r->x_min : r->dst_w;
	for (; dx < lo; dx++)
		h[dx] = (uint16_t)(s[0] << 8);
	for (; dx < r->x_max; dx++) {
		const vision__lin_x_t *t = &r->xtab[dx];
		h[dx] = (uint16_t)((256 - t->c1) * s[t->ofs] + t->c1 * s[t->ofs + 1]);
	}
	for (; dx < r->dst_w; dx++)
		h[dx] = (uint16_t)(s[r->src_w - 1] << 8);
	r->hsrc[slot] = sy;
	return h;
}

void vision__lin_row(vision__lin_t *r, int32_t dy, uint8_t *out)
{
	if (r->dst_w == r->src_w && r->dst_h == r->src_h) {
		/* cv::resize copies when the size does not change. */
		memcpy(out, r->src + (size_t)dy * (size_t)r->src_stride, (size_t)r->dst_w);
		return;
	}
	if (dy < r->y_min || dy >= r->y_max) {
		int32_t sy = dy < r->y_min ? 0 : r->src_h - 1;
		const uint16_t *h = lin_hrow(r, sy, -1);
		for (int32_t dx = 0; dx < r->dst_w; dx++)
			out[dx] = (uint8_t)((h[dx] + 128u) >> 8);
		return;
	}
	int32_t iy = 0;
	uint16_t c1 = 0;
	(void)lin_coeff(r->scale_y, dy, r->src_h, &iy, &c1);
	const uint32_t c0 = 256u - c1;
	if (r->scale_y >= 1.0) {
		/* A reduction: consecutive rows share few source rows, so rather than filtering whole source rows
		   across, the two are blended down at the columns a pixel reads, then across. The same integer
		   sum in the other order (no rounding before the last), with half the work of the pyramid's levels. */
		const uint8_t *s0 = r->src + (size_t)iy * (size_t)r->src_stride, *s1 = s0 + r->src_stride;
		const int32_t lo = r->x_min < r->dst_w ? r->x_min : r->dst_w, last = r->src_w - 1;
		const uint32_t first = (c0 * s0[0] + c1 * s1[0] + 128u) >> 8;
		const uint32_t end = (c0 * s0[last] + c1 * s1[last] + 128u) >> 8;
		int32_t dx = 0;
		for (; dx < lo; dx++)
			out[dx] = (uint8_t)first;
		/* The table and its end in locals: `out` is bytes, which the compiler must assume can alias *r, so it
		   would load both again after every pixel's store. */
		const vision__lin_x_t *xtab = r->xtab;
		const int32_t hi = r->x_max;
#if defined(__ARM_FEATURE_SIMD32)
		/* Armv7E-M: a pixel's two source pairs (each one halfword: s[ofs], s[ofs + 1]) into one word,
		   split by UXTB16 into (s0[ofs], s1[ofs]) and (s0[ofs + 1], s1[ofs + 1]) and each blended down by
		   one SMLAD with (c0, c1), 128 added to both (so the difference is unchanged and a's shift carries
		   the 2^15 of the rounding): about 16 instructions a pixel for the 20 of the loop below. */
		const uint32_t cy = c0 | ((uint32_t)c1 << 16);
		VISION_UNROLL4
		for (; dx < hi; dx++) {
			const int32_t ofs = xtab[dx].ofs;
			uint16_t h0, h1;
			memcpy(&h0, s0 + ofs, sizeof h0);
			memcpy(&h1, s1 + ofs, sizeof h1);
			const uint32_t t = (uint32_t)h0 | ((uint32_t)h1 << 16);
			const int32_t a = __smlad(__uxtb16(t), cy, 128);
			const int32_t b = __smlad(uxtb16_ror8(t), cy, 128);
			out[dx] = (uint8_t)((((uint32_t)a << 8) + (uint32_t)(xtab[dx].c1 * (b - a))) >> 16);
		}
#endif
		VISION_UNROLL4
		for (; dx < hi; dx++) {
			const uint8_t *p0 = s0 + xtab[dx].ofs, *p1 = s1 + xtab[dx].ofs;
			const int32_t a = (int32_t)(c0 * p0[0] + c1 * p1[0]);
			const int32_t b = (int32_t)(c0 * p0[1] + c1 * p1[1]);
			out[dx] = (uint8_t)(((uint32_t)(a << 8) + (uint32_t)(xtab[dx].c1 * (b - a)) + 32768u) >> 16);
		}
		for (; dx < r->dst_w; dx++)
			out[dx] = (uint8_t)end;
		return;
	}
	const uint16_t *h0 = lin_hrow(r, iy, iy + 1);
	const uint16_t *h1 = lin_hrow(r, iy + 1, iy);
	for (int32_t dx = 0; dx < r->dst_w; dx++)
		out[dx] = (uint8_t)((c0 * h0[dx] + (uint32_t)c1 * h1[dx] + 32768u) >> 16);
}

size_t vision_resize_bilinear_u8_get_buffer_size(int32_t dst_w)
{
	return vision__lin_buffer_size(dst_w);
}

vision_status_t vision_resize_bilinear_u8(const vision_image_u8_t *src, const vision_rect_t *roi, uint8_t *dst,
                                          int32_t dst_w, int32_t dst_h, int32_t dst_stride, void *buf, size_t buf_size)
{
	vision_rect_t r;
	vision_status_t st = vision__roi(src, roi, &r);
	if (st != VISION_OK)
		return st;
	if (dst == NULL || dst_w <= 0 || dst_h <= 0 || dst_stride < dst_w || buf == NULL)
		return VISION_ERR_ARG;
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	vision__lin_t lin;
	vision__lin_init(&lin, src->data + (size_t)r.y * (size_t)src->stride + (size_t)r.x, r.w, r.h, src->stride, dst_w,
	                 dst_h, &a);
	if (a.failed)
		return VISION_ERR_BUFFER;
	for (int32_t dy = 0; dy < dst_h; dy++)
		vision__lin_row(&lin, dy, dst + (size_t)dy * (size_t)dst_stride);
	return VISION_OK;
}

/*
 * Area mean of destination row dy. In units where a source pixel is `dst`
 * long and a destination pixel `src` long, both grids have integer edges,
 * so every coverage weight is an integer and the mean is an exact fraction.
 * A destination pixel covers its first and last source pixels in part and
 * those between them whole (weight `dst`), so a row's share is the first and
 * last weighted and the plain sum of the rest times dst: one load and one add
 * a source pixel instead of a weight each. One body, two widths: the weights
 * of a destination pixel add up to src_w * src_h, so its sum is at most 255
 * of those; when that (doubled, for the rounding) and every edge fit 32 bits,
 * as they do for any camera frame, the row is computed in 32-bit integers.
 * The 64-bit one costs three 64-bit divisions a destination pixel, which on
 * the Cortex-M7 (a library call each, no hardware divide) were most of a
 * face's crop into a model input.
 */
#define AREA_CHUNK 64
#define VISION_AREA_ROW(NAME, UT, ST)                                                                                  \
	static void NAME(const uint8_t *src, int32_t src_w, int32_t src_h, int32_t stride, int32_t dst_w, int32_t dst_h,   \
	                 int32_t dy, uint8_t *out)                                                                         \
	{                                                                                                                  \
		const ST y0 = (ST)dy * src_h, y1 = y0 + src_h;                                                                 \
		const int32_t sy_first = (int32_t)(y0 / dst_h);                                                                \
		const int32_t sy_last = (int32_t)((y1 - 1) / dst_h);                                                           \
		const UT den = (UT)src_w * (UT)src_h;                                                                          \
		/* A chunk of the row's destination pixels at a time: their columns (first source pixel, how many more,      \
		   the first's and the last's weights) worked out once, then each source row's share added to their sums. */ \
		int32_t first[AREA_CHUNK], span[AREA_CHUNK];                                                                   \
		UT w_first[AREA_CHUNK], w_last[AREA_CHUNK], num[AREA_CHUNK];                                                   \
		for (int32_t dx0 = 0; dx0 < dst_w; dx0 += AREA_CHUNK) {                                                        \
			const int32_t n = dst_w - dx0 < AREA_CHUNK ? dst_w - dx0 : AREA_CHUNK;                                     \
			for (int32_t i = 0; i < n; i++) {                                                                          \
				const ST x0 = (ST)(dx0 + i) * src_w, x1 = x0 + src_w;                                                  \
				const int32_t sx_first = (int32_t)(x0 / dst_w), sx_last = (int32_t)((x1 - 1) / dst_w);                 \
				first[i] = sx_first;                                                                                   \
				span[i] = sx_last - sx_first;                                                                          \
				/* One source column: its weight is the whole width; else the first's and the last's parts. */         \
				w_first[i] = sx_first == sx_last ? (UT)src_w : (UT)((ST)(sx_first + 1) * dst_w - x0);                  \
				w_last[i] = (UT)(x1 - (ST)sx_last * dst_w);                                                            \
				num[i] = 0;                                                                                            \
			}                                                                                                          \
			for (int32_t sy = sy_first; sy <= sy_last; sy++) {                                                         \
				const UT wy = sy_first == sy_last ? (UT)src_h                                                          \
				        : sy == sy_first          ? (UT)((ST)(sy_first + 1) * dst_h - y0)                              \
				        : sy == sy_last           ? (UT)(y1 - (ST)sy_last * dst_h)                                     \
				                                  : (UT)dst_h;                                                                   \
				const uint8_t *row = src + (size_t)sy * (size_t)stride;                                                \
				for (int32_t i = 0; i < n; i++) {                                                                      \
					const uint8_t *p = row + first[i];                                                                 \
					UT acc = w_first[i] * p[0];                                                                        \
					const int32_t more = span[i];                                                                      \
					if (more > 0) {                                                                                    \
						UT inner = 0;                                                                                  \
						for (int32_t k = 1; k < more; k++)                                                             \
							inner += p[k];                                                                             \
						acc += (UT)dst_w * inner + w_last[i] * p[more];                                                \
					}                                                                                                  \
					num[i] += wy * acc;                                                                                \
				}                                                                                                      \
			}                                                                                                          \
			for (int32_t i = 0; i < n; i++)                                                                            \
				out[dx0 + i] = (uint8_t)((2 * num[i] + den) / (2 * den));                                              \
		}                                                                                                              \
	}
VISION_AREA_ROW(area_row_32, uint32_t, int32_t)
VISION_AREA_ROW(area_row_64, uint64_t, int64_t)

void vision__area_row(const uint8_t *src, int32_t src_w, int32_t src_h, int32_t stride, int32_t dst_w, int32_t dst_h,
                      int32_t dy, uint8_t *out)
{
	const uint64_t den = (uint64_t)src_w * (uint64_t)src_h;
	const uint64_t edge_x = (uint64_t)(dst_w + 1) * (uint64_t)src_w, edge_y = (uint64_t)(dst_h + 1) * (uint64_t)src_h;
	if (2 * 255 * den + den <= UINT32_MAX && edge_x <= INT32_MAX && edge_y <= INT32_MAX)
		area_row_32(src, src_w, src_h, stride, dst_w, dst_h, dy, out);
	else
		area_row_64(src, src_w, src_h, stride, dst_w, dst_h, dy, out);
}

vision_status_t vision_resize_area_u8(const vision_image_u8_t *src, const vision_rect_t *roi, uint8_t *dst,
                                      int32_t dst_w, int32_t dst_h, int32_t dst_stride)
{
	vision_rect_t r;
	vision_status_t st = vision__roi(src, roi, &r);
	if (st != VISION_OK)
		return st;
	if (dst == NULL || dst_w <= 0 || dst_h <= 0 || dst_stride < dst_w)
		return VISION_ERR_ARG;
	const uint8_t *base = src->data + (size_t)r.y * (size_t)src->stride + (size_t)r.x;
	if (r.w == dst_w && r.h == dst_h) {
		/* Same size: each area mean is one pixel, so the rows are copied.
		   A camera replaying frames of its own format takes this path; the
		   general one costs 64-bit divisions per pixel (~23 M instructions
		   for a QVGA frame on the M7). */
		for (int32_t dy = 0; dy < dst_h; dy++)
			memcpy(dst + (size_t)dy * (size_t)dst_stride, base + (size_t)dy * (size_t)src->stride, (size_t)dst_w);
		return VISION_OK;
	}
	for (int32_t dy = 0; dy < dst_h; dy++)
		vision__area_row(base, r.w, r.h, src->stride, dst_w, dst_h, dy, dst + (size_t)dy * (size_t)dst_stride);
	return VISION_OK;
}
