/*
 * arm_depthwise_conv_3x3_s8.c: s8 depthwise convolution with a 3x3 filter and in_c == out_c.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * CMSIS-NN's contract: in_c == out_c, a 3x3 filter, padding.w of 0 or 1;
 * ch_mult and dilation are not read (dilation is taken as 1). The work is
 * arm_depthwise_conv_s8's ch_mult == 1 kernel, whose interior pass takes
 * two 3x3 pixels at once. Needs no scratch.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_depthwise_conv_3x3_s8(const cmsis_nn_context *ctx,
                                              const cmsis_nn_dw_conv_params *dw_conv_params,
                                              const cmsis_nn_per_channel_quant_params *quant_params,
                                              const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                              const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                              const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                              const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)ctx;
	(void)bias_dims;
	if (dw_conv_params == NULL || input_dims == NULL || filter_dims == NULL || output_dims == NULL ||
	    input_dims->c != output_dims->c || filter_dims->h != 3 || filter_dims->w != 3 ||
	    dw_conv_params->padding.w > 1) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	cmsis_nn_dw_conv_params p = *dw_conv_params;
	p.ch_mult = 1;
	p.dilation = (cmsis_nn_tile){1, 1};
	if (input_data == NULL || filter_data == NULL || output_data == NULL ||
	    !xs_nn_dw_conv_args_ok(&p, quant_params, input_dims, filter_dims, output_dims)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return xs_nn_depthwise_conv_run_s8(&p, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data,
	                                   output_dims, output_data);
}
