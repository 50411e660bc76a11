/*
 * arm_depthwise_conv_s8.c: generic s8 depthwise convolution (any ch_mult, stride, dilation, padding).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Output channel oc = ic * ch_mult + m. For each output pixel the valid
 * filter rows and columns are computed once (xs_nn_valid_taps), so padded
 * taps are skipped rather than tested in the inner loop; no scratch needed.
 */

#include "../arm_nnsupportfunctions.h"

#if defined(ARM_MATH_DSP)
#include "cmsis_compiler.h" /* CMSIS Core's intrinsics: __SXTB16, __SADD16 */

/* Bottom and top int16 lanes multiplied lane by lane: GCC emits SMLABB and SMLATT. */
static inline int32_t xs_nn_mla_bottom(int32_t acc, uint32_t a, uint32_t b)
{
    return acc + (int16_t)a * (int16_t)b;
}
static inline int32_t xs_nn_mla_top(int32_t acc, uint32_t a, uint32_t b)
{
    return acc + (int16_t)(a >> 16) * (int16_t)(b >> 16);
}

/* The channel-group pass below holds the widened weights of this many taps (5x5) on the stack. */
#define XS_NN_DW_MAX_TAPS 25

/*
 * ch_mult == 1, the output pixels whose taps all lie inside the input (all
 * but a border one or two pixels wide), four channels at a time, channel
 * group by channel group: each group's weights are widened once for the
 * whole layer instead of at every pixel, and the input offset goes into
 * the accumulator's start as input_offset * (sum of the group's weights),
 * exact in int32, so each tap costs one load and two SXTB16 of input, two
 * loads of widened weights and four 16x16 MACs. The other pixels and the
 * last in_c % 4 channels are left to the per-pixel loop.
 */
static void xs_nn_dw_ch1_interior(const cmsis_nn_dw_conv_params *p, const cmsis_nn_per_channel_quant_params *q,
                                  const int8_t *in_batch, int32_t in_w, int32_t in_c, const int8_t *filter_data,
                                  int32_t k_h, int32_t k_w, const int32_t *bias_data, int8_t *out_batch,
                                  int32_t out_w, int32_t oy_lo, int32_t oy_hi, int32_t ox_lo, int32_t ox_hi)
{
    uint32_t w02[XS_NN_DW_MAX_TAPS];
    uint32_t w13[XS_NN_DW_MAX_TAPS];
    const int32_t taps = k_h * k_w;
    const int32_t row_step = p->dilation.h * in_w * in_c;
    const int32_t tap_step = p->dilation.w * in_c;
    const int32_t *mult = q->multiplier;
    const int32_t *shift = q->shift;
    for (int32_t ic = 0; ic + 4 <= in_c; ic += 4) {
        int32_t init[4] = { 0, 0, 0, 0 };
        for (int32_t t = 0; t < taps; t++) {
            const uint32_t w = xs_nn_read_u32(filter_data + t * in_c + ic);
            w02[t] = __SXTB16(w);
            w13[t] = __SXTB16_RORn(w, 8);
            init[0] += (int8_t)w;
            init[1] += (int8_t)(w >> 8);
            init[2] += (int8_t)(w >> 16);
            init[3] += (int8_t)(w >> 24);
        }
        for (int32_t j = 0; j < 4; j++) {
            init[j] = init[j] * p->input_offset + (bias_data != NULL ? bias_data[ic + j] : 0);
        }
        for (int32_t oy = oy_lo; oy < oy_hi; oy++) {
            const int8_t *row0 = in_batch + (oy * p->stride.h - p->padding.h) * in_w * in_c + ic;
            for (int32_t ox = ox_lo; ox < ox_hi; ox++) {
                const int8_t *src = row0 + (ox * p->stride.w - p->padding.w) * in_c;
                int32_t a0 = init[0], a1 = init[1], a2 = init[2], a3 = init[3];
                int32_t t = 0;
                if (taps == 9 && k_w == 3) {
                    /* 3x3 (every MobileNet depthwise layer): the taps unrolled, no loop control per tap. */
#define XS_NN_DW_TAP(T, X)                                         \
    do {                                                           \
        const uint32_t v = xs_nn_read_u32(X);                  \
        const uint32_t v02 = __SXTB16(v);                          \
        const uint32_t v13 = __SXTB16_RORn(v, 8);                  \
        a0 = xs_nn_mla_bottom(a0, v02, w02[T]);                    \
        a2 = xs_nn_mla_top(a2, v02, w02[T]);                       \
        a1 = xs_nn_mla_bottom(a1, v13, w13[T]);                    \
        a3 = xs_nn_mla_top(a3, v13, w13[T]);                       \
    } while (0)
                    const int8_t *r1 = src + row_step, *r2 = r1 + row_step;
                    XS_NN_DW_TAP(0, src);
                    XS_NN_DW_TAP(1, src + tap_step);
                    XS_NN_DW_TAP(2, src + 2 * tap_step);
                    XS_NN_DW_TAP(3, r1);
                    XS_NN_DW_TAP(4, r1 + tap_step);
                    XS_NN_DW_TAP(5, r1 + 2 * tap_step);
                    XS_NN_DW_TAP(6, r2);
                    XS_NN_DW_TAP(7, r2 + tap_step);
                    XS_NN_DW_TAP(8, r2 + 2 * tap_step);
#undef XS_NN_DW_TAP
                    t = taps;
                }
                for (int32_t ky = 0; t < taps && ky < k_h; ky++, src += row_step) {
                    const int8_t *x = src;
                    for (int32_t kx = 0; kx < k_w; kx++, t++, x += tap_step) {
                        const uint32_t v = xs_nn_read_u32(x);
                        const uint32_t v02 = __SXTB16(v);
                        const uint32_t v13 = __SXTB16_RORn(v, 8);
                        a0 = xs_nn_mla_bottom(a0, v02, w02[t]);
                        a2 = xs_nn_mla_top(a2, v02, w02[t]);
                        a1 = xs_nn_mla_bottom(a1, v13, w13[t]);
                        a3 = xs_nn_mla_top(a3, v13, w13[t]);
                    }
                }
                int8_t *out = out_batch + (oy * out_w + ox) * in_c + ic;
                const int32_t accs[4] = { a0, a1, a2, a3 };
                for (int32_t j = 0; j < 4; j++) {
                    const int32_t r = xs_nn_requantize(accs[j], mult[ic + j], shift[ic + j]) + p->output_offset;
                    out[j] = (int8_t)xs_nn_clamp(r, p->activation.min, p->activation.max);
                }
            }
        }
    }
}

/* [lo, hi) of the outputs along one axis whose k taps all lie inside the input: a contiguous range. */
static void xs_nn_dw_interior(int32_t out_size, int32_t stride, int32_t pad, int32_t dilation, int32_t k,
                              int32_t in_size, int32_t *lo, int32_t *hi)
{
    *lo = 0;
    *hi = 0;
    int32_t found = 0;
    for (int32_t o = 0; o < out_size; o++) {
        const int32_t base = o * stride - pad;
        if (base >= 0 && base + (k - 1) * dilation < in_size) {
            if (!found) {
                *lo = o;
                found = 1;
            }
            *hi = o + 1;
        }
    }
}

/*
 * ch_mult >= 4 (person_detect's first layer: one input channel, eight
 * outputs): four outputs of one input channel are contiguous in the filter,
 * so each tap takes one input value (in both int16 lanes) and one word of
 * weights split by SXTB16 into (w0,w2) and (w1,w3): four MACs for three
 * loads. The last ch_mult % 4 outputs take the plain code. A function of its
 * own, so that the ch_mult == 1 loops keep their code.
 */
static arm_cmsis_nn_status xs_nn_dw_conv_mult4_s8(const cmsis_nn_dw_conv_params *p,
                                                 const cmsis_nn_per_channel_quant_params *quant_params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const int8_t *input_data,
                                                 const cmsis_nn_dims *filter_dims,
                                                 const int8_t *filter_data,
                                                 const int32_t *bias_data,
                                                 const cmsis_nn_dims *output_dims,
                                                 int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t ch_mult = p->ch_mult;
    const int32_t k_w = filter_dims->w;
    const int32_t *mult = quant_params->multiplier;
    const int32_t *shift = quant_params->shift;

    for (int32_t b = 0; b < input_dims->n; b++) {
        const int8_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < output_dims->h; oy++) {
            const int32_t base_y = oy * p->stride.h - p->padding.h;
            int32_t ky0;
            int32_t ky1;
            xs_nn_valid_taps(base_y, p->dilation.h, filter_dims->h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < output_dims->w; ox++) {
                const int32_t base_x = ox * p->stride.w - p->padding.w;
                int32_t kx0;
                int32_t kx1;
                xs_nn_valid_taps(base_x, p->dilation.w, k_w, in_w, &kx0, &kx1);
                int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * out_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    int32_t m = 0;
                    for (; m + 4 <= ch_mult; m += 4) {
                        const int32_t oc = ic * ch_mult + m;
                        int32_t acc0 = bias_data != NULL ? bias_data[oc] : 0;
                        int32_t acc1 = bias_data != NULL ? bias_data[oc + 1] : 0;
                        int32_t acc2 = bias_data != NULL ? bias_data[oc + 2] : 0;
                        int32_t acc3 = bias_data != NULL ? bias_data[oc + 3] : 0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int32_t iy = base_y + ky * p->dilation.h;
                            const int8_t *in_row = in_batch + iy * in_w * in_c + ic;
                            const int8_t *f_row = filter_data + ky * k_w * out_c + oc;
                            for (int32_t kx = kx0; kx < kx1; kx++) {
                                const int32_t ix = base_x + kx * p->dilation.w;
                                const uint32_t v = (uint16_t)(int16_t)(in_row[ix * in_c] + p->input_offset);
                                const uint32_t s2 = v | (v << 16);
                                const uint32_t w = xs_nn_read_u32(f_row + kx * out_c);
                                const uint32_t w02 = __SXTB16(w);
                                const uint32_t w13 = __SXTB16_RORn(w, 8);
                                acc0 = xs_nn_mla_bottom(acc0, s2, w02);
                                acc2 = xs_nn_mla_top(acc2, s2, w02);
                                acc1 = xs_nn_mla_bottom(acc1, s2, w13);
                                acc3 = xs_nn_mla_top(acc3, s2, w13);
                            }
                        }
                        const int32_t accs[4] = {acc0, acc1, acc2, acc3};
                        for (int32_t j = 0; j < 4; j++) {
                            const int32_t acc = xs_nn_requantize(accs[j], mult[oc + j], shift[oc + j]) + p->output_offset;
                            out[oc + j] = (int8_t)xs_nn_clamp(acc, p->activation.min, p->activation.max);
                        }
                    }
                    for (; m < ch_mult; m++) {
                        const int32_t oc = ic * ch_mult + m;
                        int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int32_t iy = base_y + ky * p->dilation.h;
                            const int8_t *in_row = in_batch + iy * in_w * in_c + ic;
                            const int8_t *f_row = filter_data + ky * k_w * out_c + oc;
                            for (int32_t kx = kx0; kx < kx1; kx++) {
                                const int32_t ix = base_x + kx * p->dilation.w;
                                acc += (in_row[ix * in_c] + p->input_offset) * f_row[kx * out_c];
                            }
                        }
                        out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], p->output_offset, p->activation.min, p->activation.max);
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
#endif

arm_cmsis_nn_status arm_depthwise_conv_s8(const cmsis_nn_context *ctx,
                                          const cmsis_nn_dw_conv_params *dw_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    (void)ctx;       /* no scratch: the size function answers 0 */
    (void)bias_dims; /* the bias length is output_dims->c by contract */

    if (input_data == NULL || filter_data == NULL || output_data == NULL ||
        !xs_nn_dw_conv_args_ok(dw_conv_params, quant_params, input_dims, filter_dims, output_dims)) {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const cmsis_nn_dw_conv_params *p = dw_conv_params;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t ch_mult = p->ch_mult;
    const int32_t k_w = filter_dims->w;
    const int32_t *mult = quant_params->multiplier;
    const int32_t *shift = quant_params->shift;

#if defined(ARM_MATH_DSP)
    if (ch_mult >= 4) {
        return xs_nn_dw_conv_mult4_s8(p, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data,
                                      output_dims, output_data);
    }
    const uint32_t offset2 = ((uint32_t)(uint16_t)p->input_offset << 16) | (uint16_t)p->input_offset;
    /* Interior pixels' first in_c4 channels: the channel-group pass; the loop below skips them. */
    int32_t oy_lo = 0, oy_hi = 0, ox_lo = 0, ox_hi = 0;
    const int32_t in_c4 = in_c & ~3;
    if (ch_mult == 1 && in_c4 > 0 && filter_dims->h * k_w <= XS_NN_DW_MAX_TAPS) {
        xs_nn_dw_interior(output_dims->h, p->stride.h, p->padding.h, p->dilation.h, filter_dims->h, in_h, &oy_lo, &oy_hi);
        xs_nn_dw_interior(output_dims->w, p->stride.w, p->padding.w, p->dilation.w, k_w, in_w, &ox_lo, &ox_hi);
        for (int32_t b = 0; b < input_dims->n; b++) {
            xs_nn_dw_ch1_interior(p, quant_params, input_data + b * in_h * in_w * in_c, in_w, in_c, filter_data,
                                  filter_dims->h, k_w, bias_data, output_data + b * output_dims->h * output_dims->w * out_c,
                                  output_dims->w, oy_lo, oy_hi, ox_lo, ox_hi);
        }
    }
#endif

    for (int32_t b = 0; b < input_dims->n; b++) {
        const int8_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < output_dims->h; oy++) {
            const int32_t base_y = oy * p->stride.h - p->padding.h;
            int32_t ky0;
            int32_t ky1;
            xs_nn_valid_taps(base_y, p->dilation.h, filter_dims->h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < output_dims->w; ox++) {
                const int32_t base_x = ox * p->stride.w - p->padding.w;
                int32_t kx0;
                int32_t kx1;
                xs_nn_valid_taps(base_x, p->dilation.w, k_w, in_w, &kx0, &kx1);
                int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * out_c;

                int32_t ic = 0;
#if defined(ARM_MATH_DSP)
                if (oy >= oy_lo && oy < oy_hi && ox >= ox_lo && ox < ox_hi) {
                    ic = in_c4; /* done by xs_nn_dw_ch1_interior */
                }
                /*
                 * ch_mult == 1: four channels per step, contiguous in NHWC for
                 * both the input and the filter. SXTB16 splits each word into
                 * the int16 lanes (c0,c2) and (c1,c3) (input + offset stays in
                 * [-255, 255]); each channel then takes one 16x16 MAC per tap.
                 * The plain loop below finishes the last in_c % 4 channels.
                 */
                if (ch_mult == 1) {
                    for (; ic + 4 <= in_c; ic += 4) {
                        int32_t acc0 = bias_data != NULL ? bias_data[ic] : 0;
                        int32_t acc1 = bias_data != NULL ? bias_data[ic + 1] : 0;
                        int32_t acc2 = bias_data != NULL ? bias_data[ic + 2] : 0;
                        int32_t acc3 = bias_data != NULL ? bias_data[ic + 3] : 0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int32_t iy = base_y + ky * p->dilation.h;
                            const int8_t *in_row = in_batch + iy * in_w * in_c + ic;
                            const int8_t *f_row = filter_data + ky * k_w * out_c + ic;
                            for (int32_t kx = kx0; kx < kx1; kx++) {
                                const int32_t ix = base_x + kx * p->dilation.w;
                                const uint32_t s = xs_nn_read_u32(in_row + ix * in_c);
                                const uint32_t w = xs_nn_read_u32(f_row + kx * out_c);
                                const uint32_t s02 = __SADD16(__SXTB16(s), offset2);
                                const uint32_t s13 = __SADD16(__SXTB16_RORn(s, 8), offset2);
                                const uint32_t w02 = __SXTB16(w);
                                const uint32_t w13 = __SXTB16_RORn(w, 8);
                                acc0 = xs_nn_mla_bottom(acc0, s02, w02);
                                acc2 = xs_nn_mla_top(acc2, s02, w02);
                                acc1 = xs_nn_mla_bottom(acc1, s13, w13);
                                acc3 = xs_nn_mla_top(acc3, s13, w13);
                            }
                        }
                        const int32_t accs[4] = {acc0, acc1, acc2, acc3};
                        for (int32_t j = 0; j < 4; j++) {
                            const int32_t acc = xs_nn_requantize(accs[j], mult[ic + j], shift[ic + j]) + p->output_offset;
                            out[ic + j] = (int8_t)xs_nn_clamp(acc, p->activation.min, p->activation.max);
                        }
                    }
                }
#endif
                for (; ic < in_c; ic++) {
                    for (int32_t m = 0; m < ch_mult; m++) {
                        const int32_t oc = ic * ch_mult + m;
                        int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        for (int32_t ky = ky0; ky < ky1; ky++) {
                            const int32_t iy = base_y + ky * p->dilation.h;
                            const int8_t *in_row = in_batch + iy * in_w * in_c + ic;
                            const int8_t *f_row = filter_data + ky * k_w * out_c + oc;
                            for (int32_t kx = kx0; kx < kx1; kx++) {
                                const int32_t ix = base_x + kx * p->dilation.w;
                                acc += (in_row[ix * in_c] + p->input_offset) * f_row[kx * out_c];
                            }
                        }
                        out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], p->output_offset, p->activation.min, p->activation.max);
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
