/*
 * arm_convolve_1_x_n_s8.c: s8 convolution of one input row by a 1xN filter.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * CMSIS-NN's contract: input_dims->h == 1, dilation.w == 1 and
 * stride.w * input_dims->c a multiple of 4 (refused otherwise, as there).
 * The work is arm_convolve_s8's, with its scratch.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_convolve_1_x_n_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	if (conv_params == NULL || input_dims == NULL || input_dims->h != 1 || conv_params->dilation.w != 1 ||
	    (int64_t)conv_params->stride.w * input_dims->c % 4 != 0) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return arm_convolve_s8(ctx, conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, bias_dims,
	                       bias_data, NULL, output_dims, output_data);
}

int32_t arm_convolve_1_x_n_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params, const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims)
{
	(void)conv_params;
	(void)output_dims;
	return arm_convolve_s8_get_buffer_size(input_dims, filter_dims);
}
