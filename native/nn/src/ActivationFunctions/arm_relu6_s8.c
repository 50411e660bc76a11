/*
 * arm_relu6_s8.c: clamps each value to 0..6, in place (the raw int8 values, as CMSIS-NN does).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

void arm_relu6_s8(int8_t *data, uint16_t size)
{
	for (uint16_t i = 0; data != NULL && i < size; i++) {
		data[i] = (int8_t)xs_nn_clamp(data[i], 0, 6);
	}
}
