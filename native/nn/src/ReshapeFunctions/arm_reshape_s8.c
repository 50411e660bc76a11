/*
 * arm_reshape_s8.c: a reshape changes only the dims, so its data is a copy.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_reshape_s8(const int8_t *input, int8_t *output, const uint32_t total_size)
{
	if (input != NULL && output != NULL && input != output) {
		memmove(output, input, total_size);
	}
}
