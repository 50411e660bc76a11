/*
 * arm_avgpool_s8.c: s8 average pooling with TFLite's int8 rounding and padding rules.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The divisor is the number of window positions inside the input (padding
 * is excluded, not counted as zero), and the quotient is rounded half away
 * from zero as TFLite does: sum > 0 ? (sum + n/2) / n : (sum - n/2) / n with
 * C's truncating division.
 */
#include "xs_nn_pool_check.h"

/*
 * sum / count rounded half away from zero, clamped. In 32 bits whenever sum +- half fits (every
 * window but a giant one): a 64-bit division is a library call on Cortex-M7, SDIV one instruction.
 */
static inline int8_t xs_nn_avg_s8(int64_t sum, int32_t count, const cmsis_nn_activation *act)
{
	const int32_t half = count / 2;
	int32_t avg;
	if (sum >= -(1 << 30) && sum <= (1 << 30)) {
		const int32_t s = (int32_t)sum;
		avg = s > 0 ? (s + half) / count : (s - half) / count;
	} else {
		avg = (int32_t)(sum > 0 ? (sum + half) / count : (sum - half) / count);
	}
	return (int8_t)xs_nn_clamp(avg, act->min, act->max);
}

arm_cmsis_nn_status arm_avgpool_s8(const cmsis_nn_context *ctx, const cmsis_nn_pool_params *pool_params,
                                   const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims,
                                   int8_t *output_data)
{
	if (!xs_nn_pool_args_ok(pool_params, input_dims, input_data, filter_dims, output_dims, output_data)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	if (!xs_nn_ctx_ok(ctx, arm_avgpool_s8_get_buffer_size(output_dims->w, input_dims->c))) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}

	const int32_t in_h = input_dims->h;
	const int32_t in_w = input_dims->w;
	const int32_t ch = input_dims->c;

	for (int32_t b = 0; b < input_dims->n; b++) {
		const int8_t *in_batch = input_data + b * in_h * in_w * ch;
		for (int32_t oy = 0; oy < output_dims->h; oy++) {
			const int32_t base_y = oy * pool_params->stride.h - pool_params->padding.h;
			int32_t ky0;
			int32_t ky1;
			xs_nn_valid_taps(base_y, 1, filter_dims->h, in_h, &ky0, &ky1);
			for (int32_t ox = 0; ox < output_dims->w; ox++) {
				const int32_t base_x = ox * pool_params->stride.w - pool_params->padding.w;
				int32_t kx0;
				int32_t kx1;
				xs_nn_valid_taps(base_x, 1, filter_dims->w, in_w, &kx0, &kx1);
				const int32_t count = (ky1 - ky0) * (kx1 - kx0);
				if (count == 0) {
					return ARM_CMSIS_NN_ARG_ERROR; /* window entirely in the padding */
				}
				int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * ch;
				int32_t c = 0;
#if defined(ARM_MATH_DSP)
				/*
                 * Four channels a word: SXTAB16 adds bytes 0 and 2, and (rotated) 1 and 3, to two
                 * int16 lanes each. Up to 256 values a lane holds any sum (-128 * 256 = -32768);
                 * larger windows take the plain loop.
                 */
				if (count <= 256) {
					for (; c + 4 <= ch; c += 4) {
						uint32_t even = 0, odd = 0;
						for (int32_t ky = ky0; ky < ky1; ky++) {
							const int8_t *row = in_batch + ((base_y + ky) * in_w + base_x + kx0) * ch + c;
							for (int32_t kx = 0; kx < kx1 - kx0; kx++) {
								const uint32_t v = xs_nn_read_u32(row + kx * ch);
								even = __SXTAB16(even, v);
								odd = __SXTAB16_RORn(odd, v, 8);
							}
						}
						const int32_t sums[4] = {(int16_t)even, (int16_t)odd, (int16_t)(even >> 16),
						                         (int16_t)(odd >> 16)};
						for (int32_t k = 0; k < 4; k++) {
							out[c + k] = xs_nn_avg_s8(sums[k], count, &pool_params->activation);
						}
					}
				}
#endif
				for (; c < ch; c++) {
					/* 64 bits: a window of more than 2^24 values would overflow 32. */
					int64_t sum = 0;
					for (int32_t ky = ky0; ky < ky1; ky++) {
						/* Start at the first valid column: base_x itself may be in the padding. */
						const int8_t *row = in_batch + ((base_y + ky) * in_w + base_x + kx0) * ch + c;
						for (int32_t kx = 0; kx < kx1 - kx0; kx++) {
							sum += row[kx * ch];
						}
					}
					out[c] = xs_nn_avg_s8(sum, count, &pool_params->activation);
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
