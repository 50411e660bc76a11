/*
 * arm_convolve_s8_get_buffer_size.c: scratch bytes of the generic s8 convolution (two im2col columns).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

int32_t arm_convolve_s8_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
	/* filter_dims->n (the output channels) is not read, as in CMSIS-NN. */
	if (!xs_nn_dims_ok(input_dims) || filter_dims == NULL || filter_dims->h <= 0 || filter_dims->w <= 0 ||
	    filter_dims->c <= 0) {
		return 0;
	}
	/*
     * Two receptive fields of one group, offset-corrected to int16 (padding
     * stored as 0): the DSP path works on two output positions at a time. The
     * portable path uses only the first; the size is the same on every target
     * so a model's arena plan does not depend on the board.
     */
	return xs_nn_size32(2 * (int64_t)filter_dims->h * filter_dims->w * filter_dims->c * (int64_t)sizeof(int16_t));
}
