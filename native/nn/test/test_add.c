/*
 * test_add.c: arm_elementwise_add_s8 with TFLite-derived parameters against a reference and against float.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define N 4096

typedef struct {
	int32_t off1, mult1, shift1, off2, mult2, shift2, left_shift, out_off, out_mult, out_shift, act_min, act_max;
} add_params;

/* What TFLite's ADD Prepare computes (and the TS side will), see arm_nnfunctions.h. */
static add_params derive(double s1, int32_t z1, double s2, int32_t z2, double so, int32_t zo, int32_t act_min,
                         int32_t act_max)
{
	add_params p;
	p.left_shift = 20;
	const double twice_max = 2.0 * (s1 > s2 ? s1 : s2);
	nn_quantize_multiplier(s1 / twice_max, &p.mult1, &p.shift1);
	nn_quantize_multiplier(s2 / twice_max, &p.mult2, &p.shift2);
	nn_quantize_multiplier(twice_max / ((double)(1 << p.left_shift) * so), &p.out_mult, &p.out_shift);
	p.off1 = -z1;
	p.off2 = -z2;
	p.out_off = zo;
	p.act_min = act_min;
	p.act_max = act_max;
	return p;
}

static int8_t reference(int8_t a, int8_t b, const add_params *p)
{
	const int32_t x = nn_ref_requantize((a + p->off1) * (1 << p->left_shift), p->mult1, p->shift1);
	const int32_t y = nn_ref_requantize((b + p->off2) * (1 << p->left_shift), p->mult2, p->shift2);
	const int32_t v = nn_ref_requantize(x + y, p->out_mult, p->out_shift) + p->out_off;
	return (int8_t)nn_clamp(v, p->act_min, p->act_max);
}

static arm_cmsis_nn_status run(const int8_t *a, const int8_t *b, const add_params *p, int8_t *out, int32_t n)
{
	return arm_elementwise_add_s8(a, b, p->off1, p->mult1, p->shift1, p->off2, p->mult2, p->shift2, p->left_shift, out,
	                              p->out_off, p->out_mult, p->out_shift, p->act_min, p->act_max, n);
}

static int8_t in1[N], in2[N], got[N], want[N];

UNIT_TEST(add_matches_reference_and_float)
{
	unit_rand_seed(60);
	for (int trial = 0; trial < 40; trial++) {
		const double s1 = 0.005 + (unit_rand() % 1000) * 0.0002;
		const double s2 = 0.005 + (unit_rand() % 1000) * 0.0002;
		const double so = (s1 + s2) * (0.6 + (unit_rand() % 100) * 0.01);
		const int32_t z1 = nn_rng_range(-128, 127), z2 = nn_rng_range(-128, 127), zo = nn_rng_range(-128, 127);
		const add_params p = derive(s1, z1, s2, z2, so, zo, -128, 127);
		UNIT_ASSERT(p.shift1 <= 0 && p.shift2 <= 0);
		const int32_t n = nn_rng_range(1, 300);
		nn_fill_i8(in1, n);
		nn_fill_i8(in2, n);
		UNIT_EQ_INT(run(in1, in2, &p, got, n), ARM_CMSIS_NN_SUCCESS);
		for (int32_t i = 0; i < n; i++) {
			want[i] = reference(in1[i], in2[i], &p);
		}
		NN_EXPECT_SAME(got, want, n);
		for (int32_t i = 0; i < n; i++) {
			const double real = s1 * (in1[i] - z1) + s2 * (in2[i] - z2);
			const int32_t q = nn_clamp((int32_t)lround(real / so) + zo, -128, 127);
			if (got[i] - q < -1 || got[i] - q > 1) {
				UNIT_FAIL("trial %d element %d: %d vs float %d", trial, (int)i, got[i], (int)q);
				return;
			}
		}
	}
}

UNIT_TEST(add_saturates_and_clamps)
{
	unit_rand_seed(61);
	/* Small output scale: most sums leave the int8 range. */
	add_params p = derive(0.05, 0, 0.04, 3, 0.01, -5, -128, 127);
	for (int32_t i = 0; i < 256; i++) {
		in1[i] = (int8_t)(i - 128);
		in2[i] = (int8_t)(127 - i);
	}
	nn_fill_i8(in2 + 256, 256);
	nn_fill_i8(in1 + 256, 256);
	UNIT_EQ_INT(run(in1, in2, &p, got, 512), ARM_CMSIS_NN_SUCCESS);
	int lo = 0, hi = 0;
	for (int32_t i = 0; i < 512; i++) {
		UNIT_EQ_INT(got[i], reference(in1[i], in2[i], &p));
		lo += got[i] == -128;
		hi += got[i] == 127;
	}
	UNIT_ASSERT(lo > 0 && hi > 0);

	/* RELU6 range of the output: zero point -5, scale 0.1, so [0, 6.0] is [-5, 55]. */
	p = derive(0.05, 0, 0.04, 3, 0.1, -5, -5, 55);
	UNIT_EQ_INT(run(in1, in2, &p, got, 512), ARM_CMSIS_NN_SUCCESS);
	for (int32_t i = 0; i < 512; i++) {
		UNIT_ASSERT(got[i] >= -5 && got[i] <= 55);
		UNIT_EQ_INT(got[i], reference(in1[i], in2[i], &p));
	}
}

UNIT_TEST(add_in_place_and_bad_arguments)
{
	unit_rand_seed(62);
	add_params p = derive(0.02, 1, 0.03, -7, 0.04, 2, -128, 127);
	nn_fill_i8(in1, 100);
	nn_fill_i8(in2, 100);
	UNIT_EQ_INT(run(in1, in2, &p, want, 100), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(run(in1, in2, &p, in1, 100), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(in1, want, 100);

	UNIT_EQ_INT(run(in1, in2, &p, got, 0), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(run(in1, in2, &p, got, -1), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(run(NULL, in2, &p, got, 4), ARM_CMSIS_NN_ARG_ERROR);
	const add_params saved = p;
#define EXPECT_REJECT(mutation)                                                                                        \
	do {                                                                                                               \
		p = saved;                                                                                                     \
		mutation;                                                                                                      \
		UNIT_EQ_INT(run(in1, in2, &p, got, 4), ARM_CMSIS_NN_ARG_ERROR);                                                \
	} while (0)
	EXPECT_REJECT(p.left_shift = 24);
	EXPECT_REJECT(p.left_shift = -1);
	EXPECT_REJECT(p.off1 = -128);
	EXPECT_REJECT(p.off2 = 129);
	EXPECT_REJECT(p.out_off = 128);
	EXPECT_REJECT(p.shift1 = 31);
	EXPECT_REJECT(p.out_shift = -32);
	EXPECT_REJECT(p.act_min = 3; p.act_max = 2);
#undef EXPECT_REJECT
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(add_matches_reference_and_float);
	UNIT_RUN(add_saturates_and_clamps);
	UNIT_RUN(add_in_place_and_bad_arguments);
	return unit_done();
}
