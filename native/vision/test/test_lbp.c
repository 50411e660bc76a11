/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LBP cascades (native/vision/src/lbp.c): validation of the LBP records
 * (every truncation, targeted corruptions, byte fuzzing with scans of what
 * passes) and the scan against a reference written here from the format's
 * definition: block sums added pixel by pixel from an explicitly resized
 * image, codes, subsets and OpenCV's stepping, one window at a time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vision.h"

#define WIN_W           12
#define WIN_H           9
#define STAGES          3
#define WEAKS_PER_STAGE 4
#define FEATURES        5
#define WEAK_SIZE       44
#define TOTAL           (32 + STAGES * 8 + STAGES * WEAKS_PER_STAGE * WEAK_SIZE + FEATURES * 4)

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffffu);
	put16(p + 2, v >> 16);
}
static void putf(uint8_t *p, float f)
{
	uint32_t v;
	memcpy(&v, &f, 4);
	put32(p, v);
}
static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static float getf(const uint8_t *p)
{
	uint32_t v = get32(p);
	float f;
	memcpy(&f, &v, 4);
	return f;
}

static _Alignas(8) uint8_t cascade[(TOTAL + 3) & ~3];
#define STAGES_AT   32
#define WEAKS_AT    (STAGES_AT + STAGES * 8)
#define FEATURES_AT (WEAKS_AT + STAGES * WEAKS_PER_STAGE * WEAK_SIZE)

/* Random features inside the window, random subsets, leaves and thresholds that let a fair share of windows through. */
static void build(void)
{
	memset(cascade, 0, sizeof cascade);
	memcpy(cascade, "XSHC", 4);
	put16(cascade + 4, 1);
	put16(cascade + 8, WIN_W);
	put16(cascade + 10, WIN_H);
	put16(cascade + 12, STAGES);
	put16(cascade + 14, VISION_FEATURE_LBP);
	put32(cascade + 16, STAGES * WEAKS_PER_STAGE);
	put32(cascade + 20, FEATURES);
	put32(cascade + 24, sizeof cascade);
	for (int s = 0; s < STAGES; s++) {
		put16(cascade + STAGES_AT + 8 * s, WEAKS_PER_STAGE);
		putf(cascade + STAGES_AT + 8 * s + 4, -0.5f);
	}
	for (int k = 0; k < STAGES * WEAKS_PER_STAGE; k++) {
		uint8_t *w = cascade + WEAKS_AT + WEAK_SIZE * k;
		put32(w, unit_rand() % FEATURES);
		putf(w + 4, 0.25f + (float)(unit_rand() % 8) / 16.0f);
		putf(w + 8, -0.25f - (float)(unit_rand() % 8) / 16.0f);
		for (int i = 0; i < 8; i++)
			put32(w + 12 + 4 * i, unit_rand());
	}
	for (int f = 0; f < FEATURES; f++) {
		uint8_t *p = cascade + FEATURES_AT + 4 * f;
		p[2] = (uint8_t)(1 + unit_rand() % (WIN_W / 3));
		p[3] = (uint8_t)(1 + unit_rand() % (WIN_H / 3));
		p[0] = (uint8_t)(unit_rand() % (WIN_W - 3 * p[2] + 1));
		p[1] = (uint8_t)(unit_rand() % (WIN_H - 3 * p[3] + 1));
	}
}

/* The reference: the window at (x, y) of a w-wide image, straight from the definition. */
static int32_t block(const uint8_t *img, int32_t w, int32_t x, int32_t y, int32_t bw, int32_t bh)
{
	int32_t s = 0;
	for (int32_t j = 0; j < bh; j++)
		for (int32_t i = 0; i < bw; i++)
			s += img[(y + j) * w + x + i];
	return s;
}

static int32_t reference_window(const uint8_t *img, int32_t w, int32_t x, int32_t y, double *last)
{
	/* Outer blocks clockwise from the top-left, bit 7 first. */
	static const int8_t order[8][2] = {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
	int32_t k = 0;
	double sum = 0.0;
	for (int32_t s = 0; s < STAGES; s++) {
		sum = 0.0;
		for (int32_t n = 0; n < WEAKS_PER_STAGE; n++, k++) {
			const uint8_t *wk = cascade + WEAKS_AT + WEAK_SIZE * k;
			const uint8_t *f = cascade + FEATURES_AT + 4 * get32(wk);
			const int32_t fx = x + f[0], fy = y + f[1];
			const int32_t centre = block(img, w, fx + f[2], fy + f[3], f[2], f[3]);
			uint32_t code = 0;
			for (int b = 0; b < 8; b++)
				if (block(img, w, fx + order[b][0] * f[2], fy + order[b][1] * f[3], f[2], f[3]) >= centre)
					code |= 128u >> b;
			const int set = (get32(wk + 12 + 4 * (code / 32)) >> (code % 32)) & 1;
			sum += (double)getf(wk + (set ? 4 : 8));
		}
		if (sum < (double)(getf(cascade + STAGES_AT + 8 * s + 4) - 1e-5f)) {
			*last = sum;
			return s;
		}
	}
	*last = sum;
	return STAGES;
}

static uint8_t image[64 * 48];

UNIT_TEST(checks)
{
	vision_cascade_t c;
	const char *why;
	UNIT_EQ_INT(vision_cascade_check(cascade, sizeof cascade, &c, &why), VISION_OK);
	UNIT_EQ_INT(c.feature_type, VISION_FEATURE_LBP);
	UNIT_EQ_INT(c.weak_count, STAGES * WEAKS_PER_STAGE);
	UNIT_EQ_INT(c.rect_count, FEATURES);
	for (size_t n = 0; n < sizeof cascade; n++)
		if (vision_cascade_check(cascade, n, &c, &why) == VISION_OK)
			UNIT_FAIL("a truncation to %u bytes passes", (unsigned)n);

	struct {
		size_t at;
		uint8_t value;
		vision_status_t expect;
		const char *what;
	} cases[] = {
	        {14, 2, VISION_ERR_UNSUPPORTED, "feature type 2"},
	        {14, 0, VISION_ERR_FORMAT, "Haar type on LBP records (sizes)"},
	        {WEAKS_AT, FEATURES, VISION_ERR_FORMAT, "feature index = feature count"},
	        {WEAKS_AT + 3, 0x80, VISION_ERR_FORMAT, "feature index past 2^31"},
	        {WEAKS_AT + 7, 0x7f, VISION_ERR_FORMAT, "left leaf NaN"},
	        {WEAKS_AT + WEAK_SIZE + 11, 0xff, VISION_ERR_FORMAT, "right leaf NaN"},
	        {FEATURES_AT + 2, 0, VISION_ERR_FORMAT, "empty block width"},
	        {FEATURES_AT + 3, 0, VISION_ERR_FORMAT, "empty block height"},
	        {FEATURES_AT + 2, 5, VISION_ERR_FORMAT, "blocks past the window's width (3 x 5 > 12)"},
	        {FEATURES_AT + 3, 4, VISION_ERR_FORMAT, "blocks past the window's height (3 x 4 > 9)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const uint8_t keep = cascade[cases[i].at], keep_below = cascade[cases[i].at - 1];
		cascade[cases[i].at] = cases[i].value;
		if (cases[i].value == 0x7f || cases[i].value == 0xff)
			cascade[cases[i].at - 1] = 0x80; /* a float's exponent spans two bytes */
		vision_status_t st = vision_cascade_check(cascade, sizeof cascade, &c, &why);
		if (st != cases[i].expect)
			UNIT_FAIL("%s: status %d, expected %d (%s)", cases[i].what, (int)st, (int)cases[i].expect, why);
		cascade[cases[i].at] = keep;
		cascade[cases[i].at - 1] = keep_below;
	}
	UNIT_EQ_INT(vision_cascade_check(cascade, sizeof cascade, &c, &why), VISION_OK);
}

/* The scan at `scale` against the reference on the level resized as the scan resizes. */
static void compare(const vision_cascade_t *c, float scale, int32_t *total)
{
	const vision_image_u8_t im = {image, 64, 48, 64};
	int32_t sw, sh;
	vision_haar_scaled_size(64, 48, scale, &sw, &sh);
	static uint8_t level[64 * 48];
	static _Alignas(8) uint8_t rbuf[4096];
	UNIT_EQ_INT(vision_resize_bilinear_u8(&im, NULL, level, sw, sh, sw, rbuf, sizeof rbuf), VISION_OK);
	static vision_rect_t want[4096], got[4096];
	static float want_s[4096], got_s[4096];
	uint32_t n = 0;
	const int32_t step = scale >= 2.0f ? 1 : 2;
	for (int32_t y = 0; y + WIN_H <= sh; y += step)
		for (int32_t x = 0; x + WIN_W <= sw; x += step) {
			double last;
			const int32_t r = reference_window(level, sw, x, y, &last);
			if (r == STAGES) {
				/* cvRound of the float product: nearest, halves to even (lrintf's default mode). */
				want[n] = (vision_rect_t){(int32_t)lrintf((float)x * scale), (int32_t)lrintf((float)y * scale), 0, 0};
				want_s[n++] = (float)last;
			} else if (r == 0) {
				x += step;
			}
		}
	size_t size = vision_cascade_scan_levels_get_buffer_size(c, 64, 48, &scale, 1, 0, 0);
	UNIT_ASSERT(size == vision_lbp_scan_get_buffer_size(c, 64, 48, scale));
	void *buf = malloc(size);
	vision_rect_list_t list = {got, 4096, 0, 0, got_s};
	UNIT_EQ_INT(vision_cascade_scan_levels(c, &im, NULL, &scale, 1, 0, 0, buf, size, &list, NULL), VISION_OK);
	UNIT_EQ_INT(list.count, n);
	for (uint32_t i = 0; i < n && i < list.count; i++) {
		if (got[i].x != want[i].x || got[i].y != want[i].y || got_s[i] != want_s[i])
			UNIT_FAIL("scale %g candidate %u: (%d,%d %g), expected (%d,%d %g)", (double)scale, (unsigned)i,
			          (int)got[i].x, (int)got[i].y, (double)got_s[i], (int)want[i].x, (int)want[i].y,
			          (double)want_s[i]);
	}
	/* One byte short of the scratch is refused, not overrun. */
	vision_rect_list_t none = {got, 4096, 0, 0, NULL};
	if (size > 1)
		UNIT_EQ_INT(vision_lbp_scan(c, &im, NULL, scale, 0, buf, size - 1, &none), VISION_ERR_BUFFER);
	free(buf);
	*total += (int32_t)n;
}

UNIT_TEST(scan_equals_reference)
{
	vision_cascade_t c;
	const char *why;
	int32_t total = 0;
	for (int round = 0; round < 8; round++) {
		build();
		for (size_t i = 0; i < sizeof image; i++)
			image[i] = (uint8_t)(unit_rand() % 7 == 0 ? unit_rand() : (i % 64) * 3 + (i / 64) * 2);
		UNIT_EQ_INT(vision_cascade_check(cascade, sizeof cascade, &c, &why), VISION_OK);
		compare(&c, 1.0f, &total);
		compare(&c, 1.3f, &total);
		compare(&c, 2.5f, &total);
	}
	UNIT_ASSERT(total > 50); /* the reference has candidates to agree on */

	/* Each scan refuses the other type's cascade; the dispatch picks the right one. */
	const vision_image_u8_t im = {image, 64, 48, 64};
	static _Alignas(8) uint8_t buf[65536];
	vision_rect_t r[16];
	vision_rect_list_t list = {r, 16, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 0, buf, sizeof buf, &list), VISION_ERR_ARG);
	c.feature_type = VISION_FEATURE_HAAR;
	UNIT_EQ_INT(vision_lbp_scan(&c, &im, NULL, 1.0f, 0, buf, sizeof buf, &list), VISION_ERR_ARG);
}

/* A scan of many levels finds what the levels one by one find, in order, counted or not. */
UNIT_TEST(scan_levels_equal_one_by_one)
{
	build();
	for (size_t i = 0; i < sizeof image; i++)
		image[i] = (uint8_t)(unit_rand() % 7 == 0 ? unit_rand() : (i % 64) * 3 + (i / 64) * 2);
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(cascade, sizeof cascade, &c, NULL), VISION_OK);
	static const float scales[] = {1.0f, 1.3f, 2.5f};
	enum { N = sizeof scales / sizeof scales[0] };
	static vision_rect_t want[4096], got[4096], counted[4096];
	static _Alignas(8) uint8_t buf[65536];
	const vision_image_u8_t im = {image, 64, 48, 64};
	vision_rect_list_t one = {want, 4096, 0, 0, NULL};
	vision_haar_stats_t each = {0}, all = {0};
	for (int i = 0; i < N; i++)
		UNIT_EQ_INT(vision_lbp_scan_counted(&c, &im, NULL, scales[i], 0, buf, sizeof buf, &one, &each), VISION_OK);
	const size_t need = vision_cascade_scan_levels_get_buffer_size(&c, 64, 48, scales, N, 0, 0);
	UNIT_EQ_INT(need, vision_lbp_scan_get_buffer_size(&c, 64, 48, 1.0f));
	vision_rect_list_t list = {got, 4096, 0, 0, NULL}, with = {counted, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, scales, N, 0, 0, buf, need, &list, NULL), VISION_OK);
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, scales, N, 0, 0, buf, need, &with, &all), VISION_OK);
	UNIT_ASSERT(one.count > 0);
	UNIT_EQ_INT(list.count, one.count);
	UNIT_EQ_INT(with.count, one.count);
	UNIT_EQ_INT(memcmp(got, want, one.count * sizeof got[0]), 0);
	UNIT_EQ_INT(memcmp(counted, want, one.count * sizeof got[0]), 0);
	UNIT_EQ_INT(all.windows, each.windows);
	UNIT_EQ_INT(all.weaks, each.weaks);
}

UNIT_TEST(byte_fuzzing)
{
	/* Damaged bytes either fail the check or scan without reading outside (run under ASan by make host-asan's users). */
	static _Alignas(8) uint8_t work[sizeof cascade];
	static _Alignas(8) uint8_t buf[65536];
	vision_rect_t r[256];
	const vision_image_u8_t im = {image, 64, 48, 64};
	int accepted = 0;
	for (int i = 0; i < 20000; i++) {
		memcpy(work, cascade, sizeof work);
		for (int k = 1 + (int)(unit_rand() % 4); k > 0; k--)
			work[unit_rand() % sizeof work] = (uint8_t)unit_rand();
		vision_cascade_t c;
		const char *why;
		if (vision_cascade_check(work, sizeof work, &c, &why) != VISION_OK)
			continue;
		accepted++;
		vision_rect_list_t list = {r, 256, 0, 0, NULL};
		const float one = 1.0f;
		const size_t need = vision_cascade_scan_levels_get_buffer_size(&c, 64, 48, &one, 1, 0, 0);
		if (need > sizeof buf)
			UNIT_FAIL("variant %d: scratch %u", i, (unsigned)need);
		else if (vision_cascade_scan_levels(&c, &im, NULL, &one, 1, 0, 0, buf, need, &list, NULL) != VISION_OK)
			UNIT_FAIL("variant %d: an accepted cascade fails to scan", i);
	}
	printf("# fuzzing: %d of 20000 LBP variants accepted\n", accepted);
	UNIT_ASSERT(accepted > 0);
}

int main(void)
{
	unit_rand_seed(1616u);
	build();
	UNIT_RUN(checks);
	UNIT_RUN(scan_equals_reference);
	UNIT_RUN(scan_levels_equal_one_by_one);
	UNIT_RUN(byte_fuzzing);
	return unit_done();
}
