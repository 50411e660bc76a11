/*
 * arm_fully_connected_s8_get_buffer_size.c: scratch bytes of arm_fully_connected_s8.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

int32_t arm_fully_connected_s8_get_buffer_size(const cmsis_nn_dims *filter_dims)
{
	(void)filter_dims; /* the plain C kernel accumulates in registers */
	return 0;
}
