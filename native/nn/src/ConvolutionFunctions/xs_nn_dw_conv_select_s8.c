/*
 * xs_nn_dw_conv_select_s8.c: the one place that picks the s8 depthwise kernel and its scratch size.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Shared by arm_depthwise_conv_wrapper_s8 and its get_buffer_size. Plain C
 * has a single kernel today; the structure is here so that a ch_mult == 1
 * DSP kernel with its own scratch can be added without the two drifting.
 */
#include "../arm_nnsupportfunctions.h"

xs_nn_dw_conv_choice xs_nn_dw_conv_select_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                                             const cmsis_nn_dims *input_dims,
                                             const cmsis_nn_dims *filter_dims,
                                             const cmsis_nn_dims *output_dims)
{
    xs_nn_dw_conv_choice choice = {XS_NN_DW_CONV_INVALID, 0};
    if (!xs_nn_dw_conv_shape_ok(dw_conv_params, input_dims, filter_dims, output_dims)) {
        return choice;
    }

    choice.variant = XS_NN_DW_CONV_GENERIC;
    choice.buffer_size = 0;
    return choice;
}
