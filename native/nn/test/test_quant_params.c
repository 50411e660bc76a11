/*
 * test_quant_params.c: the model-load helpers (scale checks, int64 zero
 * points, per-channel multipliers) against libm's frexp/llround derivation.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include <float.h>

#include "nn_test.h"
#include "xs_nn_quantize.h"

/* QuantizeMultiplier from frexp, without the single-rounding cap unless asked. */
static void reference(double r, int single, int32_t *mult, int32_t *shift)
{
	int e = 0;
	const double f = r == 0.0 ? 0.0 : frexp(r, &e);
	long long m = llround(f * 2147483648.0);
	if (m == 2147483648ll) {
		m /= 2;
		e++;
	}
	if (e < -31) {
		e = 0;
		m = 0;
	}
	if (single && e > 30) {
		e = 30;
		m = 2147483647ll;
	}
	*mult = (int32_t)m;
	*shift = e;
}

static float rand_scale(void)
{
	/* Significand and exponent both random: 2^-40 .. 2^10, ties of the 31-bit rounding included now and then. */
	uint32_t bits = (uint32_t)(87 + nn_rng_range(0, 50)) << 23 | (unit_rand() & 0x7fffffu);
	if (unit_rand() % 8 == 0) {
		bits &= ~0xffu;
	}
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

UNIT_TEST(multipliers_match_frexp)
{
	unit_rand_seed(7);
	static float fs[64];
	int32_t mult[64], shift[64];
	for (int round = 0; round < 4000; round++) {
		const int32_t n = nn_rng_range(1, 64);
		for (int32_t c = 0; c < n; c++) {
			fs[c] = rand_scale();
		}
		const double in = rand_scale(), out = rand_scale();
		const int single = round & 1;
		UNIT_EQ_INT(xs_nn_per_channel_multipliers(in, fs, n, out, n, single, mult, shift), ARM_CMSIS_NN_SUCCESS);
		for (int32_t c = 0; c < n; c++) {
			int32_t m, s;
			reference(in * (double)fs[c] / out, single, &m, &s);
			if (m != mult[c] || s != shift[c]) {
				UNIT_FAIL("in %a fs %a out %a: got %ld,%ld want %ld,%ld", in, (double)fs[c], out, (long)mult[c],
				          (long)shift[c], (long)m, (long)s);
				return;
			}
		}
	}
	/* One scale is broadcast to every channel. */
	fs[0] = 0.02f;
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(0.5, fs, 1, 0.25, 3, 1, mult, shift), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(mult[2], mult[0]);
	UNIT_EQ_INT(shift[2], shift[0]);
	/* 0.5 * 0.02 / 0.25 = 0.04 = 0.64 * 2^-4: round(0.64 * 2^31). */
	UNIT_EQ_INT(shift[0], -4);
	UNIT_EQ_INT(mult[0], (int32_t)llround((0.5 * (double)0.02f / 0.25) * 16.0 * 2147483648.0));
}

UNIT_TEST(multipliers_edges)
{
	float fs[2] = {1.0f, 1.0f};
	int32_t mult[2], shift[2];
	/* Just below 1: the significand rounds up to 2^31, so it becomes 2^30 with the shift one higher. */
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1.0 - 0x1p-40, fs, 1, 1.0, 1, 0, mult, shift), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(mult[0], 1 << 30);
	UNIT_EQ_INT(shift[0], 1);
	/* Below 2^-32: flushed to zero. */
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(0x1p-40, fs, 1, 1.0, 1, 0, mult, shift), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(mult[0], 0);
	UNIT_EQ_INT(shift[0], 0);
	/* Above 2^31: kept with double rounding, capped with single rounding. */
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(0x1p40, fs, 1, 1.0, 1, 0, mult, shift), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(mult[0], 1 << 30);
	UNIT_EQ_INT(shift[0], 41);
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(0x1p40, fs, 1, 1.0, 1, 1, mult, shift), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(mult[0], INT32_MAX);
	UNIT_EQ_INT(shift[0], 30);
	/* Bad arguments write nothing. */
	mult[0] = 77;
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1.0, fs, 2, 1.0, 3, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(0.0, fs, 1, 1.0, 1, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1.0, fs, 1, INFINITY, 1, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1e300, fs, 1, 1e-300, 1, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
	fs[1] = -1.0f;
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1.0, fs, 2, 1.0, 2, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(mult[0], 77);
	UNIT_EQ_INT(xs_nn_per_channel_multipliers(1.0, NULL, 1, 1.0, 1, 0, mult, shift), ARM_CMSIS_NN_ARG_ERROR);
}

UNIT_TEST(scales_and_zero_points)
{
	float s[5] = {0.5f, FLT_MIN, FLT_MAX, 1e-45f, 3.0f};
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 5), -1);
	s[3] = 0.0f;
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 5), 3);
	s[1] = NAN;
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 5), 1);
	s[1] = -0.0f;
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 5), 1);
	s[0] = INFINITY;
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 5), 0);
	UNIT_EQ_INT(xs_nn_check_scales_f32(s, 0), -1);

	/* int64 little-endian pairs: -1, 2^31 - 1, -2^31, then 2^31 (out of range) and -2^31 - 1. */
	const int32_t words[10] = {-1, -1, INT32_MAX, 0, INT32_MIN, -1, INT32_MIN, 0, INT32_MAX, -1};
	int32_t out[5] = {0};
	UNIT_EQ_INT(xs_nn_zero_points_i64(words, 3, out), -2);
	UNIT_EQ_INT(out[0], -1);
	UNIT_EQ_INT(out[1], INT32_MAX);
	UNIT_EQ_INT(out[2], INT32_MIN);
	UNIT_EQ_INT(xs_nn_zero_points_i64(words, 4, out), 3);
	UNIT_EQ_INT(xs_nn_zero_points_i64(words + 8, 1, out), 0);
	const int32_t big[2] = {0, 1}; /* 2^32 */
	UNIT_EQ_INT(xs_nn_zero_points_i64(big, 1, out), 0);
	/* All zero: -1, with or without an output; a non-zero value anywhere: -2. */
	const int32_t zeros[6] = {0, 0, 0, 0, 0, 0};
	UNIT_EQ_INT(xs_nn_zero_points_i64(zeros, 3, NULL), -1);
	out[0] = 9;
	UNIT_EQ_INT(xs_nn_zero_points_i64(zeros, 3, out), -1);
	UNIT_EQ_INT(out[0], 0);
	const int32_t last[4] = {0, 0, -3, -1};
	UNIT_EQ_INT(xs_nn_zero_points_i64(last, 2, NULL), -2);
	UNIT_EQ_INT(xs_nn_zero_points_i64(words, 0, NULL), -1);
}

int main(void)
{
	UNIT_RUN(multipliers_match_frexp);
	UNIT_RUN(multipliers_edges);
	UNIT_RUN(scales_and_zero_points);
	return unit_done();
}
