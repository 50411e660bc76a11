/*
 * arm_fully_connected_s8.c: s8 fully connected layer with per-tensor requantization.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_fully_connected_s8(const cmsis_nn_context *ctx,
                                           const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims,
                                           const int8_t *input_data,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims,
                                           const int32_t *bias_data,
                                           const cmsis_nn_dims *output_dims,
                                           int8_t *output_data)
{
    (void)bias_dims; /* the bias length is output_dims->c by contract */

    if (fc_params == NULL || quant_params == NULL || input_data == NULL || filter_data == NULL ||
        output_data == NULL || !xs_nn_dims_ok(input_dims) || !xs_nn_dims_ok(filter_dims) ||
        !xs_nn_dims_ok(output_dims)) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t batches = input_dims->n;
    const int32_t accum = filter_dims->n;
    const int32_t out_c = output_dims->c;
    /* Each batch of the input must hold exactly accum values, and weights are [out_c][accum]. */
    if (filter_dims->c != out_c || output_dims->n != batches ||
        (int64_t)input_dims->h * input_dims->w * input_dims->c != accum ||
        (int64_t)accum * out_c > INT32_MAX) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!xs_nn_input_offset_ok(fc_params->input_offset) || !xs_nn_input_offset_ok(fc_params->filter_offset) ||
        !xs_nn_output_offset_ok(fc_params->output_offset) || !xs_nn_activation_ok(&fc_params->activation) ||
        !xs_nn_shift_ok(quant_params->shift)) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!xs_nn_ctx_ok(ctx, arm_fully_connected_s8_get_buffer_size(filter_dims))) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t in_offset = fc_params->input_offset;
    const int32_t w_offset = fc_params->filter_offset;

    for (int32_t b = 0; b < batches; b++) {
        const int8_t *in = input_data + b * accum;
        int8_t *out = output_data + b * out_c;
        for (int32_t o = 0; o < out_c; o++) {
            const int8_t *w = filter_data + o * accum;
            int64_t acc = bias_data != NULL ? bias_data[o] : 0;
            for (int32_t k = 0; k < accum; k++) {
                acc += (in[k] + in_offset) * (w[k] + w_offset);
            }
            out[o] = xs_nn_output_s8(acc, quant_params->multiplier, quant_params->shift, fc_params->output_offset,
                                     fc_params->activation.min, fc_params->activation.max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
