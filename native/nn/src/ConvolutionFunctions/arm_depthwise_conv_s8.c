/*
 * arm_depthwise_conv_s8.c: generic s8 depthwise convolution (any ch_mult, stride, dilation, padding),
 * and the kernel its ch_mult == 1 variants (arm_depthwise_conv_s8_opt, arm_depthwise_conv_3x3_s8) share.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Output channel oc = ic * ch_mult + m. For each output pixel the valid
 * filter rows and columns are computed once (xs_nn_valid_taps), so padded
 * taps are skipped rather than tested in the inner loop; no scratch needed.
 */

#include "../arm_nnsupportfunctions.h"

/* The layer's constants, read by every loop below. */
typedef struct {
	const cmsis_nn_dw_conv_params *p;
	const int32_t *mult;
	const int32_t *shift;
	const int32_t *bias;
	const int8_t *filter;
	int32_t in_h, in_w, in_c, out_c, k_h, k_w;
} xs_nn_dw_layer;

/* One output pixel: where its window starts and which of its taps lie inside the input. */
typedef struct {
	int32_t base_y, base_x, ky0, ky1, kx0, kx1;
} xs_nn_dw_taps;

/*
 * Output channel oc (of input channel ic) at one pixel in plain C, in 64
 * bits: the one per-channel path, which also finishes what the DSP loops
 * leave (the last in_c % 4 channels, the last ch_mult % 4 outputs).
 */
static int8_t xs_nn_dw_channel(const xs_nn_dw_layer *L, const int8_t *in_batch, const xs_nn_dw_taps *t, int32_t ic,
                               int32_t oc)
{
	const cmsis_nn_dw_conv_params *p = L->p;
	int64_t acc = L->bias != NULL ? L->bias[oc] : 0;
	for (int32_t ky = t->ky0; ky < t->ky1; ky++) {
		const int32_t iy = t->base_y + ky * p->dilation.h;
		const int8_t *in_row = in_batch + iy * L->in_w * L->in_c + ic;
		const int8_t *f_row = L->filter + ky * L->k_w * L->out_c + oc;
		for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
			const int32_t ix = t->base_x + kx * p->dilation.w;
			acc += (in_row[ix * L->in_c] + p->input_offset) * f_row[kx * L->out_c];
		}
	}
	return xs_nn_output_s8(acc, L->mult[oc], L->shift[oc], p->output_offset, p->activation.min, p->activation.max);
}

#if defined(ARM_MATH_DSP)
/*
 * Bottom and top int16 lanes multiplied lane by lane (SMLABB, SMLATT). In
 * assembly: written in C, GCC splits the top lanes out with shifts and
 * spills the accumulators of the 3x3 loops (about 3x the instructions).
 */
static inline int32_t xs_nn_mla_bottom(int32_t acc, uint32_t a, uint32_t b)
{
	int32_t r;
	__asm__("smlabb %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
	return r;
}
static inline int32_t xs_nn_mla_top(int32_t acc, uint32_t a, uint32_t b)
{
	int32_t r;
	__asm__("smlatt %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
	return r;
}

/*
 * Four int32 accumulators of channels ic..ic+3 requantized, offset, clamped
 * and stored. The output stage's values come in as arguments: read through
 * the layer's pointers, every int8 store (which may alias anything) would
 * make the compiler load them again for each output.
 */
static inline void xs_nn_dw_store4(int32_t a0, int32_t a1, int32_t a2, int32_t a3, const int32_t *mult,
                                   const int32_t *shift, int32_t out_offset, int32_t act_min, int32_t act_max,
                                   int8_t *out)
{
	const int32_t r0 = xs_nn_requantize(a0, mult[0], shift[0]) + out_offset;
	const int32_t r1 = xs_nn_requantize(a1, mult[1], shift[1]) + out_offset;
	const int32_t r2 = xs_nn_requantize(a2, mult[2], shift[2]) + out_offset;
	const int32_t r3 = xs_nn_requantize(a3, mult[3], shift[3]) + out_offset;
	out[0] = (int8_t)xs_nn_clamp(r0, act_min, act_max);
	out[1] = (int8_t)xs_nn_clamp(r1, act_min, act_max);
	out[2] = (int8_t)xs_nn_clamp(r2, act_min, act_max);
	out[3] = (int8_t)xs_nn_clamp(r3, act_min, act_max);
}

/* The channel-group pass below holds the widened weights of this many taps (5x5) on the stack. */
#define XS_NN_DW_MAX_TAPS 25

/* One tap of four channels: the input word split by SXTB16, four 16x16 MACs against widened weights. */
#define XS_NN_DW_TAP4(X, W02, W13)                                                                                     \
	do {                                                                                                               \
		const uint32_t v_ = xs_nn_read_u32(X);                                                                         \
		const uint32_t v02_ = __SXTB16(v_);                                                                            \
		const uint32_t v13_ = __SXTB16_RORn(v_, 8);                                                                    \
		a0 = xs_nn_mla_bottom(a0, v02_, W02);                                                                          \
		a2 = xs_nn_mla_top(a2, v02_, W02);                                                                             \
		a1 = xs_nn_mla_bottom(a1, v13_, W13);                                                                          \
		a3 = xs_nn_mla_top(a3, v13_, W13);                                                                             \
	} while (0)

/*
 * ch_mult == 1, the output pixels whose taps all lie inside the input (all
 * but a border one or two pixels wide), four channels at a time, channel
 * group by channel group: each group's weights are widened once for the
 * whole layer instead of at every pixel, and the input offset goes into
 * the accumulator's start as input_offset * (sum of the group's weights),
 * exact in int32, so each tap costs one load and two SXTB16 of input, two
 * loads of widened weights and four 16x16 MACs (3x3 filters unrolled). The
 * other pixels and the last in_c % 4 channels are left to the per-pixel loop.
 */
static void xs_nn_dw_ch1_interior(const xs_nn_dw_layer *L, const int8_t *in_batch, int8_t *out_batch, int32_t out_w,
                                  int32_t oy_lo, int32_t oy_hi, int32_t ox_lo, int32_t ox_hi)
{
	uint32_t w02[XS_NN_DW_MAX_TAPS];
	uint32_t w13[XS_NN_DW_MAX_TAPS];
	const cmsis_nn_dw_conv_params *p = L->p;
	const int32_t in_c = L->in_c;
	const int32_t k_h = L->k_h;
	const int32_t k_w = L->k_w;
	const int32_t taps = k_h * k_w;
	const int32_t row_step = p->dilation.h * L->in_w * in_c;
	const int32_t tap_step = p->dilation.w * in_c;
	const int32_t pixel_step = p->stride.w * in_c;
	const int32_t input_offset = p->input_offset;
	const int32_t out_offset = p->output_offset;
	const int32_t act_min = p->activation.min;
	const int32_t act_max = p->activation.max;
	const bool is_3x3 = k_h == 3 && k_w == 3;
	for (int32_t ic = 0; ic + 4 <= in_c; ic += 4) {
		int32_t init[4] = {0, 0, 0, 0};
		for (int32_t t = 0; t < taps; t++) {
			const uint32_t w = xs_nn_read_u32(L->filter + t * in_c + ic);
			w02[t] = __SXTB16(w);
			w13[t] = __SXTB16_RORn(w, 8);
			init[0] += (int8_t)w;
			init[1] += (int8_t)(w >> 8);
			init[2] += (int8_t)(w >> 16);
			init[3] += (int8_t)(w >> 24);
		}
		for (int32_t j = 0; j < 4; j++) {
			init[j] = init[j] * input_offset + (L->bias != NULL ? L->bias[ic + j] : 0);
		}
		const int32_t mult[4] = {L->mult[ic], L->mult[ic + 1], L->mult[ic + 2], L->mult[ic + 3]};
		const int32_t shift[4] = {L->shift[ic], L->shift[ic + 1], L->shift[ic + 2], L->shift[ic + 3]};
		for (int32_t oy = oy_lo; oy < oy_hi; oy++) {
			const int8_t *src = in_batch +
			        ((oy * p->stride.h - p->padding.h) * L->in_w + ox_lo * p->stride.w - p->padding.w) * in_c + ic;
			int8_t *out = out_batch + (oy * out_w + ox_lo) * in_c + ic;
			for (int32_t ox = ox_lo; ox < ox_hi; ox++, src += pixel_step, out += in_c) {
				int32_t a0 = init[0], a1 = init[1], a2 = init[2], a3 = init[3];
				if (is_3x3) {
					const int8_t *r1 = src + row_step, *r2 = r1 + row_step;
					XS_NN_DW_TAP4(src, w02[0], w13[0]);
					XS_NN_DW_TAP4(src + tap_step, w02[1], w13[1]);
					XS_NN_DW_TAP4(src + 2 * tap_step, w02[2], w13[2]);
					XS_NN_DW_TAP4(r1, w02[3], w13[3]);
					XS_NN_DW_TAP4(r1 + tap_step, w02[4], w13[4]);
					XS_NN_DW_TAP4(r1 + 2 * tap_step, w02[5], w13[5]);
					XS_NN_DW_TAP4(r2, w02[6], w13[6]);
					XS_NN_DW_TAP4(r2 + tap_step, w02[7], w13[7]);
					XS_NN_DW_TAP4(r2 + 2 * tap_step, w02[8], w13[8]);
				} else {
					const int8_t *row = src;
					for (int32_t ky = 0, t = 0; ky < k_h; ky++, row += row_step) {
						const int8_t *x = row;
						for (int32_t kx = 0; kx < k_w; kx++, t++, x += tap_step) {
							XS_NN_DW_TAP4(x, w02[t], w13[t]);
						}
					}
				}
				xs_nn_dw_store4(a0, a1, a2, a3, mult, shift, out_offset, act_min, act_max, out);
			}
		}
	}
}
#undef XS_NN_DW_TAP4

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
 * ch_mult == 1 at one pixel, four channels per step, contiguous in NHWC for
 * both the input and the filter. SXTB16 splits each word into the int16
 * lanes (c0,c2) and (c1,c3) (input + offset stays in [-255, 255]); each
 * channel then takes one 16x16 MAC per tap. Returns the first channel left
 * to the per-channel path.
 */
static int32_t xs_nn_dw_ch1_pixel(const xs_nn_dw_layer *L, const int8_t *in_batch, const xs_nn_dw_taps *t, int32_t ic,
                                  int8_t *out)
{
	const cmsis_nn_dw_conv_params *p = L->p;
	const uint32_t offset2 = xs_nn_pair16(p->input_offset);
	for (; ic + 4 <= L->in_c; ic += 4) {
		int32_t acc0 = L->bias != NULL ? L->bias[ic] : 0;
		int32_t acc1 = L->bias != NULL ? L->bias[ic + 1] : 0;
		int32_t acc2 = L->bias != NULL ? L->bias[ic + 2] : 0;
		int32_t acc3 = L->bias != NULL ? L->bias[ic + 3] : 0;
		for (int32_t ky = t->ky0; ky < t->ky1; ky++) {
			const int32_t iy = t->base_y + ky * p->dilation.h;
			const int8_t *in_row = in_batch + iy * L->in_w * L->in_c + ic;
			const int8_t *f_row = L->filter + ky * L->k_w * L->out_c + ic;
			for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
				const int32_t ix = t->base_x + kx * p->dilation.w;
				const uint32_t s = xs_nn_read_u32(in_row + ix * L->in_c);
				const uint32_t w = xs_nn_read_u32(f_row + kx * L->out_c);
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
		xs_nn_dw_store4(acc0, acc1, acc2, acc3, L->mult + ic, L->shift + ic, p->output_offset, p->activation.min,
		                p->activation.max, out + ic);
	}
	return ic;
}

/*
 * ch_mult >= 4 (person_detect's first layer: one input channel, eight
 * outputs): four outputs of one input channel are contiguous in the filter,
 * so each tap takes one input value (in both int16 lanes) and one word of
 * weights split by SXTB16 into (w0,w2) and (w1,w3): four MACs for three
 * loads. Returns how many of input channel ic's outputs it wrote (a multiple
 * of 4); the per-channel path does the rest.
 */
static int32_t xs_nn_dw_mult4_channel(const xs_nn_dw_layer *L, const int8_t *in_batch, const xs_nn_dw_taps *t,
                                      int32_t ic, int8_t *out)
{
	const cmsis_nn_dw_conv_params *p = L->p;
	const int32_t ch_mult = p->ch_mult;
	int32_t m = 0;
	for (; m + 4 <= ch_mult; m += 4) {
		const int32_t oc = ic * ch_mult + m;
		int32_t acc0 = L->bias != NULL ? L->bias[oc] : 0;
		int32_t acc1 = L->bias != NULL ? L->bias[oc + 1] : 0;
		int32_t acc2 = L->bias != NULL ? L->bias[oc + 2] : 0;
		int32_t acc3 = L->bias != NULL ? L->bias[oc + 3] : 0;
		for (int32_t ky = t->ky0; ky < t->ky1; ky++) {
			const int32_t iy = t->base_y + ky * p->dilation.h;
			const int8_t *in_row = in_batch + iy * L->in_w * L->in_c + ic;
			const int8_t *f_row = L->filter + ky * L->k_w * L->out_c + oc;
			for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
				const int32_t ix = t->base_x + kx * p->dilation.w;
				const uint32_t v = (uint16_t)(int16_t)(in_row[ix * L->in_c] + p->input_offset);
				const uint32_t s2 = v | (v << 16);
				const uint32_t w = xs_nn_read_u32(f_row + kx * L->out_c);
				const uint32_t w02 = __SXTB16(w);
				const uint32_t w13 = __SXTB16_RORn(w, 8);
				acc0 = xs_nn_mla_bottom(acc0, s2, w02);
				acc2 = xs_nn_mla_top(acc2, s2, w02);
				acc1 = xs_nn_mla_bottom(acc1, s2, w13);
				acc3 = xs_nn_mla_top(acc3, s2, w13);
			}
		}
		xs_nn_dw_store4(acc0, acc1, acc2, acc3, L->mult + oc, L->shift + oc, p->output_offset, p->activation.min,
		                p->activation.max, out + oc);
	}
	return m;
}
#endif

arm_cmsis_nn_status xs_nn_depthwise_conv_run_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                const cmsis_nn_per_channel_quant_params *quant_params,
                                                const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                const int32_t *bias_data, const cmsis_nn_dims *output_dims,
                                                int8_t *output_data)
{
	/* An unset dilation along an axis of one tap is 1 (the tap loops divide by it). */
	cmsis_nn_dw_conv_params params = *dw_conv_params;
	params.dilation = xs_nn_dilation(&dw_conv_params->dilation, filter_dims->h, filter_dims->w);
	const cmsis_nn_dw_conv_params *p = &params;
	const xs_nn_dw_layer L = {p,
	                          quant_params->multiplier,
	                          quant_params->shift,
	                          bias_data,
	                          filter_data,
	                          input_dims->h,
	                          input_dims->w,
	                          input_dims->c,
	                          output_dims->c,
	                          filter_dims->h,
	                          filter_dims->w};
	const int32_t ch_mult = p->ch_mult;
	const int32_t in_size = L.in_h * L.in_w * L.in_c;
	const int32_t out_size = output_dims->h * output_dims->w * L.out_c;

#if defined(ARM_MATH_DSP)
	/* Interior pixels' first in_c4 channels: the channel-group pass; the loop below skips them. */
	int32_t oy_lo = 0, oy_hi = 0, ox_lo = 0, ox_hi = 0;
	const int32_t in_c4 = L.in_c & ~3;
	if (ch_mult == 1 && in_c4 > 0 && L.k_h * L.k_w <= XS_NN_DW_MAX_TAPS) {
		xs_nn_dw_interior(output_dims->h, p->stride.h, p->padding.h, p->dilation.h, L.k_h, L.in_h, &oy_lo, &oy_hi);
		xs_nn_dw_interior(output_dims->w, p->stride.w, p->padding.w, p->dilation.w, L.k_w, L.in_w, &ox_lo, &ox_hi);
		for (int32_t b = 0; b < input_dims->n; b++) {
			xs_nn_dw_ch1_interior(&L, input_data + b * in_size, output_data + b * out_size, output_dims->w, oy_lo,
			                      oy_hi, ox_lo, ox_hi);
		}
	}
#endif

	for (int32_t b = 0; b < input_dims->n; b++) {
		const int8_t *in_batch = input_data + b * in_size;
		for (int32_t oy = 0; oy < output_dims->h; oy++) {
			xs_nn_dw_taps t;
			t.base_y = oy * p->stride.h - p->padding.h;
			xs_nn_valid_taps(t.base_y, p->dilation.h, L.k_h, L.in_h, &t.ky0, &t.ky1);
			for (int32_t ox = 0; ox < output_dims->w; ox++) {
#if defined(ARM_MATH_DSP)
				if (ox == ox_lo && in_c4 == L.in_c && oy >= oy_lo && oy < oy_hi && ox_hi > ox_lo) {
					ox = ox_hi - 1; /* the interior pass did these pixels' every channel */
					continue;
				}
#endif
				t.base_x = ox * p->stride.w - p->padding.w;
				xs_nn_valid_taps(t.base_x, p->dilation.w, L.k_w, L.in_w, &t.kx0, &t.kx1);
				int8_t *out = output_data + b * out_size + (oy * output_dims->w + ox) * L.out_c;

				int32_t ic = 0;
#if defined(ARM_MATH_DSP)
				if (ch_mult == 1) {
					const bool interior = oy >= oy_lo && oy < oy_hi && ox >= ox_lo && ox < ox_hi;
					ic = xs_nn_dw_ch1_pixel(&L, in_batch, &t, interior ? in_c4 : 0, out);
				}
#endif
				for (; ic < L.in_c; ic++) {
					int32_t m = 0;
#if defined(ARM_MATH_DSP)
					if (ch_mult >= 4) {
						m = xs_nn_dw_mult4_channel(&L, in_batch, &t, ic, out);
					}
#endif
					for (; m < ch_mult; m++) {
						out[ic * ch_mult + m] = xs_nn_dw_channel(&L, in_batch, &t, ic, ic * ch_mult + m);
					}
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_depthwise_conv_s8(const cmsis_nn_context *ctx, const cmsis_nn_dw_conv_params *dw_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)ctx;       /* no scratch: the size function answers 0 */
	(void)bias_dims; /* the bias length is output_dims->c by contract */

	if (input_data == NULL || filter_data == NULL || output_data == NULL ||
	    !xs_nn_dw_conv_args_ok(dw_conv_params, quant_params, input_dims, filter_dims, output_dims)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return xs_nn_depthwise_conv_run_s8(dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data,
	                                   bias_data, output_dims, output_data);
}
