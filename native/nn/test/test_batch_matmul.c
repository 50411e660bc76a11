/*
 * test_batch_matmul.c: arm_batch_matmul_s8 (broadcast over N and H, offsets, activation) and the
 * arm_vector_sum_s8 / _s64 sums against references written from their definitions.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_T 8192

static int8_t lhs[MAX_T], rhs[MAX_T], got[MAX_T], want[MAX_T];

UNIT_TEST(batch_matmul_matches_reference)
{
	unit_rand_seed(31);
	for (int trial = 0; trial < 300; trial++) {
		const int32_t n = nn_rng_range(1, 3), h = nn_rng_range(1, 3);
		const int32_t rows = nn_rng_range(1, 6), cols = nn_rng_range(1, 6), depth = nn_rng_range(1, 20);
		/* Each of N and H: both the output's, or one side 1 (broadcast). */
		const int32_t ln = unit_rand() % 3 == 0 ? 1 : n, rn = ln == 1 ? n : (unit_rand() % 2 ? 1 : n);
		const int32_t lh = unit_rand() % 3 == 0 ? 1 : h, rh = lh == 1 ? h : (unit_rand() % 2 ? 1 : h);
		const cmsis_nn_dims ld = {ln, lh, rows, depth}, rd = {rn, rh, cols, depth};
		const cmsis_nn_dims od = {ln > rn ? ln : rn, lh > rh ? lh : rh, rows, cols};
		nn_fill_i8(lhs, ln * lh * rows * depth);
		nn_fill_i8(rhs, rn * rh * cols * depth);
		const int32_t in_off = nn_rng_range(-127, 128), w_off = nn_rng_range(-127, 128);
		const int32_t out_off = nn_rng_range(-128, 127), mult = nn_rng_range(1 << 30, INT32_MAX);
		const int32_t shift = nn_rng_range(-14, -6);
		const int32_t act_min = nn_rng_range(-128, 0), act_max = nn_rng_range(act_min, 127);
		const cmsis_nn_bmm_params p = {false, true, {in_off, w_off, out_off, {act_min, act_max}}};
		const cmsis_nn_per_tensor_quant_params q = {mult, shift};
		for (int32_t a = 0; a < od.n; a++)
			for (int32_t b = 0; b < od.h; b++)
				for (int32_t i = 0; i < rows; i++)
					for (int32_t j = 0; j < cols; j++) {
						const int8_t *x = lhs + (((ln == 1 ? 0 : a) * lh + (lh == 1 ? 0 : b)) * rows + i) * depth;
						const int8_t *y = rhs + (((rn == 1 ? 0 : a) * rh + (rh == 1 ? 0 : b)) * cols + j) * depth;
						int64_t acc = 0;
						for (int32_t k = 0; k < depth; k++)
							acc += (int64_t)(x[k] + in_off) * (y[k] + w_off);
						want[((a * od.h + b) * rows + i) * cols + j] = (int8_t)nn_clamp(
						        nn_ref_requantize(nn_sat32(acc), mult, shift) + out_off, act_min, act_max);
					}
		UNIT_EQ_INT(arm_batch_matmul_s8(NULL, &p, &q, &ld, lhs, &rd, rhs, &od, got), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(got, want, od.n * od.h * rows * cols);
	}
	/* Depths that differ, or batch dims neither equal nor 1: refused. */
	const cmsis_nn_bmm_params p = {false, true, {0, 0, 0, {-128, 127}}};
	const cmsis_nn_per_tensor_quant_params q = {1 << 30, -1};
	const cmsis_nn_dims l = {2, 1, 3, 4}, r = {2, 1, 5, 3}, o = {2, 1, 3, 5}, r3 = {3, 1, 5, 4}, o3 = {3, 1, 3, 5};
	UNIT_EQ_INT(arm_batch_matmul_s8(NULL, &p, &q, &l, lhs, &r, rhs, &o, got), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_batch_matmul_s8(NULL, &p, &q, &l, lhs, &r3, rhs, &o3, got), ARM_CMSIS_NN_ARG_ERROR);
}

UNIT_TEST(vector_sums_match_definition)
{
	unit_rand_seed(32);
	static int32_t sums[64], bias[64];
	static int64_t sums64[64], bias64[64];
	for (int trial = 0; trial < 200; trial++) {
		const int32_t rows = nn_rng_range(1, 64), cols = nn_rng_range(0, 100);
		nn_fill_i8(lhs, rows * cols);
		const int32_t lhs_off = trial % 5 == 0 ? 0 : nn_rng_range(-127, 128), rhs_off = nn_rng_range(-127, 128);
		const int with_bias = trial % 2;
		for (int32_t r = 0; r < rows; r++) {
			bias[r] = nn_rng_range(-100000, 100000);
			bias64[r] = (int64_t)bias[r] << 20;
		}
		UNIT_EQ_INT(arm_vector_sum_s8(sums, cols, rows, lhs, lhs_off, rhs_off, with_bias ? bias : NULL),
		            ARM_CMSIS_NN_SUCCESS);
		UNIT_EQ_INT(arm_vector_sum_s8_s64(sums64, cols, rows, lhs, lhs_off, with_bias ? bias64 : NULL),
		            ARM_CMSIS_NN_SUCCESS);
		for (int32_t r = 0; r < rows; r++) {
			int64_t plain = 0, shifted = 0;
			for (int32_t c = 0; c < cols; c++) {
				plain += lhs[r * cols + c];
				shifted += lhs[r * cols + c] + rhs_off;
			}
			UNIT_EQ_INT(sums[r], (with_bias ? bias[r] : 0) + lhs_off * shifted);
			if (sums64[r] != (with_bias ? bias64[r] : 0) + lhs_off * plain) {
				UNIT_FAIL("row %d: s64 sum differs", (int)r);
				return;
			}
		}
	}
	UNIT_EQ_INT(arm_vector_sum_s8(NULL, 1, 1, lhs, 1, 0, NULL), ARM_CMSIS_NN_ARG_ERROR);
}

int main(void)
{
	UNIT_RUN(batch_matmul_matches_reference);
	UNIT_RUN(vector_sums_match_definition);
	return unit_done();
}
