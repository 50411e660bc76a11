/*
 * xs_nn_quantize_s8.c: QUANTIZE / DEQUANTIZE element-wise conversions.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_nn_quantize.h"

#include <math.h>

#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status xs_nn_requantize_s8(const int8_t *input, int8_t *output, int32_t count, int32_t input_zero_point,
                                        int32_t output_zero_point, int32_t mult, int32_t shift)
{
	if (input == NULL || output == NULL || count < 0 || input_zero_point < XS_NN_Q7_MIN ||
	    input_zero_point > XS_NN_Q7_MAX || output_zero_point < XS_NN_Q7_MIN || output_zero_point > XS_NN_Q7_MAX ||
	    mult < 0 || !xs_nn_shift_ok(shift)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t i = 0; i < count; i++) {
		const int32_t v = xs_nn_requantize((int32_t)input[i] - input_zero_point, mult, shift);
		/* v is at most 2^31 - 1 in magnitude: add in 64 bits before clamping. */
		const int64_t o = (int64_t)v + output_zero_point;
		output[i] = (int8_t)(o < XS_NN_Q7_MIN ? XS_NN_Q7_MIN : o > XS_NN_Q7_MAX ? XS_NN_Q7_MAX : o);
	}
	return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status xs_nn_quantize_f32_s8(const float *input, int8_t *output, int32_t count, float scale,
                                          int32_t zero_point)
{
	if (input == NULL || output == NULL || count < 0 || !(scale > 0.0f) || isinf(scale) || zero_point < XS_NN_Q7_MIN ||
	    zero_point > XS_NN_Q7_MAX) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t i = 0; i < count; i++) {
		const float q = input[i] / scale;
		/* Clamp in float first: converting an out-of-range float to int is undefined. */
		float r = roundf(q);
		if (!(r == r)) {
			r = 0.0f;
		}
		if (r < -512.0f) {
			r = -512.0f;
		}
		if (r > 512.0f) {
			r = 512.0f;
		}
		const int32_t o = (int32_t)r + zero_point;
		output[i] = (int8_t)xs_nn_clamp(o, XS_NN_Q7_MIN, XS_NN_Q7_MAX);
	}
	return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status xs_nn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count, float scale,
                                            int32_t zero_point)
{
	if (input == NULL || output == NULL || count < 0 || !(scale > 0.0f) || isinf(scale) || zero_point < XS_NN_Q7_MIN ||
	    zero_point > XS_NN_Q7_MAX) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t i = 0; i < count; i++) {
		output[i] = (float)((double)scale * (double)((int32_t)input[i] - zero_point));
	}
	return ARM_CMSIS_NN_SUCCESS;
}
