/*
 * arm_pad_s8.c: constant padding before and after the data in each of N, H, W and C.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The output is (input + pre + post) along each dimension; every byte outside the copied input
 * is pad_value. Negative padding is refused (TFLite's PAD takes none).
 */
#include "../arm_nnsupportfunctions.h"

static bool pads_ok(const cmsis_nn_dims *p)
{
	return p != NULL && p->n >= 0 && p->h >= 0 && p->w >= 0 && p->c >= 0;
}

arm_cmsis_nn_status arm_pad_s8(const int8_t *input, int8_t *output, const int8_t pad_value,
                               const cmsis_nn_dims *input_size, const cmsis_nn_dims *pre_pad,
                               const cmsis_nn_dims *post_pad)
{
	if (input == NULL || output == NULL || !xs_nn_dims_ok(input_size) || !pads_ok(pre_pad) || !pads_ok(post_pad)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const cmsis_nn_dims out = {input_size->n + pre_pad->n + post_pad->n, input_size->h + pre_pad->h + post_pad->h,
	                           input_size->w + pre_pad->w + post_pad->w, input_size->c + pre_pad->c + post_pad->c};
	if (!xs_nn_dims_ok(&out)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	memset(output, pad_value, (size_t)out.n * (size_t)out.h * (size_t)out.w * (size_t)out.c);
	const int32_t row = input_size->c; /* one input pixel's channels, copied whole */
	for (int32_t n = 0; n < input_size->n; n++) {
		for (int32_t h = 0; h < input_size->h; h++) {
			int8_t *dst = output + (((int64_t)(n + pre_pad->n) * out.h + h + pre_pad->h) * out.w + pre_pad->w) * out.c +
			        pre_pad->c;
			for (int32_t w = 0; w < input_size->w; w++, dst += out.c, input += row) {
				memcpy(dst, input, (size_t)row);
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
