/*
 * xs_nn_svdf_s8.c: TFLite Micro's integer SVDF, what arm_svdf_s8 (int8 state and time weights) and
 * arm_svdf_state_s16_s8 (int16) share.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * One step, per batch b, with F feature rows (weights_feature [F][input]), T time steps, the rank R
 * (F = units * R) and the state [b][F][T]:
 *   1. the state moves one step back: the whole buffer shifts down by one element (each row's
 *      oldest value falls out; its newest slot is written next);
 *   2. state[b][f][T - 1] = clamp(requant_in(sum_i (input[b][i] - input zero point) * wf[f][i]),
 *      input_activation) - svdf_params->input_offset is the input's zero point, not its negation;
 *   3. t[b][f] = sum_k wt[f][k] * state[b][f][k];
 *   4. out[b][u] = clamp(requant_out(bias[u] + sum_r t[b][u * R + r]) + output_offset, output_activation).
 * The sums are int32 as TFLite's; no scratch is needed (one feature's and one unit's sums at a time),
 * so the contexts are not read.
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status xs_nn_svdf_s8(const cmsis_nn_svdf_params *p, const cmsis_nn_per_tensor_quant_params *in_q,
                                  const cmsis_nn_per_tensor_quant_params *out_q, const cmsis_nn_dims *input_dims,
                                  const int8_t *input_data, void *state_data, int state16,
                                  const cmsis_nn_dims *weights_feature_dims, const int8_t *weights_feature_data,
                                  const cmsis_nn_dims *weights_time_dims, const void *weights_time_data,
                                  const int32_t *bias_data, int8_t *output_data)
{
	if (p == NULL || in_q == NULL || out_q == NULL || input_dims == NULL || input_data == NULL || state_data == NULL ||
	    weights_feature_dims == NULL || weights_feature_data == NULL || weights_time_dims == NULL ||
	    weights_time_data == NULL || output_data == NULL || !xs_nn_shift_ok(in_q->shift) ||
	    !xs_nn_shift_ok(out_q->shift) || p->rank <= 0) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t batches = input_dims->n, size = input_dims->h;
	const int32_t features = weights_feature_dims->n, steps = weights_time_dims->h, rank = p->rank;
	if (batches <= 0 || size <= 0 || features <= 0 || steps <= 0 || features % rank != 0 ||
	    (int64_t)batches * features * steps > INT32_MAX) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t units = features / rank, total = batches * features * steps;
	int8_t *state8 = (int8_t *)state_data;
	int16_t *state16p = (int16_t *)state_data;
	const int8_t *time8 = (const int8_t *)weights_time_data;
	const int16_t *time16 = (const int16_t *)weights_time_data;

	/* 1. */
	if (state16)
		memmove(state16p, state16p + 1, (size_t)(total - 1) * sizeof(int16_t));
	else
		memmove(state8, state8 + 1, (size_t)(total - 1));

	for (int32_t b = 0; b < batches; b++) {
		/* 2. */
		const int8_t *x = input_data + (int64_t)b * size;
		for (int32_t f = 0; f < features; f++) {
			const int8_t *w = weights_feature_data + (int64_t)f * size;
			int32_t acc = 0;
			for (int32_t i = 0; i < size; i++)
				acc += (x[i] - p->input_offset) * w[i];
			const int32_t v = xs_nn_clamp(xs_nn_requantize(acc, in_q->multiplier, in_q->shift), p->input_activation.min,
			                              p->input_activation.max);
			const int64_t at = ((int64_t)b * features + f) * steps + steps - 1;
			if (state16)
				state16p[at] = (int16_t)v;
			else
				state8[at] = (int8_t)v;
		}
		/* 3. and 4., a unit's rank rows at a time. */
		for (int32_t u = 0; u < units; u++) {
			int32_t sum = bias_data != NULL ? bias_data[u] : 0;
			for (int32_t r = 0; r < rank; r++) {
				const int32_t f = u * rank + r;
				const int64_t row = ((int64_t)b * features + f) * steps;
				int32_t t = 0;
				for (int32_t k = 0; k < steps; k++)
					t += state16 ? time16[(int64_t)f * steps + k] * state16p[row + k]
					             : time8[(int64_t)f * steps + k] * state8[row + k];
				sum += t;
			}
			output_data[(int64_t)b * units + u] =
			        (int8_t)xs_nn_clamp(xs_nn_requantize(sum, out_q->multiplier, out_q->shift) + p->output_offset,
			                            p->output_activation.min, p->output_activation.max);
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
