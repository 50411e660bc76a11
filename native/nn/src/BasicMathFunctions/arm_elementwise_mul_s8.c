/*
 * arm_elementwise_mul_s8.c: s8 elementwise multiply with TFLite's int8 MUL arithmetic.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The product of the two offset inputs (at most 255 * 255 in magnitude, exact
 * in int32) is requantized to the output as a convolution's accumulator is.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect, const int8_t *input_2_vect,
                                           const int32_t input_1_offset, const int32_t input_2_offset, int8_t *output,
                                           const int32_t out_offset, const int32_t out_mult, const int32_t out_shift,
                                           const int32_t out_activation_min, const int32_t out_activation_max,
                                           const int32_t block_size)
{
	const cmsis_nn_activation act = {out_activation_min, out_activation_max};
	if (input_1_vect == NULL || input_2_vect == NULL || output == NULL || block_size < 0 ||
	    !xs_nn_input_offset_ok(input_1_offset) || !xs_nn_input_offset_ok(input_2_offset) ||
	    !xs_nn_output_offset_ok(out_offset) || !xs_nn_shift_ok(out_shift) || !xs_nn_activation_ok(&act)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const xs_nn_requant rq = xs_nn_requant_prepare(out_mult, out_shift);
	for (int32_t i = 0; i < block_size; i++) {
		const int32_t product = (input_1_vect[i] + input_1_offset) * (input_2_vect[i] + input_2_offset);
		const int32_t r = xs_nn_requant_apply(product, &rq) + out_offset;
		output[i] = (int8_t)xs_nn_clamp(r, out_activation_min, out_activation_max);
	}
	return ARM_CMSIS_NN_SUCCESS;
}
