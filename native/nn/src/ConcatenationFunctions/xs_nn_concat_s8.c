/*
 * xs_nn_concat_s8.c: what the four arm_concatenation_s8_* share.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * CMSIS-NN's concatenations see a tensor as [w][z][y][x], x varying fastest. Along any axis the
 * input is `blocks` runs of `run` bytes (all it holds inside that axis), which land `out_run`
 * bytes apart in the output, starting `at` bytes in. They are byte copies: int8 or uint8 alike.
 */
#include "../arm_nnsupportfunctions.h"

void xs_nn_concat_s8(const int8_t *input, uint32_t blocks, uint32_t run, int8_t *output, uint32_t out_run, uint32_t at)
{
	if (input == NULL || output == NULL) {
		return;
	}
	output += at;
	for (uint32_t i = 0; i < blocks; i++, input += run, output += out_run) {
		memcpy(output, input, run);
	}
}
