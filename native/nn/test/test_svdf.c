/*
 * test_svdf.c: arm_svdf_s8 and arm_svdf_state_s16_s8 over several steps against a reference that
 * keeps the state as a history per feature (newest last) and sums from the definition.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

enum { B = 2, IN = 7, R = 2, U = 3, F = R * U, T = 5, STEPS = 9 };

static int8_t input[B * IN], wf[F * IN], out[B * U], want[B * U];
static int8_t wt8[F * T], state8[B * F * T + 4];
static int16_t wt16[F * T], state16[B * F * T + 4];
static int32_t history[B][F][T], bias[U];

static void run(int state16_mode)
{
	unit_rand_seed(state16_mode ? 62 : 61);
	nn_fill_i8(wf, F * IN);
	for (int32_t i = 0; i < F * T; i++) {
		wt8[i] = (int8_t)nn_rng_range(-128, 127);
		wt16[i] = (int16_t)nn_rng_range(-3000, 3000);
	}
	for (int32_t u = 0; u < U; u++)
		bias[u] = nn_rng_range(-2000, 2000);
	memset(history, 0, sizeof history);
	memset(state8, 0, sizeof state8);
	memset(state16, 0, sizeof state16);
	state8[B * F * T] = 0x5A; /* past the state: never written */
	state16[B * F * T] = 0x5A5A;
	const int32_t in_zp = nn_rng_range(-20, 20), out_off = nn_rng_range(-20, 20);
	const cmsis_nn_activation in_act =
	        state16_mode ? (cmsis_nn_activation){-32768, 32767} : (cmsis_nn_activation){-128, 127};
	const cmsis_nn_svdf_params p = {R, in_zp, out_off, in_act, {-128, 127}};
	const cmsis_nn_per_tensor_quant_params in_q = {nn_rng_range(1 << 30, INT32_MAX), state16_mode ? -3 : -8};
	const cmsis_nn_per_tensor_quant_params out_q = {nn_rng_range(1 << 30, INT32_MAX), state16_mode ? -18 : -10};
	const cmsis_nn_dims in_dims = {B, IN, 1, 1}, wf_dims = {F, IN, 1, 1}, wt_dims = {F, T, 1, 1};
	const cmsis_nn_dims state_dims = {B, F * T, 1, 1}, bias_dims = {U, 1, 1, 1}, out_dims = {B, U, 1, 1};
	for (int step = 0; step < STEPS; step++) {
		nn_fill_i8(input, B * IN);
		for (int32_t b = 0; b < B; b++) {
			for (int32_t f = 0; f < F; f++) {
				int32_t acc = 0;
				for (int32_t i = 0; i < IN; i++)
					acc += (input[b * IN + i] - in_zp) * wf[f * IN + i];
				memmove(history[b][f], history[b][f] + 1, (T - 1) * sizeof(int32_t));
				history[b][f][T - 1] =
				        nn_clamp(nn_ref_requantize(acc, in_q.multiplier, in_q.shift), in_act.min, in_act.max);
			}
			for (int32_t u = 0; u < U; u++) {
				int32_t sum = bias[u];
				for (int32_t f = u * R; f < (u + 1) * R; f++)
					for (int32_t k = 0; k < T; k++)
						sum += (state16_mode ? wt16[f * T + k] : wt8[f * T + k]) * history[b][f][k];
				want[b * U + u] =
				        (int8_t)nn_clamp(nn_ref_requantize(sum, out_q.multiplier, out_q.shift) + out_off, -128, 127);
			}
		}
		const arm_cmsis_nn_status st = state16_mode
		        ? arm_svdf_state_s16_s8(NULL, NULL, &p, &in_q, &out_q, &in_dims, input, &state_dims, state16, &wf_dims,
		                                wf, &wt_dims, wt16, &bias_dims, bias, &out_dims, out)
		        : arm_svdf_s8(NULL, NULL, NULL, &p, &in_q, &out_q, &in_dims, input, &state_dims, state8, &wf_dims, wf,
		                      &wt_dims, wt8, &bias_dims, bias, &out_dims, out);
		UNIT_EQ_INT(st, ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(out, want, B * U);
		/* The state holds the history, oldest first, after the first T steps' zeros have shifted through. */
		for (int32_t b = 0; b < B; b++)
			for (int32_t f = 0; f < F; f++)
				for (int32_t k = 0; k < T; k++) {
					const int32_t have = state16_mode ? state16[(b * F + f) * T + k] : state8[(b * F + f) * T + k];
					if (step >= T && have != history[b][f][k]) {
						UNIT_FAIL("step %d state [%d][%d][%d]: %d, expected %d", step, (int)b, (int)f, (int)k,
						          (int)have, (int)history[b][f][k]);
						return;
					}
				}
	}
	UNIT_EQ_INT(state16_mode ? state16[B * F * T] : state8[B * F * T], state16_mode ? 0x5A5A : 0x5A);
}

UNIT_TEST(svdf_int8_state_matches_reference)
{
	run(0);
}

UNIT_TEST(svdf_int16_state_matches_reference)
{
	run(1);
}

UNIT_TEST(svdf_refuses_a_rank_that_does_not_divide)
{
	const cmsis_nn_svdf_params p = {4, 0, 0, {-128, 127}, {-128, 127}};
	const cmsis_nn_per_tensor_quant_params q = {1 << 30, -1};
	const cmsis_nn_dims in_dims = {B, IN, 1, 1}, wf_dims = {F, IN, 1, 1}, wt_dims = {F, T, 1, 1};
	UNIT_EQ_INT(arm_svdf_s8(NULL, NULL, NULL, &p, &q, &q, &in_dims, input, NULL, state8, &wf_dims, wf, &wt_dims, wt8,
	                        NULL, NULL, NULL, out),
	            ARM_CMSIS_NN_ARG_ERROR);
}

int main(void)
{
	UNIT_RUN(svdf_int8_state_matches_reference);
	UNIT_RUN(svdf_int16_state_matches_reference);
	UNIT_RUN(svdf_refuses_a_rank_that_does_not_divide);
	return unit_done();
}
