/* SPDX-License-Identifier: Apache-2.0 */
/* Moving-window integral images against a naive full table, at every row. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vision.h"

#define MAXW 67
#define MAXH 41
static uint8_t img[MAXH * MAXW];
static uint64_t ref_s[(MAXH + 1) * (MAXW + 1)], ref_q[(MAXH + 1) * (MAXW + 1)];
static uint8_t buf[2 * 64 * (MAXW + 1) * 4 + 64];

static void naive(int w, int h)
{
	for (int y = 0; y <= h; y++)
		for (int x = 0; x <= w; x++) {
			uint64_t s = 0, q = 0;
			for (int yy = 0; yy < y; yy++)
				for (int xx = 0; xx < x; xx++) {
					uint64_t v = img[yy * w + xx];
					s += v;
					q += v * v;
				}
			ref_s[y * (w + 1) + x] = s;
			ref_q[y * (w + 1) + x] = q;
		}
}

/* Returns 0 on the first mismatch, after reporting it. */
static int compare_all(int w, int h, int kept, int fill)
{
	vision_integral_mw_t mw;
	size_t need = vision_integral_mw_get_buffer_size(w, kept);
	if (need > sizeof buf || vision_integral_mw_init(&mw, w, kept, buf, need) != VISION_OK) {
		UNIT_FAIL("init %dx%d kept %d", w, h, kept);
		return 0;
	}
	for (int r = 0; r <= h; r++) {
		if (r > 0)
			vision_integral_mw_push_row(&mw, img + (r - 1) * w);
		for (int rr = 0; rr <= h; rr++) {
			const uint32_t *s = vision_integral_mw_sum_row(&mw, rr);
			const uint32_t *q = vision_integral_mw_sqsum_row(&mw, rr);
			int should = rr <= r && rr > r - kept;
			if ((s != NULL) != should || (q != NULL) != should) {
				UNIT_FAIL("%dx%d kept %d fill %d: row %d presence after %d rows", w, h, kept, fill, rr, r);
				return 0;
			}
			if (!should)
				continue;
			for (int x = 0; x <= w; x++) {
				if (s[x] != (uint32_t)ref_s[rr * (w + 1) + x] || q[x] != (uint32_t)ref_q[rr * (w + 1) + x]) {
					UNIT_FAIL("%dx%d kept %d fill %d: row %d col %d after %d rows", w, h, kept, fill, rr, x, r);
					return 0;
				}
			}
		}
	}
	return 1;
}

UNIT_TEST(random_sizes_every_row)
{
	static const int sizes[][2] = {{1, 1},   {1, 17},  {17, 1}, {2, 3},   {3, 2},   {7, 9},
	                               {24, 24}, {25, 31}, {33, 5}, {67, 41}, {64, 40}, {1, 41}};
	static const int kepts[] = {2, 3, 5, 25, 64};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int w = sizes[i][0], h = sizes[i][1];
		for (int fill = 0; fill < 3; fill++) {
			for (int p = 0; p < w * h; p++)
				img[p] = fill == 0 ? (uint8_t)unit_rand() : fill == 1 ? 255 : (uint8_t)(unit_rand() & 1 ? 0 : 255);
			naive(w, h);
			for (size_t k = 0; k < sizeof kepts / sizeof kepts[0]; k++)
				if (!compare_all(w, h, kepts[k], fill))
					return;
		}
	}
}

/*
 * A white 400x400 image overflows 32 bits in the squared table (like
 * OpenCV's int32 sqsum), yet every 255x255 window sum stays exact.
 */
UNIT_TEST(wrapping_keeps_window_sums_exact)
{
	enum { W = 400, H = 400, WIN = 255 };
	static uint8_t row[W];
	static uint8_t big[2 * (WIN + 1) * (W + 1) * 4 + 64];
	memset(row, 255, sizeof row);
	vision_integral_mw_t mw;
	size_t need = vision_integral_mw_get_buffer_size(W, WIN + 1);
	UNIT_ASSERT(need <= sizeof big);
	UNIT_EQ_INT(vision_integral_mw_init(&mw, W, WIN + 1, big, need), VISION_OK);
	for (int r = 1; r <= H; r++) {
		vision_integral_mw_push_row(&mw, row);
		if (r < WIN)
			continue;
		const uint32_t *q0 = vision_integral_mw_sqsum_row(&mw, r - WIN);
		const uint32_t *q1 = vision_integral_mw_sqsum_row(&mw, r);
		const uint32_t *s0 = vision_integral_mw_sum_row(&mw, r - WIN);
		const uint32_t *s1 = vision_integral_mw_sum_row(&mw, r);
		UNIT_ASSERT(q0 != NULL && q1 != NULL);
		for (int x = 0; x + WIN <= W; x += 29) {
			uint32_t q = q1[x + WIN] - q1[x] - q0[x + WIN] + q0[x];
			uint32_t s = s1[x + WIN] - s1[x] - s0[x + WIN] + s0[x];
			UNIT_EQ_INT(q, 255u * 255u * WIN * WIN);
			UNIT_EQ_INT(s, 255u * WIN * WIN);
		}
	}
}

UNIT_TEST(bad_arguments)
{
	vision_integral_mw_t mw;
	UNIT_EQ_INT(vision_integral_mw_get_buffer_size(0, 3), 0);
	UNIT_EQ_INT(vision_integral_mw_get_buffer_size(5, 1), 0);
	UNIT_EQ_INT(vision_integral_mw_init(&mw, 10, 1, buf, sizeof buf), VISION_ERR_ARG);
	size_t need = vision_integral_mw_get_buffer_size(10, 4);
	/* The size already covers the worst alignment, so an odd start still fits... */
	UNIT_EQ_INT(vision_integral_mw_init(&mw, 10, 4, buf + 1, need), VISION_OK);
	/* ...and one byte less than the exact tables does not. */
	UNIT_EQ_INT(vision_integral_mw_init(&mw, 10, 4, buf, 2 * 4 * 11 * 4 - 1), VISION_ERR_BUFFER);
}

int main(void)
{
	unit_rand_seed(12345u);
	UNIT_RUN(random_sizes_every_row);
	UNIT_RUN(wrapping_keeps_window_sums_exact);
	UNIT_RUN(bad_arguments);
	return unit_done();
}
