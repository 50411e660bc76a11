/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Moving-window integral and squared-integral images.
 *
 * A Haar window of height H only ever looks at integral rows y..y+H, so the
 * scan keeps H+1 rows in a ring instead of the whole (h+1) x (w+1) table:
 * for a 24-pixel window on a 320-pixel-wide image that is
 * 25 * 321 * 8 bytes = 64 KB instead of 241 * 321 * 8 = 619 KB, and it
 * shrinks with every pyramid level.
 */
#include "vision_internal.h"

size_t vision_integral_mw_get_buffer_size(int32_t width, int32_t rows_kept)
{
	if (width <= 0 || rows_kept < 2)
		return 0;
	size_t table = (size_t)rows_kept * (size_t)(width + 1) * sizeof(uint32_t);
	return 2 * vision__need(table);
}

vision_status_t vision_integral_mw_init(vision_integral_mw_t *mw, int32_t width, int32_t rows_kept, void *buf,
                                        size_t buf_size)
{
	if (mw == NULL || buf == NULL || width <= 0 || rows_kept < 2)
		return VISION_ERR_ARG;
	size_t table = (size_t)rows_kept * (size_t)(width + 1) * sizeof(uint32_t);
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	mw->sum = (uint32_t *)vision__take(&a, table);
	mw->sqsum = (uint32_t *)vision__take(&a, table);
	if (a.failed)
		return VISION_ERR_BUFFER;
	mw->width = width;
	mw->rows_kept = rows_kept;
	mw->rows_done = 1;
	memset(mw->sum, 0, (size_t)(width + 1) * sizeof(uint32_t));
	memset(mw->sqsum, 0, (size_t)(width + 1) * sizeof(uint32_t));
	return VISION_OK;
}

void vision_integral_mw_push_row(vision_integral_mw_t *mw, const uint8_t *row)
{
	const int32_t w1 = mw->width + 1;
	const int32_t r = mw->rows_done;
	const uint32_t *ps = mw->sum + (size_t)((r - 1) % mw->rows_kept) * (size_t)w1;
	const uint32_t *pq = mw->sqsum + (size_t)((r - 1) % mw->rows_kept) * (size_t)w1;
	uint32_t *s = mw->sum + (size_t)(r % mw->rows_kept) * (size_t)w1;
	uint32_t *q = mw->sqsum + (size_t)(r % mw->rows_kept) * (size_t)w1;
	uint32_t acc = 0, accq = 0;

	s[0] = 0;
	q[0] = 0;
	for (int32_t x = 0; x < mw->width; x++) {
		uint32_t v = row[x];
		acc += v;
		accq += v * v; /* wraps like the table; differences stay exact */
		s[x + 1] = ps[x + 1] + acc;
		q[x + 1] = pq[x + 1] + accq;
	}
	mw->rows_done = r + 1;
}

static int32_t kept(const vision_integral_mw_t *mw, int32_t r)
{
	return r >= 0 && r < mw->rows_done && r >= mw->rows_done - mw->rows_kept;
}

const uint32_t *vision_integral_mw_sum_row(const vision_integral_mw_t *mw, int32_t r)
{
	if (!kept(mw, r))
		return NULL;
	return mw->sum + (size_t)(r % mw->rows_kept) * (size_t)(mw->width + 1);
}

const uint32_t *vision_integral_mw_sqsum_row(const vision_integral_mw_t *mw, int32_t r)
{
	if (!kept(mw, r))
		return NULL;
	return mw->sqsum + (size_t)(r % mw->rows_kept) * (size_t)(mw->width + 1);
}
