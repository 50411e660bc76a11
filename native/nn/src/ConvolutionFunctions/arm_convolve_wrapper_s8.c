/*
 * arm_convolve_wrapper_s8.c: s8 convolution entry point that runs the kernel chosen for the shape.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_convolve_wrapper_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                            const cmsis_nn_per_channel_quant_params *quant_params,
                                            const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                            const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                            const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                            const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	const xs_nn_conv_choice choice = xs_nn_conv_select_s8(conv_params, input_dims, filter_dims, output_dims);

	switch (choice.variant) {
	case XS_NN_CONV_1X1_FAST:
		return arm_convolve_1x1_s8_fast(ctx, conv_params, quant_params, input_dims, input_data, filter_dims,
		                                filter_data, bias_dims, bias_data, output_dims, output_data);
	case XS_NN_CONV_1X1:
		return arm_convolve_1x1_s8(ctx, conv_params, quant_params, input_dims, input_data, filter_dims, filter_data,
		                           bias_dims, bias_data, output_dims, output_data);
	case XS_NN_CONV_1XN:
		return arm_convolve_1_x_n_s8(ctx, conv_params, quant_params, input_dims, input_data, filter_dims, filter_data,
		                             bias_dims, bias_data, output_dims, output_data);
	case XS_NN_CONV_GENERIC:
		return arm_convolve_s8(ctx, conv_params, quant_params, input_dims, input_data, filter_dims, filter_data,
		                       bias_dims, bias_data, NULL, output_dims, output_data);
	case XS_NN_CONV_INVALID:
	default: return ARM_CMSIS_NN_ARG_ERROR;
	}
}
