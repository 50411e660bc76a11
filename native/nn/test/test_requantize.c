/*
 * test_requantize.c: the library's fixed-point primitives against their definitions, in the built rounding mode.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "../src/arm_nnsupportfunctions.h"
#include "nn_test.h"

/* Hand-computed ties: the cases where single and double rounding part ways. */
UNIT_TEST(requantize_known_ties)
{
	const int32_t half = 1 << 30; /* 0.5 in Q31 */
	/* 3 * 0.5 = 1.5: both round up. */
	UNIT_EQ_INT(xs_nn_requantize(3, half, 0), 2);
	/* -3 * 0.5 = -1.5: ties go up (toward +inf) in both, not away from zero. */
	UNIT_EQ_INT(xs_nn_requantize(-3, half, 0), -1);
#if XSIGHT_NN_SINGLE_ROUNDING
	/* 5 * 0.5 / 2 = 1.25 -> 1 with one rounding. */
	UNIT_EQ_INT(xs_nn_requantize(5, half, -1), 1);
	/* -6 * 0.5 / 2 = -1.5 -> -1 (half up). */
	UNIT_EQ_INT(xs_nn_requantize(-6, half, -1), -1);
	/* -2 * 0.5 / 2 = -0.5 -> 0 (half up). */
	UNIT_EQ_INT(xs_nn_requantize(-2, half, -1), 0);
#else
	/* SRDHM(5, 0.5) = round(2.5) = 3, then 3 / 2 = 1.5 -> 2: the double-rounding error. */
	UNIT_EQ_INT(xs_nn_requantize(5, half, -1), 2);
	/* SRDHM(-6, 0.5) = -3, then -1.5 rounds away from zero to -2. */
	UNIT_EQ_INT(xs_nn_requantize(-6, half, -1), -2);
	/* SRDHM(-2, 0.5) = -1 exactly, then -0.5 rounds away from zero to -1. */
	UNIT_EQ_INT(xs_nn_requantize(-2, half, -1), -1);
#endif
}

UNIT_TEST(requantize_random_matches_definition)
{
	unit_rand_seed(1);
	for (int i = 0; i < 200000; i++) {
		/* Accumulator magnitudes of real layers, plus the full range now and then. */
		const int32_t val = (i % 8 == 0) ? (int32_t)unit_rand() : nn_rng_range(-(1 << 22), 1 << 22);
		const int32_t mult =
		        (i % 16 == 0) ? nn_rng_range(0, INT32_MAX) : (int32_t)(0x40000000u + (unit_rand() & 0x3FFFFFFFu));
		const int32_t shift = nn_rng_range(-31, i % 4 == 0 ? 30 : 2);
		const int32_t got = xs_nn_requantize(val, mult, shift);
		const int32_t want = nn_ref_requantize(val, mult, shift);
		if (got != want) {
			UNIT_FAIL("requantize(%d, %d, %d) = %d, expected %d", (int)val, (int)mult, (int)shift, (int)got, (int)want);
			return;
		}
		/* The per-channel prepared form the DSP loops use. */
		const xs_nn_requant r = xs_nn_requant_prepare(mult, shift);
		const int32_t prepared = xs_nn_requant_apply(val, &r);
		if (prepared != want) {
			UNIT_FAIL("requant_apply(%d, %d, %d) = %d, expected %d", (int)val, (int)mult, (int)shift, (int)prepared,
			          (int)want);
			return;
		}
	}
}

UNIT_TEST(requantize_shift_extremes)
{
	const int32_t vals[] = {0, 1, -1, 127, -128, 65535, -65536, INT32_MAX, INT32_MIN};
	const int32_t mults[] = {0, 1, 1 << 30, INT32_MAX};
	const int32_t shifts[] = {-31, -30, -2, -1, 0, 1, 29, 30};
	for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++) {
		for (unsigned m = 0; m < sizeof mults / sizeof mults[0]; m++) {
			for (unsigned s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
				UNIT_EQ_INT(xs_nn_requantize(vals[v], mults[m], shifts[s]),
				            nn_ref_requantize(vals[v], mults[m], shifts[s]));
				const xs_nn_requant r = xs_nn_requant_prepare(mults[m], shifts[s]);
				UNIT_EQ_INT(xs_nn_requant_apply(vals[v], &r), nn_ref_requantize(vals[v], mults[m], shifts[s]));
			}
		}
	}
}

UNIT_TEST(srdhm_and_divide_by_pow2_match_definition)
{
	unit_rand_seed(2);
	UNIT_EQ_INT(xs_nn_doubling_high_mult(INT32_MIN, INT32_MIN), INT32_MAX);
	for (int i = 0; i < 100000; i++) {
		const int32_t a = (int32_t)unit_rand();
		const int32_t b = (int32_t)unit_rand();
		UNIT_EQ_INT(xs_nn_doubling_high_mult(a, b), nn_ref_srdhm(a, b));
		const int32_t e = nn_rng_range(0, 31);
		UNIT_EQ_INT(xs_nn_divide_by_pow2(a, e), nn_round_half_away(a, e));
	}
	/* Exact ties of the divide, both signs. */
	UNIT_EQ_INT(xs_nn_divide_by_pow2(3, 1), 2);
	UNIT_EQ_INT(xs_nn_divide_by_pow2(-3, 1), -2);
	UNIT_EQ_INT(xs_nn_divide_by_pow2(-5, 2), -1);
	UNIT_EQ_INT(xs_nn_divide_by_pow2(-6, 2), -2);
}

UNIT_TEST(valid_taps_cover_exactly_the_inside)
{
	for (int32_t base = -9; base <= 9; base++) {
		for (int32_t dil = 1; dil <= 3; dil++) {
			for (int32_t k = 1; k <= 5; k++) {
				for (int32_t size = 1; size <= 6; size++) {
					int32_t s;
					int32_t e;
					xs_nn_valid_taps(base, dil, k, size, &s, &e);
					for (int32_t t = 0; t < k; t++) {
						const int32_t pos = base + t * dil;
						const int inside = pos >= 0 && pos < size;
						UNIT_EQ_INT(t >= s && t < e, inside);
					}
				}
			}
		}
	}
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(requantize_known_ties);
	UNIT_RUN(requantize_random_matches_definition);
	UNIT_RUN(requantize_shift_extremes);
	UNIT_RUN(srdhm_and_divide_by_pow2_match_definition);
	UNIT_RUN(valid_taps_cover_exactly_the_inside);
	return unit_done();
}
