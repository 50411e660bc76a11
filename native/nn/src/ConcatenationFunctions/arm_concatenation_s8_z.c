/*
 * arm_concatenation_s8_z.c: an input's x-by-y-by-z volumes into an output z deep, from z = offset_z.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_concatenation_s8_z(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_z, const uint32_t offset_z)
{
	xs_nn_concat_s8(input, input_w, (uint32_t)input_x * input_y * input_z, output,
	                (uint32_t)input_x * input_y * output_z, offset_z * input_x * input_y);
}
