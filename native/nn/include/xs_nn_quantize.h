/*
 * xs_nn_quantize.h: the element-wise conversions TFLite's QUANTIZE and
 * DEQUANTIZE operators need, which CMSIS-NN has no kernel for.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Same conventions as arm_nnfunctions.h: caller-owned memory, every argument
 * checked, ARM_CMSIS_NN_ARG_ERROR before anything is written.
 */
#ifndef XS_NN_QUANTIZE_H
#define XS_NN_QUANTIZE_H

/* Angle brackets: with CMSIS_NN_PATH, the real CMSIS-NN's types come first. */
#include <arm_nn_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * int8 -> int8 requantization (TFLite's QUANTIZE with int8 input):
 *     out = clamp(requant(in - input_zero_point, mult, shift) + output_zero_point, -128, 127)
 * with the build's requantization rounding (see arm_nnfunctions.h).
 * Zero points in [-128, 127], shift in [-31, 30]. output may be input.
 */
arm_cmsis_nn_status xs_nn_requantize_s8(const int8_t *input, int8_t *output, int32_t count, int32_t input_zero_point,
                                        int32_t output_zero_point, int32_t mult, int32_t shift);

/**
 * float32 -> int8 (TFLite's QUANTIZE with float input, reference kernel):
 *     out = clamp(round_half_away(in / scale) + zero_point, -128, 127)
 * with the division in float as TFLite does; NaN becomes zero_point.
 */
arm_cmsis_nn_status xs_nn_quantize_f32_s8(const float *input, int8_t *output, int32_t count, float scale,
                                          int32_t zero_point);

/**
 * int8 -> float32 (TFLite's DEQUANTIZE): out = (float)(scale * (in - zero_point)).
 * The product of a float32 scale and a 9-bit integer is exact in double, so
 * computing it in double and rounding once equals TFLite's result.
 */
arm_cmsis_nn_status xs_nn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count, float scale,
                                            int32_t zero_point);

/**
 * The first scale that is not a positive finite float (NaN, <= 0, inf), or
 * -1 when all `count` are. A TFLite quantization vector's rule.
 */
int32_t xs_nn_check_scales_f32(const float *scales, int32_t count);

/**
 * A TFLite zero_point vector (int64, as little-endian pairs of int32 words)
 * into int32 `out` (NULL: only checked); returns the index of the first value
 * outside int32 (out is written up to it), else -1 when every value is 0
 * (the usual per-channel case) and -2 when one is not.
 */
int32_t xs_nn_zero_points_i64(const int32_t *words, int32_t count, int32_t *out);

/**
 * Per-channel requantization multipliers of CONV_2D / DEPTHWISE_CONV_2D /
 * FULLY_CONNECTED (TFLite's PopulateConvolutionQuantizationParams):
 * real = (double)input_scale * (double)filter_scale[c] / (double)output_scale,
 * then QuantizeMultiplier (significand rounded to 31 bits, half away from
 * zero; shift < -31 flushes to 0; with single_rounding shifts cap at 30).
 * scale_count is 1 (broadcast) or `channels`. Scales must be positive finite.
 */
arm_cmsis_nn_status xs_nn_per_channel_multipliers(double input_scale, const float *filter_scales, int32_t scale_count,
                                                  double output_scale, int32_t channels, int32_t single_rounding,
                                                  int32_t *multipliers, int32_t *shifts);

#ifdef __cplusplus
}
#endif

#endif
