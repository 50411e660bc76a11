/*
 * arm_convolve_1x1_s8.c: pointwise s8 convolution with any stride, reading input pixels in place (no scratch).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * CMSIS-NN's contract: a 1x1 filter and no padding (dilation is not read).
 * Also refused: output dims whose strided input positions lie outside the
 * input (CMSIS-NN would read past it). arm_convolve_1x1_s8_fast is this
 * kernel with stride 1; both are reached through arm_convolve_wrapper_s8.
 */

#include "../arm_nnsupportfunctions.h"

/* Which output pixels a 1x1 convolution computes and where they read and write. */
typedef struct {
	int32_t rows;       /* rows of pixels: n * out_h, or 1 when stride 1 covers the whole input */
	int32_t cols;       /* pixels per row */
	int32_t out_h;      /* output rows per image (rows > 1) */
	int32_t in_row;     /* input bytes from one output row to the next within an image */
	int32_t in_image;   /* input bytes per image */
	int32_t out_row;    /* output bytes per row */
	int32_t pixel_step; /* input bytes from one output pixel to the next in a row */
} xs_nn_1x1_pixels;

static inline const int8_t *xs_nn_1x1_row_src(const xs_nn_1x1_pixels *px, const int8_t *input, int32_t r)
{
	return input + (r / px->out_h) * px->in_image + (r % px->out_h) * px->in_row;
}

#if defined(ARM_MATH_DSP)
/* Input channels the four widened filter rows of xs_nn_1x1_block4 hold on the stack (4 KB). */
#define XS_NN_1X1_BLOCK_MAX_C 512

/*
 * Output channels oc..oc+3 (fewer at the end: the missing rows are zero)
 * at every pixel. The four filter rows are widened to int16 pairs once, on
 * the stack, in the order the inner loop reads them; the input offset goes
 * into the accumulators' start as input_offset * (sum of the row), so an
 * input word needs no offset: per four input channels one load and two
 * SXTB16 of input, four LDRDs of weights and eight SMLADs (16 MACs).
 * Accumulation is int32 as in the other DSP loops (it wraps, as SMLAD does,
 * only outside TFLite's valid ranges).
 */
/* One pixel's count (1 to 4) outputs of a block requantized, offset, clamped and stored. */
static inline void xs_nn_1x1_store(int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t count,
                                   const xs_nn_requant *rq, int32_t out_offset, int32_t act_min, int32_t act_max,
                                   int8_t *out)
{
	const int32_t r0 = xs_nn_requant_apply(a0, &rq[0]) + out_offset;
	out[0] = (int8_t)xs_nn_clamp(r0, act_min, act_max);
	if (count == 4) {
		const int32_t r1 = xs_nn_requant_apply(a1, &rq[1]) + out_offset;
		const int32_t r2 = xs_nn_requant_apply(a2, &rq[2]) + out_offset;
		const int32_t r3 = xs_nn_requant_apply(a3, &rq[3]) + out_offset;
		out[1] = (int8_t)xs_nn_clamp(r1, act_min, act_max);
		out[2] = (int8_t)xs_nn_clamp(r2, act_min, act_max);
		out[3] = (int8_t)xs_nn_clamp(r3, act_min, act_max);
		return;
	}
	const int32_t accs[3] = {a1, a2, a3};
	for (int32_t k = 1; k < count; k++) {
		const int32_t rk = xs_nn_requant_apply(accs[k - 1], &rq[k]) + out_offset;
		out[k] = (int8_t)xs_nn_clamp(rk, act_min, act_max);
	}
}

/*
 * The two-pixel pass over in_c4 (> 0) input channels, in assembly: GCC kept
 * the eight accumulators, three pointers and three temporaries in thirteen
 * registers by spilling four values a pass (46 instructions for 32 MACs).
 * Here each has a register (the loop's end is pushed and read from the
 * stack: a memory operand may be addressed off a register the loop moves), and
 * each input word is loaded twice, once per SXTB16 half, rather than kept
 * raw in a fifteenth register: 36 instructions.
 */
static inline void xs_nn_1x1_pair4(const int8_t *src_a, const int8_t *src_b, const uint32_t *w, int32_t in_c4,
                                   int32_t a[4], int32_t b[4])
{
	int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	int32_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	uint32_t xa, xb, wt = (uint32_t)(uintptr_t)(src_a + in_c4);
	__asm__ volatile("push {%[wt]}\n\t"
	                 "1:\n\t"
	                 "ldr %[xa], [%[sa]]\n\t"
	                 "ldr %[xb], [%[sb]]\n\t"
	                 "sxtb16 %[xa], %[xa]\n\t"
	                 "sxtb16 %[xb], %[xb]\n\t"
	                 "ldr %[wt], [%[w]]\n\t"
	                 "smlad %[a0], %[xa], %[wt], %[a0]\n\t"
	                 "smlad %[b0], %[xb], %[wt], %[b0]\n\t"
	                 "ldr %[wt], [%[w], #8]\n\t"
	                 "smlad %[a1], %[xa], %[wt], %[a1]\n\t"
	                 "smlad %[b1], %[xb], %[wt], %[b1]\n\t"
	                 "ldr %[wt], [%[w], #16]\n\t"
	                 "smlad %[a2], %[xa], %[wt], %[a2]\n\t"
	                 "smlad %[b2], %[xb], %[wt], %[b2]\n\t"
	                 "ldr %[wt], [%[w], #24]\n\t"
	                 "smlad %[a3], %[xa], %[wt], %[a3]\n\t"
	                 "smlad %[b3], %[xb], %[wt], %[b3]\n\t"
	                 "ldr %[xa], [%[sa]], #4\n\t"
	                 "ldr %[xb], [%[sb]], #4\n\t"
	                 "sxtb16 %[xa], %[xa], ror #8\n\t"
	                 "sxtb16 %[xb], %[xb], ror #8\n\t"
	                 "ldr %[wt], [%[w], #4]\n\t"
	                 "smlad %[a0], %[xa], %[wt], %[a0]\n\t"
	                 "smlad %[b0], %[xb], %[wt], %[b0]\n\t"
	                 "ldr %[wt], [%[w], #12]\n\t"
	                 "smlad %[a1], %[xa], %[wt], %[a1]\n\t"
	                 "smlad %[b1], %[xb], %[wt], %[b1]\n\t"
	                 "ldr %[wt], [%[w], #20]\n\t"
	                 "smlad %[a2], %[xa], %[wt], %[a2]\n\t"
	                 "smlad %[b2], %[xb], %[wt], %[b2]\n\t"
	                 "ldr %[wt], [%[w], #28]\n\t"
	                 "smlad %[a3], %[xa], %[wt], %[a3]\n\t"
	                 "smlad %[b3], %[xb], %[wt], %[b3]\n\t"
	                 "add %[w], %[w], #32\n\t"
	                 "ldr %[wt], [sp]\n\t"
	                 "cmp %[sa], %[wt]\n\t"
	                 "bne 1b\n\t"
	                 "add sp, sp, #4"
	                 : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [b0] "+r"(b0), [b1] "+r"(b1),
	                   [b2] "+r"(b2), [b3] "+r"(b3), [sa] "+r"(src_a), [sb] "+r"(src_b), [w] "+r"(w), [xa] "=&r"(xa),
	                   [xb] "=&r"(xb), [wt] "+r"(wt)
	                 :
	                 : "cc", "memory");
	a[0] = a0;
	a[1] = a1;
	a[2] = a2;
	a[3] = a3;
	b[0] = b0;
	b[1] = b1;
	b[2] = b2;
	b[3] = b3;
}

static void xs_nn_1x1_block4(const cmsis_nn_conv_params *p, const cmsis_nn_per_channel_quant_params *q,
                             const int32_t *bias_data, const int8_t *filter_data, int32_t in_c, int32_t oc,
                             int32_t count, const xs_nn_1x1_pixels *px, const int8_t *input_data, int8_t *output_data)
{
	uint32_t wbuf[XS_NN_1X1_BLOCK_MAX_C * 2];
	const int32_t in_c4 = in_c & ~3;
	int32_t init[4] = {0, 0, 0, 0};
	xs_nn_requant rq[4];
	const int8_t *rows[4];
	for (int32_t k = 0; k < 4; k++) {
		rows[k] = filter_data + (oc + (k < count ? k : 0)) * in_c;
		uint32_t sum = 0;
		for (int32_t c = 0; c < in_c4; c += 4) {
			const uint32_t w = k < count ? xs_nn_read_u32(rows[k] + c) : 0;
			const uint32_t w02 = __SXTB16(w), w13 = __SXTB16_RORn(w, 8);
			wbuf[2 * c + 2 * k] = w02;
			wbuf[2 * c + 2 * k + 1] = w13;
			sum = __SMLAD(w02, 0x00010001u, __SMLAD(w13, 0x00010001u, sum));
		}
		for (int32_t c = in_c4; c < in_c; c++) {
			sum += (uint32_t)(int32_t)rows[k][c];
		}
		if (k < count) {
			const int32_t bias = bias_data != NULL ? bias_data[oc + k] : 0;
			init[k] = (int32_t)((uint32_t)bias + sum * (uint32_t)p->input_offset);
		}
		rq[k] = xs_nn_requant_prepare(q->multiplier[oc + (k < count ? k : 0)], q->shift[oc + (k < count ? k : 0)]);
	}
	const int32_t out_offset = p->output_offset;
	const int32_t act_min = p->activation.min;
	const int32_t act_max = p->activation.max;
	const int32_t out_c = px->out_row / px->cols;

	for (int32_t r = 0; r < px->rows; r++) {
		const int8_t *src = xs_nn_1x1_row_src(px, input_data, r);
		int8_t *out = output_data + r * px->out_row + oc;
		int32_t x = 0;
		/*
         * Two pixels a pass: each widened weight word serves both, so 16
         * SMLADs (32 MACs) take eight weight loads, two input loads and four
         * SXTB16.
         */
		for (; x + 2 <= px->cols && in_c4 == in_c; x += 2, src += 2 * px->pixel_step, out += 2 * out_c) {
			int32_t a[4] = {init[0], init[1], init[2], init[3]};
			int32_t b[4] = {init[0], init[1], init[2], init[3]};
			xs_nn_1x1_pair4(src, src + px->pixel_step, wbuf, in_c4, a, b);
			xs_nn_1x1_store(a[0], a[1], a[2], a[3], count, rq, out_offset, act_min, act_max, out);
			xs_nn_1x1_store(b[0], b[1], b[2], b[3], count, rq, out_offset, act_min, act_max, out + out_c);
		}
		for (; x < px->cols; x++, src += px->pixel_step, out += out_c) {
			int32_t a0 = init[0], a1 = init[1], a2 = init[2], a3 = init[3];
			const uint32_t *w = wbuf;
			for (int32_t c = 0; c < in_c4; c += 4, w += 8) {
				const uint32_t v = xs_nn_read_u32(src + c);
				const uint32_t v02 = __SXTB16(v);
				const uint32_t v13 = __SXTB16_RORn(v, 8);
				a0 = (int32_t)__SMLAD(v02, w[0], (uint32_t)a0);
				a0 = (int32_t)__SMLAD(v13, w[1], (uint32_t)a0);
				a1 = (int32_t)__SMLAD(v02, w[2], (uint32_t)a1);
				a1 = (int32_t)__SMLAD(v13, w[3], (uint32_t)a1);
				a2 = (int32_t)__SMLAD(v02, w[4], (uint32_t)a2);
				a2 = (int32_t)__SMLAD(v13, w[5], (uint32_t)a2);
				a3 = (int32_t)__SMLAD(v02, w[6], (uint32_t)a3);
				a3 = (int32_t)__SMLAD(v13, w[7], (uint32_t)a3);
			}
			for (int32_t c = in_c4; c < in_c; c++) {
				const int32_t v = src[c];
				a0 += v * rows[0][c];
				a1 += v * rows[1][c];
				a2 += v * rows[2][c];
				a3 += v * rows[3][c];
			}
			xs_nn_1x1_store(a0, a1, a2, a3, count, rq, out_offset, act_min, act_max, out);
		}
	}
}
#endif

arm_cmsis_nn_status arm_convolve_1x1_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                        const cmsis_nn_per_channel_quant_params *quant_params,
                                        const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                        const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                        const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                        const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)ctx;       /* no scratch: the size function answers 0 */
	(void)bias_dims; /* the bias length is output_dims->c by contract */
	if (input_data == NULL || filter_data == NULL || output_data == NULL ||
	    !xs_nn_conv_args_ok(conv_params, quant_params, input_dims, filter_dims, output_dims) ||
	    !xs_nn_is_pointwise(conv_params, input_dims, filter_dims, output_dims)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}

	const int32_t in_c = input_dims->c;
	const int32_t out_c = output_dims->c;
	/*
     * Stride 1 over the whole input (arm_convolve_1x1_s8_fast's case) is one
     * row of n * h * w pixels, read and written contiguously.
     */
	const bool flat = conv_params->stride.h == 1 && conv_params->stride.w == 1 && output_dims->h == input_dims->h &&
	        output_dims->w == input_dims->w;
	const xs_nn_1x1_pixels px = {
	        flat ? 1 : input_dims->n * output_dims->h,
	        flat ? input_dims->n * output_dims->h * output_dims->w : output_dims->w,
	        output_dims->h,
	        conv_params->stride.h * input_dims->w * in_c,
	        input_dims->h * input_dims->w * in_c,
	        (flat ? input_dims->n * output_dims->h * output_dims->w : output_dims->w) * out_c,
	        conv_params->stride.w * in_c,
	};

#if defined(ARM_MATH_DSP)
	if (in_c <= XS_NN_1X1_BLOCK_MAX_C) {
		for (int32_t oc = 0; oc < out_c; oc += 4) {
			xs_nn_1x1_block4(conv_params, quant_params, bias_data, filter_data, in_c, oc,
			                 out_c - oc < 4 ? out_c - oc : 4, &px, input_data, output_data);
		}
		return ARM_CMSIS_NN_SUCCESS;
	}
#endif
	for (int32_t r = 0; r < px.rows; r++) {
		const int8_t *src = xs_nn_1x1_row_src(&px, input_data, r);
		int8_t *out = output_data + r * px.out_row;
		for (int32_t x = 0; x < px.cols; x++, src += px.pixel_step, out += out_c) {
			for (int32_t oc = 0; oc < out_c; oc++) {
				const int8_t *w = filter_data + oc * in_c;
				int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
				for (int32_t c = 0; c < in_c; c++) {
					acc += (src[c] + conv_params->input_offset) * w[c];
				}
				out[oc] = xs_nn_output_s8(acc, quant_params->multiplier[oc], quant_params->shift[oc],
				                          conv_params->output_offset, conv_params->activation.min,
				                          conv_params->activation.max);
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_convolve_1x1_s8_fast(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                             const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                             const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                             const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                             const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	if (conv_params == NULL || conv_params->stride.w != 1 || conv_params->stride.h != 1) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return arm_convolve_1x1_s8(ctx, conv_params, quant_params, input_dims, input_data, filter_dims, filter_data,
	                           bias_dims, bias_data, output_dims, output_data);
}

int32_t arm_convolve_1x1_s8_fast_get_buffer_size(const cmsis_nn_dims *input_dims)
{
	(void)input_dims;
	return 0;
}
