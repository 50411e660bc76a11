/*
 * arm_max_pool_s8.c: s8 max pooling; padded positions are skipped, never treated as values.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_nn_pool_check.h"

#if defined(ARM_MATH_DSP)
/* The bytewise signed maximum of a and b: SSUB8 sets a GE flag per byte where a >= b, SEL keeps those bytes of a. */
static inline uint32_t xs_nn_max4_s8(uint32_t a, uint32_t b)
{
	(void)__SSUB8(a, b);
	return __SEL(a, b);
}
#endif

arm_cmsis_nn_status arm_max_pool_s8(const cmsis_nn_context *ctx, const cmsis_nn_pool_params *pool_params,
                                    const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
	(void)ctx; /* no scratch */

	if (!xs_nn_pool_args_ok(pool_params, input_dims, input_data, filter_dims, output_dims, output_data)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}

	const int32_t in_h = input_dims->h;
	const int32_t in_w = input_dims->w;
	const int32_t ch = input_dims->c;

#if defined(ARM_MATH_DSP)
	/*
	 * The commonest pooling (2x2, stride 2, every window inside the input, whole words of channels, the full
	 * int8 range: a CNN's downsampling after a convolution) with the general loop's per-window bounds and
	 * per-tap loops left out: a word of four channels is four loads and three bytewise maxima. The same
	 * bytes: the maximum of the window's values, which the full range does not clamp.
	 */
	if (filter_dims->h == 2 && filter_dims->w == 2 && pool_params->stride.h == 2 && pool_params->stride.w == 2 &&
	    pool_params->padding.h == 0 && pool_params->padding.w == 0 && 2 * output_dims->h <= in_h &&
	    2 * output_dims->w <= in_w && (ch & 3) == 0 && pool_params->activation.min == -128 &&
	    pool_params->activation.max == 127) {
		const int32_t row = in_w * ch;
		int8_t *out = output_data;
		for (int32_t b = 0; b < input_dims->n; b++) {
			for (int32_t oy = 0; oy < output_dims->h; oy++) {
				const int8_t *top = input_data + (b * in_h + 2 * oy) * row;
				for (int32_t ox = 0; ox < output_dims->w; ox++, top += 2 * ch) {
					for (int32_t c = 0; c < ch; c += 4, out += 4) {
						const int8_t *p = top + c;
						const uint32_t max =
						        xs_nn_max4_s8(xs_nn_max4_s8(xs_nn_read_u32(p), xs_nn_read_u32(p + ch)),
						                      xs_nn_max4_s8(xs_nn_read_u32(p + row), xs_nn_read_u32(p + row + ch)));
						memcpy(out, &max, sizeof max);
					}
				}
			}
		}
		return ARM_CMSIS_NN_SUCCESS;
	}
#endif

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
				if (ky0 == ky1 || kx0 == kx1) {
					return ARM_CMSIS_NN_ARG_ERROR; /* window entirely in the padding */
				}
				int8_t *out = output_data + ((b * output_dims->h + oy) * output_dims->w + ox) * ch;
				int32_t c = 0;
#if defined(ARM_MATH_DSP)
				/* Four channels a word: one LDR, SSUB8 and SEL per window position, the clamp the same way. */
				const uint32_t act_min4 = 0x01010101u * (uint8_t)pool_params->activation.min;
				const uint32_t act_max4 = 0x01010101u * (uint8_t)pool_params->activation.max;
				for (; c + 4 <= ch; c += 4) {
					uint32_t max = 0x80808080u;
					for (int32_t ky = ky0; ky < ky1; ky++) {
						const int8_t *row = in_batch + ((base_y + ky) * in_w + base_x + kx0) * ch + c;
						for (int32_t kx = 0; kx < kx1 - kx0; kx++) {
							max = xs_nn_max4_s8(xs_nn_read_u32(row + kx * ch), max);
						}
					}
					max = xs_nn_max4_s8(max, act_min4);
					(void)__SSUB8(act_max4, max); /* GE where max <= act_max: keep those bytes */
					max = __SEL(max, act_max4);
					memcpy(out + c, &max, sizeof max);
				}
#endif
				for (; c < ch; c++) {
					int32_t max = XS_NN_Q7_MIN;
					for (int32_t ky = ky0; ky < ky1; ky++) {
						/* Start at the first valid column: base_x itself may be in the padding. */
						const int8_t *row = in_batch + ((base_y + ky) * in_w + base_x + kx0) * ch + c;
						for (int32_t kx = 0; kx < kx1 - kx0; kx++) {
							if (row[kx * ch] > max) {
								max = row[kx * ch];
							}
						}
					}
					out[c] = (int8_t)xs_nn_clamp(max, pool_params->activation.min, pool_params->activation.max);
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
