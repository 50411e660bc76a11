/*
 * arm_nnsupportfunctions.h: private arithmetic, argument checks and dispatchers of native/nn.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Not part of the public API: names carry the xs_nn_ prefix so that they can
 * never collide with CMSIS-NN's own private helpers.
 */
#ifndef XS_NN_SUPPORTFUNCTIONS_H
#define XS_NN_SUPPORTFUNCTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "xs_nn_rounding.h"

/*
 * CMSIS-NN's feature macro, derived the same way, so that a later
 * `#if defined(ARM_MATH_DSP)` fast path in a kernel file switches on by
 * itself on Cortex-M7. The plain C path stays compiled on every target (it is
 * the reference the fast path is tested against).
 */
#if defined(__ARM_FEATURE_DSP) && (__ARM_FEATURE_DSP == 1) && !defined(ARM_MATH_DSP)
#define ARM_MATH_DSP 1
#endif

#if defined(ARM_MATH_DSP)
#include "cmsis_compiler.h" /* CMSIS Core's intrinsics: __SXTB16, __SADD16, __SMLAD */
#endif

#define XS_NN_Q7_MIN (-128)
#define XS_NN_Q7_MAX 127

/* Scratch buffers hold int16/int32 data: require this alignment of ctx->buf. */
#define XS_NN_CTX_ALIGN 4

/* Four int8 (or two int16) values as one word: memcpy compiles to a single LDR on Cortex-M7,
   which allows unaligned words, and stays defined C wherever the data sits. */
static inline uint32_t xs_nn_read_u32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

#if defined(ARM_MATH_DSP)
/* An offset in both int16 lanes, for __SADD16. */
static inline uint32_t xs_nn_pair16(int32_t v)
{
	return ((uint32_t)(uint16_t)v << 16) | (uint16_t)v;
}

/*
 * Four dot products at once: acc[k] += sum (x[c] + offset) * w[k * stride + c] for c < n4 (a multiple
 * of 4), in int32. SXTB16 splits a word of four int8 into the int16 pairs (b0,b2) and (b1,b3); input
 * and weights are split alike, so the pairwise products SMLAD adds are exactly the dot product's
 * terms. The input is widened once for four rows: 27 instructions per 16 MACs instead of 34 for two.
 * x + offset lies in [-255, 255] and fits an int16 lane.
 */
static inline void xs_nn_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n4, uint32_t offset2,
                                 int32_t acc[4])
{
	int32_t acc0 = acc[0], acc1 = acc[1], acc2 = acc[2], acc3 = acc[3];
	for (int32_t c = 0; c < n4; c += 4) {
		const uint32_t s = xs_nn_read_u32(x + c);
		const uint32_t s02 = __SADD16(__SXTB16(s), offset2);
		const uint32_t s13 = __SADD16(__SXTB16_RORn(s, 8), offset2);
		uint32_t v = xs_nn_read_u32(w + c);
		acc0 = (int32_t)__SMLAD(s02, __SXTB16(v), (uint32_t)acc0);
		acc0 = (int32_t)__SMLAD(s13, __SXTB16_RORn(v, 8), (uint32_t)acc0);
		v = xs_nn_read_u32(w + stride + c);
		acc1 = (int32_t)__SMLAD(s02, __SXTB16(v), (uint32_t)acc1);
		acc1 = (int32_t)__SMLAD(s13, __SXTB16_RORn(v, 8), (uint32_t)acc1);
		v = xs_nn_read_u32(w + 2 * stride + c);
		acc2 = (int32_t)__SMLAD(s02, __SXTB16(v), (uint32_t)acc2);
		acc2 = (int32_t)__SMLAD(s13, __SXTB16_RORn(v, 8), (uint32_t)acc2);
		v = xs_nn_read_u32(w + 3 * stride + c);
		acc3 = (int32_t)__SMLAD(s02, __SXTB16(v), (uint32_t)acc3);
		acc3 = (int32_t)__SMLAD(s13, __SXTB16_RORn(v, 8), (uint32_t)acc3);
	}
	acc[0] = acc0;
	acc[1] = acc1;
	acc[2] = acc2;
	acc[3] = acc3;
}
#endif

static inline int32_t xs_nn_clamp(int32_t x, int32_t lo, int32_t hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

static inline int32_t xs_nn_sat32(int64_t x)
{
	return x < INT32_MIN ? INT32_MIN : (x > INT32_MAX ? INT32_MAX : (int32_t)x);
}

/*
 * The output stage shared by every accumulating kernel: saturate the
 * accumulator (kept in 64 bits, so a hostile bias or a huge depth cannot
 * overflow it), requantize, add the output offset without overflowing, clamp.
 * Inside TFLite's valid ranges nothing saturates and this is plain int32
 * arithmetic; outside them (a corrupt model) the result saturates instead of
 * being undefined behaviour (found by the sanitizer fuzz test).
 */
static inline int8_t xs_nn_output_s8(int64_t acc, int32_t multiplier, int32_t shift, int32_t offset, int32_t act_min,
                                     int32_t act_max);

/* ---- Fixed-point primitives (gemmlowp semantics) ---- */

/*
 * SaturatingRoundingDoublingHighMul: round(a * b / 2^31) with ties rounded
 * up; the nudge 1 - 2^30 for negative products combined with C's truncating
 * division gives the same tie direction as for positive ones. Only
 * INT32_MIN * INT32_MIN overflows.
 */
static inline int32_t xs_nn_doubling_high_mult(int32_t a, int32_t b)
{
	if (a == INT32_MIN && b == INT32_MIN) {
		return INT32_MAX;
	}
	const int64_t ab = (int64_t)a * b;
	const int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
	return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/*
 * RoundingDivideByPOT: x / 2^exponent rounded half away from zero,
 * exponent in [0, 31]. Relies on >> of a negative value being arithmetic, as
 * on every compiler xsight targets (GCC, Clang, Arm Compiler).
 */
static inline int32_t xs_nn_divide_by_pow2(int32_t x, int32_t exponent)
{
	const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
	const int32_t remainder = x & mask;
	const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
	return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * 2^exponent, saturated to int32 (gemmlowp's SaturatingRoundingMultiplyByPOT for exponent >= 0). */
static inline int32_t xs_nn_sat_shl(int32_t x, int32_t exponent)
{
	return xs_nn_sat32((int64_t)x * ((int64_t)1 << exponent));
}

/*
 * Requantize an accumulator: val * multiplier * 2^(shift - 31), shift in
 * [-31, 30]. The two roundings are documented in arm_nnfunctions.h; the
 * single one is written as one add and one shift because that is what both
 * CMSIS-NN and TFLite compute: (p >> (k - 1) + 1) >> 1 == (p + 2^(k-1)) >> k.
 * Saturation only matters outside TFLite's valid range (where TFLite's own
 * arithmetic overflows).
 */
static inline int32_t xs_nn_requantize(int32_t val, int32_t multiplier, int32_t shift)
{
#if XSIGHT_NN_SINGLE_ROUNDING
	const int32_t total_shift = 31 - shift;
	if (total_shift >= 33) {
		/*
         * The common case: the rounding term 2^(k-1) (k = total_shift) is a
         * multiple of 2^32, so with hi = floor(prod / 2^32),
         * (prod + 2^(k-1)) >> k == (hi + 2^(k-33)) >> (k-32) exactly: one
         * SMULL and two 32-bit operations (|hi| <= 2^30, no overflow).
         */
		const int32_t hi = (int32_t)(((int64_t)val * multiplier) >> 32);
		return (hi + (1 << (total_shift - 33))) >> (total_shift - 32);
	}
	const int64_t prod = (int64_t)val * multiplier;
	if (total_shift == 32) {
		/*
         * shift == -1: one 64-bit add and the high word instead of a generic
         * 64-bit shift and saturation (|prod| <= 2^62, the rounding term is
         * 2^31, so the sum fits int64 and its high word int32).
         */
		return (int32_t)((prod + ((int64_t)1 << 31)) >> 32);
	}
	return xs_nn_sat32((prod + ((int64_t)1 << (total_shift - 1))) >> total_shift);
#else
	const int32_t left = shift > 0 ? shift : 0;
	const int32_t right = shift > 0 ? 0 : -shift;
	return xs_nn_divide_by_pow2(xs_nn_doubling_high_mult(xs_nn_sat_shl(val, left), multiplier), right);
#endif
}

/*
 * One channel's requantization prepared once for its many outputs. With
 * single rounding and shift <= -2 (every layer of the project's models)
 * xs_nn_requantize's common case is a multiply-high, an add and a shift
 * whose two constants depend on the channel only; the rest goes to
 * xs_nn_requantize itself, so both give the same result for every input.
 */
typedef struct {
	int32_t multiplier;
	int32_t shift;
	int32_t round;  /* 2^(rshift - 1), or 0: not the common case */
	int32_t rshift; /* 31 - shift - 32 */
} xs_nn_requant;

static inline xs_nn_requant xs_nn_requant_prepare(int32_t multiplier, int32_t shift)
{
	xs_nn_requant r = {multiplier, shift, 0, 0};
#if XSIGHT_NN_SINGLE_ROUNDING
	if (shift <= -2) {
		r.rshift = -1 - shift;
		r.round = 1 << (r.rshift - 1);
	}
#endif
	return r;
}

static inline int32_t xs_nn_requant_apply(int32_t val, const xs_nn_requant *r)
{
	if (r->round != 0) {
		const int32_t hi = (int32_t)(((int64_t)val * r->multiplier) >> 32);
		return (hi + r->round) >> r->rshift;
	}
	return xs_nn_requantize(val, r->multiplier, r->shift);
}

static inline int8_t xs_nn_output_s8(int64_t acc, int32_t multiplier, int32_t shift, int32_t offset, int32_t act_min,
                                     int32_t act_max)
{
	const int32_t scaled = xs_nn_requantize(xs_nn_sat32(acc), multiplier, shift);
	return (int8_t)xs_nn_clamp(xs_nn_sat32((int64_t)scaled + offset), act_min, act_max);
}

/* ---- gemmlowp fixed-point functions used by softmax (and later sigmoid/tanh) ----
 *
 * Written from gemmlowp's published algorithms. Every constant is
 * round(value * 2^31) (Q0.31) or round(value * 2^29) (Q2.29), so each can be
 * recomputed from its formula; test_softmax.c does, and compares these
 * functions with a reference derivation over many inputs.
 */

/* Integer bits of the exp input: Q5.26, what softmax's diff_min is based on. */
#define XS_NN_EXP_INPUT_INT_BITS 5

/* Leading zero bits of x (32 for 0). */
static inline int32_t xs_nn_clz(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return x == 0 ? 32 : __builtin_clz(x);
#else
	int32_t n = 0;
	while (n < 32 && (x & 0x80000000u) == 0) {
		x <<= 1;
		n++;
	}
	return n;
#endif
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out. */
static inline int32_t xs_nn_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
	const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) */
	const int32_t one_third = 715827883;             /* 1/3 */
	/* Taylor expansion around -1/8: x = a + 1/8. */
	const int32_t x = a + (1 << 28);
	const int32_t x2 = xs_nn_doubling_high_mult(x, x);
	const int32_t x3 = xs_nn_doubling_high_mult(x2, x);
	const int32_t x4 = xs_nn_doubling_high_mult(x2, x2);
	const int32_t x4_over_4 = xs_nn_divide_by_pow2(x4, 2);
	/* x^2/2 + x^3/6 + x^4/24 = ((x^4/4 + x^3) / 3 + x^2) / 2 */
	const int32_t tail = xs_nn_divide_by_pow2(xs_nn_doubling_high_mult(x4_over_4 + x3, one_third) + x2, 1);
	return exp_minus_one_eighth + xs_nn_doubling_high_mult(exp_minus_one_eighth, x + tail);
}

/* exp(a) for a <= 0 in Q5.26, result in Q0.31 (exp(0) saturates to INT32_MAX). */
static inline int32_t xs_nn_exp_on_negative_values(int32_t a)
{
	/* exp(-2^k) for k = -2 .. 4, i.e. the weights of bits 24..30 of a Q5.26 value. */
	static const int32_t exp_of_minus_pow2[7] = {
	        1672461947, /* exp(-1/4) */
	        1302514674, /* exp(-1/2) */
	        790015084,  /* exp(-1) */
	        290630308,  /* exp(-2) */
	        39332535,   /* exp(-4) */
	        720401,     /* exp(-8) */
	        242,        /* exp(-16) */
	};
	const int32_t one_quarter = 1 << (31 - XS_NN_EXP_INPUT_INT_BITS - 2);
	/* a = (a mod 1/4 - 1/4) - r with r a non-negative multiple of 1/4. */
	const int32_t frac = (a & (one_quarter - 1)) - one_quarter;
	int32_t result =
	        xs_nn_exp_on_interval_between_negative_one_quarter_and_0_excl(frac * (1 << XS_NN_EXP_INPUT_INT_BITS));
	const int32_t remainder = frac - a;
	for (int32_t k = 0; k < 7; k++) {
		if (remainder & (1 << (31 - XS_NN_EXP_INPUT_INT_BITS - 2 + k))) {
			result = xs_nn_doubling_high_mult(result, exp_of_minus_pow2[k]);
		}
	}
	/* With 5 integer bits a >= -32, so no clamp to 0 is needed below exp(-32). */
	return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + x) for x in [0, 1), Q0.31 in and out, by three Newton-Raphson steps in Q2.29. */
static inline int32_t xs_nn_one_over_one_plus_x_for_x_in_0_1(int32_t x)
{
	/* (1 + x) / 2, rounded half away from zero (RoundingHalfSum). */
	const int64_t sum = (int64_t)x + INT32_MAX;
	const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
	const int32_t c_48_over_17 = 1515870810;      /* 48/17 in Q2.29 */
	const int32_t c_neg_32_over_17 = -1010580540; /* -32/17 in Q2.29 */
	const int32_t one_q2 = 1 << 29;

	int32_t r = c_48_over_17 + xs_nn_doubling_high_mult(half_denominator, c_neg_32_over_17);
	for (int32_t i = 0; i < 3; i++) {
		const int32_t err = one_q2 - xs_nn_doubling_high_mult(half_denominator, r);
		/* r * err is Q4.27; back to Q2.29 with a saturating x4. */
		r = r + xs_nn_sat_shl(xs_nn_doubling_high_mult(r, err), 2);
	}
	/* r approximates 1 / half_denominator = 2 / (1 + x): halve it (Q2.29 -> Q1.30 view) and go to Q0.31. */
	return xs_nn_sat_shl(r, 1);
}

/* ---- Argument checks shared by the kernels (each returns true when valid) ---- */

static inline bool xs_nn_shift_ok(int32_t shift)
{
	return shift >= -31 && shift <= 30;
}

static inline bool xs_nn_activation_ok(const cmsis_nn_activation *act)
{
	return act->min >= XS_NN_Q7_MIN && act->max <= XS_NN_Q7_MAX && act->min <= act->max;
}

static inline bool xs_nn_input_offset_ok(int32_t offset)
{
	return offset >= -127 && offset <= 128;
}

static inline bool xs_nn_output_offset_ok(int32_t offset)
{
	return offset >= XS_NN_Q7_MIN && offset <= XS_NN_Q7_MAX;
}

/* All four dims positive and the element count within int32 (indices are int32_t). */
static inline bool xs_nn_dims_ok(const cmsis_nn_dims *d)
{
	if (d == NULL || d->n <= 0 || d->h <= 0 || d->w <= 0 || d->c <= 0) {
		return false;
	}
	return (int64_t)d->n * d->h * d->w * d->c <= INT32_MAX;
}

static inline bool xs_nn_tile_ok(const cmsis_nn_tile *t, int32_t min)
{
	return t->w >= min && t->h >= min;
}

static inline bool xs_nn_per_channel_ok(const cmsis_nn_per_channel_quant_params *q, int32_t channels)
{
	if (q == NULL || q->multiplier == NULL || q->shift == NULL) {
		return false;
	}
	for (int32_t i = 0; i < channels; i++) {
		if (!xs_nn_shift_ok(q->shift[i])) {
			return false;
		}
	}
	return true;
}

/* ctx may be NULL when the kernel needs no scratch; otherwise it must cover `required` bytes. */
static inline bool xs_nn_ctx_ok(const cmsis_nn_context *ctx, int32_t required)
{
	if (required <= 0) {
		return true;
	}
	return ctx != NULL && ctx->buf != NULL && ((uintptr_t)ctx->buf % XS_NN_CTX_ALIGN) == 0 && ctx->size >= required;
}

/* Byte count as an int32 answer for get_buffer_size: INT32_MAX when it does not fit. */
static inline int32_t xs_nn_size32(int64_t bytes)
{
	return bytes > INT32_MAX ? INT32_MAX : (int32_t)bytes;
}

/*
 * The dilation a kernel of k_h x k_w taps uses: along an axis with one tap it
 * changes nothing, so there (as in CMSIS-NN, which never reads it for a 1x1
 * filter) it may be left unset and is taken as 1.
 */
static inline cmsis_nn_tile xs_nn_dilation(const cmsis_nn_tile *dilation, int32_t k_h, int32_t k_w)
{
	const cmsis_nn_tile d = {k_w == 1 ? 1 : dilation->w, k_h == 1 ? 1 : dilation->h};
	return d;
}

/*
 * The window every convolution takes (conv and depthwise params carry the
 * same fields in different structs): what the size functions read too.
 */
static inline bool xs_nn_window_params_ok(const cmsis_nn_tile *stride, const cmsis_nn_tile *dilation,
                                          const cmsis_nn_tile *padding, int32_t k_h, int32_t k_w)
{
	const cmsis_nn_tile d = xs_nn_dilation(dilation, k_h, k_w);
	return xs_nn_tile_ok(stride, 1) && xs_nn_tile_ok(&d, 1) && xs_nn_tile_ok(padding, 0);
}

/*
 * The quantization parameters every convolution takes, checked by the
 * kernels only: a size function does not read them, so CMSIS-NN's callers
 * may leave them unset when they ask (its DS-CNN test does).
 */
static inline bool xs_nn_conv_quant_ok(int32_t input_offset, int32_t output_offset,
                                       const cmsis_nn_activation *activation)
{
	return xs_nn_input_offset_ok(input_offset) && xs_nn_output_offset_ok(output_offset) &&
	        xs_nn_activation_ok(activation);
}

/*
 * The fields of a convolution's dims CMSIS-NN reads: the batches are
 * input_dims->n and the output channels output_dims->c. filter_dims->n and
 * output_dims->n (and a depthwise filter_dims->n and ->c) are never read,
 * so a caller may leave them uninitialized as CMSIS-NN's own tests do. The
 * output's element count is checked with the input's batches.
 */
static inline bool xs_nn_conv_dims_ok(const cmsis_nn_dims *in, int32_t k_h, int32_t k_w, const cmsis_nn_dims *out)
{
	if (!xs_nn_dims_ok(in) || out == NULL || k_h <= 0 || k_w <= 0) {
		return false;
	}
	const cmsis_nn_dims out_n = {in->n, out->h, out->w, out->c};
	return xs_nn_dims_ok(&out_n);
}

/*
 * Convolution arguments shared by arm_convolve_s8 and its variants: dims,
 * groups, params and per-channel quantization. Data pointers are checked by
 * the kernels themselves.
 */
static inline bool xs_nn_conv_shape_ok(const cmsis_nn_conv_params *p, const cmsis_nn_dims *in, const cmsis_nn_dims *f,
                                       const cmsis_nn_dims *out)
{
	if (p == NULL || f == NULL || f->c <= 0 || !xs_nn_conv_dims_ok(in, f->h, f->w, out)) {
		return false;
	}
	if (in->c % f->c != 0) {
		return false;
	}
	const int32_t groups = in->c / f->c;
	if (out->c % groups != 0) {
		return false;
	}
	return xs_nn_window_params_ok(&p->stride, &p->dilation, &p->padding, f->h, f->w);
}

/*
 * arm_convolve_1x1_s8's shapes: a 1x1 filter over all input channels, no
 * padding, and every strided input position inside the input (the generic
 * kernel pads larger output dims instead of reading past the input).
 */
static inline bool xs_nn_is_pointwise(const cmsis_nn_conv_params *p, const cmsis_nn_dims *in, const cmsis_nn_dims *f,
                                      const cmsis_nn_dims *out)
{
	return f->h == 1 && f->w == 1 && p->padding.h == 0 && p->padding.w == 0 && f->c == in->c &&
	        (int64_t)(out->h - 1) * p->stride.h < in->h && (int64_t)(out->w - 1) * p->stride.w < in->w;
}

static inline bool xs_nn_conv_args_ok(const cmsis_nn_conv_params *p, const cmsis_nn_per_channel_quant_params *q,
                                      const cmsis_nn_dims *in, const cmsis_nn_dims *f, const cmsis_nn_dims *out)
{
	return xs_nn_conv_shape_ok(p, in, f, out) &&
	        xs_nn_conv_quant_ok(p->input_offset, p->output_offset, &p->activation) && xs_nn_per_channel_ok(q, out->c);
}

static inline bool xs_nn_dw_conv_shape_ok(const cmsis_nn_dw_conv_params *p, const cmsis_nn_dims *in,
                                          const cmsis_nn_dims *f, const cmsis_nn_dims *out)
{
	if (p == NULL || f == NULL || !xs_nn_conv_dims_ok(in, f->h, f->w, out)) {
		return false;
	}
	if (p->ch_mult <= 0 || (int64_t)in->c * p->ch_mult != out->c) {
		return false;
	}
	return xs_nn_window_params_ok(&p->stride, &p->dilation, &p->padding, f->h, f->w);
}

static inline bool xs_nn_dw_conv_args_ok(const cmsis_nn_dw_conv_params *p, const cmsis_nn_per_channel_quant_params *q,
                                         const cmsis_nn_dims *in, const cmsis_nn_dims *f, const cmsis_nn_dims *out)
{
	return xs_nn_dw_conv_shape_ok(p, in, f, out) &&
	        xs_nn_conv_quant_ok(p->input_offset, p->output_offset, &p->activation) && xs_nn_per_channel_ok(q, out->c);
}

/*
 * Taps k in [0, kernel) whose input position base + k * dilation lies in
 * [0, size): written to *start and *end (end exclusive, may equal start).
 * Hoisting this out of the inner loops keeps the padding tests per row, not per tap.
 */
static inline void xs_nn_valid_taps(int32_t base, int32_t dilation, int32_t kernel, int32_t size, int32_t *start,
                                    int32_t *end)
{
	int32_t s = 0;
	if (base < 0) {
		s = (-base + dilation - 1) / dilation;
	}
	int32_t e = 0;
	if (size - base > 0) {
		e = (size - base + dilation - 1) / dilation;
	}
	if (e > kernel) {
		e = kernel;
	}
	if (s > e) {
		s = e;
	}
	*start = s;
	*end = e;
}

/* ---- Private dispatchers: one decision shared by each wrapper and its get_buffer_size ---- */

typedef enum {
	XS_NN_CONV_INVALID = 0, /* arguments the kernels would refuse */
	XS_NN_CONV_GENERIC,     /* arm_convolve_s8 */
	XS_NN_CONV_1X1_FAST,    /* arm_convolve_1x1_s8_fast: 1x1 filter, no padding, no groups, stride 1 */
	XS_NN_CONV_1X1,         /* arm_convolve_1x1_s8: the same with any stride */
	XS_NN_CONV_1XN,         /* arm_convolve_1_x_n_s8: one input row, a 1xN filter */
} xs_nn_conv_variant;

typedef struct {
	xs_nn_conv_variant variant;
	int32_t buffer_size; /* bytes of scratch the chosen kernel needs */
} xs_nn_conv_choice;

xs_nn_conv_choice xs_nn_conv_select_s8(const cmsis_nn_conv_params *conv_params, const cmsis_nn_dims *input_dims,
                                       const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims);

typedef enum {
	XS_NN_DW_CONV_INVALID = 0,
	XS_NN_DW_CONV_GENERIC, /* arm_depthwise_conv_s8 */
	XS_NN_DW_CONV_OPT,     /* arm_depthwise_conv_s8_opt: ch_mult 1 */
	XS_NN_DW_CONV_3X3,     /* arm_depthwise_conv_3x3_s8: ch_mult 1, 3x3, padding <= 1 */
} xs_nn_dw_conv_variant;

typedef struct {
	xs_nn_dw_conv_variant variant;
	int32_t buffer_size;
} xs_nn_dw_conv_choice;

xs_nn_dw_conv_choice xs_nn_dw_conv_select_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                                             const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                             const cmsis_nn_dims *output_dims);

/* ---- Private kernels (reached through the public entry points once they checked the arguments) ---- */

/* Depthwise convolution on checked arguments: arm_depthwise_conv_s8 and its ch_mult == 1 variants. */
arm_cmsis_nn_status xs_nn_depthwise_conv_run_s8(const cmsis_nn_dw_conv_params *p,
                                                const cmsis_nn_per_channel_quant_params *quant_params,
                                                const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                const int32_t *bias_data, const cmsis_nn_dims *output_dims,
                                                int8_t *output_data);

/* Elementwise maximum (take_max 1) or minimum of two broadcastable s8 tensors: arm_maximum_s8, arm_minimum_s8. */
arm_cmsis_nn_status xs_nn_minmax_s8(const int8_t *in1, const cmsis_nn_dims *d1, const int8_t *in2,
                                    const cmsis_nn_dims *d2, int8_t *out, const cmsis_nn_dims *od, int take_max);

/* `blocks` runs of `run` bytes from input to output, `out_run` apart from `at`: the arm_concatenation_s8_*. */
void xs_nn_concat_s8(const int8_t *input, uint32_t blocks, uint32_t run, int8_t *output, uint32_t out_run, uint32_t at);

/* Softmax of s8 input to int8 (out_bits 8, into out8) or int16 (out_bits 16, into out16). */
void xs_nn_softmax_s8(const int8_t *input, int32_t num_rows, int32_t row_size, int32_t mult, int32_t shift,
                      int32_t diff_min, int32_t out_bits, int8_t *out8, int16_t *out16);

/* One SVDF step, the state int8 (state16 0) or int16 (1), and so the time weights: arm_svdf_s8, arm_svdf_state_s16_s8. */
arm_cmsis_nn_status xs_nn_svdf_s8(const cmsis_nn_svdf_params *p, const cmsis_nn_per_tensor_quant_params *in_q,
                                  const cmsis_nn_per_tensor_quant_params *out_q, const cmsis_nn_dims *input_dims,
                                  const int8_t *input_data, void *state_data, int state16,
                                  const cmsis_nn_dims *weights_feature_dims, const int8_t *weights_feature_data,
                                  const cmsis_nn_dims *weights_time_dims, const void *weights_time_data,
                                  const int32_t *bias_data, int8_t *output_data);

#endif /* XS_NN_SUPPORTFUNCTIONS_H */
