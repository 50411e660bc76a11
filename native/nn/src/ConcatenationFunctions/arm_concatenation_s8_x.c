/*
 * arm_concatenation_s8_x.c: an input's rows of x into an output x wide, from x = offset_x.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_concatenation_s8_x(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_x, const uint32_t offset_x)
{
	xs_nn_concat_s8(input, (uint32_t)input_y * input_z * input_w, input_x, output, output_x, offset_x);
}
