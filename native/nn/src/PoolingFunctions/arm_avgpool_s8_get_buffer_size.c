/*
 * arm_avgpool_s8_get_buffer_size.c: scratch bytes of arm_avgpool_s8.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

int32_t arm_avgpool_s8_get_buffer_size(const int dim_dst_width, const int ch_src)
{
	(void)dim_dst_width; /* the plain C kernel sums one channel at a time in a register */
	(void)ch_src;
	return 0;
}

/* The sizes CMSIS-NN gives a planner for a DSP or an MVE target: this library's kernels need the same
   scratch on every target (the portable build's is the DSP one's), so both are the answer above. */
int32_t arm_avgpool_s8_get_buffer_size_dsp(const int dim_dst_width, const int ch_src)
{
	return arm_avgpool_s8_get_buffer_size(dim_dst_width, ch_src);
}

int32_t arm_avgpool_s8_get_buffer_size_mve(const int dim_dst_width, const int ch_src)
{
	return arm_avgpool_s8_get_buffer_size(dim_dst_width, ch_src);
}
