/*
 * test_softmax.c: arm_softmax_s8 against a test-side derivation of TFLite's fixed-point softmax and against float.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The reference below recomputes every fixed-point constant from its formula
 * with libm and uses the definition-based rounding of nn_test.h, so it checks
 * the kernel's constants and arithmetic, not just its structure.
 */
#include "unit.h"

#include "../src/arm_nnsupportfunctions.h"
#include "nn_test.h"

#define MAX_ROW 1024

/* TFLite's PreprocessSoftmaxScaling + CalculateInputRadius with 5 integer bits (see arm_nnfunctions.h). */
static void softmax_params(double beta, double scale, int32_t *mult, int32_t *shift, int32_t *diff_min)
{
	double real = beta * scale * (double)(1ll << 26);
	if (real > 2147483647.0) {
		real = 2147483647.0;
	}
	nn_quantize_multiplier(real, mult, shift);
	*diff_min = -(int32_t)floor(31.0 * (double)(1ll << 26) / (double)(1ll << *shift));
}

static int32_t q31(double v)
{
	return (int32_t)llround(v * 2147483648.0);
}

static int32_t ref_exp_interval(int32_t a)
{
	const int32_t c = q31(exp(-0.125));
	const int32_t x = a + q31(0.125);
	const int32_t x2 = nn_ref_srdhm(x, x);
	const int32_t x3 = nn_ref_srdhm(x2, x);
	const int32_t x4 = nn_ref_srdhm(x2, x2);
	const int32_t t =
	        (int32_t)nn_round_half_away(nn_ref_srdhm((int32_t)nn_round_half_away(x4, 2) + x3, q31(1.0 / 3.0)) + x2, 1);
	return c + nn_ref_srdhm(c, x + t);
}

/* exp of a Q5.26 value a <= 0, in Q0.31. */
static int32_t ref_exp_neg(int32_t a)
{
	if (a == 0) {
		return INT32_MAX;
	}
	const int32_t quarter = 1 << 24;
	/* (a mod 1/4) - 1/4, in [-1/4, 0) */
	const int32_t frac = (int32_t)(a - nn_floor_div(a, quarter) * quarter) - quarter;
	int32_t r = ref_exp_interval(frac * 32);
	int64_t rest = (int64_t)frac - a; /* multiple of 1/4, >= 0 */
	for (int k = 0; k < 7; k++) {
		if (rest & ((int64_t)1 << (24 + k))) {
			r = nn_ref_srdhm(r, q31(exp(-ldexp(1.0, k - 2))));
		}
	}
	return r;
}

static int32_t ref_sat(int64_t v)
{
	return nn_sat32(v);
}

static int32_t ref_reciprocal(int32_t x)
{
	const int32_t half = (int32_t)(((int64_t)x + INT32_MAX + 1) / 2);
	const int32_t c48 = (int32_t)llround(48.0 / 17.0 * (double)(1 << 29));
	const int32_t c32 = (int32_t)llround(-32.0 / 17.0 * (double)(1 << 29));
	int32_t r = c48 + nn_ref_srdhm(half, c32);
	for (int i = 0; i < 3; i++) {
		r = r + ref_sat((int64_t)nn_ref_srdhm(r, (1 << 29) - nn_ref_srdhm(half, r)) * 4);
	}
	return ref_sat((int64_t)r * 2);
}

/* The int8 output (out_bits 8, into out8) or the int16 one (out_bits 16, into out16). */
static void ref_softmax_bits(const int8_t *in, int32_t n, int32_t mult, int32_t shift, int32_t diff_min,
                             int32_t out_bits, int8_t *out8, int16_t *out16)
{
	const int32_t lo = out_bits == 16 ? -32768 : -128, hi = out_bits == 16 ? 32767 : 127;
	int32_t max = -128;
	for (int32_t i = 0; i < n; i++) {
		max = in[i] > max ? in[i] : max;
	}
	int32_t sum = 0;
	for (int32_t i = 0; i < n; i++) {
		const int32_t d = in[i] - max;
		if (d >= diff_min) {
			sum += (int32_t)nn_round_half_away(
			        ref_exp_neg(nn_ref_srdhm(ref_sat((int64_t)d * ((int64_t)1 << shift)), mult)), 12);
		}
	}
	int clz = 0;
	while (!((uint32_t)sum & (0x80000000u >> clz))) {
		clz++;
	}
	const int32_t scale = ref_reciprocal((int32_t)(((uint32_t)sum << clz) - 0x80000000u));
	const int bits = 12 - clz + 31 - out_bits;
	for (int32_t i = 0; i < n; i++) {
		const int32_t d = in[i] - max;
		int32_t v = lo;
		if (d >= diff_min) {
			const int32_t p =
			        nn_ref_srdhm(scale, ref_exp_neg(nn_ref_srdhm(ref_sat((int64_t)d * ((int64_t)1 << shift)), mult)));
			v = nn_clamp((bits > 31 ? 0 : (int32_t)nn_round_half_away(p, bits)) + lo, lo, hi);
		}
		if (out16 != NULL)
			out16[i] = (int16_t)v;
		else
			out8[i] = (int8_t)v;
	}
}

static void ref_softmax(const int8_t *in, int32_t n, int32_t mult, int32_t shift, int32_t diff_min, int8_t *out)
{
	ref_softmax_bits(in, n, mult, shift, diff_min, 8, out, NULL);
}

static void float_softmax(const int8_t *in, int32_t n, double beta, double scale, int8_t *out)
{
	int32_t max = -128;
	for (int32_t i = 0; i < n; i++) {
		max = in[i] > max ? in[i] : max;
	}
	double sum = 0;
	for (int32_t i = 0; i < n; i++) {
		sum += exp(beta * scale * (in[i] - max));
	}
	for (int32_t i = 0; i < n; i++) {
		const double p = exp(beta * scale * (in[i] - max)) / sum;
		out[i] = (int8_t)nn_clamp((int32_t)lround(p * 256.0) - 128, -128, 127);
	}
}

UNIT_TEST(fixed_point_exp_matches_reference_and_libm)
{
	unit_rand_seed(52);
	static const int32_t edges[] = {
	        0, -1, -2, INT32_MIN, INT32_MIN + 1, -(1 << 24), -(1 << 24) - 1, -(1 << 26), -(1 << 30), -(15 << 26)};
	for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		UNIT_EQ_INT(xs_nn_exp_on_negative_values(edges[i]), ref_exp_neg(edges[i]));
	}
	for (int i = 0; i < 300000; i++) {
		/* Spread over all magnitudes: small differences matter most to softmax. */
		const int32_t a = -(int32_t)(unit_rand() >> (1 + nn_rng_range(0, 24)));
		const int32_t got = xs_nn_exp_on_negative_values(a);
		UNIT_EQ_INT(got, ref_exp_neg(a));
		const double err = fabs(got / 2147483648.0 - exp(a / (double)(1 << 26)));
		/* The 4-term Taylor series around -1/8 is off by up to (1/8)^5 / 120 = 2.5e-7. */
		if (err > 5e-7) {
			UNIT_FAIL("exp(%d / 2^26): error %g", (int)a, err);
			return;
		}
	}
}

UNIT_TEST(fixed_point_reciprocal_matches_reference_and_libm)
{
	unit_rand_seed(53);
	UNIT_EQ_INT(xs_nn_one_over_one_plus_x_for_x_in_0_1(0), ref_reciprocal(0));
	UNIT_EQ_INT(xs_nn_one_over_one_plus_x_for_x_in_0_1(INT32_MAX), ref_reciprocal(INT32_MAX));
	for (int i = 0; i < 300000; i++) {
		const int32_t x = (int32_t)(unit_rand() >> 1);
		const int32_t got = xs_nn_one_over_one_plus_x_for_x_in_0_1(x);
		UNIT_EQ_INT(got, ref_reciprocal(x));
		const double err = fabs(got / 2147483648.0 - 1.0 / (1.0 + x / 2147483648.0));
		if (err > 2e-8) {
			UNIT_FAIL("1/(1 + %d / 2^31): error %g", (int)x, err);
			return;
		}
	}
	for (uint32_t v = 1; v != 0; v <<= 1) {
		UNIT_EQ_INT(xs_nn_clz(v), 31 - (v == 1 ? 0 : (int32_t)log2((double)v)));
	}
	UNIT_EQ_INT(xs_nn_clz(0), 32);
}

static int8_t in_buf[4 * MAX_ROW], got[4 * MAX_ROW], want[4 * MAX_ROW], approx[4 * MAX_ROW];

UNIT_TEST(softmax_matches_fixed_point_reference_and_float)
{
	unit_rand_seed(50);
	static const double scales[] = {1.0 / 256, 1.0 / 16, 0.05, 0.1, 0.3, 1.0};
	static const int32_t sizes[] = {1, 2, 5, 10, 33, 100, 1000};
	for (unsigned s = 0; s < sizeof scales / sizeof scales[0]; s++) {
		for (unsigned z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			const double beta = (z % 3 == 2) ? 0.5 : 1.0;
			int32_t mult, shift, diff_min;
			softmax_params(beta, scales[s], &mult, &shift, &diff_min);
			const int32_t n = sizes[z];
			const int32_t rows = 3;
			nn_fill_i8(in_buf, rows * n);
			arm_softmax_s8(in_buf, rows, n, mult, shift, diff_min, got);
			for (int32_t r = 0; r < rows; r++) {
				ref_softmax(in_buf + r * n, n, mult, shift, diff_min, want + r * n);
				float_softmax(in_buf + r * n, n, beta, scales[s], approx + r * n);
			}
			NN_EXPECT_SAME(got, want, rows * n);
			for (int32_t i = 0; i < rows * n; i++) {
				const int d = got[i] - approx[i];
				if (d < -1 || d > 1) {
					UNIT_FAIL("scale %g size %d element %d: %d vs float %d", scales[s], (int)n, (int)i, got[i],
					          approx[i]);
					return;
				}
			}
		}
	}
}

/* arm_softmax_s8_s16: the reference with 16 output bits, and within one step of the float probability * 65536. */
UNIT_TEST(softmax_s16_output_matches_reference_and_float)
{
	static int16_t got16[4 * MAX_ROW], want16[4 * MAX_ROW];
	unit_rand_seed(54);
	static const double scales[] = {1.0 / 256, 0.05, 0.3};
	static const int32_t sizes[] = {1, 2, 10, 100, 1000};
	for (unsigned s = 0; s < sizeof scales / sizeof scales[0]; s++) {
		for (unsigned z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			int32_t mult, shift, diff_min;
			softmax_params(1.0, scales[s], &mult, &shift, &diff_min);
			const int32_t n = sizes[z], rows = 3;
			nn_fill_i8(in_buf, rows * n);
			arm_softmax_s8_s16(in_buf, rows, n, mult, shift, diff_min, got16);
			for (int32_t r = 0; r < rows; r++) {
				const int8_t *row = in_buf + r * n;
				ref_softmax_bits(row, n, mult, shift, diff_min, 16, NULL, want16 + r * n);
				int32_t max = -128;
				for (int32_t i = 0; i < n; i++)
					max = row[i] > max ? row[i] : max;
				double sum = 0;
				for (int32_t i = 0; i < n; i++)
					sum += exp(scales[s] * (row[i] - max));
				for (int32_t i = 0; i < n; i++) {
					const long expect = lround(exp(scales[s] * (row[i] - max)) / sum * 65536.0) - 32768;
					const long d = (long)got16[r * n + i] - (expect > 32767 ? 32767 : expect);
					if (d < -1 || d > 1) {
						UNIT_FAIL("scale %g size %d element %d: %d vs float %ld", scales[s], (int)n, (int)i,
						          got16[r * n + i], expect);
						return;
					}
				}
			}
			NN_EXPECT_SAME(got16, want16, rows * n);
		}
	}
}

UNIT_TEST(softmax_equal_rows)
{
	int32_t mult, shift, diff_min;
	softmax_params(1.0, 0.1, &mult, &shift, &diff_min);
	/* 256 / n - 128, rounded: n = 1, 2, 3, 4, 10, 500 (0.512 -> 1), 600 (0.43 -> 0, sum above 2^28). */
	static const struct {
		int32_t n;
		int8_t want;
	} cases[] = {
	        {1, 127}, {2, 0}, {3, -43}, {4, -64}, {10, -102}, {500, -127}, {600, -128},
	};
	for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memset(in_buf, 17, (size_t)cases[c].n);
		arm_softmax_s8(in_buf, 1, cases[c].n, mult, shift, diff_min, got);
		for (int32_t i = 0; i < cases[c].n; i++) {
			if (got[i] != cases[c].want) {
				UNIT_FAIL("n = %d: element %d is %d, expected %d", (int)cases[c].n, (int)i, got[i], cases[c].want);
				return;
			}
		}
	}
}

UNIT_TEST(softmax_one_dominates)
{
	int32_t mult, shift, diff_min;
	softmax_params(1.0, 0.1, &mult, &shift, &diff_min);
	memset(in_buf, -128, 10);
	in_buf[3] = 127;
	arm_softmax_s8(in_buf, 1, 10, mult, shift, diff_min, got);
	for (int32_t i = 0; i < 10; i++) {
		UNIT_EQ_INT(got[i], i == 3 ? 127 : -128);
	}
	/* Two equal winners share: 0.5 each -> 0. */
	in_buf[7] = 127;
	arm_softmax_s8(in_buf, 1, 10, mult, shift, diff_min, got);
	UNIT_EQ_INT(got[3], 0);
	UNIT_EQ_INT(got[7], 0);
	UNIT_EQ_INT(got[0], -128);
}

UNIT_TEST(softmax_diff_min_and_params)
{
	int32_t mult, shift, diff_min;
	/* scale 1: real = 2^26 -> mult 2^30, shift 27, radius floor(31 * 2^26 / 2^27) = 15. */
	softmax_params(1.0, 1.0, &mult, &shift, &diff_min);
	UNIT_EQ_INT(mult, 1 << 30);
	UNIT_EQ_INT(shift, 27);
	UNIT_EQ_INT(diff_min, -15);
	static const int8_t row[] = {0, -15, -16, -100, 5};
	arm_softmax_s8(row, 1, 5, mult, shift, diff_min, got);
	ref_softmax(row, 5, mult, shift, diff_min, want);
	NN_EXPECT_SAME(got, want, 5);
	UNIT_EQ_INT(got[2], -128);
	UNIT_EQ_INT(got[3], -128);

	/* The kernel's constants, recomputed: exp(-2^k) and the Taylor/Newton constants. */
	UNIT_EQ_INT(q31(exp(-0.125)), 1895147668);
	UNIT_EQ_INT(q31(1.0 / 3.0), 715827883);
	UNIT_EQ_INT(q31(exp(-16.0)), 242);
	UNIT_EQ_INT(q31(exp(-0.25)), 1672461947);
}

UNIT_TEST(softmax_in_place_and_bad_arguments)
{
	unit_rand_seed(51);
	int32_t mult, shift, diff_min;
	softmax_params(1.0, 0.07, &mult, &shift, &diff_min);
	nn_fill_i8(in_buf, 64);
	arm_softmax_s8(in_buf, 4, 16, mult, shift, diff_min, want);
	arm_softmax_s8(in_buf, 4, 16, mult, shift, diff_min, in_buf);
	NN_EXPECT_SAME(in_buf, want, 64);

	/* Invalid arguments write nothing. */
	memset(got, 0x33, 16);
	arm_softmax_s8(in_buf, 0, 16, mult, shift, diff_min, got);
	arm_softmax_s8(in_buf, 1, 0, mult, shift, diff_min, got);
	arm_softmax_s8(in_buf, 1, 16, mult, -1, diff_min, got);
	arm_softmax_s8(in_buf, 1, 16, mult, 32, diff_min, got);
	arm_softmax_s8(NULL, 1, 16, mult, shift, diff_min, got);
	arm_softmax_s8(in_buf, 1, 4096, mult, shift, diff_min, got);
	for (int i = 0; i < 16; i++) {
		UNIT_EQ_INT(got[i], 0x33);
	}
}

int main(void)
{
	UNIT_RUN(fixed_point_exp_matches_reference_and_libm);
	UNIT_RUN(fixed_point_reciprocal_matches_reference_and_libm);
	UNIT_RUN(softmax_matches_fixed_point_reference_and_float);
	UNIT_RUN(softmax_s16_output_matches_reference_and_float);
	UNIT_RUN(softmax_equal_rows);
	UNIT_RUN(softmax_one_dominates);
	UNIT_RUN(softmax_diff_min_and_params);
	UNIT_RUN(softmax_in_place_and_bad_arguments);
	return unit_done();
}
