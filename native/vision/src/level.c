/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One pyramid level of a cascade scan (vision_internal.h): what the Haar and
 * LBP scans share before and around their windows. OpenCV's facts mirrored:
 * the level is round(roi / scale) with INTER_LINEAR_EXACT, the window keeps
 * the cascade's size and steps by 1 resized pixel at scale >= 2, else 2.
 */
#include "vision_internal.h"

size_t vision__level_size(int32_t window_h, int32_t sw, int squares, int32_t lag)
{
	const size_t k = (size_t)window_h + 1 + (size_t)lag, row = (size_t)(sw + 1) * sizeof(uint32_t);
	return vision__need((2 * k - 1) * row) + (squares ? vision__need(k * row) : 0) + vision__need((size_t)sw) +
	        vision__lin_buffer_size(sw);
}

vision_status_t vision__level_begin(vision__level_t *l, const vision_cascade_t *c, uint8_t type,
                                    const vision_image_u8_t *image, const vision_rect_t *roi, float scale, int32_t step,
                                    const vision_rect_list_t *out, int stats_ok, int squares, int32_t stride,
                                    int32_t lag, size_t extra, vision__arena_t *a)
{
	vision_status_t status = vision__roi(image, roi, &l->roi);
	if (status != VISION_OK)
		return status;
	if (c == NULL || c->feature_type != type || out == NULL || (out->rects == NULL && out->capacity > 0) ||
	    a->p == NULL || step < 0 || lag < 0 || lag > 255 || !(scale > 0.0f && scale < 1.0e6f) || !stats_ok)
		return VISION_ERR_ARG;
	const int32_t ww = c->window_w, wh = c->window_h;
	l->sw = 0;
	int32_t sw, sh;
	vision_haar_scaled_size(l->roi.w, l->roi.h, scale, &sw, &sh);
	if (sw < ww || sh < wh)
		return VISION_OK;
	l->stride = stride > sw ? stride : sw + 1;
	if (a->left < vision__level_size(wh, l->stride - 1, squares, lag) + extra)
		return VISION_ERR_BUFFER;
	l->k = wh + 1 + lag;
	const size_t row_bytes = (size_t)l->stride * sizeof(uint32_t);
	l->sum = (uint32_t *)vision__take(a, (size_t)(2 * l->k - 1) * row_bytes);
	l->sq = squares ? (uint32_t *)vision__take(a, (size_t)l->k * row_bytes) : NULL;
	l->row = (uint8_t *)vision__take(a, (size_t)sw);
	l->base = image->data + (size_t)l->roi.y * (size_t)image->stride + (size_t)l->roi.x;
	l->src_stride = image->stride;
	l->identity = sw == l->roi.w && sh == l->roi.h;
	if (!l->identity)
		vision__lin_init(&l->lin, l->base, l->roi.w, l->roi.h, image->stride, sw, sh, a);
	if (a->failed)
		return VISION_ERR_BUFFER;
	l->rows_done = 1;
	memset(l->sum, 0, row_bytes);
	if (squares)
		memset(l->sq, 0, row_bytes);
	l->sw = sw;
	l->sh = sh;
	l->step = step > 0 ? step : (scale >= 2.0f ? 1 : 2);
	l->skip = step == 0;
	l->rw = vision__round_even_f((float)ww * scale);
	l->rh = vision__round_even_f((float)wh * scale);
	return VISION_OK;
}

/* Integral row r = rows_done from image row r - 1, written to both of its slots (and the squares' one). */
static void push(vision__level_t *l, const uint8_t *row)
{
	const int32_t r = l->rows_done, k = l->k, w1 = l->stride, width = l->sw;
	const int32_t slot = r % k, prev = (r - 1) % k;
	const uint32_t *ps = l->sum + (size_t)prev * (size_t)w1;
	uint32_t *s = l->sum + (size_t)slot * (size_t)w1;
	/* The last slot has no twin: windows starting at slot K - 1 read it and slots K.. (the twins of 0..). */
	uint32_t *s2 = slot + 1 < k ? s + (size_t)k * (size_t)w1 : s;
	uint32_t acc = 0;
	s[0] = 0;
	s2[0] = 0;
	if (l->sq != NULL) {
		const uint32_t *pq = l->sq + (size_t)prev * (size_t)w1;
		uint32_t *q = l->sq + (size_t)slot * (size_t)w1, accq = 0;
		q[0] = 0;
		VISION_UNROLL4
		for (int32_t x = 0; x < width; x++) {
			const uint32_t v = row[x];
			acc += v;
			accq += v * v; /* wraps; differences stay exact (vision_internal.h) */
			const uint32_t t = ps[x + 1] + acc;
			s[x + 1] = t;
			s2[x + 1] = t;
			q[x + 1] = pq[x + 1] + accq;
		}
	} else {
		VISION_UNROLL4
		for (int32_t x = 0; x < width; x++) {
			acc += row[x];
			const uint32_t t = ps[x + 1] + acc;
			s[x + 1] = t;
			s2[x + 1] = t;
		}
	}
	l->rows_done = r + 1;
}

void vision__level_rows(vision__level_t *l, int32_t y)
{
	while (l->rows_done <= y + l->k - 1) {
		const int32_t sy = l->rows_done - 1;
		if (l->identity) {
			push(l, l->base + (size_t)sy * (size_t)l->src_stride);
		} else {
			vision__lin_row(&l->lin, sy, l->row);
			push(l, l->row);
		}
	}
}
