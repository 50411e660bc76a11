/*
 * arm_transpose_conv_s8_get_buffer_size.c: the transposed convolution's scratch sizes, all 0: it
 * gathers each output pixel's taps instead of scattering into an accumulator buffer.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

int32_t arm_transpose_conv_s8_get_buffer_size(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                              const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *out_dims)
{
	(void)transposed_conv_params;
	(void)input_dims;
	(void)filter_dims;
	(void)out_dims;
	return 0;
}

int32_t arm_transpose_conv_s8_get_buffer_size_mve(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                                  const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *out_dims)
{
	return arm_transpose_conv_s8_get_buffer_size(transposed_conv_params, input_dims, filter_dims, out_dims);
}

int32_t arm_transpose_conv_s8_get_reverse_conv_buffer_size(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims)
{
	(void)transposed_conv_params;
	(void)input_dims;
	(void)filter_dims;
	return 0;
}
