/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ROI -> resize -> int8 tensor, one row at a time so the only scratch is a
 * row (plus the bilinear tables). The pixel -> int8 mapping has only 256
 * inputs, so it is computed once into a table with exactly TFLite's
 * QUANTIZE arithmetic (float32, round half away from zero, then clamp).
 */
#include "vision_internal.h"

static int32_t quantize_one(float real, float out_scale, int32_t zp)
{
	float v = real / out_scale;
	/* Out of int8 reach anyway; also keeps the int conversion defined. */
	if (v > 1.0e6f)
		return 127;
	if (v < -1.0e6f)
		return -128;
	float t = (float)(int32_t)v; /* toward zero; v - t is exact */
	float d = v - t;
	int32_t r = (int32_t)t;
	if (d >= 0.5f)
		r++;
	else if (d <= -0.5f)
		r--;
	int64_t q = (int64_t)r + zp;
	return q < -128 ? -128 : q > 127 ? 127 : (int32_t)q;
}

size_t vision_crop_resize_quantize_s8_get_buffer_size(int32_t dst_w, vision_interp_t interp)
{
	if (dst_w <= 0)
		return 0;
	size_t row = vision__need((size_t)dst_w);
	return interp == VISION_INTERP_BILINEAR ? row + vision__lin_buffer_size(dst_w) : row;
}

vision_status_t vision_crop_resize_quantize_s8(const vision_image_u8_t *src, const vision_rect_t *roi, int8_t *dst,
                                               int32_t dst_w, int32_t dst_h, vision_interp_t interp, float in_scale,
                                               float out_scale, int32_t out_zero_point, void *buf, size_t buf_size)
{
	vision_rect_t r;
	vision_status_t st = vision__roi(src, roi, &r);
	if (st != VISION_OK)
		return st;
	/* The comparisons are written so NaN fails them. */
	if (dst == NULL || dst_w <= 0 || dst_h <= 0 || buf == NULL || !(out_scale > 0.0f) ||
	    !(in_scale >= -3.0e38f && in_scale <= 3.0e38f) || out_zero_point < -128 || out_zero_point > 127 ||
	    (interp != VISION_INTERP_BILINEAR && interp != VISION_INTERP_AREA))
		return VISION_ERR_ARG;

	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	uint8_t *row = (uint8_t *)vision__take(&a, (size_t)dst_w);
	const uint8_t *base = src->data + (size_t)r.y * (size_t)src->stride + (size_t)r.x;
	vision__lin_t lin;
	if (interp == VISION_INTERP_BILINEAR)
		vision__lin_init(&lin, base, r.w, r.h, src->stride, dst_w, dst_h, &a);
	if (a.failed)
		return VISION_ERR_BUFFER;

	int8_t lut[256];
	for (int32_t p = 0; p < 256; p++)
		lut[p] = (int8_t)quantize_one((float)p * in_scale, out_scale, out_zero_point);

	for (int32_t dy = 0; dy < dst_h; dy++) {
		if (interp == VISION_INTERP_BILINEAR)
			vision__lin_row(&lin, dy, row);
		else
			vision__area_row(base, r.w, r.h, src->stride, dst_w, dst_h, dy, row);
		int8_t *o = dst + (size_t)dy * (size_t)dst_w;
		for (int32_t dx = 0; dx < dst_w; dx++)
			o[dx] = lut[row[dx]];
	}
	return VISION_OK;
}
