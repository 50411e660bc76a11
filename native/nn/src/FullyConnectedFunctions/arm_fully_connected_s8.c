/*
 * arm_fully_connected_s8.c: s8 fully connected layer, per-tensor (arm_fully_connected_s8) and
 * per-channel (arm_fully_connected_per_channel_s8) requantization.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Both run one kernel; output o requantizes with mult[o * q_step] and
 * shift[o * q_step], q_step 0 for a per-tensor layer and 1 per channel.
 */
#include "../arm_nnsupportfunctions.h"

#if defined(ARM_MATH_DSP)
/*
 * The DSP path splits each output into sum (x + input_offset) * w, run in int32 on SMLAD, and
 * filter_offset * sum (x + input_offset), the input's sum taken once per batch for every row (zero
 * in TFLite's int8 FC, whose weights are symmetric). A term of the first is at most 255 * 128 in
 * magnitude, so up to this depth no int32 sum overflows; bias and the two parts are added in 64
 * bits, and the output stage saturates exactly as on the plain path.
 */
#define XS_NN_FC_DSP_MAX_ACCUM 65536

static void xs_nn_fc_batch_dsp(const cmsis_nn_fc_params *p, const int32_t *mult, const int32_t *shift, int32_t q_step,
                               int32_t accum, int32_t out_c, const int8_t *in, const int8_t *filter_data,
                               const int32_t *bias_data, int8_t *out)
{
	const int32_t in_offset = p->input_offset;
	const uint32_t offset2 = xs_nn_pair16(in_offset);
	const int32_t accum4 = accum & ~3;
	int64_t offset_term = 0;
	if (p->filter_offset != 0) {
		int32_t sum = 0;
		for (int32_t k = 0; k < accum; k++) {
			sum += in[k] + in_offset;
		}
		offset_term = (int64_t)sum * p->filter_offset;
	}
	int32_t o = 0;
	for (; o + 4 <= out_c; o += 4) {
		const int8_t *w = filter_data + o * accum;
		int32_t dots[4] = {0, 0, 0, 0};
		xs_nn_dot4_s8(in, w, accum, accum4, offset2, dots);
		for (int32_t k = accum4; k < accum; k++) {
			const int32_t v = in[k] + in_offset;
			for (int32_t j = 0; j < 4; j++) {
				dots[j] += v * w[j * accum + k];
			}
		}
		for (int32_t j = 0; j < 4; j++) {
			const int64_t acc = (int64_t)dots[j] + offset_term + (bias_data != NULL ? bias_data[o + j] : 0);
			out[o + j] = xs_nn_output_s8(acc, mult[(o + j) * q_step], shift[(o + j) * q_step], p->output_offset,
			                             p->activation.min, p->activation.max);
		}
	}
	for (; o < out_c; o++) {
		const int8_t *w = filter_data + o * accum;
		int32_t dot = 0;
		int32_t k = 0;
		for (; k < accum4; k += 4) {
			const uint32_t s = xs_nn_read_u32(in + k);
			const uint32_t v = xs_nn_read_u32(w + k);
			dot = (int32_t)__SMLAD(__SADD16(__SXTB16(s), offset2), __SXTB16(v), (uint32_t)dot);
			dot = (int32_t)__SMLAD(__SADD16(__SXTB16_RORn(s, 8), offset2), __SXTB16_RORn(v, 8), (uint32_t)dot);
		}
		for (; k < accum; k++) {
			dot += (in[k] + in_offset) * w[k];
		}
		const int64_t acc = (int64_t)dot + offset_term + (bias_data != NULL ? bias_data[o] : 0);
		out[o] = xs_nn_output_s8(acc, mult[o * q_step], shift[o * q_step], p->output_offset, p->activation.min,
		                         p->activation.max);
	}
}
#endif

static arm_cmsis_nn_status xs_nn_fully_connected_run(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                                     const int32_t *mult, const int32_t *shift, int32_t q_step,
                                                     const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                     const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                     const int32_t *bias_data, const cmsis_nn_dims *output_dims,
                                                     int8_t *output_data)
{

	/*
     * The fields CMSIS-NN reads, and the only ones read here: batches
     * input_dims->n, accumulation depth filter_dims->n, output depth
     * output_dims->c. A caller may leave the rest uninitialized.
     */
	if (fc_params == NULL || mult == NULL || shift == NULL || input_data == NULL || filter_data == NULL ||
	    output_data == NULL || input_dims == NULL || filter_dims == NULL || output_dims == NULL) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t batches = input_dims->n;
	const int32_t accum = filter_dims->n;
	const int32_t out_c = output_dims->c;
	if (batches <= 0 || accum <= 0 || out_c <= 0 || (int64_t)batches * accum > INT32_MAX ||
	    (int64_t)accum * out_c > INT32_MAX || (int64_t)batches * out_c > INT32_MAX) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	if (!xs_nn_input_offset_ok(fc_params->input_offset) || !xs_nn_input_offset_ok(fc_params->filter_offset) ||
	    !xs_nn_output_offset_ok(fc_params->output_offset) || !xs_nn_activation_ok(&fc_params->activation)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t o = 0; o < (q_step != 0 ? out_c : 1); o++) {
		if (!xs_nn_shift_ok(shift[o])) {
			return ARM_CMSIS_NN_ARG_ERROR;
		}
	}
	if (!xs_nn_ctx_ok(ctx, arm_fully_connected_s8_get_buffer_size(filter_dims))) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}

#if defined(ARM_MATH_DSP)
	if (accum <= XS_NN_FC_DSP_MAX_ACCUM) {
		for (int32_t b = 0; b < batches; b++) {
			xs_nn_fc_batch_dsp(fc_params, mult, shift, q_step, accum, out_c, input_data + b * accum, filter_data,
			                   bias_data, output_data + b * out_c);
		}
		return ARM_CMSIS_NN_SUCCESS;
	}
#endif
	const int32_t in_offset = fc_params->input_offset;
	const int32_t w_offset = fc_params->filter_offset;

	for (int32_t b = 0; b < batches; b++) {
		const int8_t *in = input_data + b * accum;
		int8_t *out = output_data + b * out_c;
		for (int32_t o = 0; o < out_c; o++) {
			const int8_t *w = filter_data + o * accum;
			int64_t acc = bias_data != NULL ? bias_data[o] : 0;
			for (int32_t k = 0; k < accum; k++) {
				acc += (in[k] + in_offset) * (w[k] + w_offset);
			}
			out[o] = xs_nn_output_s8(acc, mult[o * q_step], shift[o * q_step], fc_params->output_offset,
			                         fc_params->activation.min, fc_params->activation.max);
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_fully_connected_s8(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                           const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                           const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)bias_dims; /* the bias length is output_dims->c by contract */
	if (quant_params == NULL) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return xs_nn_fully_connected_run(ctx, fc_params, &quant_params->multiplier, &quant_params->shift, 0, input_dims,
	                                 input_data, filter_dims, filter_data, bias_data, output_dims, output_data);
}

arm_cmsis_nn_status arm_fully_connected_per_channel_s8(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                                       const cmsis_nn_per_channel_quant_params *quant_params,
                                                       const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                       const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                       const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                                       const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)bias_dims;
	if (quant_params == NULL) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	return xs_nn_fully_connected_run(ctx, fc_params, quant_params->multiplier, quant_params->shift, 1, input_dims,
	                                 input_data, filter_dims, filter_data, bias_data, output_dims, output_data);
}
