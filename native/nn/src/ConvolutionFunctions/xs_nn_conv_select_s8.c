/*
 * xs_nn_conv_select_s8.c: the one place that picks the s8 convolution kernel and its scratch size.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * arm_convolve_wrapper_s8 and arm_convolve_wrapper_s8_get_buffer_size both
 * ask this function, so the size a caller reserves is always the size the
 * chosen kernel checks for (CMSIS-NN duplicates this logic and can drift).
 */
#include "../arm_nnsupportfunctions.h"

xs_nn_conv_choice xs_nn_conv_select_s8(const cmsis_nn_conv_params *conv_params,
                                       const cmsis_nn_dims *input_dims,
                                       const cmsis_nn_dims *filter_dims,
                                       const cmsis_nn_dims *output_dims)
{
    xs_nn_conv_choice choice = {XS_NN_CONV_INVALID, 0};
    if (!xs_nn_conv_shape_ok(conv_params, input_dims, filter_dims, output_dims)) {
        return choice;
    }

    /*
     * Pointwise: every output pixel reads exactly one input pixel, which is
     * contiguous in NHWC, so no im2col column is needed. The bounds test keeps
     * the 1x1 kernel from ever reading outside the input when the output dims
     * are larger than the stride allows (the generic kernel pads instead).
     */
    const bool pointwise = filter_dims->h == 1 && filter_dims->w == 1 && conv_params->padding.h == 0 &&
        conv_params->padding.w == 0 && filter_dims->c == input_dims->c &&
        (int64_t)(output_dims->h - 1) * conv_params->stride.h < input_dims->h &&
        (int64_t)(output_dims->w - 1) * conv_params->stride.w < input_dims->w;

    if (pointwise) {
        choice.variant = XS_NN_CONV_1X1;
        choice.buffer_size = 0;
    } else {
        choice.variant = XS_NN_CONV_GENERIC;
        choice.buffer_size = arm_convolve_s8_get_buffer_size(input_dims, filter_dims);
    }
    return choice;
}
