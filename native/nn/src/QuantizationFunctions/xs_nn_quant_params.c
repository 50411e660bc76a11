/*
 * xs_nn_quant_params.c: the per-channel work of loading a model, in C
 * because XS interprets (a per-channel loop in the interpreter's TypeScript
 * cost about 14,000 guest instructions a channel on the Cortex-M7): checking
 * a tensor's quantization vectors and computing the per-channel multipliers.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The multiplier is TFLite's QuantizeMultiplier, the same steps as
 * modules/nn/quantize.ts: real = (double)input_scale * (double)filter_scale
 * / (double)output_scale; real = f * 2^e with f in [0.5, 1) (read from the
 * double's bits: exact); q = round half away from zero (f * 2^31), which is
 * exact in double; q = 2^31 becomes 2^30 with e + 1; e < -31 flushes to
 * (0, 0); single rounding caps e at 30 with q = 2^31 - 1.
 */
#include "xs_nn_quantize.h"

#include <math.h>
#include <string.h>

int32_t xs_nn_check_scales_f32(const float *scales, int32_t count)
{
	if (scales == NULL || count < 0) {
		return 0;
	}
	for (int32_t i = 0; i < count; i++) {
		const float s = scales[i];
		/* NaN fails the first test. */
		if (!(s > 0.0f) || isinf(s)) {
			return i;
		}
	}
	return -1;
}

int32_t xs_nn_zero_points_i64(const int32_t *words, int32_t count, int32_t *out)
{
	if (words == NULL || count < 0) {
		return 0;
	}
	int32_t nonzero = 0;
	for (int32_t i = 0; i < count; i++) {
		const uint32_t lo = (uint32_t)words[2 * i];
		const int32_t hi = words[2 * i + 1];
		/* An int64 fits int32 when its high word is the sign extension of its low word. */
		if (hi != ((int32_t)lo >> 31)) {
			return i;
		}
		nonzero |= (int32_t)lo;
		if (out != NULL) {
			out[i] = (int32_t)lo;
		}
	}
	return nonzero != 0 ? -2 : -1;
}

/* QuantizeMultiplier for real >= 0 (what positive scales give); 0 when real is not finite. */
static int quantize_multiplier(double real, int single_rounding, int32_t *mult, int32_t *shift)
{
	uint64_t bits;
	memcpy(&bits, &real, sizeof bits);
	const int32_t biased = (int32_t)((bits >> 52) & 0x7ff);
	if (biased == 0x7ff) {
		return 0;
	}
	if (real == 0.0 || biased == 0) {
		/* Zero, or a subnormal: below 2^-1022, far under the 2^-32 that flushes to (0, 0). */
		*mult = 0;
		*shift = 0;
		return 1;
	}
	/* f * 2^53 is the significand with its hidden bit: f * 2^31 = sig / 2^22, rounded half away from zero. */
	const uint64_t sig = (bits & 0xfffffffffffffull) | 0x10000000000000ull;
	int64_t q = (int64_t)((sig + (1ull << 21)) >> 22);
	int32_t e = biased - 1022;
	if (q == (1ll << 31)) {
		q >>= 1;
		e += 1;
	}
	if (e < -31) {
		q = 0;
		e = 0;
	}
	if (single_rounding && e > 30) {
		e = 30;
		q = (1ll << 31) - 1;
	}
	*mult = (int32_t)q;
	*shift = e;
	return 1;
}

arm_cmsis_nn_status xs_nn_per_channel_multipliers(double input_scale, const float *filter_scales, int32_t scale_count,
                                                  double output_scale, int32_t channels, int32_t single_rounding,
                                                  int32_t *multipliers, int32_t *shifts)
{
	if (filter_scales == NULL || multipliers == NULL || shifts == NULL || channels < 0 ||
	    (scale_count != 1 && scale_count != channels) || !(input_scale > 0.0) || isinf(input_scale) ||
	    !(output_scale > 0.0) || isinf(output_scale) || xs_nn_check_scales_f32(filter_scales, scale_count) >= 0) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t c = 0; c < channels; c++) {
		const double fs = (double)filter_scales[scale_count == 1 ? 0 : c];
		if (!quantize_multiplier(input_scale * fs / output_scale, single_rounding != 0, &multipliers[c], &shifts[c])) {
			return ARM_CMSIS_NN_ARG_ERROR;
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
