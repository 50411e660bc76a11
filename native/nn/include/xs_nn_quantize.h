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
arm_cmsis_nn_status xs_nn_requantize_s8(const int8_t *input, int8_t *output, int32_t count,
                                        int32_t input_zero_point, int32_t output_zero_point,
                                        int32_t mult, int32_t shift);

/**
 * float32 -> int8 (TFLite's QUANTIZE with float input, reference kernel):
 *     out = clamp(round_half_away(in / scale) + zero_point, -128, 127)
 * with the division in float as TFLite does; NaN becomes zero_point.
 */
arm_cmsis_nn_status xs_nn_quantize_f32_s8(const float *input, int8_t *output, int32_t count,
                                          float scale, int32_t zero_point);

/**
 * int8 -> float32 (TFLite's DEQUANTIZE): out = (float)(scale * (in - zero_point)).
 * The product of a float32 scale and a 9-bit integer is exact in double, so
 * computing it in double and rounding once equals TFLite's result.
 */
arm_cmsis_nn_status xs_nn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count,
                                            float scale, int32_t zero_point);

#ifdef __cplusplus
}
#endif

#endif
