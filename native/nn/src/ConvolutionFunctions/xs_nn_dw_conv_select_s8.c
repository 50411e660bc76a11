/*
 * xs_nn_dw_conv_select_s8.c: the one place that picks the s8 depthwise kernel and its scratch size.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Shared by arm_depthwise_conv_wrapper_s8 and its get_buffer_size. The
 * choice is CMSIS-NN's (on a core without MVE): ch_mult 1, one batch and no
 * dilation go to arm_depthwise_conv_3x3_s8 for a 3x3 filter with padding of
 * at most 1, else to arm_depthwise_conv_s8_opt; everything else to
 * arm_depthwise_conv_s8. None of them needs scratch.
 */
#include "../arm_nnsupportfunctions.h"

xs_nn_dw_conv_choice xs_nn_dw_conv_select_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                                             const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                             const cmsis_nn_dims *output_dims)
{
	xs_nn_dw_conv_choice choice = {XS_NN_DW_CONV_INVALID, 0};
	if (!xs_nn_dw_conv_shape_ok(dw_conv_params, input_dims, filter_dims, output_dims)) {
		return choice;
	}
	const cmsis_nn_dw_conv_params *p = dw_conv_params;
	if (p->ch_mult == 1 && input_dims->n == 1 && p->dilation.w == 1 && p->dilation.h == 1) {
		const bool is_3x3 = filter_dims->h == 3 && filter_dims->w == 3 && p->padding.h <= 1 && p->padding.w <= 1;
		choice.variant = is_3x3 ? XS_NN_DW_CONV_3X3 : XS_NN_DW_CONV_OPT;
	} else {
		choice.variant = XS_NN_DW_CONV_GENERIC;
	}
	choice.buffer_size = 0;
	return choice;
}
