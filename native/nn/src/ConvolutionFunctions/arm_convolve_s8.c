/*
 * arm_convolve_s8.c: generic s8 convolution (any filter size, stride, dilation, padding, groups).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * For each output pixel and group, the receptive field is gathered once into
 * an int16 im2col column with the input offset already added (padding
 * becomes 0, which is what an input equal to the zero point contributes);
 * every output channel of the group is then one dense dot product over that
 * column. This keeps the padding logic out of the inner loop. With
 * ARM_MATH_DSP (Cortex-M7) two output positions are gathered at once and the
 * dot products run with SMLAD, two positions by two output channels per pass.
 */
#include <string.h>

#include "../arm_nnsupportfunctions.h"

#if defined(ARM_MATH_DSP)
/*
 * xs_nn_output_s8 for a bias and a dot product that are both int32: QADD is
 * the saturating add xs_nn_output_s8 does in 64 bits, here one instruction,
 * and the output offset is added the same way; the result is bit-identical.
 */
static inline int8_t dsp_output_s8(int32_t bias, int32_t dot, int32_t multiplier, int32_t shift, int32_t offset,
                                   int32_t act_min, int32_t act_max)
{
	const int32_t scaled = xs_nn_requantize(__QADD(bias, dot), multiplier, shift);
	return (int8_t)xs_nn_clamp(__QADD(scaled, offset), act_min, act_max);
}

/* Output channels whose requantization the two-position loop prepares at once (on the stack). */
#define XS_NN_RQ_CHUNK 32

/* A channel's bias beside its prepared requantization. */
typedef struct {
	int32_t bias;
	xs_nn_requant rq;
} xs_nn_requant_biased;

/* Channels from..to, at most XS_NN_RQ_CHUNK of them, prepared into rq[0..]; returns the end of those prepared. */
static int32_t rq_prepare(xs_nn_requant_biased *rq, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                          int32_t from, int32_t to)
{
	const int32_t n = to - from < XS_NN_RQ_CHUNK ? to - from : XS_NN_RQ_CHUNK;
	for (int32_t k = 0; k < n; k++) {
		rq[k].bias = bias != NULL ? bias[from + k] : 0;
		rq[k].rq = xs_nn_requant_prepare(mult[from + k], shift[from + k]);
	}
	return from + n;
}

/*
 * dsp_output_s8 with the channel's bias and requantization prepared: in the common case (round != 0)
 * |hi| < 2^30 and rshift >= 1, so the output offset's saturating add is a plain one; a full int8
 * range (`full`: act_min -128, act_max 127) is one SSAT. The same result for every input.
 */
static inline int8_t rq_output_s8(int32_t dot, const xs_nn_requant_biased *r, int32_t offset, int32_t act_min,
                                  int32_t act_max, const int full)
{
	const int32_t acc = __QADD(r->bias, dot);
	int32_t v;
	if (r->rq.round != 0) {
		const int32_t hi = (int32_t)(((int64_t)acc * r->rq.multiplier) >> 32);
		v = ((hi + r->rq.round) >> r->rq.rshift) + offset;
	} else {
		v = __QADD(xs_nn_requantize(acc, r->rq.multiplier, r->rq.shift), offset);
	}
	return full ? (int8_t)__SSAT(v, 8) : (int8_t)xs_nn_clamp(v, act_min, act_max);
}

/*
 * SXTB16 splits four int8 weights into the pairs (w0,w2) and (w1,w3);
 * swapping the middle two of every four column entries once per column gives
 * the matching int16 pairs (c0,c2) and (c1,c3), so each SMLAD adds two exact
 * terms of the dot product. Entries past the last multiple of four stay put
 * (the scalar tail reads them in order).
 */
static void pair_column(int16_t *col, int32_t col_len4)
{
	for (int32_t k = 0; k < col_len4; k += 4) {
		const int16_t t = col[k + 1];
		col[k + 1] = col[k + 2];
		col[k + 2] = t;
	}
}

/* Output channels whose widened 3x3 filters conv_3x3_one_channel keeps on the stack at once. */
#define XS_NN_C1_CHUNK 16
/* Input columns of the three rows conv_3x3_one_channel widens at a time (int16, on the stack). */
#define XS_NN_C1_SPAN  132

/*
 * One input channel and a 3x3 filter with dilation 1 (a first layer on gray
 * input): the generic path's im2col column is only nine values, so building
 * and pairing it cost several times its dot products. Here the three input
 * rows an output row reads are widened once to int16 with the offset added
 * (a padded tap 0, what an input equal to the zero point contributes), a span
 * of columns at a time; each filter row becomes the pairs (w0,w1) and (w2,0),
 * so a pixel's row is two SMLADs on the words at x and x + 2 of the widened
 * row (x + 3 meets the zero weight); a channel's six weight words stay in
 * registers while it runs along the span. The int32 dot products
 * (|dot| <= 9 * 255 * 128) are output as dsp_output_s8 outputs them, with
 * each channel's bias and requantization read and prepared once a chunk.
 */
__attribute__((noinline)) static void conv_3x3_one_channel(const cmsis_nn_conv_params *p,
                                                           const cmsis_nn_per_channel_quant_params *q,
                                                           const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                           const int8_t *filter_data, const int32_t *bias_data,
                                                           const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	const int32_t in_h = input_dims->h, in_w = input_dims->w;
	const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
	const int32_t sx = p->stride.w, offset = p->input_offset;
	const int32_t out_offset = p->output_offset, act_min = p->activation.min, act_max = p->activation.max;
	/* Output pixels a span holds: the input columns they read, and one more for the last pair's high half. */
	const int32_t span = (XS_NN_C1_SPAN - 4) / sx + 1;
	int16_t rows[3][XS_NN_C1_SPAN];
	uint32_t wide[XS_NN_C1_CHUNK * 6];
	int32_t bias[XS_NN_C1_CHUNK];
	xs_nn_requant rq[XS_NN_C1_CHUNK];
	for (int32_t oc0 = 0; oc0 < out_c; oc0 += XS_NN_C1_CHUNK) {
		const int32_t count = out_c - oc0 < XS_NN_C1_CHUNK ? out_c - oc0 : XS_NN_C1_CHUNK;
		for (int32_t k = 0; k < count; k++) {
			bias[k] = bias_data != NULL ? bias_data[oc0 + k] : 0;
			rq[k] = xs_nn_requant_prepare(q->multiplier[oc0 + k], q->shift[oc0 + k]);
		}
		for (int32_t k = 0; k < count * 3; k++) {
			const int8_t *w = filter_data + oc0 * 9 + k * 3;
			wide[2 * k] = __PKHBT((uint32_t)(int32_t)w[0], (uint32_t)(int32_t)w[1], 16);
			wide[2 * k + 1] = (uint16_t)w[2];
		}
		for (int32_t b = 0; b < input_dims->n; b++) {
			const int8_t *in_batch = input_data + b * in_h * in_w;
			int8_t *out_row = output_data + b * out_h * out_w * out_c + oc0;
			for (int32_t oy = 0; oy < out_h; oy++, out_row += out_w * out_c) {
				const int32_t base_y = oy * p->stride.h - p->padding.h;
				for (int32_t ox0 = 0; ox0 < out_w; ox0 += span) {
					const int32_t n = out_w - ox0 < span ? out_w - ox0 : span;
					const int32_t base_x = ox0 * sx - p->padding.w, cols = (n - 1) * sx + 4;
					for (int32_t r = 0; r < 3; r++) {
						const int32_t iy = base_y + r;
						const int8_t *row = in_batch + iy * in_w;
						for (int32_t j = 0; j < cols; j++) {
							const int32_t ix = base_x + j;
							rows[r][j] = (int16_t)(iy >= 0 && iy < in_h && ix >= 0 && ix < in_w ? row[ix] + offset : 0);
						}
					}
					/* A channel at a time, its six weight words held while it runs along the span. */
					for (int32_t k = 0; k < count; k++) {
						const uint32_t *w = wide + 6 * k;
						const uint32_t w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
						const int32_t bk = bias[k];
						const xs_nn_requant r = rq[k];
						const int16_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
						int8_t *out = out_row + ox0 * out_c + k;
/* A pixel's six SMLADs from the accumulator acc (0, or the bias where it cannot overflow); the dot product
   output as dsp_output_s8 outputs it is XS_NN_C1_DOT(), the bias added with saturation. */
#define XS_NN_C1_SUM(acc)                                                                                              \
	((int32_t)__SMLAD(xs_nn_read_u32(r2 + 2), w5,                                                                      \
	                  __SMLAD(xs_nn_read_u32(r2), w4,                                                                  \
	                          __SMLAD(xs_nn_read_u32(r1 + 2), w3,                                                      \
	                                  __SMLAD(xs_nn_read_u32(r1), w2,                                                  \
	                                          __SMLAD(xs_nn_read_u32(r0 + 2), w1,                                      \
	                                                  __SMLAD(xs_nn_read_u32(r0), w0, (uint32_t)(acc))))))))
#define XS_NN_C1_DOT() __QADD(bk, XS_NN_C1_SUM(0))
						/* The requantization's common case chosen once a channel, not once a pixel. The commonest
						   (a full int8 range, a bias and a shift that cannot overflow) starts the dot product at
						   the bias and adds the output offset before the shift, as offset * 2^rshift: the same
						   sums, exact in int32 (|dot| < 2^19, |hi| < 2^30, |offset| * 2^22 < 2^30), and SSAT
						   is the clamp; a pixel then keeps few enough values to stay in registers. */
						if (r.round != 0 && r.rshift <= 22 && bk >= -(1 << 30) && bk <= (1 << 30) && act_min == -128 &&
						    act_max == 127) {
							const int32_t mult = r.multiplier, rshift = r.rshift;
							const int32_t addend = r.round + out_offset * (1 << rshift);
							for (int32_t i = 0; i < n; i++, out += out_c, r0 += sx, r1 += sx, r2 += sx) {
								const int32_t dot = XS_NN_C1_SUM(bk);
								const int32_t hi = (int32_t)(((int64_t)dot * mult) >> 32);
								*out = (int8_t)__SSAT((hi + addend) >> rshift, 8);
							}
						} else if (r.round != 0) {
							const int32_t mult = r.multiplier, round = r.round, rshift = r.rshift;
							for (int32_t i = 0; i < n; i++, out += out_c, r0 += sx, r1 += sx, r2 += sx) {
								const int32_t hi = (int32_t)(((int64_t)XS_NN_C1_DOT() * mult) >> 32);
								*out = (int8_t)xs_nn_clamp(__QADD((hi + round) >> rshift, out_offset), act_min,
								                           act_max);
							}
						} else {
							for (int32_t i = 0; i < n; i++, out += out_c, r0 += sx, r1 += sx, r2 += sx) {
								const int32_t scaled = xs_nn_requant_apply(XS_NN_C1_DOT(), &r);
								*out = (int8_t)xs_nn_clamp(__QADD(scaled, out_offset), act_min, act_max);
							}
						}
#undef XS_NN_C1_DOT
#undef XS_NN_C1_SUM
					}
				}
			}
		}
	}
}
#endif

#if defined(ARM_MATH_DSP)
/*
 * n channels (a multiple of 4) of int8 into the column, four per word, widened straight into the
 * SMLAD order pair_column would produce: SXTB16 gives (c0,c2) and, rotated by 8, (c1,c3); SADD16
 * adds the offset (in both halves of offset2) to both (|c + offset| <= 255, no wrap).
 */
static inline void widen_words(int16_t *col, const int8_t *src, int32_t n, uint32_t offset2)
{
	for (int32_t c = 0; c < n; c += 4) {
		const uint32_t v = xs_nn_read_u32(src + c);
		const uint32_t even = __SADD16(__SXTB16(v), offset2);
		const uint32_t odd = __SADD16(__SXTB16_RORn(v, 8), offset2);
		memcpy(col + c, &even, sizeof even);
		memcpy(col + c + 2, &odd, sizeof odd);
	}
}
#endif

static void fill_column(int16_t *col, const int8_t *in_batch, const cmsis_nn_dims *input_dims,
                        const cmsis_nn_dims *filter_dims, const cmsis_nn_conv_params *p, int32_t base_y, int32_t base_x,
                        int32_t channel0, int paired)
{
#if !defined(ARM_MATH_DSP)
	(void)paired;
#endif
	const int32_t ck = filter_dims->c;
	const int32_t kw = filter_dims->w;
	const int32_t in_w = input_dims->w;
	const int32_t in_c = input_dims->c;
	const int32_t offset = p->input_offset;
#if defined(ARM_MATH_DSP)
	/*
     * The window inside the input, undilated, one group (ck == in_c) of whole
     * words: a filter row's taps are kw * ck contiguous bytes, widened a word
     * at a time with no per-tap bounds (most columns of a SAME convolution).
     */
	if (paired && ck == in_c && (ck & 3) == 0 && p->dilation.w == 1 && p->dilation.h == 1 && base_x >= 0 &&
	    base_y >= 0 && base_x + kw <= in_w && base_y + filter_dims->h <= input_dims->h) {
		const uint32_t offset2 = __PKHBT((uint32_t)offset, (uint32_t)offset, 16);
		const int32_t row_bytes = kw * ck;
		const int8_t *src = in_batch + (base_y * in_w + base_x) * in_c;
		for (int32_t ky = 0; ky < filter_dims->h; ky++, src += in_w * in_c, col += row_bytes) {
			widen_words(col, src, row_bytes, offset2);
		}
		return;
	}
#endif
	for (int32_t ky = 0; ky < filter_dims->h; ky++) {
		const int32_t iy = base_y + ky * p->dilation.h;
		if (iy < 0 || iy >= input_dims->h) { /* a whole filter row in the padding */
			for (int32_t k = 0; k < kw * ck; k++) {
				col[k] = 0;
			}
			col += kw * ck;
			continue;
		}
		const int8_t *row = in_batch + iy * in_w * in_c + channel0;
		if (ck == 1) { /* one channel per tap (a first layer on gray input): no inner loop */
			for (int32_t kx = 0; kx < kw; kx++) {
				const int32_t ix = base_x + kx * p->dilation.w;
				col[kx] = (int16_t)(ix >= 0 && ix < in_w ? row[ix * in_c] + offset : 0);
			}
			col += kw;
			continue;
		}
		for (int32_t kx = 0; kx < kw; kx++) {
			const int32_t ix = base_x + kx * p->dilation.w;
			if (ix >= 0 && ix < in_w) {
				const int8_t *src = row + ix * in_c;
#if defined(ARM_MATH_DSP)
				if (paired && (ck & 3) == 0) {
					widen_words(col, src, ck, __PKHBT((uint32_t)offset, (uint32_t)offset, 16));
					col += ck;
					continue;
				}
#endif
				for (int32_t c = 0; c < ck; c++) {
					col[c] = (int16_t)(src[c] + offset);
				}
			} else {
				for (int32_t c = 0; c < ck; c++) {
					col[c] = 0;
				}
			}
			col += ck;
		}
	}
}

arm_cmsis_nn_status arm_convolve_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                    const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                    const cmsis_nn_dims *upscale_dims, const cmsis_nn_dims *output_dims,
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

#if defined(ARM_MATH_DSP)
	if (input_dims->c == 1 && filter_dims->h == 3 && filter_dims->w == 3 && conv_params->dilation.h == 1 &&
	    conv_params->dilation.w == 1) {
		conv_3x3_one_channel(conv_params, quant_params, input_dims, input_data, filter_data, bias_data, output_dims,
		                     output_data);
		return ARM_CMSIS_NN_SUCCESS;
	}
#endif
	int16_t *col = (int16_t *)ctx->buf;
	const int32_t ck = filter_dims->c;
	const int32_t col_len = filter_dims->h * filter_dims->w * ck;
	const int32_t groups = input_dims->c / ck;
	const int32_t out_c = output_dims->c;
	const int32_t oc_per_group = out_c / groups;
	const int32_t in_batch_size = input_dims->h * input_dims->w * input_dims->c;
	const int32_t n_pos = output_dims->h * output_dims->w;
	const int32_t *mult = quant_params->multiplier;
	const int32_t *shift = quant_params->shift;
	const int32_t out_offset = conv_params->output_offset;
	const int32_t act_min = conv_params->activation.min;
	const int32_t act_max = conv_params->activation.max;

	for (int32_t b = 0; b < input_dims->n; b++) {
		const int8_t *in_batch = input_data + b * in_batch_size;
		int8_t *out_batch = output_data + b * n_pos * out_c;
		int32_t pos = 0;
#if defined(ARM_MATH_DSP)
		/*
         * Two output positions per pass (consecutive in row-major order, so
         * the second may start the next row): both im2col columns sit in the
         * scratch, and each weight word loaded and widened serves both, and
         * each column word serves two output channels. |col| <= 255 and
         * |w| <= 128, so with col_len <= 65535 every int32 dot is exact and
         * dsp_output_s8 gives what xs_nn_output_s8 gives for the plain loop's
         * int64 sum; longer columns and the odd last position take the
         * one-column loop below.
         */
		if (col_len <= 65535) {
			int16_t *col_b = col + col_len;
			/* The channels' bias and requantization, prepared a chunk at a time: once for all of a layer's
			   positions when its group has at most XS_NN_RQ_CHUNK channels. rq holds channels rq_base..rq_end. */
			xs_nn_requant_biased rq[XS_NN_RQ_CHUNK];
			int32_t rq_base = 0, rq_end = 0;
			const int full = act_min == -128 && act_max == 127;
			const int32_t col_len4 = col_len & ~3;
			for (; pos + 1 < n_pos; pos += 2) {
				const int32_t oy_a = pos / output_dims->w, ox_a = pos - oy_a * output_dims->w;
				const int32_t oy_b = (pos + 1) / output_dims->w, ox_b = pos + 1 - oy_b * output_dims->w;
				int8_t *out_a = out_batch + pos * out_c;
				int8_t *out_b = out_a + out_c;
				for (int32_t g = 0; g < groups; g++) {
					fill_column(col, in_batch, input_dims, filter_dims, conv_params,
					            oy_a * conv_params->stride.h - conv_params->padding.h,
					            ox_a * conv_params->stride.w - conv_params->padding.w, g * ck, 1);
					fill_column(col_b, in_batch, input_dims, filter_dims, conv_params,
					            oy_b * conv_params->stride.h - conv_params->padding.h,
					            ox_b * conv_params->stride.w - conv_params->padding.w, g * ck, 1);
					if ((ck & 3) != 0) { /* else fill_column wrote them paired */
						pair_column(col, col_len4);
						pair_column(col_b, col_len4);
					}

					const int32_t oc_end = (g + 1) * oc_per_group;
					int32_t oc = g * oc_per_group;
					for (; oc + 1 < oc_end; oc += 2) {
						if (oc < rq_base || oc + 2 > rq_end) {
							rq_base = oc;
							rq_end = rq_prepare(rq, bias_data, mult, shift, oc, oc_end);
						}
						const xs_nn_requant_biased *r0 = &rq[oc - rq_base], *r1 = r0 + 1;
						const int8_t *w0 = filter_data + oc * col_len;
						const int8_t *w1 = w0 + col_len;
						int32_t s0a = 0, s0b = 0, s1a = 0, s1b = 0;
						int32_t k = 0;
#if defined(__thumb2__)
						/* The loop below in assembly: GCC keeps its bound on the stack and steps four
						   pointers; here the weights' words are split once and each column word is loaded
						   once into one register and used for both channels at once: 20 instructions a
						   pass for its 23, in the 14 registers there are. */
						if (col_len4 > 0) {
							const int16_t *ca = col, *cb = col_b, *const ca_end = col + col_len4;
							const int8_t *pw0 = w0, *pw1 = w1;
							uint32_t we0, we1, wa, wb, c;
							__asm__("1:\n\t"
							        "ldr %[wa], [%[pw0]], #4\n\t"
							        "ldr %[wb], [%[pw1]], #4\n\t"
							        "sxtb16 %[we0], %[wa]\n\t"
							        "sxtb16 %[wa], %[wa], ror #8\n\t"
							        "sxtb16 %[we1], %[wb]\n\t"
							        "sxtb16 %[wb], %[wb], ror #8\n\t"
							        "ldr %[c], [%[ca]], #4\n\t"
							        "smlad %[s0a], %[c], %[we0], %[s0a]\n\t"
							        "smlad %[s1a], %[c], %[we1], %[s1a]\n\t"
							        "ldr %[c], [%[ca]], #4\n\t"
							        "smlad %[s0a], %[c], %[wa], %[s0a]\n\t"
							        "smlad %[s1a], %[c], %[wb], %[s1a]\n\t"
							        "ldr %[c], [%[cb]], #4\n\t"
							        "smlad %[s0b], %[c], %[we0], %[s0b]\n\t"
							        "smlad %[s1b], %[c], %[we1], %[s1b]\n\t"
							        "ldr %[c], [%[cb]], #4\n\t"
							        "smlad %[s0b], %[c], %[wa], %[s0b]\n\t"
							        "smlad %[s1b], %[c], %[wb], %[s1b]\n\t"
							        "cmp %[ca], %[end]\n\t"
							        "bne 1b"
							        : [ca] "+r"(ca), [cb] "+r"(cb), [pw0] "+r"(pw0), [pw1] "+r"(pw1), [s0a] "+r"(s0a),
							          [s0b] "+r"(s0b), [s1a] "+r"(s1a), [s1b] "+r"(s1b), [we0] "=&r"(we0),
							          [we1] "=&r"(we1), [wa] "=&r"(wa), [wb] "=&r"(wb), [c] "=&r"(c)
							        : [end] "r"(ca_end)
							        : "cc", "memory");
							k = col_len4;
						}
#endif
						for (; k < col_len4; k += 4) {
							const uint32_t a02 = xs_nn_read_u32(col + k), a13 = xs_nn_read_u32(col + k + 2);
							const uint32_t b02 = xs_nn_read_u32(col_b + k), b13 = xs_nn_read_u32(col_b + k + 2);
							uint32_t wv = xs_nn_read_u32(w0 + k);
							uint32_t we = __SXTB16(wv), wo = __SXTB16_RORn(wv, 8);
							s0a = (int32_t)__SMLAD(a02, we, (uint32_t)s0a);
							s0a = (int32_t)__SMLAD(a13, wo, (uint32_t)s0a);
							s0b = (int32_t)__SMLAD(b02, we, (uint32_t)s0b);
							s0b = (int32_t)__SMLAD(b13, wo, (uint32_t)s0b);
							wv = xs_nn_read_u32(w1 + k);
							we = __SXTB16(wv);
							wo = __SXTB16_RORn(wv, 8);
							s1a = (int32_t)__SMLAD(a02, we, (uint32_t)s1a);
							s1a = (int32_t)__SMLAD(a13, wo, (uint32_t)s1a);
							s1b = (int32_t)__SMLAD(b02, we, (uint32_t)s1b);
							s1b = (int32_t)__SMLAD(b13, wo, (uint32_t)s1b);
						}
						for (; k < col_len; k++) {
							s0a += col[k] * w0[k];
							s0b += col_b[k] * w0[k];
							s1a += col[k] * w1[k];
							s1b += col_b[k] * w1[k];
						}
						/* Each set of calls with `full` a constant, so rq_output_s8 is inlined without a test of it. */
						if (full) {
							out_a[oc] = rq_output_s8(s0a, r0, out_offset, -128, 127, 1);
							out_b[oc] = rq_output_s8(s0b, r0, out_offset, -128, 127, 1);
							out_a[oc + 1] = rq_output_s8(s1a, r1, out_offset, -128, 127, 1);
							out_b[oc + 1] = rq_output_s8(s1b, r1, out_offset, -128, 127, 1);
						} else {
							out_a[oc] = rq_output_s8(s0a, r0, out_offset, act_min, act_max, 0);
							out_b[oc] = rq_output_s8(s0b, r0, out_offset, act_min, act_max, 0);
							out_a[oc + 1] = rq_output_s8(s1a, r1, out_offset, act_min, act_max, 0);
							out_b[oc + 1] = rq_output_s8(s1b, r1, out_offset, act_min, act_max, 0);
						}
					}
					if (oc < oc_end) { /* an odd channel count: the last one alone */
						const int8_t *w0 = filter_data + oc * col_len;
						int32_t sa = 0, sb = 0;
						int32_t k = 0;
						for (; k < col_len4; k += 4) {
							const uint32_t wv = xs_nn_read_u32(w0 + k);
							const uint32_t we = __SXTB16(wv), wo = __SXTB16_RORn(wv, 8);
							sa = (int32_t)__SMLAD(xs_nn_read_u32(col + k), we, (uint32_t)sa);
							sa = (int32_t)__SMLAD(xs_nn_read_u32(col + k + 2), wo, (uint32_t)sa);
							sb = (int32_t)__SMLAD(xs_nn_read_u32(col_b + k), we, (uint32_t)sb);
							sb = (int32_t)__SMLAD(xs_nn_read_u32(col_b + k + 2), wo, (uint32_t)sb);
						}
						for (; k < col_len; k++) {
							sa += col[k] * w0[k];
							sb += col_b[k] * w0[k];
						}
						const int32_t bias0 = bias_data != NULL ? bias_data[oc] : 0;
						out_a[oc] = dsp_output_s8(bias0, sa, mult[oc], shift[oc], out_offset, act_min, act_max);
						out_b[oc] = dsp_output_s8(bias0, sb, mult[oc], shift[oc], out_offset, act_min, act_max);
					}
				}
			}
		}
#endif
		/* One position at a time: the portable path, and the DSP build's odd last position. */
		for (; pos < n_pos; pos++) {
			const int32_t oy = pos / output_dims->w, ox = pos - oy * output_dims->w;
			const int32_t base_y = oy * conv_params->stride.h - conv_params->padding.h;
			const int32_t base_x = ox * conv_params->stride.w - conv_params->padding.w;
			int8_t *out = out_batch + pos * out_c;
			for (int32_t g = 0; g < groups; g++) {
				/* The DSP loop wants SMLAD pair order; the plain loop (and columns too long for int32) natural order. */
				fill_column(col, in_batch, input_dims, filter_dims, conv_params, base_y, base_x, g * ck,
				            col_len <= 65535);
				const int32_t oc_end = (g + 1) * oc_per_group;
				int32_t oc = g * oc_per_group;
#if defined(ARM_MATH_DSP)
				if (col_len <= 65535) {
					const int32_t col_len4 = col_len & ~3;
					if ((ck & 3) != 0) {
						pair_column(col, col_len4);
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
						out[oc] = dsp_output_s8(bias_data != NULL ? bias_data[oc] : 0, dot, mult[oc], shift[oc],
						                        out_offset, act_min, act_max);
					}
				}
#endif
				for (; oc < oc_end; oc++) {
					const int8_t *w = filter_data + oc * col_len;
					int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
					for (int32_t k = 0; k < col_len; k++) {
						acc += col[k] * w[k];
					}
					out[oc] = xs_nn_output_s8(acc, mult[oc], shift[oc], out_offset, act_min, act_max);
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
