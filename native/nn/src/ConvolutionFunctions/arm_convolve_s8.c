/*
 * arm_convolve_s8.c: generic s8 convolution (any filter size, stride, dilation, padding, groups).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * For each output pixel and group, the receptive field is gathered once into
 * an int16 im2col column with the input offset already added (padding
 * becomes 0, which is what an input equal to the zero point contributes);
 * every output channel of the group is then one dense dot product over that
 * column. This keeps the padding logic out of the inner loop and is the shape
 * a DSP (SMLAD) inner product will plug into.
 */
#include <string.h>

#include "../arm_nnsupportfunctions.h"

#if defined(ARM_MATH_DSP)
#include "cmsis_compiler.h" /* CMSIS Core's intrinsics: __SXTB16, __SMLAD */

/* Two int16 or four int8 values as one word; a single LDR on Cortex-M7 (unaligned is allowed). */
static inline uint32_t xs_nn_read_u32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
#endif

static void fill_column(int16_t *col,
                        const int8_t *in_batch,
                        const cmsis_nn_dims *input_dims,
                        const cmsis_nn_dims *filter_dims,
                        const cmsis_nn_conv_params *p,
                        int32_t base_y,
                        int32_t base_x,
                        int32_t channel0)
{
    const int32_t ck = filter_dims->c;
    for (int32_t ky = 0; ky < filter_dims->h; ky++) {
        const int32_t iy = base_y + ky * p->dilation.h;
        for (int32_t kx = 0; kx < filter_dims->w; kx++) {
            const int32_t ix = base_x + kx * p->dilation.w;
            if (iy >= 0 && iy < input_dims->h && ix >= 0 && ix < input_dims->w) {
                const int8_t *src = in_batch + (iy * input_dims->w + ix) * input_dims->c + channel0;
                for (int32_t c = 0; c < ck; c++) {
                    col[c] = (int16_t)(src[c] + p->input_offset);
                }
            } else {
                memset(col, 0, (size_t)ck * sizeof(int16_t));
            }
            col += ck;
        }
    }
}

arm_cmsis_nn_status arm_convolve_s8(const cmsis_nn_context *ctx,
                                    const cmsis_nn_conv_params *conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter_data,
                                    const cmsis_nn_dims *bias_dims,
                                    const int32_t *bias_data,
                                    const cmsis_nn_dims *upscale_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
    (void)bias_dims; /* the bias length is output_dims->c by contract */

    if (input_data == NULL || filter_data == NULL || output_data == NULL ||
        !xs_nn_conv_args_ok(conv_params, quant_params, input_dims, filter_dims, output_dims)) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (upscale_dims != NULL && (upscale_dims->h != 1 || upscale_dims->w != 1)) {
        return ARM_CMSIS_NN_NO_IMPL_ERROR; /* transposed convolution */
    }
    if (!xs_nn_ctx_ok(ctx, arm_convolve_s8_get_buffer_size(input_dims, filter_dims))) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    int16_t *col = (int16_t *)ctx->buf;
    const int32_t ck = filter_dims->c;
    const int32_t col_len = filter_dims->h * filter_dims->w * ck;
    const int32_t groups = input_dims->c / ck;
    const int32_t out_c = output_dims->c;
    const int32_t oc_per_group = out_c / groups;
    const int32_t in_batch_size = input_dims->h * input_dims->w * input_dims->c;
    const int32_t *mult = quant_params->multiplier;
    const int32_t *shift = quant_params->shift;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

    for (int32_t b = 0; b < input_dims->n; b++) {
        const int8_t *in_batch = input_data + b * in_batch_size;
        for (int32_t oy = 0; oy < output_dims->h; oy++) {
            const int32_t base_y = oy * conv_params->stride.h - conv_params->padding.h;
            for (int32_t ox = 0; ox < output_dims->w; ox++) {
                const int32_t base_x = ox * conv_params->stride.w - conv_params->padding.w;
                int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * out_c;

                for (int32_t g = 0; g < groups; g++) {
                    fill_column(col, in_batch, input_dims, filter_dims, conv_params, base_y, base_x, g * ck);

                    const int32_t oc_end = (g + 1) * oc_per_group;
                    int32_t oc = g * oc_per_group;
#if defined(ARM_MATH_DSP)
                    /*
                     * SXTB16 splits four int8 weights into the pairs (w0,w2)
                     * and (w1,w3); swapping the middle two of every four
                     * column entries once per column gives the matching
                     * int16 pairs (c0,c2) and (c1,c3), so each SMLAD adds two
                     * exact terms of the dot product. |col| <= 255 and
                     * |w| <= 128, so with col_len <= 65535 the int32 dot
                     * cannot overflow and bias + dot equals the plain loop's
                     * int64 sum; longer columns take the plain loop.
                     */
                    if (col_len <= 65535) {
                        const int32_t col_len4 = col_len & ~3;
                        for (int32_t k = 0; k < col_len4; k += 4) {
                            const int16_t t = col[k + 1];
                            col[k + 1] = col[k + 2];
                            col[k + 2] = t;
                        }
                        for (; oc < oc_end; oc++) {
                            const int8_t *w = filter_data + oc * col_len;
                            int32_t dot = 0;
                            int32_t k = 0;
                            for (; k < col_len4; k += 4) {
                                const uint32_t wv = xs_nn_read_u32(w + k);
                                dot = (int32_t)__SMLAD(xs_nn_read_u32(col + k), __SXTB16(wv), (uint32_t)dot);
                                dot = (int32_t)__SMLAD(xs_nn_read_u32(col + k + 2), __SXTB16_RORn(wv, 8), (uint32_t)dot);
                            }
                            for (; k < col_len; k++) {
                                dot += col[k] * w[k];
                            }
                            const int64_t acc = (int64_t)(bias_data != NULL ? bias_data[oc] : 0) + dot;
                            out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], conv_params->output_offset, act_min, act_max);
                        }
                    }
#endif
                    for (; oc < oc_end; oc++) {
                        const int8_t *w = filter_data + oc * col_len;
                        int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        for (int32_t k = 0; k < col_len; k++) {
                            acc += col[k] * w[k];
                        }
                        out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], conv_params->output_offset, act_min, act_max);
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
