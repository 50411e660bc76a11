/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dumps what test/cascade-convert.test.ts compares with OpenCV (opencv-js):
 * per-window results of frontalface on the 200 LFW crops, the raw
 * detectMultiScale candidates (scale factor 1.1, no grouping) on a mosaic of
 * those crops, and hashes of INTER_LINEAR_EXACT resizes of the mosaic.
 * Lines start with "# " so the TAP stream stays valid. Reads the crops from
 * $XSIGHT_SHARED/images/faces/misc/lfw_subset_200x25x25_u8.bin (default
 * ../shared) and skips when they are absent.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vision.h"

enum { N = 200, S = 25, COLS = 20, MW = COLS * S, MH = (N / COLS) * S };

static uint8_t crops[N * S * S], mosaic[MW * MH], small[700 * 300];
static _Alignas(8) uint8_t cascade_data[96 * 1024];
static _Alignas(8) uint8_t buf[512 * 1024];
static vision_cascade_t cascade;
static char skip[640];

static size_t read_all(const char *path, uint8_t *dst, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t n = fread(dst, 1, cap, f);
	fclose(f);
	return n;
}

static int setup(void)
{
	const char *shared = getenv("XSIGHT_SHARED");
	char path[512];
	snprintf(path, sizeof path, "%s/images/faces/misc/lfw_subset_200x25x25_u8.bin", shared ? shared : "../shared");
	if (read_all(path, crops, sizeof crops) != sizeof crops) {
		snprintf(skip, sizeof skip, "%s not readable", path);
		return 0;
	}
	const char *cp = getenv("XSIGHT_CASCADE");
	size_t len = read_all(cp ? cp : "resources/cascades/frontalface.cascade", cascade_data, sizeof cascade_data);
	if (vision_cascade_check(cascade_data, len, &cascade, NULL) != VISION_OK) {
		snprintf(skip, sizeof skip, "frontalface.cascade not readable (run from the project root)");
		return 0;
	}
	for (int i = 0; i < N; i++)
		for (int y = 0; y < S; y++)
			memcpy(mosaic + ((i / COLS) * S + y) * MW + (i % COLS) * S, crops + i * S * S + y * S, S);
	return 1;
}

UNIT_TEST(lfw_windows)
{
	for (int i = 0; i < N; i++) {
		vision_image_u8_t im = {crops + i * S * S, S, S, S};
		vision_haar_window_t r;
		UNIT_EQ_INT(vision_haar_eval_window(&cascade, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
		printf("# window %d %d %d %.17g\n", i, r.stages_passed, r.low_variance, r.last_stage_sum);
	}
}

static vision_rect_t rects[20000];

UNIT_TEST(mosaic_candidates)
{
	float scales[128];
	int32_t n = vision_haar_scales(MW, MH, 24, 24, 1.1, 0, 0, 0, 0, scales, 128);
	UNIT_ASSERT(n > 0 && n <= 128);
	vision_rect_list_t list = {rects, 20000, 0, 0, NULL};
	vision_image_u8_t im = {mosaic, MW, MH, MW};
	vision_haar_stats_t st = {0};
	for (int32_t i = 0; i < n; i++) {
		size_t need = vision_haar_scan_get_buffer_size(&cascade, MW, MH, scales[i]);
		UNIT_ASSERT(need <= sizeof buf);
		UNIT_EQ_INT(vision_haar_scan_counted(&cascade, &im, NULL, scales[i], 0, buf, need, &list, &st), VISION_OK);
	}
	UNIT_EQ_INT(list.overflow, 0);
	printf("# stats scales %d windows %u flat %u stages %u weaks %u passed %u\n", n, st.windows, st.low_variance,
	       st.stages, st.weaks, st.passed);
	for (uint32_t i = 0; i < list.count; i++)
		printf("# cand %d %d %d %d\n", rects[i].x, rects[i].y, rects[i].w, rects[i].h);
}

/* The feature table only speeds the scan up: with less room for it (as the binding gives a short heap), or
   none, every level's candidates are the same, in the same order. */
static vision_rect_t rects_small[20000];

UNIT_TEST(mosaic_candidates_with_any_table)
{
	float scales[128];
	int32_t n = vision_haar_scales(MW, MH, 24, 24, 1.1, 0, 0, 0, 0, scales, 128);
	UNIT_ASSERT(n > 6);
	const float some[] = {scales[0], scales[1], scales[n / 2], scales[n - 1]};
	vision_image_u8_t im = {mosaic, MW, MH, MW};
	vision_rect_list_t full = {rects, 20000, 0, 0, NULL};
	for (size_t i = 0; i < 4; i++) {
		size_t need = vision_haar_scan_get_buffer_size(&cascade, MW, MH, some[i]);
		UNIT_EQ_INT(vision_haar_scan(&cascade, &im, NULL, some[i], 0, buf, need, &full), VISION_OK);
	}
	static const uint32_t tables[] = {0, 4096, 20000};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		vision_cascade_t smaller = cascade;
		smaller.scan_table = tables[t];
		vision_rect_list_t list = {rects_small, 20000, 0, 0, NULL};
		for (size_t i = 0; i < 4; i++) {
			size_t need = vision_haar_scan_get_buffer_size(&smaller, MW, MH, some[i]);
			UNIT_ASSERT(need < vision_haar_scan_get_buffer_size(&cascade, MW, MH, some[i]));
			UNIT_EQ_INT(vision_haar_scan(&smaller, &im, NULL, some[i], 0, buf, need, &list), VISION_OK);
		}
		UNIT_EQ_INT(list.count, full.count);
		UNIT_ASSERT(memcmp(rects_small, rects, full.count * sizeof rects[0]) == 0);
	}
}

UNIT_TEST(mosaic_resizes)
{
	static const int sizes[][2] = {{455, 227}, {413, 207}, {250, 125}, {251, 124}, {100, 37},
	                               {24, 24},   {700, 300}, {500, 1},   {1, 250}};
	vision_image_u8_t im = {mosaic, MW, MH, MW};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		UNIT_ASSERT((size_t)(w * h) <= sizeof small);
		UNIT_EQ_INT(vision_resize_bilinear_u8(&im, NULL, small, w, h, w, buf, sizeof buf), VISION_OK);
		uint32_t hash = 2166136261u; /* FNV-1a */
		for (int i = 0; i < w * h; i++)
			hash = (hash ^ small[i]) * 16777619u;
		printf("# resize %d %d %u\n", w, h, hash);
	}
}

int main(void)
{
	if (!setup()) {
		printf("ok 1 - haar_opencv_dump # SKIP %s\n1..1\n", skip);
		return 0;
	}
	UNIT_RUN(lfw_windows);
	UNIT_RUN(mosaic_candidates);
	UNIT_RUN(mosaic_candidates_with_any_table);
	UNIT_RUN(mosaic_resizes);
	return unit_done();
}
