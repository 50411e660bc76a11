/*
 * arm_softmax_s8_s16.c: softmax of s8 input with int16 output (scale 1/65536, zero point -32768),
 * the same arithmetic as arm_softmax_s8 with 16 output bits (arm_softmax_s8.c).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_softmax_s8_s16(const int8_t *input, const int32_t num_rows, const int32_t row_size, const int32_t mult,
                        const int32_t shift, const int32_t diff_min, int16_t *output)
{
	xs_nn_softmax_s8(input, num_rows, row_size, mult, shift, diff_min, 16, NULL, output);
}
