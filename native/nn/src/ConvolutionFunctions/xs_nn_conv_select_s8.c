/*
 * xs_nn_conv_select_s8.c: the one place that picks the s8 convolution kernel and its scratch size.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * arm_convolve_wrapper_s8 and arm_convolve_wrapper_s8_get_buffer_size both
 * ask this function, so the size a caller reserves is always the size the
 * chosen kernel checks for (CMSIS-NN duplicates this logic and can drift).
 * The choice is CMSIS-NN's: 1x1 without padding to arm_convolve_1x1_s8_fast
 * (stride 1) or arm_convolve_1x1_s8; one input row with a 1xN filter to
 * arm_convolve_1_x_n_s8; the rest to arm_convolve_s8. Two differences: a 1x1
 * filter's dilation is not read (it changes nothing), and a 1x1 whose output
 * dims reach past the strided input goes to the generic kernel, which pads.
 */
#include "../arm_nnsupportfunctions.h"

xs_nn_conv_choice xs_nn_conv_select_s8(const cmsis_nn_conv_params *conv_params, const cmsis_nn_dims *input_dims,
                                       const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims)
{
	xs_nn_conv_choice choice = {XS_NN_CONV_INVALID, 0};
	if (!xs_nn_conv_shape_ok(conv_params, input_dims, filter_dims, output_dims)) {
		return choice;
	}
	const cmsis_nn_conv_params *p = conv_params;
	if (xs_nn_is_pointwise(p, input_dims, filter_dims, output_dims)) {
		choice.variant = p->stride.w == 1 && p->stride.h == 1 ? XS_NN_CONV_1X1_FAST : XS_NN_CONV_1X1;
		choice.buffer_size = 0;
	} else if (input_dims->h == 1 && filter_dims->h == 1 && p->dilation.w == 1 && filter_dims->c == input_dims->c &&
	           (int64_t)p->stride.w * input_dims->c % 4 == 0) {
		choice.variant = XS_NN_CONV_1XN;
		choice.buffer_size = arm_convolve_1_x_n_s8_get_buffer_size(p, input_dims, filter_dims, output_dims);
	} else {
		choice.variant = XS_NN_CONV_GENERIC;
		choice.buffer_size = arm_convolve_s8_get_buffer_size(input_dims, filter_dims);
	}
	return choice;
}
