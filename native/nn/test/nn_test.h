/*
 * nn_test.h: shared helpers of the native/nn tests: PRNG, reference rounding, TFLite parameter math.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The reference arithmetic here is written from the definitions (exact
 * rationals, floor division) rather than the way the kernels compute it, so
 * that a test compares two different derivations of the same rounding.
 * Included by each test_*.c; it is not a test program itself.
 */
#ifndef XS_NN_TEST_H
#define XS_NN_TEST_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "unit.h"
#include "xs_nn_rounding.h"

/* ---- Deterministic data: unit.h's xorshift32 (unit_rand_seed, unit_rand) ---- */

/* Uniform in [lo, hi] (inclusive). */
static inline int32_t nn_rng_range(int32_t lo, int32_t hi)
{
	const uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
	return (int32_t)(lo + (int64_t)(unit_rand() % span));
}

static inline void nn_fill_i8(int8_t *p, int32_t n)
{
	for (int32_t i = 0; i < n; i++) {
		p[i] = (int8_t)nn_rng_range(-128, 127);
	}
}

/* ---- Reference rounding, from the definitions ---- */

static inline int64_t nn_floor_div(int64_t num, int64_t den)
{
	int64_t q = num / den;
	if ((num % den != 0) && ((num < 0) != (den < 0))) {
		q--;
	}
	return q;
}

/* round(num / 2^k), ties toward +infinity. */
static inline int64_t nn_round_half_up(int64_t num, int k)
{
	const int64_t d = (int64_t)1 << k;
	const int64_t q = nn_floor_div(num, d);
	const int64_t rem = num - q * d; /* in [0, d) */
	return (k > 0 && 2 * rem >= d) ? q + 1 : q;
}

/* round(num / 2^k), ties away from zero. */
static inline int64_t nn_round_half_away(int64_t num, int k)
{
	if (k == 0) {
		return num;
	}
	const int64_t d = (int64_t)1 << k;
	const int64_t mag = num < 0 ? -num : num;
	const int64_t r = (mag + d / 2) / d;
	return num < 0 ? -r : r;
}

static inline int32_t nn_sat32(int64_t x)
{
	return x < INT32_MIN ? INT32_MIN : (x > INT32_MAX ? INT32_MAX : (int32_t)x);
}

/* SaturatingRoundingDoublingHighMul by its definition: round-half-up(a * b / 2^31). */
static inline int32_t nn_ref_srdhm(int32_t a, int32_t b)
{
	if (a == INT32_MIN && b == INT32_MIN) {
		return INT32_MAX;
	}
	return (int32_t)nn_round_half_up((int64_t)a * b, 31);
}

/*
 * The requantization documented in arm_nnfunctions.h, in the mode this
 * build uses: single = round-half-up(val * m / 2^(31 - s)); double = SRDHM of
 * the left-shifted value, then round-half-away of the right shift.
 */
static inline int32_t nn_ref_requantize(int32_t val, int32_t mult, int32_t shift)
{
#if XSIGHT_NN_SINGLE_ROUNDING
	return nn_sat32(nn_round_half_up((int64_t)val * mult, 31 - shift));
#else
	const int left = shift > 0 ? shift : 0;
	const int right = shift > 0 ? 0 : -shift;
	const int32_t x = nn_sat32((int64_t)val * ((int64_t)1 << left));
	return (int32_t)nn_round_half_away(nn_ref_srdhm(x, mult), right);
#endif
}

static inline int32_t nn_clamp(int32_t x, int32_t lo, int32_t hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

/* ---- TFLite parameter math (what the TS side will compute) ---- */

/* QuantizeMultiplier: r = f * 2^e, f in [0.5, 1); m = round(f * 2^31). */
static inline void nn_quantize_multiplier(double r, int32_t *mult, int32_t *shift)
{
	if (r == 0.0) {
		*mult = 0;
		*shift = 0;
		return;
	}
	int e;
	const double f = frexp(r, &e);
	int64_t m = (int64_t)llround(f * (double)(1ll << 31));
	if (m == (1ll << 31)) {
		m /= 2;
		e++;
	}
	if (e < -31) {
		e = 0;
		m = 0;
	}
	if (e > 30) {
		e = 30;
		m = (1ll << 31) - 1;
	}
	*mult = (int32_t)m;
	*shift = e;
}

/* TFLite SAME padding: output size and the top/left pad CMSIS-NN takes. */
static inline void nn_same_padding(int32_t in, int32_t k, int32_t stride, int32_t dil, int32_t *out, int32_t *pad)
{
	const int32_t eff = (k - 1) * dil + 1;
	*out = (in + stride - 1) / stride;
	int32_t total = (*out - 1) * stride + eff - in;
	if (total < 0) {
		total = 0;
	}
	*pad = total / 2;
}

static inline int32_t nn_valid_out(int32_t in, int32_t k, int32_t stride, int32_t dil)
{
	const int32_t eff = (k - 1) * dil + 1;
	return (in - eff) / stride + 1;
}

/* Random per-channel requantization: multipliers in [2^30, 2^31), shifts in [lo, hi]. */
static inline void nn_fill_quant(int32_t *mult, int32_t *shift, int32_t n, int32_t lo, int32_t hi)
{
	for (int32_t i = 0; i < n; i++) {
		mult[i] = (int32_t)(0x40000000u + (unit_rand() & 0x3FFFFFFFu));
		shift[i] = nn_rng_range(lo, hi);
	}
}

/*
 * A dims field left uninitialized, as CMSIS-NN's own tests leave the ones it
 * never reads: stack garbage, neither 0 nor the value it would have.
 */
#define NN_UNSET ((int32_t)0xA5A5A5A5u)

/* Element-by-element comparison that reports the first difference. */
#define NN_EXPECT_SAME(actual, expected, n)                                                                            \
	do {                                                                                                               \
		for (int32_t nn_i = 0; nn_i < (int32_t)(n); nn_i++) {                                                          \
			if ((actual)[nn_i] != (expected)[nn_i]) {                                                                  \
				UNIT_FAIL("element %d: got %d, expected %d", (int)nn_i, (int)(actual)[nn_i], (int)(expected)[nn_i]);   \
				return;                                                                                                \
			}                                                                                                          \
		}                                                                                                              \
	} while (0)

#endif /* XS_NN_TEST_H */
