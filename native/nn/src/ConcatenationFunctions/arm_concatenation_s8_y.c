/*
 * arm_concatenation_s8_y.c: an input's x-by-y planes into an output y high, from y = offset_y.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_concatenation_s8_y(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_y, const uint32_t offset_y)
{
	xs_nn_concat_s8(input, (uint32_t)input_z * input_w, (uint32_t)input_x * input_y, output,
	                (uint32_t)input_x * output_y, offset_y * input_x);
}
