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

#if defined(ARM_MATH_DSP)
/* Pixel pairs take this path up to this many input channels (two int16 copies on the stack: 2 KB). */
#define XS_NN_1X1_PAIR_MAX_C 512

/*
 * One pixel's first in_c4 input channels plus the input offset as int16
 * pairs in SXTB16's order: per four channels the words (c0,c2) and (c1,c3),
 * the lanes __SXTB16 and __SXTB16_RORn(., 8) give the weights. Widened once
 * per pixel instead of once per output channel group.
 */
static inline void xs_nn_widen_s8(const int8_t *src, int32_t in_c4, uint32_t offset2, uint32_t *dst)
{
    for (int32_t c = 0; c < in_c4; c += 4) {
        const uint32_t s = xs_nn_read_u32(src + c);
        dst[c >> 1] = __SADD16(__SXTB16(s), offset2);
        dst[(c >> 1) + 1] = __SADD16(__SXTB16_RORn(s, 8), offset2);
    }
}

static inline int8_t xs_nn_out_dsp(int32_t acc, int32_t mult, int32_t shift, const cmsis_nn_conv_params *p)
{
    const int32_t r = xs_nn_requantize(acc, mult, shift) + p->output_offset;
    return (int8_t)xs_nn_clamp(r, p->activation.min, p->activation.max);
}

/*
 * Two output pixels at once (a and b), two output channels per pass: each
 * word of weights is split once for both pixels, each widened input word
 * serves both channels, so four SMLADs (eight MACs) cost two LDRDs of input,
 * one LDR and two SXTB16 of weights. Accumulation is int32 as in the
 * other DSP loops; the last in_c % 4 channels and an odd last output
 * channel take plain code.
 */
static void xs_nn_1x1_pixel_pair(const cmsis_nn_conv_params *p, const cmsis_nn_per_channel_quant_params *q,
                                 int32_t in_c, int32_t out_c, const int8_t *src_a, const int8_t *src_b,
                                 const int8_t *filter_data, const int32_t *bias_data, int8_t *out_a, int8_t *out_b)
{
    uint32_t wa[XS_NN_1X1_PAIR_MAX_C / 2], wb[XS_NN_1X1_PAIR_MAX_C / 2];
    const int32_t in_offset = p->input_offset;
    const uint32_t offset2 = xs_nn_pair16(in_offset);
    const int32_t in_c4 = in_c & ~3;
    const int32_t words = in_c4 >> 1;
    xs_nn_widen_s8(src_a, in_c4, offset2, wa);
    xs_nn_widen_s8(src_b, in_c4, offset2, wb);
    const int32_t *mult = q->multiplier;
    const int32_t *shift = q->shift;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2) {
        const int8_t *w0 = filter_data + oc * in_c;
        const int8_t *w1 = w0 + in_c;
        int32_t a0 = bias_data != NULL ? bias_data[oc] : 0;
        int32_t a1 = bias_data != NULL ? bias_data[oc + 1] : 0;
        int32_t b0 = a0;
        int32_t b1 = a1;
        for (int32_t g = 0; g < words; g += 2) {
            const uint32_t x02 = wa[g], x13 = wa[g + 1];
            const uint32_t y02 = wb[g], y13 = wb[g + 1];
            uint32_t w = xs_nn_read_u32(w0 + 2 * g);
            uint32_t w02 = __SXTB16(w), w13 = __SXTB16_RORn(w, 8);
            a0 = (int32_t)__SMLAD(x02, w02, (uint32_t)a0);
            a0 = (int32_t)__SMLAD(x13, w13, (uint32_t)a0);
            b0 = (int32_t)__SMLAD(y02, w02, (uint32_t)b0);
            b0 = (int32_t)__SMLAD(y13, w13, (uint32_t)b0);
            w = xs_nn_read_u32(w1 + 2 * g);
            w02 = __SXTB16(w);
            w13 = __SXTB16_RORn(w, 8);
            a1 = (int32_t)__SMLAD(x02, w02, (uint32_t)a1);
            a1 = (int32_t)__SMLAD(x13, w13, (uint32_t)a1);
            b1 = (int32_t)__SMLAD(y02, w02, (uint32_t)b1);
            b1 = (int32_t)__SMLAD(y13, w13, (uint32_t)b1);
        }
        for (int32_t c = in_c4; c < in_c; c++) {
            const int32_t xa = src_a[c] + in_offset, xb = src_b[c] + in_offset;
            a0 += xa * w0[c];
            b0 += xb * w0[c];
            a1 += xa * w1[c];
            b1 += xb * w1[c];
        }
        out_a[oc] = xs_nn_out_dsp(a0, mult[oc], shift[oc], p);
        out_a[oc + 1] = xs_nn_out_dsp(a1, mult[oc + 1], shift[oc + 1], p);
        out_b[oc] = xs_nn_out_dsp(b0, mult[oc], shift[oc], p);
        out_b[oc + 1] = xs_nn_out_dsp(b1, mult[oc + 1], shift[oc + 1], p);
    }
    for (; oc < out_c; oc++) {
        const int8_t *w0 = filter_data + oc * in_c;
        int32_t a0 = bias_data != NULL ? bias_data[oc] : 0;
        int32_t b0 = a0;
        for (int32_t g = 0; g < words; g += 2) {
            const uint32_t w = xs_nn_read_u32(w0 + 2 * g);
            const uint32_t w02 = __SXTB16(w), w13 = __SXTB16_RORn(w, 8);
            a0 = (int32_t)__SMLAD(wa[g], w02, (uint32_t)a0);
            a0 = (int32_t)__SMLAD(wa[g + 1], w13, (uint32_t)a0);
            b0 = (int32_t)__SMLAD(wb[g], w02, (uint32_t)b0);
            b0 = (int32_t)__SMLAD(wb[g + 1], w13, (uint32_t)b0);
        }
        for (int32_t c = in_c4; c < in_c; c++) {
            a0 += (src_a[c] + in_offset) * w0[c];
            b0 += (src_b[c] + in_offset) * w0[c];
        }
        out_a[oc] = xs_nn_out_dsp(a0, mult[oc], shift[oc], p);
        out_b[oc] = xs_nn_out_dsp(b0, mult[oc], shift[oc], p);
    }
}
#endif

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
                if (ox + 1 < output_dims->w && in_c <= XS_NN_1X1_PAIR_MAX_C) {
                    xs_nn_1x1_pixel_pair(conv_params, quant_params, in_c, out_c, src, src + conv_params->stride.w * in_c,
                                         filter_data, bias_data, out, out + out_c);
                    ox++;
                    continue;
                }
#endif

                int32_t oc = 0;
#if defined(ARM_MATH_DSP)
                /*
                 * Four output channels per pass share the widened input
                 * (xs_nn_dot4_s8), then two; accumulation is int32 as in the
                 * plain loop, which finishes the odd tail channels.
                 */
                const uint32_t offset2 = xs_nn_pair16(in_offset);
                const int32_t in_c4 = in_c & ~3;
                for (; oc + 4 <= out_c; oc += 4) {
                    const int8_t *w0 = filter_data + oc * in_c;
                    int32_t accs[4] = {0, 0, 0, 0};
                    if (bias_data != NULL) {
                        memcpy(accs, bias_data + oc, sizeof accs);
                    }
                    xs_nn_dot4_s8(src, w0, in_c, in_c4, offset2, accs);
                    for (int32_t c = in_c4; c < in_c; c++) {
                        const int32_t v = src[c] + in_offset;
                        accs[0] += v * w0[c];
                        accs[1] += v * w0[in_c + c];
                        accs[2] += v * w0[2 * in_c + c];
                        accs[3] += v * w0[3 * in_c + c];
                    }
                    for (int32_t k = 0; k < 4; k++) {
                        const int32_t r = xs_nn_requantize(accs[k], mult[oc + k], shift[oc + k]) + conv_params->output_offset;
                        out[oc + k] = (int8_t)xs_nn_clamp(r, conv_params->activation.min, conv_params->activation.max);
                    }
                }
                for (; oc + 2 <= out_c; oc += 2) {
                    const int8_t *w0 = filter_data + oc * in_c;
                    const int8_t *w1 = w0 + in_c;
                    int32_t acc0 = bias_data != NULL ? bias_data[oc] : 0;
                    int32_t acc1 = bias_data != NULL ? bias_data[oc + 1] : 0;
                    int32_t c = 0;
                    for (; c < in_c4; c += 4) {
                        const uint32_t s = xs_nn_read_u32(src + c);
                        const uint32_t s02 = __SADD16(__SXTB16(s), offset2);
                        const uint32_t s13 = __SADD16(__SXTB16_RORn(s, 8), offset2);
                        const uint32_t a = xs_nn_read_u32(w0 + c);
                        const uint32_t b = xs_nn_read_u32(w1 + c);
                        acc0 = (int32_t)__SMLAD(s02, __SXTB16(a), (uint32_t)acc0);
                        acc0 = (int32_t)__SMLAD(s13, __SXTB16_RORn(a, 8), (uint32_t)acc0);
                        acc1 = (int32_t)__SMLAD(s02, __SXTB16(b), (uint32_t)acc1);
                        acc1 = (int32_t)__SMLAD(s13, __SXTB16_RORn(b, 8), (uint32_t)acc1);
                    }
                    for (; c < in_c; c++) {
                        acc0 += (src[c] + in_offset) * w0[c];
                        acc1 += (src[c] + in_offset) * w1[c];
                    }
                    acc0 = xs_nn_requantize(acc0, mult[oc], shift[oc]) + conv_params->output_offset;
                    acc1 = xs_nn_requantize(acc1, mult[oc + 1], shift[oc + 1]) + conv_params->output_offset;
                    out[oc] = (int8_t)xs_nn_clamp(acc0, conv_params->activation.min, conv_params->activation.max);
                    out[oc + 1] = (int8_t)xs_nn_clamp(acc1, conv_params->activation.min, conv_params->activation.max);
                }
#endif
                for (; oc < out_c; oc++) {
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
