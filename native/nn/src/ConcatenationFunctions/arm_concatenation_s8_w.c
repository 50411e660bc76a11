/*
 * arm_concatenation_s8_w.c: a whole input after offset_w batches of the output.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_concatenation_s8_w(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint32_t offset_w)
{
	const uint32_t size = (uint32_t)input_x * input_y * input_z * input_w;
	xs_nn_concat_s8(input, 1, size, output, size, offset_w * input_x * input_y * input_z);
}
