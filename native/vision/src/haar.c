/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Haar cascade evaluation, one pyramid level at a time, reproducing OpenCV
 * 4.x CascadeClassifier (HAAR, stumps) before grouping. The facts mirrored,
 * restated from its documented behaviour and checked against opencv-js:
 *
 *  - each level is the image resized to round(size / scale) with
 *    INTER_LINEAR_EXACT; the window keeps the cascade's size;
 *  - positions step by 1 resized pixel when scale >= 2, else by 2, and after
 *    a window rejected by stage 0 the next position in the row is skipped;
 *  - variance is taken over the window shrunk by one pixel on each side:
 *    nf = area * sqsum - sum^2 (exact), and the window is rejected before
 *    any stage when nf <= 0 or area / sqrt(nf) >= 0.1 (std dev <= 10);
 *    otherwise inv = (float)(1 / sqrt(nf));
 *  - a feature is the integer weighted rect sum (exact in float32) times
 *    inv, rounded to float, compared with the float threshold (< goes left);
 *  - stage sums accumulate the float leaves in double and fail when
 *    sum < (float)stage_threshold - 1e-5f.
 * Every float operation is a single IEEE operation in the same precision
 * as OpenCV's, so results are identical, not just close.
 */
#include <math.h>

#include "vision_internal.h"

#define STAGE_SIZE 8u
#define WEAK_SIZE 16u
#define RECT_SIZE 5u
#define LOW_VARIANCE (-1)

typedef struct {
	const uint32_t **srow; /* window_h + 1 integral rows of the current window row band */
	const uint32_t **qrow;
} rows_t;

/* One rect's weighted sum: x, y, w, h, weight bytes; the integral's uint32
   differences wrap back to the exact sum. */
static inline int32_t rect_sum(const uint32_t *const *srow, int32_t x, const uint8_t *r)
{
	const uint32_t *r0 = srow[r[1]] + x + r[0];
	const uint32_t *r1 = srow[r[1] + r[3]] + x + r[0];
	return (int8_t)r[4] * (int32_t)(r1[r[2]] - r1[0] - r0[r[2]] + r0[0]);
}

/* Returns stages passed (0..stage_count) or LOW_VARIANCE. */
static inline int32_t eval_window(const vision_cascade_t *c, const rows_t *rows, int32_t x, double *last_sum,
                                  vision_haar_stats_t *st, const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h;
	const int64_t area = (int64_t)(ww - 2) * (wh - 2);
	const uint32_t *a = rows->srow[1] + x + 1, *b = rows->srow[wh - 1] + x + 1;
	const uint32_t *qa = rows->qrow[1] + x + 1, *qb = rows->qrow[wh - 1] + x + 1;
	const uint32_t vs = b[ww - 2] - b[0] - a[ww - 2] + a[0];
	const uint32_t vq = qb[ww - 2] - qb[0] - qa[ww - 2] + qa[0];
	const int64_t nf = area * (int64_t)vq - (int64_t)vs * (int64_t)vs;

	if (counting)
		st->windows++;
	*last_sum = 0.0;
	if (nf <= 0) {
		if (counting)
			st->low_variance++;
		return LOW_VARIANCE;
	}
	const float inv = (float)(1.0 / sqrt((double)nf));
	if (!((double)area * (double)inv < 0.1)) {
		if (counting)
			st->low_variance++;
		return LOW_VARIANCE;
	}

	const uint8_t *stage = c->stages;
	const uint8_t *weak = c->weaks;
	const uint32_t *const *srow = rows->srow;
	double sum = 0.0;
	for (int32_t s = 0; s < c->stage_count; s++, stage += STAGE_SIZE) {
		const int32_t n = vision__ld_u16(stage);
		const float stage_thr = (c->stage_thresholds != NULL ? c->stage_thresholds[s] : vision__ld_f32(stage + 4)) - 1e-5f;
		sum = 0.0;
		if (counting) {
			st->stages++;
			st->weaks += (uint32_t)n;
		}
		for (int32_t k = 0; k < n; k++, weak += WEAK_SIZE) {
			const uint32_t ref = vision__ld_u32(weak + 12);
			const uint8_t *r = c->rects + (size_t)(ref & 0xffffffu) * RECT_SIZE;
			const uint32_t cnt = ref >> 24;
			/* Two or three rects (cascade_check allows 1..3): unrolled, no loop control per rect. */
			int32_t fsum = rect_sum(srow, x, r);
			if (cnt >= 2) {
				fsum += rect_sum(srow, x, r + RECT_SIZE);
				if (cnt == 3)
					fsum += rect_sum(srow, x, r + 2 * RECT_SIZE);
			}
			const float v = (float)fsum * inv;
			sum += v < vision__ld_f32(weak) ? (double)vision__ld_f32(weak + 4) : (double)vision__ld_f32(weak + 8);
		}
		if (sum < (double)stage_thr) {
			*last_sum = sum;
			return s;
		}
	}
	*last_sum = sum;
	if (counting)
		st->passed++;
	return c->stage_count;
}

void vision_haar_scaled_size(int32_t image_w, int32_t image_h, float scale, int32_t *w, int32_t *h)
{
	*w = vision__round_even_f((float)image_w / scale);
	*h = vision__round_even_f((float)image_h / scale);
}

int32_t vision_haar_scales(int32_t image_w, int32_t image_h, int32_t window_w, int32_t window_h,
                           double scale_factor, int32_t min_w, int32_t min_h, int32_t max_w, int32_t max_h,
                           float *scales, int32_t capacity)
{
	if (image_w < window_w || image_h < window_h || window_w <= 0 || window_h <= 0 || !(scale_factor > 1.0))
		return 0;
	if (max_w == 0 || max_h == 0) {
		max_w = image_w;
		max_h = image_h;
	}
	int32_t n = 0;
	for (double factor = 1.0;; factor *= scale_factor) {
		/* OpenCV sizes the pyramid with the double factor... */
		if (vision__round_even_d(window_w * factor) > image_w || vision__round_even_d(window_h * factor) > image_h)
			break;
		/* ...but keeps and filters it as float. */
		const float sc = (float)factor;
		const int32_t fw = vision__round_even_f((float)window_w * sc), fh = vision__round_even_f((float)window_h * sc);
		if (fw > max_w || fh > max_h)
			break;
		if (fw < min_w || fh < min_h)
			continue;
		if (scales != NULL && n < capacity)
			scales[n] = sc;
		n++;
	}
	return n;
}

static size_t rows_size(int32_t window_h)
{
	return 2 * vision__need((size_t)(window_h + 1) * sizeof(uint32_t *));
}

static int rows_take(rows_t *rows, int32_t window_h, vision__arena_t *a)
{
	rows->srow = (const uint32_t **)vision__take(a, (size_t)(window_h + 1) * sizeof(uint32_t *));
	rows->qrow = (const uint32_t **)vision__take(a, (size_t)(window_h + 1) * sizeof(uint32_t *));
	return !a->failed;
}

static void rows_point(rows_t *rows, const vision_integral_mw_t *mw, int32_t y, int32_t window_h)
{
	for (int32_t i = 0; i <= window_h; i++) {
		rows->srow[i] = vision_integral_mw_sum_row(mw, y + i);
		rows->qrow[i] = vision_integral_mw_sqsum_row(mw, y + i);
	}
}

size_t vision_haar_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale)
{
	if (cascade == NULL || roi_w <= 0 || roi_h <= 0 || !(scale > 0.0f && scale < 1.0e6f))
		return 0;
	int32_t sw, sh;
	vision_haar_scaled_size(roi_w, roi_h, scale, &sw, &sh);
	if (sw < cascade->window_w || sh < cascade->window_h)
		return 1; /* nothing to scan; any non-NULL buffer will do */
	return vision_integral_mw_get_buffer_size(sw, cascade->window_h + 1) + vision__need((size_t)sw) +
	       vision__lin_buffer_size(sw) + rows_size(cascade->window_h);
}

static inline vision_status_t scan(const vision_cascade_t *c, const vision_image_u8_t *image, const vision_rect_t *roi_in,
                                   float scale, int32_t step, void *buf, size_t buf_size, vision_rect_list_t *out,
                                   vision_haar_stats_t *st, const int counting)
{
	vision_rect_t roi;
	vision_status_t status = vision__roi(image, roi_in, &roi);
	if (status != VISION_OK)
		return status;
	if (c == NULL || out == NULL || (out->rects == NULL && out->capacity > 0) || buf == NULL || step < 0 ||
	    !(scale > 0.0f && scale < 1.0e6f) || (counting && st == NULL))
		return VISION_ERR_ARG;
	const int32_t ww = c->window_w, wh = c->window_h;
	int32_t sw, sh;
	vision_haar_scaled_size(roi.w, roi.h, scale, &sw, &sh);
	if (sw < ww || sh < wh)
		return VISION_OK;

	vision__arena_t a = { (uint8_t *)buf, buf_size, 0 };
	vision_integral_mw_t mw;
	size_t mw_size = vision_integral_mw_get_buffer_size(sw, wh + 1);
	void *mw_buf = vision__take(&a, mw_size);
	uint8_t *row = (uint8_t *)vision__take(&a, (size_t)sw);
	rows_t rows;
	if (!rows_take(&rows, wh, &a))
		return VISION_ERR_BUFFER;
	const uint8_t *base = image->data + (size_t)roi.y * (size_t)image->stride + (size_t)roi.x;
	const int identity = sw == roi.w && sh == roi.h;
	vision__lin_t lin;
	if (!identity)
		vision__lin_init(&lin, base, roi.w, roi.h, image->stride, sw, sh, &a);
	if (a.failed || vision_integral_mw_init(&mw, sw, wh + 1, mw_buf, mw_size) != VISION_OK)
		return VISION_ERR_BUFFER;

	const int32_t ystep = step > 0 ? step : (scale >= 2.0f ? 1 : 2);
	const int skip = step == 0;
	const int32_t rw = vision__round_even_f((float)ww * scale), rh = vision__round_even_f((float)wh * scale);

	for (int32_t y = 0; y + wh <= sh; y += ystep) {
		/* Integral row r needs resized row r-1; the ring keeps rows y..y+wh. */
		while (mw.rows_done <= y + wh) {
			const int32_t sy = mw.rows_done - 1;
			if (identity) {
				vision_integral_mw_push_row(&mw, base + (size_t)sy * (size_t)image->stride);
			} else {
				vision__lin_row(&lin, sy, row);
				vision_integral_mw_push_row(&mw, row);
			}
		}
		rows_point(&rows, &mw, y, wh);
		for (int32_t x = 0; x + ww <= sw; x += ystep) {
			double last;
			const int32_t r = eval_window(c, &rows, x, &last, st, counting);
			if (r == c->stage_count) {
				if (out->count < out->capacity) {
					vision_rect_t *o = &out->rects[out->count++];
					o->x = vision__round_even_f((float)x * scale) + roi.x;
					o->y = vision__round_even_f((float)y * scale) + roi.y;
					o->w = rw;
					o->h = rh;
					if (out->scores != NULL)
						out->scores[out->count - 1] = (float)last;
				} else {
					out->overflow = 1;
				}
			} else if (r == 0 && skip) {
				x += ystep;
			}
		}
	}
	return VISION_OK;
}

vision_status_t vision_haar_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                 const vision_rect_t *roi, float scale, int32_t step,
                                 void *buf, size_t buf_size, vision_rect_list_t *out)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, NULL, 0);
}

vision_status_t vision_haar_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, float scale, int32_t step,
                                         void *buf, size_t buf_size, vision_rect_list_t *out,
                                         vision_haar_stats_t *stats)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, stats, 1);
}

vision_status_t vision_haar_eval_window(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                        int32_t x, int32_t y, void *buf, size_t buf_size,
                                        vision_haar_window_t *result)
{
	if (cascade == NULL || result == NULL || buf == NULL)
		return VISION_ERR_ARG;
	const int32_t ww = cascade->window_w, wh = cascade->window_h;
	vision_rect_t roi = { x, y, ww, wh };
	vision_rect_t r;
	vision_status_t status = vision__roi(image, &roi, &r);
	if (status != VISION_OK)
		return status;
	vision__arena_t a = { (uint8_t *)buf, buf_size, 0 };
	size_t mw_size = vision_integral_mw_get_buffer_size(ww, wh + 1);
	void *mw_buf = vision__take(&a, mw_size);
	rows_t rows;
	vision_integral_mw_t mw;
	if (!rows_take(&rows, wh, &a) || vision_integral_mw_init(&mw, ww, wh + 1, mw_buf, mw_size) != VISION_OK)
		return VISION_ERR_BUFFER;
	for (int32_t i = 0; i < wh; i++)
		vision_integral_mw_push_row(&mw, image->data + (size_t)(y + i) * (size_t)image->stride + (size_t)x);
	rows_point(&rows, &mw, 0, wh);
	double last;
	int32_t res = eval_window(cascade, &rows, 0, &last, NULL, 0);
	result->low_variance = res == LOW_VARIANCE;
	result->stages_passed = res == LOW_VARIANCE ? 0 : res;
	result->last_stage_sum = last;
	return VISION_OK;
}
