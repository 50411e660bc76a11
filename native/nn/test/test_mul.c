/*
 * test_mul.c: arm_elementwise_mul_s8 against its definition.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_N 300

static int8_t in1[MAX_N], in2[MAX_N], got[MAX_N], ref[MAX_N];

static void reference(int32_t n, int32_t off1, int32_t off2, int32_t out_off, int32_t mult, int32_t shift,
                      int32_t act_min, int32_t act_max)
{
	for (int32_t i = 0; i < n; i++) {
		const int32_t v = nn_ref_requantize((in1[i] + off1) * (in2[i] + off2), mult, shift) + out_off;
		ref[i] = (int8_t)nn_clamp(v, act_min, act_max);
	}
}

UNIT_TEST(mul_matches_definition)
{
	unit_rand_seed(50);
	int lo = 0, hi = 0;
	for (int round = 0; round < 200; round++) {
		const int32_t n = round < 8 ? round : nn_rng_range(1, MAX_N);
		const int32_t off1 = nn_rng_range(-127, 128), off2 = nn_rng_range(-127, 128);
		const int32_t out_off = nn_rng_range(-128, 127);
		/* The multipliers TFLite derives: s1 * s2 / s_out, from 2^-16 to about 1. */
		int32_t mult, shift;
		nn_quantize_multiplier(ldexp(0.5 + (double)nn_rng_range(0, 1 << 20) / (1 << 21), -nn_rng_range(0, 16)), &mult,
		                       &shift);
		const int32_t act_min = round % 5 == 0 ? nn_rng_range(-128, 0) : -128;
		const int32_t act_max = round % 7 == 0 ? nn_rng_range(act_min, 127) : 127;
		nn_fill_i8(in1, n);
		nn_fill_i8(in2, n);
		reference(n, off1, off2, out_off, mult, shift, act_min, act_max);
		memset(got, 0x5A, sizeof got);
		UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, off1, off2, got, out_off, mult, shift, act_min, act_max, n),
		            ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(got, ref, n);
		UNIT_EQ_INT(got[n], 0x5A); /* nothing past block_size */
		for (int32_t i = 0; i < n; i++) {
			lo += got[i] == -128;
			hi += got[i] == 127;
		}
	}
	UNIT_ASSERT(lo > 0 && hi > 0);
}

UNIT_TEST(mul_in_place_and_refusals)
{
	unit_rand_seed(51);
	nn_fill_i8(in1, 64);
	nn_fill_i8(in2, 64);
	int32_t mult, shift;
	nn_quantize_multiplier(0.004, &mult, &shift);
	reference(64, 3, -7, 10, mult, shift, -128, 127);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 3, -7, in1, 10, mult, shift, -128, 127, 64), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(in1, ref, 64);

	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, got, 0, mult, shift, -128, 127, 0), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(arm_elementwise_mul_s8(NULL, in2, 0, 0, got, 0, mult, shift, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, NULL, 0, mult, shift, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, -128, 0, got, 0, mult, shift, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 129, got, 0, mult, shift, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, got, 128, mult, shift, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, got, 0, mult, 31, -128, 127, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, got, 0, mult, shift, 10, 9, 4), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_elementwise_mul_s8(in1, in2, 0, 0, got, 0, mult, shift, -128, 127, -1), ARM_CMSIS_NN_ARG_ERROR);
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(mul_matches_definition);
	UNIT_RUN(mul_in_place_and_refusals);
	return unit_done();
}
