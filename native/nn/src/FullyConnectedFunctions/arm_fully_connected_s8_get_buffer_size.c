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

/* The sizes CMSIS-NN gives a planner for a DSP or an MVE target: this library's kernels need the same
   scratch on every target (the portable build's is the DSP one's), so both are the answer above. */
int32_t arm_fully_connected_s8_get_buffer_size_dsp(const cmsis_nn_dims *filter_dims)
{
	return arm_fully_connected_s8_get_buffer_size(filter_dims);
}

int32_t arm_fully_connected_s8_get_buffer_size_mve(const cmsis_nn_dims *filter_dims)
{
	return arm_fully_connected_s8_get_buffer_size(filter_dims);
}
