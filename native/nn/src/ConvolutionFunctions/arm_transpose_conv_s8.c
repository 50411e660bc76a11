/*
 * arm_transpose_conv_s8.c: s8 transposed convolution (TFLite Micro's TRANSPOSE_CONV).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input pixel (y, x) through filter tap (ky, kx) adds to output pixel
 * (y * stride_h - padding.h + ky, x * stride_w - padding.w + kx) when that is inside the output:
 *     acc[o][oc] = bias[oc] + sum (in[y][x][ic] + input_offset) * w[oc][ky][kx][ic]
 * then per-channel requantization, output_offset and the activation clamp. Each output pixel
 * gathers the taps that reach it (the input pixel is whole when oy + padding.h - ky is a multiple
 * of the stride), so no accumulator buffer is needed: both scratch sizes are 0 and ctx and
 * output_ctx are not read. Like CMSIS-NN's kernel it reads neither dilation (TFLite has none) nor
 * padding_offsets (the bottom/right padding follows from the output size), nor filter_dims' n and
 * c (output_dims->c and input_dims->c), nor output_dims->n (the batches are input_dims->n).
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_transpose_conv_s8(const cmsis_nn_context *ctx, const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)ctx;
	(void)output_ctx;
	(void)bias_dims; /* the bias length is output_dims->c by contract */
	const cmsis_nn_transpose_conv_params *p = transpose_conv_params;
	if (p == NULL || input_data == NULL || filter_data == NULL || output_data == NULL || filter_dims == NULL ||
	    !xs_nn_dims_ok(input_dims) || output_dims == NULL || output_dims->h <= 0 || output_dims->w <= 0 ||
	    output_dims->c <= 0 || (int64_t)input_dims->n * output_dims->h * output_dims->w * output_dims->c > INT32_MAX ||
	    filter_dims->h <= 0 || filter_dims->w <= 0 || !xs_nn_tile_ok(&p->stride, 1) || !xs_nn_tile_ok(&p->padding, 0) ||
	    !xs_nn_conv_quant_ok(p->input_offset, p->output_offset, &p->activation) ||
	    !xs_nn_per_channel_ok(quant_params, output_dims->c)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
	const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
	const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
	const int32_t s_h = p->stride.h, s_w = p->stride.w;
	for (int32_t n = 0; n < input_dims->n; n++) {
		const int8_t *in = input_data + (int64_t)n * in_h * in_w * in_c;
		for (int32_t oy = 0; oy < out_h; oy++) {
			for (int32_t ox = 0; ox < out_w; ox++, output_data += out_c) {
				for (int32_t oc = 0; oc < out_c; oc++) {
					int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
					for (int32_t ky = 0; ky < k_h; ky++) {
						const int32_t ty = oy + p->padding.h - ky; /* y * stride_h */
						if (ty < 0 || ty % s_h != 0 || ty / s_h >= in_h) {
							continue;
						}
						for (int32_t kx = 0; kx < k_w; kx++) {
							const int32_t tx = ox + p->padding.w - kx;
							if (tx < 0 || tx % s_w != 0 || tx / s_w >= in_w) {
								continue;
							}
							const int8_t *x = in + ((int64_t)(ty / s_h) * in_w + tx / s_w) * in_c;
							const int8_t *w = filter_data + (((int64_t)oc * k_h + ky) * k_w + kx) * in_c;
							for (int32_t ic = 0; ic < in_c; ic++) {
								acc += (int32_t)(x[ic] + p->input_offset) * w[ic];
							}
						}
					}
					output_data[oc] = xs_nn_output_s8(acc, quant_params->multiplier[oc], quant_params->shift[oc],
					                                  p->output_offset, p->activation.min, p->activation.max);
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
