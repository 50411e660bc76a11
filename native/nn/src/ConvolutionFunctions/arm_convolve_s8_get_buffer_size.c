/*
 * arm_convolve_s8_get_buffer_size.c: scratch bytes of the generic s8 convolution (one im2col column).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

int32_t arm_convolve_s8_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    if (!xs_nn_dims_ok(input_dims) || !xs_nn_dims_ok(filter_dims)) {
        return 0;
    }
    /* One receptive field of one group, offset-corrected to int16 (padding stored as 0). */
    return xs_nn_size32((int64_t)filter_dims->h * filter_dims->w * filter_dims->c * (int64_t)sizeof(int16_t));
}
