/*
 * arm_elementwise_add_s8.c: s8 elementwise add with TFLite's int8 ADD arithmetic.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Both inputs are brought to a common scale with left_shift bits of headroom
 * (so that rescaling by multipliers < 1 loses no precision), added, and the
 * sum requantized to the output. Parameter derivation: arm_nnfunctions.h.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status
arm_elementwise_add_s8(const int8_t *input_1_vect, const int8_t *input_2_vect, const int32_t input_1_offset,
                       const int32_t input_1_mult, const int32_t input_1_shift, const int32_t input_2_offset,
                       const int32_t input_2_mult, const int32_t input_2_shift, const int32_t left_shift,
                       int8_t *output, const int32_t out_offset, const int32_t out_mult, const int32_t out_shift,
                       const int32_t out_activation_min, const int32_t out_activation_max, const int32_t block_size)
{
	const cmsis_nn_activation act = {out_activation_min, out_activation_max};

	/* (x + offset) spans [-255, 255], so a left shift of up to 23 cannot overflow. */
	if (input_1_vect == NULL || input_2_vect == NULL || output == NULL || block_size < 0 ||
	    !xs_nn_input_offset_ok(input_1_offset) || !xs_nn_input_offset_ok(input_2_offset) ||
	    !xs_nn_output_offset_ok(out_offset) || left_shift < 0 || left_shift > 23 || !xs_nn_shift_ok(input_1_shift) ||
	    !xs_nn_shift_ok(input_2_shift) || !xs_nn_shift_ok(out_shift) || !xs_nn_activation_ok(&act)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}

	for (int32_t i = 0; i < block_size; i++) {
		const int32_t a =
		        xs_nn_requantize((input_1_vect[i] + input_1_offset) * (1 << left_shift), input_1_mult, input_1_shift);
		const int32_t b =
		        xs_nn_requantize((input_2_vect[i] + input_2_offset) * (1 << left_shift), input_2_mult, input_2_shift);
		/* With TFLite's parameters |a| + |b| < 2^31; saturating only guards foreign ones. */
		const int32_t sum = xs_nn_sat32((int64_t)a + b);
		output[i] = xs_nn_output_s8(sum, out_mult, out_shift, out_offset, out_activation_min, out_activation_max);
	}
	return ARM_CMSIS_NN_SUCCESS;
}
