/*
 * arm_nn_types.h: CMSIS-NN's value types for the s8 kernels xsight implements.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Names, field order and types follow CMSIS-NN's public arm_nn_types.h so
 * that code written against this header links unchanged against the real
 * CMSIS-NN. Only the subset used by the s8 kernels of arm_nnfunctions.h is
 * declared.
 */
#ifndef ARM_NN_TYPES_H
#define ARM_NN_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes. The values are CMSIS-NN's: callers may compare numerically. */
typedef enum {
	ARM_CMSIS_NN_SUCCESS = 0,        /**< No error */
	ARM_CMSIS_NN_ARG_ERROR = -1,     /**< One or more arguments are incorrect */
	ARM_CMSIS_NN_NO_IMPL_ERROR = -2, /**< No implementation available for these arguments */
	ARM_CMSIS_NN_FAILURE = -3,       /**< Logical error (declared for compatibility; unused here) */
} arm_cmsis_nn_status;

/** Width and height of a 2-D quantity (stride, padding, dilation). */
typedef struct {
	int32_t w; /**< Width */
	int32_t h; /**< Height */
} cmsis_nn_tile;

/**
 * Scratch memory owned by the caller. Size it with the kernel's
 * *_get_buffer_size() function; kernels never allocate.
 */
typedef struct {
	void *buf;    /**< Scratch buffer, at least 4-byte aligned */
	int32_t size; /**< Size of buf in bytes */
} cmsis_nn_context;

/** Tensor dimensions; the meaning of each field is given per argument. */
typedef struct {
	int32_t n; /**< Batches, or output channels for a conv filter */
	int32_t h; /**< Height */
	int32_t w; /**< Width */
	int32_t c; /**< Channels */
} cmsis_nn_dims;

/** Per-output-channel requantization: one multiplier and one shift per channel. */
typedef struct {
	int32_t *multiplier; /**< Q31 multipliers, one per output channel */
	int32_t *shift;      /**< Shifts (positive = left), one per output channel */
} cmsis_nn_per_channel_quant_params;

/** Per-tensor requantization. */
typedef struct {
	int32_t multiplier; /**< Q31 multiplier */
	int32_t shift;      /**< Shift (positive = left) */
} cmsis_nn_per_tensor_quant_params;

/** Per-tensor or per-channel requantization (the fully connected wrapper's). */
typedef struct {
	int32_t *multiplier;    /**< Q31 multipliers: one, or one per output channel */
	int32_t *shift;         /**< Shifts (positive = left): one, or one per output channel */
	int32_t is_per_channel; /**< Non-zero: one multiplier and shift per output channel */
} cmsis_nn_quant_params;

/** Output clamp, in the output's quantized domain (after adding the output offset). */
typedef struct {
	int32_t min; /**< Lower bound, >= -128 */
	int32_t max; /**< Upper bound, <= 127 */
} cmsis_nn_activation;

/** Convolution parameters. */
typedef struct {
	int32_t input_offset;   /**< Negated input zero point, [-127, 128] */
	int32_t output_offset;  /**< Output zero point, [-128, 127] */
	cmsis_nn_tile stride;   /**< >= 1 */
	cmsis_nn_tile padding;  /**< Top/left padding; bottom/right follows from the output dims */
	cmsis_nn_tile dilation; /**< >= 1 */
	cmsis_nn_activation activation;
} cmsis_nn_conv_params;

/** Depthwise convolution parameters. */
typedef struct {
	int32_t input_offset;  /**< Negated input zero point, [-127, 128] */
	int32_t output_offset; /**< Output zero point, [-128, 127] */
	int32_t ch_mult;       /**< Channel multiplier: ch_mult * in_ch = out_ch */
	cmsis_nn_tile stride;
	cmsis_nn_tile padding;
	cmsis_nn_tile dilation;
	cmsis_nn_activation activation;
} cmsis_nn_dw_conv_params;

/** Pooling parameters. */
typedef struct {
	cmsis_nn_tile stride;
	cmsis_nn_tile padding; /**< Top/left padding; padded positions are excluded, not zero */
	cmsis_nn_activation activation;
} cmsis_nn_pool_params;

/** Fully connected parameters. */
typedef struct {
	int32_t input_offset;  /**< Negated input zero point, [-127, 128] */
	int32_t filter_offset; /**< Negated filter zero point, [-127, 128] (0 for symmetric weights) */
	int32_t output_offset; /**< Output zero point, [-128, 127] */
	cmsis_nn_activation activation;
} cmsis_nn_fc_params;

/** Transposed convolution parameters: padding_offsets is the padding at the bottom/right end. */
typedef struct {
	int32_t input_offset;  /**< Negated input zero point, [-127, 128] */
	int32_t output_offset; /**< Output zero point, [-128, 127] */
	cmsis_nn_tile stride;
	cmsis_nn_tile padding;
	cmsis_nn_tile padding_offsets;
	cmsis_nn_tile dilation;
	cmsis_nn_activation activation;
} cmsis_nn_transpose_conv_params;

/** Batch matrix multiplication parameters: adj_x / adj_y transpose the left / right operand. */
typedef struct {
	const bool adj_x;
	const bool adj_y;
	cmsis_nn_fc_params fc_params;
} cmsis_nn_bmm_params;

/** Transpose parameters: output dimension i is input dimension permutations[i], of the first num_dims. */
typedef struct {
	const int32_t num_dims;
	const uint32_t *permutations;
} cmsis_nn_transpose_params;

/** SVDF parameters. */
typedef struct {
	int32_t rank;
	int32_t input_offset;  /**< Negated input zero point */
	int32_t output_offset; /**< Output zero point */
	cmsis_nn_activation input_activation;
	cmsis_nn_activation output_activation;
} cmsis_nn_svdf_params;

#ifdef __cplusplus
}
#endif

#endif /* ARM_NN_TYPES_H */
