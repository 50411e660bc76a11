/*
 * xs_nn_reshape.h: data-movement kernels TFLite models need and CMSIS-NN
 * has no kernel for (REVERSE_V2).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Declared here rather than in arm_nnfunctions.h for the reason
 * xs_nn_quantize.h is: a build against the real CMSIS-NN
 * (make CMSIS_NN_PATH=...) replaces arm_nnfunctions.h and CMSIS-NN's
 * sources, and keeps xsight's own kernels. Same conventions as
 * arm_nnfunctions.h: caller-owned memory, every argument checked,
 * ARM_CMSIS_NN_ARG_ERROR before anything is written.
 */
#ifndef XS_NN_RESHAPE_H
#define XS_NN_RESHAPE_H

/* Angle brackets: with CMSIS_NN_PATH, the real CMSIS-NN's types come first. */
#include <arm_nn_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief s8 reversal along one axis of an NHWC tensor (TFLite's REVERSE_V2
 *        with one axis).
 *
 * With d = the size of that axis, output[.., i, ..] = input[.., d - 1 - i, ..].
 * int8 REVERSE_V2 keeps the input's quantization, so the output holds the
 * same bytes in another order: no requantization. A tensor of another rank
 * reverses as dims {outer, 1, d, inner} with axis 2, where outer and inner
 * are the products of the dimensions before and after the reversed one.
 *
 * @param[in]  input   int8 input, n * h * w * c values
 * @param[out] output  int8 output, as many values; must not overlap the input
 * @param[in]  dims    [N, H, W, C], all positive, at most INT32_MAX values
 * @param[in]  axis    0, 1, 2 or 3: n, h, w or c
 * @return ARM_CMSIS_NN_SUCCESS, or ARM_CMSIS_NN_ARG_ERROR for a NULL pointer,
 *         bad dims, an axis outside [0, 3] or overlapping input and output
 */
arm_cmsis_nn_status xs_nn_reverse_s8(const int8_t *input, int8_t *output, const cmsis_nn_dims *dims, int32_t axis);

#ifdef __cplusplus
}
#endif

#endif
