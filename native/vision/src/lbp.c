/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LBP cascade evaluation, one pyramid level at a time, reproducing OpenCV
 * 4.x CascadeClassifier (LBP, stumps) before grouping. What it shares with
 * the Haar scan (haar.c): the levels (round(size / scale), INTER_LINEAR_EXACT,
 * streamed row by row), the stepping and the stage-0 skip, the candidates and
 * their last stage sums, stage sums of float leaves in double against
 * (float)threshold - 1e-5f. What differs, from OpenCV's LBPEvaluator:
 *
 *  - no variance normalisation: every window that fits is evaluated;
 *  - a feature is a w x h block at (x, y) of the window with its 8
 *    neighbours (3x3 blocks); its code has one bit per outer block, set when
 *    that block's sum is >= the centre's, clockwise from the top-left block
 *    as bit 7 (top-left 128, top 64, top-right 32, right 16, bottom-right 8,
 *    bottom 4, bottom-left 2, left 1);
 *  - the stump adds its left leaf when bit `code` of its 256-bit subset is
 *    set, else its right one.
 * The block sums are exact integers, so the only floating point is the
 * stage sum, done in OpenCV's precision.
 */
#include "vision_internal.h"

#define STAGE_SIZE   8u
#define WEAK_SIZE    44u /* u32 feature, f32 left, f32 right, u32 subset[8] */
#define FEATURE_SIZE 4u  /* x, y, w, h of the top-left block */

vision_status_t vision__lbp_check_records(const uint8_t *weaks, uint32_t n_weaks, const uint8_t *features,
                                          uint32_t n_features, uint32_t win_w, uint32_t win_h, const char **reason)
{
	for (uint32_t f = 0; f < n_features; f++) {
		const uint8_t *p = features + (size_t)f * FEATURE_SIZE;
		const uint32_t x = p[0], y = p[1], w = p[2], h = p[3];
		if (w == 0 || h == 0) {
			*reason = "an LBP feature block is empty";
			return VISION_ERR_FORMAT;
		}
		if (x + 3 * w > win_w || y + 3 * h > win_h) {
			*reason = "an LBP feature's 3x3 blocks leave the window";
			return VISION_ERR_FORMAT;
		}
	}
	for (uint32_t k = 0; k < n_weaks; k++) {
		const uint8_t *p = weaks + (size_t)k * WEAK_SIZE;
		if (vision__ld_u32(p) >= n_features) {
			*reason = "an LBP weak classifier's feature index is outside the feature table";
			return VISION_ERR_FORMAT;
		}
		if (!vision__finite_f32(p + 4) || !vision__finite_f32(p + 8)) {
			*reason = "an LBP weak classifier leaf is not finite";
			return VISION_ERR_FORMAT;
		}
	}
	return VISION_OK;
}

size_t vision_lbp_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale)
{
	if (cascade == NULL || roi_w <= 0 || roi_h <= 0 || !(scale > 0.0f && scale < 1.0e6f))
		return 0;
	int32_t sw, sh;
	vision_haar_scaled_size(roi_w, roi_h, scale, &sw, &sh);
	if (sw < cascade->window_w || sh < cascade->window_h)
		return 1; /* nothing to scan; any non-NULL buffer will do */
	/* No squared integral: LBP has no variance test. */
	return vision__level_size(cascade->window_h, sw, 0, 0);
}

/* 1 when the block sum b is >= the centre's (cm1 = centre - 1; sums are below 2^24, so nothing overflows). */
#define AT_LEAST(b, cm1) ((uint32_t)((cm1) - (b)) >> 31)

/*
 * The LBP code of the feature at `p` (its top-left corner in the window's
 * rows), blocks dx words wide and dy words high. Each block sum is the
 * difference of two column differences of its rows of corners (OpenCV sums
 * the same four entries); the middle row band first, for the centre, keeping
 * only two rows of corners live at a time.
 */
static inline uint32_t lbp_code(const uint32_t *p, int32_t dx, int32_t dy)
{
	const uint32_t *r1 = p + dy, *r2 = r1 + dy;
	/* Integral differences wrap back to the exact (non-negative) sums. */
	const int32_t m0 = (int32_t)(r2[0] - r1[0]), m1 = (int32_t)(r2[dx] - r1[dx]);
	const int32_t m2 = (int32_t)(r2[2 * dx] - r1[2 * dx]), m3 = (int32_t)(r2[3 * dx] - r1[3 * dx]);
	const int32_t cm1 = m2 - m1 - 1;
	uint32_t code = AT_LEAST(m1 - m0, cm1) | AT_LEAST(m3 - m2, cm1) << 4;
	const int32_t t0 = (int32_t)(r1[0] - p[0]), t1 = (int32_t)(r1[dx] - p[dx]);
	const int32_t t2 = (int32_t)(r1[2 * dx] - p[2 * dx]), t3 = (int32_t)(r1[3 * dx] - p[3 * dx]);
	code |= AT_LEAST(t1 - t0, cm1) << 7 | AT_LEAST(t2 - t1, cm1) << 6 | AT_LEAST(t3 - t2, cm1) << 5;
	const uint32_t *r3 = r2 + dy;
	const int32_t b0 = (int32_t)(r3[0] - r2[0]), b1 = (int32_t)(r3[dx] - r2[dx]);
	const int32_t b2 = (int32_t)(r3[2 * dx] - r2[2 * dx]), b3 = (int32_t)(r3[3 * dx] - r2[3 * dx]);
	return code | AT_LEAST(b3 - b2, cm1) << 3 | AT_LEAST(b2 - b1, cm1) << 2 | AT_LEAST(b1 - b0, cm1) << 1;
}

/* Stages passed (0..stage_count) by the window whose top-left integral entry is `win`. */
static VISION_INLINE int32_t lbp_window(const vision_cascade_t *c, const uint32_t *win, int32_t stride,
                                        double *last_sum, vision_haar_stats_t *st, const int counting)
{
	const uint8_t *stage = c->stages;
	const uint8_t *weak = c->weaks;
	double sum = 0.0;
	if (counting)
		st->windows++;
	for (int32_t s = 0; s < c->stage_count; s++, stage += STAGE_SIZE) {
		const int32_t n = vision__ld_u16(stage);
		const float stage_thr =
		        (c->stage_thresholds != NULL ? c->stage_thresholds[s] : vision__ld_f32(stage + 4)) - 1e-5f;
		sum = 0.0;
		if (counting) {
			st->stages++;
			st->weaks += (uint32_t)n;
		}
		for (const uint8_t *end = weak + (size_t)n * WEAK_SIZE; weak != end; weak += WEAK_SIZE) {
			const uint8_t *f = c->rects + (size_t)vision__ld_u32(weak) * FEATURE_SIZE;
			const uint32_t code = lbp_code(win + (size_t)f[1] * (size_t)stride + f[0], f[2], f[3] * stride);
			const uint32_t bits = vision__ld_u32(weak + 12 + 4 * (code >> 5));
			sum += (bits >> (code & 31u)) & 1u ? (double)vision__ld_f32(weak + 4) : (double)vision__ld_f32(weak + 8);
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

static VISION_INLINE vision_status_t scan(const vision_cascade_t *c, const vision_image_u8_t *image,
                                          const vision_rect_t *roi, float scale, int32_t step, void *buf,
                                          size_t buf_size, vision_rect_list_t *out, vision_haar_stats_t *st,
                                          const int counting)
{
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	vision__level_t l;
	const vision_status_t status = vision__level_begin(&l, c, VISION_FEATURE_LBP, image, roi, scale, step, out,
	                                                   !counting || st != NULL, 0, 0, 0, 0, &a);
	if (status != VISION_OK || l.sw == 0)
		return status;
	for (int32_t y = 0; y + c->window_h <= l.sh; y += l.step) {
		vision__level_rows(&l, y);
		const uint32_t *band = l.sum + (size_t)(y % l.k) * (size_t)l.stride;
		for (int32_t x = 0; x + c->window_w <= l.sw; x += l.step) {
			double last;
			const int32_t r = lbp_window(c, band + x, l.stride, &last, st, counting);
			if (r == c->stage_count)
				vision__emit(out, &l.roi, x, y, scale, l.rw, l.rh, last);
			else if (r == 0 && l.skip)
				x += l.step;
		}
	}
	return VISION_OK;
}

vision_status_t vision_lbp_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                vision_rect_list_t *out)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, NULL, 0);
}

vision_status_t vision_lbp_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                        const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                        vision_rect_list_t *out, vision_haar_stats_t *stats)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, stats, 1);
}

/* The dispatch by feature type. */

size_t vision_cascade_scan_levels_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h,
                                                  const float *scales, uint32_t n, int32_t step, int32_t refine)
{
	if (cascade == NULL || cascade->feature_type != VISION_FEATURE_LBP)
		return vision__haar_levels_size(cascade, roi_w, roi_h, scales, n, step, refine);
	size_t need = 1;
	for (uint32_t i = 0; i < n; i++) {
		const size_t one = vision_lbp_scan_get_buffer_size(cascade, roi_w, roi_h, scales[i]);
		if (one == 0)
			return 0;
		need = one > need ? one : need;
	}
	return need;
}

vision_status_t vision_cascade_scan_levels(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                           const vision_rect_t *roi, const float *scales, uint32_t n, int32_t step,
                                           int32_t refine, void *buf, size_t buf_size, vision_rect_list_t *out,
                                           vision_haar_stats_t *stats)
{
	if (cascade == NULL || cascade->feature_type != VISION_FEATURE_LBP)
		return vision__haar_scan_levels(cascade, image, roi, scales, n, step, refine, buf, buf_size, out, stats);
	if (refine != 0)
		return VISION_ERR_ARG; /* coarse to fine is the Haar scan's */
	vision_status_t st = VISION_OK;
	for (uint32_t i = 0; st == VISION_OK && i < n; i++)
		st = stats != NULL ? vision_lbp_scan_counted(cascade, image, roi, scales[i], step, buf, buf_size, out, stats)
		                   : vision_lbp_scan(cascade, image, roi, scales[i], step, buf, buf_size, out);
	return st;
}
