/*
 * arm_nnfunctions.h: xsight's portable int8 NN kernels, behind CMSIS-NN's public s8 API.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Written from CMSIS-NN's published API (names, signatures, tensor layouts,
 * return codes) and TFLite's int8 quantization spec; no CMSIS-NN or TFLite
 * source is used. Because names and signatures are CMSIS-NN's, a build may
 * link the real CMSIS-NN instead of native/nn/src and keep its callers.
 *
 * Layouts are TFLite's: activations NHWC, conv filters OHWI, depthwise
 * filters 1HWO, fully connected weights [out][accum].
 *
 * Where this library differs from CMSIS-NN (callers relying only on the
 * CMSIS-NN contract are unaffected, except for the first point):
 *  - ctx is checked: a kernel whose get_buffer_size answer is > 0 returns
 *    ARM_CMSIS_NN_ARG_ERROR if ctx or ctx->buf is NULL, ctx->buf is not
 *    4-byte aligned, or ctx->size is smaller than that answer (CMSIS-NN
 *    reads only ctx->buf: a caller must set ctx->size). A kernel that needs
 *    no scratch accepts ctx == NULL.
 *  - Arguments are checked before any output is written, and
 *    ARM_CMSIS_NN_ARG_ERROR is returned for: a NULL data pointer (bias may
 *    be NULL: it is then zero), a non-positive dimension that is read, dims
 *    that disagree (channels, ch_mult, groups), stride < 1, dilation < 1
 *    along an axis of more than one filter tap, negative padding, offsets
 *    outside the documented ranges, an activation range not inside
 *    [-128, 127] or with min > max, and shifts outside [-31, 30]. A tensor of
 *    more than INT32_MAX elements is refused too.
 *  - Dims fields CMSIS-NN does not read are not read here either, so they
 *    may be left uninitialized: convolution filter_dims->n and
 *    output_dims->n; depthwise filter_dims->n, ->c and output_dims->n; fully
 *    connected everything but input_dims->n, filter_dims->n and
 *    output_dims->c; pooling output_dims->n, ->c and filter_dims->n, ->c.
 *    A dilation along an axis of one filter tap is not read (a 1x1
 *    convolution may leave it unset).
 *  - arm_convolve_1x1_s8 and arm_convolve_1x1_s8_fast refuse output dims
 *    whose strided input positions lie outside the input (CMSIS-NN reads
 *    past it); arm_convolve_wrapper_s8 sends those to arm_convolve_s8.
 *  - arm_avgpool_s8 and arm_max_pool_s8 return ARM_CMSIS_NN_ARG_ERROR when a
 *    pooling window lies entirely in the padding (TFLite treats that as an
 *    error too); outputs before that window have been written.
 *  - arm_convolve_s8 implements upscale_dims == NULL or 1x1 only (no
 *    transposed convolution) and returns ARM_CMSIS_NN_NO_IMPL_ERROR otherwise.
 *    Pass a {1,1,1,1} dims rather than NULL if the real CMSIS-NN may be linked.
 *  - get_buffer_size functions return 0 for invalid dims (the kernel will
 *    refuse them) and INT32_MAX if the size does not fit an int32_t.
 *  - The scratch sizes are this library's own, not CMSIS-NN's: every
 *    depthwise and 1x1 kernel needs none (CMSIS-NN's DSP build asks scratch
 *    for arm_depthwise_conv_s8_opt), arm_convolve_1_x_n_s8 needs
 *    arm_convolve_s8's.
 *  - Outside TFLite's valid ranges, where TFLite's arithmetic is undefined
 *    (signed overflow), intermediate results saturate.
 *
 * Requantization rounding (build-time choice)
 * -------------------------------------------
 * Every kernel except softmax scales an int32 accumulator acc to the output
 * with a Q31 multiplier m and a shift s (positive = left), s in [-31, 30]:
 *
 *  - Single rounding (the default, and whenever CMSIS_NN_USE_SINGLE_ROUNDING
 *    is defined): CMSIS-NN's CMSIS_NN_USE_SINGLE_ROUNDING and TFLite's
 *    TFLITE_SINGLE_ROUNDING, one round-half-up of acc * m / 2^(31 - s):
 *        requant(acc) = (acc * m + 2^(30 - s)) >> (31 - s)     (64-bit, arithmetic >>)
 *    which equals CMSIS-NN's ((acc * m) >> (30 - s)) + 1) >> 1. XNNPACK and
 *    TFLite's builtin kernels match this bit for bit (shared/notes/oracles.md).
 *  - Double rounding (define XSIGHT_NN_DOUBLE_ROUNDING=1, without
 *    CMSIS_NN_USE_SINGLE_ROUNDING): TFLite Micro's default,
 *        requant(acc) = RoundingDivideByPOT(SRDHM(acc << max(s, 0), m), max(-s, 0))
 *    where SRDHM(a, b) = round-half-up(a * b / 2^31), saturating only for
 *    a == b == INT32_MIN, and RoundingDivideByPOT rounds half away from zero.
 *
 * XSIGHT_NN_SINGLE_ROUNDING below is 1 or 0 accordingly, so that tests and
 * callers can tell which arithmetic they are linked with.
 */
#ifndef ARM_NNFUNCTIONS_H
#define ARM_NNFUNCTIONS_H

#include "arm_nn_types.h"

#if defined(CMSIS_NN_USE_SINGLE_ROUNDING)
#define XSIGHT_NN_SINGLE_ROUNDING 1
#elif defined(XSIGHT_NN_DOUBLE_ROUNDING) && (XSIGHT_NN_DOUBLE_ROUNDING + 0)
#define XSIGHT_NN_SINGLE_ROUNDING 0
#else
#define XSIGHT_NN_SINGLE_ROUNDING 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup NNConv Convolution Functions
 *
 * Convolution and depthwise convolution. Output channel oc is requantized
 * with quant_params->multiplier[oc] and quant_params->shift[oc]:
 *     out = clamp(requant(bias[oc] + sum((in + input_offset) * w)) + output_offset,
 *                 activation.min, activation.max)
 * Input positions in the padding contribute nothing (as if they held the
 * input zero point). Padding is the top/left amount computed the TFLite way;
 * the output dims determine the rest.
 * @{
 */

/**
 * @brief s8 convolution through the best kernel for the given shape.
 *
 * @param[in]  ctx          Scratch of arm_convolve_wrapper_s8_get_buffer_size() bytes (may be NULL if 0)
 * @param[in]  conv_params  Offsets, stride, padding, dilation, activation.
 *                          input_offset in [-127, 128], output_offset in [-128, 127]
 * @param[in]  quant_params Per-channel multipliers and shifts, output_dims->c of each
 * @param[in]  input_dims   [N, H, W, C_IN]
 * @param[in]  input_data   int8 input
 * @param[in]  filter_dims  [C_OUT, HK, WK, CK]; CK == C_IN, or C_IN = G * CK for G groups
 * @param[in]  filter_data  int8 filter, OHWI
 * @param[in]  bias_dims    [C_OUT] (not read)
 * @param[in]  bias_data    int32 bias, C_OUT values, or NULL
 * @param[in]  output_dims  [N, H_OUT, W_OUT, C_OUT]
 * @param[out] output_data  int8 output
 * @return ARM_CMSIS_NN_SUCCESS, ARM_CMSIS_NN_ARG_ERROR for invalid arguments or a short ctx
 */
arm_cmsis_nn_status arm_convolve_wrapper_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                            const cmsis_nn_per_channel_quant_params *quant_params,
                                            const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                            const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                            const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                            const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief Scratch size in bytes for arm_convolve_wrapper_s8 with these arguments.
 *
 * Chooses the kernel exactly as arm_convolve_wrapper_s8 does (both use one
 * private dispatcher), so the two cannot disagree.
 */
int32_t arm_convolve_wrapper_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                                const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                const cmsis_nn_dims *output_dims);

/**
 * @brief Generic s8 convolution (any kernel size, stride, dilation, padding, groups).
 *
 * Arguments as for arm_convolve_wrapper_s8, plus:
 * @param[in] upscale_dims  NULL or h == w == 1 (transposed convolution is not implemented)
 * @return ARM_CMSIS_NN_SUCCESS, ARM_CMSIS_NN_ARG_ERROR, or ARM_CMSIS_NN_NO_IMPL_ERROR for upscale > 1
 */
arm_cmsis_nn_status arm_convolve_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                    const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                    const cmsis_nn_dims *upscale_dims, const cmsis_nn_dims *output_dims,
                                    int8_t *output_data);

/**
 * @brief Scratch size in bytes for arm_convolve_s8: one im2col column,
 *        HK * WK * CK int16 values.
 */
int32_t arm_convolve_s8_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims);

/**
 * @brief s8 1x1 convolution with stride 1 (CMSIS-NN's constraints: padding 0, stride 1).
 *
 * Arguments as for arm_convolve_wrapper_s8; filter_dims [C_OUT, 1, 1, C_IN]. Dilation is not read.
 * Needs no scratch (ctx may be NULL). Output dims must not reach past the input.
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_convolve_1x1_s8_fast(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                             const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                             const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                             const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                             const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief Scratch size in bytes for arm_convolve_1x1_s8_fast: 0. */
int32_t arm_convolve_1x1_s8_fast_get_buffer_size(const cmsis_nn_dims *input_dims);

/**
 * @brief s8 1x1 convolution with any stride (CMSIS-NN's constraint: padding 0).
 *
 * As arm_convolve_1x1_s8_fast otherwise; needs no scratch (CMSIS-NN has no size function for it).
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_convolve_1x1_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                        const cmsis_nn_per_channel_quant_params *quant_params,
                                        const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                        const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                        const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                        const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief s8 convolution of one input row by a 1xN filter (CMSIS-NN's constraints: input_dims->h == 1,
 *        dilation.w == 1, stride.w * C_IN a multiple of 4).
 *
 * Arguments as for arm_convolve_wrapper_s8; filter_dims [C_OUT, 1, WK, C_IN].
 * @param[in] ctx  Scratch of arm_convolve_1_x_n_s8_get_buffer_size() bytes
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_convolve_1_x_n_s8(const cmsis_nn_context *ctx, const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief Scratch size in bytes for arm_convolve_1_x_n_s8: arm_convolve_s8_get_buffer_size's. */
int32_t arm_convolve_1_x_n_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params, const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims);

/**
 * @brief s8 depthwise convolution through the best kernel for the given shape.
 *
 * Output channel oc = ic * ch_mult + m reads input channel ic only.
 *
 * @param[in]  ctx            Scratch of arm_depthwise_conv_wrapper_s8_get_buffer_size() bytes (may be NULL if 0)
 * @param[in]  dw_conv_params Offsets, ch_mult, stride, padding, dilation, activation.
 *                            input_offset in [-127, 128], output_offset in [-128, 127]
 * @param[in]  quant_params   Per-channel multipliers and shifts, output_dims->c of each
 * @param[in]  input_dims     [N, H, W, C_IN]
 * @param[in]  input_data     int8 input
 * @param[in]  filter_dims    [1, HK, WK, C_OUT], C_OUT = C_IN * ch_mult
 * @param[in]  filter_data    int8 filter
 * @param[in]  bias_dims      [C_OUT] (not read)
 * @param[in]  bias_data      int32 bias, C_OUT values, or NULL
 * @param[in]  output_dims    [N, H_OUT, W_OUT, C_OUT]
 * @param[out] output_data    int8 output
 * @return ARM_CMSIS_NN_SUCCESS, ARM_CMSIS_NN_ARG_ERROR for invalid arguments or a short ctx
 */
arm_cmsis_nn_status arm_depthwise_conv_wrapper_s8(const cmsis_nn_context *ctx,
                                                  const cmsis_nn_dw_conv_params *dw_conv_params,
                                                  const cmsis_nn_per_channel_quant_params *quant_params,
                                                  const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                  const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                  const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                                  const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief Scratch size in bytes for arm_depthwise_conv_wrapper_s8 (same dispatcher).
 *        None of its kernels needs scratch, so this is 0.
 */
int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                      const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                      const cmsis_nn_dims *output_dims);

/**
 * @brief Generic s8 depthwise convolution (any ch_mult, stride, dilation, padding).
 *        Needs no scratch; ctx may be NULL. Arguments as for the wrapper.
 */
arm_cmsis_nn_status arm_depthwise_conv_s8(const cmsis_nn_context *ctx, const cmsis_nn_dw_conv_params *dw_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief s8 depthwise convolution with C_OUT == C_IN (CMSIS-NN's constraint; ch_mult is not read).
 *        Needs no scratch; ctx may be NULL. Arguments as for the wrapper.
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR (also for C_OUT != C_IN)
 */
arm_cmsis_nn_status arm_depthwise_conv_s8_opt(const cmsis_nn_context *ctx,
                                              const cmsis_nn_dw_conv_params *dw_conv_params,
                                              const cmsis_nn_per_channel_quant_params *quant_params,
                                              const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                              const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                              const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                              const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief Scratch size in bytes for arm_depthwise_conv_s8_opt: 0 (CMSIS-NN's DSP build needs some). */
int32_t arm_depthwise_conv_s8_opt_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims);

/**
 * @brief s8 3x3 depthwise convolution (CMSIS-NN's constraints: C_OUT == C_IN, a 3x3 filter,
 *        padding.w 0 or 1). ch_mult and dilation are not read: dilation is taken as 1, as there.
 *        Needs no scratch (CMSIS-NN has no size function for it); ctx may be NULL.
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_depthwise_conv_3x3_s8(const cmsis_nn_context *ctx,
                                              const cmsis_nn_dw_conv_params *dw_conv_params,
                                              const cmsis_nn_per_channel_quant_params *quant_params,
                                              const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                              const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                              const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                              const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @} */

/**
 * @defgroup FC Fully-connected Layer Functions
 * @{
 */

/**
 * @brief s8 fully connected layer with per-tensor requantization.
 *
 *     out[b][o] = clamp(requant(bias[o] + sum_k (in[b][k] + input_offset) * (w[o][k] + filter_offset))
 *                       + output_offset, activation.min, activation.max)
 *
 * @param[in]  ctx          Scratch of arm_fully_connected_s8_get_buffer_size() bytes (0 today; may be NULL)
 * @param[in]  fc_params    Offsets and activation
 * @param[in]  quant_params Per-tensor multiplier and shift
 * @param[in]  input_dims   [N, H, W, C_IN]: N = batches; each batch holds filter_dims->n values
 *                          (H x W x C_IN, if set, must be that)
 * @param[in]  input_data   int8 input
 * @param[in]  filter_dims  [N, C]: N = accumulation depth, C = output depth (0 or output_dims->c);
 *                          h and w are not read
 * @param[in]  filter_data  int8 weights, [output depth][accumulation depth]
 * @param[in]  bias_dims    [C] (not read)
 * @param[in]  bias_data    int32 bias, C values, or NULL
 * @param[in]  output_dims  [N, C]: N = batches (0 or input_dims->n), C = output depth; h and w are not read
 * @param[out] output_data  int8 output, [N][C]
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_fully_connected_s8(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                           const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                           const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief s8 fully connected layer with per-channel requantization: output o uses
 *        quant_params->multiplier[o] and quant_params->shift[o]. Otherwise as arm_fully_connected_s8
 *        (the same scratch, arm_fully_connected_s8_get_buffer_size).
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_fully_connected_per_channel_s8(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                                       const cmsis_nn_per_channel_quant_params *quant_params,
                                                       const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                       const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                       const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                                       const cmsis_nn_dims *output_dims, int8_t *output_data);

/**
 * @brief s8 fully connected layer, per-channel when quant_params->is_per_channel is non-zero
 *        (arm_fully_connected_per_channel_s8), else per-tensor with multiplier[0] and shift[0]
 *        (arm_fully_connected_s8).
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR (also for NULL quant_params or arrays)
 */
arm_cmsis_nn_status arm_fully_connected_wrapper_s8(const cmsis_nn_context *ctx, const cmsis_nn_fc_params *fc_params,
                                                   const cmsis_nn_quant_params *quant_params,
                                                   const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                   const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                   const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                                   const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief Scratch size in bytes for arm_fully_connected_s8 and its per-channel form (0 today). */
int32_t arm_fully_connected_s8_get_buffer_size(const cmsis_nn_dims *filter_dims);

/** @} */

/**
 * @defgroup groupElementwise Elementwise Functions
 * @{
 */

/**
 * @brief s8 elementwise add with TFLite's int8 ADD arithmetic.
 *
 *     a   = requant((in1 + input_1_offset) << left_shift, input_1_mult, input_1_shift)
 *     b   = requant((in2 + input_2_offset) << left_shift, input_2_mult, input_2_shift)
 *     out = clamp(requant(a + b, out_mult, out_shift) + out_offset, out_activation_min, out_activation_max)
 *
 * The caller derives the parameters from the scales s1, s2, s_out and zero
 * points z1, z2, z_out as TFLite's Prepare does:
 *     left_shift = 20
 *     twice_max  = 2 * max(s1, s2)
 *     (input_1_mult, input_1_shift) = QuantizeMultiplier(s1 / twice_max)          (shift <= 0)
 *     (input_2_mult, input_2_shift) = QuantizeMultiplier(s2 / twice_max)
 *     (out_mult, out_shift)         = QuantizeMultiplier(twice_max / (2^left_shift * s_out))
 *     input_1_offset = -z1, input_2_offset = -z2, out_offset = z_out
 * where QuantizeMultiplier(r) writes r = f * 2^e with f in [0.5, 1) (frexp),
 * mult = round(f * 2^31) and shift = e, and if mult == 2^31 then mult = 2^30
 * and shift = e + 1.
 *
 * @param[in]  input_1_vect, input_2_vect  int8 inputs, block_size values each (no broadcasting)
 * @param[in]  input_1_offset, input_2_offset  Negated zero points, [-127, 128]
 * @param[in]  input_1_mult, input_1_shift, input_2_mult, input_2_shift  Input rescaling
 * @param[in]  left_shift         Headroom shift, [0, 23] (TFLite uses 20)
 * @param[out] output             int8 output, block_size values (may alias an input)
 * @param[in]  out_offset         Output zero point, [-128, 127]
 * @param[in]  out_mult, out_shift  Output rescaling
 * @param[in]  out_activation_min, out_activation_max  Clamp, inside [-128, 127]
 * @param[in]  block_size         Number of values; 0 is a no-op
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status
arm_elementwise_add_s8(const int8_t *input_1_vect, const int8_t *input_2_vect, const int32_t input_1_offset,
                       const int32_t input_1_mult, const int32_t input_1_shift, const int32_t input_2_offset,
                       const int32_t input_2_mult, const int32_t input_2_shift, const int32_t left_shift,
                       int8_t *output, const int32_t out_offset, const int32_t out_mult, const int32_t out_shift,
                       const int32_t out_activation_min, const int32_t out_activation_max, const int32_t block_size);

/**
 * @brief s8 elementwise multiply with TFLite's int8 MUL arithmetic:
 *
 *     out = clamp(requant((in1 + input_1_offset) * (in2 + input_2_offset), out_mult, out_shift)
 *                 + out_offset, out_activation_min, out_activation_max)
 *
 * requant as the convolutions' (the build's rounding). The caller derives
 * (out_mult, out_shift) = QuantizeMultiplier(s1 * s2 / s_out) (see
 * arm_elementwise_add_s8), input_1_offset = -z1, input_2_offset = -z2,
 * out_offset = z_out.
 *
 * @param[in]  input_1_vect, input_2_vect  int8 inputs, block_size values each (no broadcasting)
 * @param[in]  input_1_offset, input_2_offset  Negated zero points, [-127, 128]
 * @param[out] output             int8 output, block_size values (may alias an input)
 * @param[in]  out_offset         Output zero point, [-128, 127]
 * @param[in]  out_mult, out_shift  Output rescaling, shift in [-31, 30]
 * @param[in]  out_activation_min, out_activation_max  Clamp, inside [-128, 127]
 * @param[in]  block_size         Number of values; 0 is a no-op
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect, const int8_t *input_2_vect,
                                           const int32_t input_1_offset, const int32_t input_2_offset, int8_t *output,
                                           const int32_t out_offset, const int32_t out_mult, const int32_t out_shift,
                                           const int32_t out_activation_min, const int32_t out_activation_max,
                                           const int32_t block_size);

/** @} */

/**
 * @defgroup Pooling Pooling Functions
 *
 * Windows start at out * stride - padding; positions outside the input are
 * skipped (they count neither in the max nor in the average's divisor).
 * Output channels equal input channels. Output is clamped to the activation.
 * @{
 */

/**
 * @brief s8 average pooling, TFLite's int8 arithmetic:
 *        out = round-half-away-from-zero(sum / count), count = valid positions in the window,
 *        computed as sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count (C division).
 *
 * @param[in]  ctx          Scratch of arm_avgpool_s8_get_buffer_size() bytes (0 today; may be NULL)
 * @param[in]  pool_params  Stride, padding, activation
 * @param[in]  input_dims   [N, H, W, C]
 * @param[in]  input_data   int8 input
 * @param[in]  filter_dims  Window: h and w are read
 * @param[in]  output_dims  [N, H_OUT, W_OUT, C]
 * @param[out] output_data  int8 output
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_avgpool_s8(const cmsis_nn_context *ctx, const cmsis_nn_pool_params *pool_params,
                                   const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims,
                                   int8_t *output_data);

/** @brief Scratch size in bytes for arm_avgpool_s8 (0 for the plain C kernel). */
int32_t arm_avgpool_s8_get_buffer_size(const int dim_dst_width, const int ch_src);

/**
 * @brief s8 max pooling; arguments as for arm_avgpool_s8. Needs no scratch.
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_max_pool_s8(const cmsis_nn_context *ctx, const cmsis_nn_pool_params *pool_params,
                                    const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims, const cmsis_nn_dims *output_dims,
                                    int8_t *output_data);

/** @} */

/**
 * @defgroup Softmax Softmax Functions
 * @{
 */

/**
 * @brief s8 softmax over each row, TFLite's integer algorithm (TFLite Micro's
 *        reference int8 softmax; gemmlowp fixed point).
 *
 * The output is quantized with scale 1/256 and zero point -128 (the only
 * int8 softmax output TFLite accepts). Per row: diff = in - max(row); values
 * with diff < diff_min give -128; the rest give
 *     exp(diff * input_scale * beta) / sum(exp) * 256 - 128
 * in fixed point: diff is rescaled to Q5.26 with SRDHM(diff << shift, mult),
 * exponentiated by gemmlowp's exp_on_negative_values, accumulated in Q12.19
 * and divided through gemmlowp's Newton-Raphson reciprocal.
 *
 * This rescale always uses SRDHM (as CMSIS-NN and TFLite's default build do),
 * whatever the requantization rounding mode above. Differences from other
 * int8 softmax implementations: a TFLite build with TFLITE_SINGLE_ROUNDING
 * rescales with single rounding (can differ at exact ties), and full TFLite's
 * optimized int8 kernel uses a float exp table (can differ by 1): compare
 * with those with a tolerance of 1.
 *
 * The caller computes mult, shift and diff_min from the input scale and
 * beta (TFLite's PreprocessSoftmaxScaling and CalculateInputRadius, with
 * 5 integer bits for the scaled difference):
 *     real     = min(beta * input_scale * 2^26, 2^31 - 1)
 *     (mult, shift) = QuantizeMultiplier(real)        (see arm_elementwise_add_s8; shift >= 0)
 *     diff_min = -floor(31 * 2^26 / 2^shift)          (31 = 2^5 - 1)
 *
 * @param[in]  input    int8 input, num_rows * row_size values
 * @param[in]  num_rows Number of rows
 * @param[in]  row_size Values per row, at most 4095 (the Q12.19 sum must not overflow)
 * @param[in]  mult     Q31 input multiplier
 * @param[in]  shift    Input left shift, [0, 31]
 * @param[in]  diff_min Smallest diff that still contributes (<= 0)
 * @param[out] output   int8 output (may be the input)
 *
 * Returns nothing (CMSIS-NN's signature): with a NULL pointer, a non-positive
 * count, row_size > 4095 or shift outside [0, 31] it writes nothing.
 */
void arm_softmax_s8(const int8_t *input, const int32_t num_rows, const int32_t row_size, const int32_t mult,
                    const int32_t shift, const int32_t diff_min, int8_t *output);

/**
 * @brief arm_softmax_s8 with int16 output: probability * 65536 - 32768 (scale 1/65536, zero point
 *        -32768), clamped to int16; the same arguments and refusals.
 */
void arm_softmax_s8_s16(const int8_t *input, const int32_t num_rows, const int32_t row_size, const int32_t mult,
                        const int32_t shift, const int32_t diff_min, int16_t *output);

/** @} */

/**
 * @defgroup TransposeConv Transposed convolution
 * @{
 */

/**
 * @brief s8 transposed convolution (TFLite Micro's TRANSPOSE_CONV): input pixel (y, x) through
 *        filter tap (ky, kx) adds to output pixel (y * stride.h - padding.h + ky,
 *        x * stride.w - padding.w + kx) when that is inside the output,
 *
 *     out[oy][ox][oc] = clamp(requant_oc(bias[oc] + sum (in + input_offset) * w[oc][ky][kx][ic])
 *                             + output_offset, activation.min, activation.max)
 *
 * input [N, H, W, C_IN], filter [C_OUT, HK, WK, C_IN], output [N, H, W, C_OUT] (its n is not
 * read), per-channel requantization. Neither dilation nor padding_offsets is read (as CMSIS-NN's
 * kernel). No scratch: both get_buffer_size answers are 0 and ctx and output_ctx are not read.
 * @return ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR
 */
arm_cmsis_nn_status arm_transpose_conv_s8(const cmsis_nn_context *ctx, const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief arm_transpose_conv_s8 (one kernel for every shape here). */
arm_cmsis_nn_status arm_transpose_conv_wrapper_s8(const cmsis_nn_context *ctx, const cmsis_nn_context *output_ctx,
                                                  const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                  const cmsis_nn_per_channel_quant_params *quant_params,
                                                  const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                                  const cmsis_nn_dims *filter_dims, const int8_t *filter_data,
                                                  const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                                  const cmsis_nn_dims *output_dims, int8_t *output_data);

/** @brief Scratch bytes of ctx for arm_transpose_conv_s8: 0. */
int32_t arm_transpose_conv_s8_get_buffer_size(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                              const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *out_dims);
/** @brief The same for an MVE target: 0. */
int32_t arm_transpose_conv_s8_get_buffer_size_mve(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                                  const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *out_dims);
/** @brief Scratch bytes of output_ctx for arm_transpose_conv_s8: 0. */
int32_t arm_transpose_conv_s8_get_reverse_conv_buffer_size(const cmsis_nn_transpose_conv_params *transposed_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims);

/** @} */

/**
 * @defgroup SVDF SVDF layer
 *
 * TFLite Micro's integer SVDF, one time step per call (see native/nn/src/SVDFunctions/xs_nn_svdf_s8.c):
 * the state [batches][features][time steps] moves one step back, each feature's newest value is
 * clamp(requant_in(sum (input - svdf_params->input_offset) * weights_feature), input_activation)
 * (input_offset is the input's zero point here, as in CMSIS-NN), and unit u's output is
 * clamp(requant_out(bias[u] + sum over its rank features of weights_time . state) + output_offset,
 * output_activation). input [batches, h = input size], weights_feature n = features, weights_time
 * h = time steps; features a multiple of rank. No scratch: ctx, input_ctx and output_ctx are not read.
 * @{
 */
arm_cmsis_nn_status
arm_svdf_s8(const cmsis_nn_context *ctx, const cmsis_nn_context *input_ctx, const cmsis_nn_context *output_ctx,
            const cmsis_nn_svdf_params *svdf_params, const cmsis_nn_per_tensor_quant_params *input_quant_params,
            const cmsis_nn_per_tensor_quant_params *output_quant_params, const cmsis_nn_dims *input_dims,
            const int8_t *input_data, const cmsis_nn_dims *state_dims, int8_t *state_data,
            const cmsis_nn_dims *weights_feature_dims, const int8_t *weights_feature_data,
            const cmsis_nn_dims *weights_time_dims, const int8_t *weights_time_data, const cmsis_nn_dims *bias_dims,
            const int32_t *bias_data, const cmsis_nn_dims *output_dims, int8_t *output_data);
arm_cmsis_nn_status arm_svdf_state_s16_s8(const cmsis_nn_context *input_ctx, const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_svdf_params *svdf_params,
                                          const cmsis_nn_per_tensor_quant_params *input_quant_params,
                                          const cmsis_nn_per_tensor_quant_params *output_quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *state_dims, int16_t *state_data,
                                          const cmsis_nn_dims *weights_feature_dims, const int8_t *weights_feature_data,
                                          const cmsis_nn_dims *weights_time_dims, const int16_t *weights_time_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data);
/** @brief Scratch bytes of arm_svdf_s8's ctx: 0 (and for a DSP or MVE target). */
int32_t arm_svdf_s8_get_buffer_size(const cmsis_nn_dims *weights_feature_dims);
int32_t arm_svdf_s8_get_buffer_size_dsp(const cmsis_nn_dims *weights_feature_dims);
int32_t arm_svdf_s8_get_buffer_size_mve(const cmsis_nn_dims *weights_feature_dims);
/** @} */

/**
 * @defgroup BatchMatmul Batch matrix multiplication
 * @{
 */

/**
 * @brief s8 batch matmul, the right-hand side transposed (TFLite Micro's BATCH_MATMUL):
 *
 *     out[n][h][i][j] = clamp(requant(sum_k (lhs[n][h][i][k] + input_offset) * (rhs[n][h][j][k] + filter_offset))
 *                             + output_offset, activation.min, activation.max)
 *
 * lhs [N, H, rows, C], rhs [N', H', cols, C]; N and N' (H and H') are equal or one of them 1,
 * broadcast; output [max N, max H, rows, cols]. Offsets and activation are bmm_params->fc_params',
 * per-tensor requantization. The adjoint flags are not read (the caller transposes, as in
 * CMSIS-NN). ctx: arm_fully_connected_s8_get_buffer_size's scratch (0 today; may be NULL).
 * @return ARM_CMSIS_NN_SUCCESS, or ARM_CMSIS_NN_ARG_ERROR for dims that do not fit together
 */
arm_cmsis_nn_status arm_batch_matmul_s8(const cmsis_nn_context *ctx, const cmsis_nn_bmm_params *bmm_params,
                                        const cmsis_nn_per_tensor_quant_params *quant_params,
                                        const cmsis_nn_dims *input_lhs_dims, const int8_t *input_lhs,
                                        const cmsis_nn_dims *input_rhs_dims, const int8_t *input_rhs,
                                        const cmsis_nn_dims *output_dims, int8_t *output);

/**
 * @brief Per row of an s8 matrix [rows][cols]: lhs_offset * (its sum + cols * rhs_offset), plus
 *        bias_data[row] if bias_data is not NULL (lhs_offset 0: the bias or 0). The kernel sums a
 *        caller can precompute for a fixed input offset.
 * @return ARM_CMSIS_NN_SUCCESS, or ARM_CMSIS_NN_ARG_ERROR for a NULL buffer or a negative count
 */
arm_cmsis_nn_status arm_vector_sum_s8(int32_t *vector_sum_buf, const int32_t vector_cols, const int32_t vector_rows,
                                      const int8_t *vector_data, const int32_t lhs_offset, const int32_t rhs_offset,
                                      const int32_t *bias_data);

/** @brief arm_vector_sum_s8 in 64 bits, with an int64 bias and no right-hand offset. */
arm_cmsis_nn_status arm_vector_sum_s8_s64(int64_t *vector_sum_buf, const int32_t vector_cols, const int32_t vector_rows,
                                          const int8_t *vector_data, const int32_t lhs_offset,
                                          const int64_t *bias_data);

/** @} */

/**
 * @defgroup MinMax Elementwise maximum and minimum
 *
 * Both inputs and the output share one quantization (TFLite's MAXIMUM and MINIMUM), so these
 * pick bytes. Each input dimension is the output's or 1 (broadcast). ctx is not read (no scratch).
 * Return ARM_CMSIS_NN_ARG_ERROR for dims that do not broadcast to the output's.
 * @{
 */
arm_cmsis_nn_status arm_maximum_s8(const cmsis_nn_context *ctx, const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims, const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims, int8_t *output_data,
                                   const cmsis_nn_dims *output_dims);
arm_cmsis_nn_status arm_minimum_s8(const cmsis_nn_context *ctx, const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims, const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims, int8_t *output_data,
                                   const cmsis_nn_dims *output_dims);
/** @} */

/**
 * @defgroup DataMovement Pad, transpose, reshape, concatenation, relu6
 * @{
 */

/**
 * @brief Constant padding: output dims are input_size + pre_pad + post_pad in each of N, H, W, C;
 *        everything outside the copied input is pad_value.
 * @return ARM_CMSIS_NN_SUCCESS, or ARM_CMSIS_NN_ARG_ERROR for negative padding or bad dims
 */
arm_cmsis_nn_status arm_pad_s8(const int8_t *input, int8_t *output, const int8_t pad_value,
                               const cmsis_nn_dims *input_size, const cmsis_nn_dims *pre_pad,
                               const cmsis_nn_dims *post_pad);

/**
 * @brief Permutes the dimensions of a tensor of num_dims (1..4) dimensions, the first of
 *        {n, h, w, c} of input_dims and output_dims: output dimension i is input dimension
 *        permutations[i]. Refused (ARM_CMSIS_NN_ARG_ERROR): a permutation that is not one of
 *        0..num_dims-1, output dims that are not the permuted input dims. (CMSIS-NN transposes a
 *        2-D tensor whatever its permutation; here the identity copies it.)
 */
arm_cmsis_nn_status arm_transpose_s8(const int8_t *input_data, int8_t *const output_data,
                                     const cmsis_nn_dims *const input_dims, const cmsis_nn_dims *const output_dims,
                                     const cmsis_nn_transpose_params *const transpose_params);

/** @brief Copies total_size bytes (a reshape changes only the dims). */
void arm_reshape_s8(const int8_t *input, int8_t *output, const uint32_t total_size);

/**
 * @brief Concatenation along one axis of tensors seen as [w][z][y][x] (x varying fastest): the
 *        input goes into the output from offset_x / offset_y / offset_z / offset_w along that axis;
 *        the output has the input's size along the others. Byte copies (int8 or uint8 alike).
 */
void arm_concatenation_s8_x(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_x, const uint32_t offset_x);
void arm_concatenation_s8_y(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_y, const uint32_t offset_y);
void arm_concatenation_s8_z(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint16_t output_z, const uint32_t offset_z);
void arm_concatenation_s8_w(const int8_t *input, const uint16_t input_x, const uint16_t input_y, const uint16_t input_z,
                            const uint16_t input_w, int8_t *output, const uint32_t offset_w);

/** @brief Clamps each int8 value to 0..6 in place (the raw values, as CMSIS-NN). */
void arm_relu6_s8(int8_t *data, uint16_t size);

/** @} */

/**
 * @defgroup TargetSizes Scratch sizes for another target
 *
 * CMSIS-NN's sizes for a planner that targets a DSP or an MVE core: this library's kernels need the
 * same scratch on every target, so each returns its function's answer without the suffix.
 * @{
 */
int32_t arm_convolve_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims);
int32_t arm_convolve_wrapper_s8_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims);
int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims);
int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims);
int32_t arm_fully_connected_s8_get_buffer_size_dsp(const cmsis_nn_dims *filter_dims);
int32_t arm_fully_connected_s8_get_buffer_size_mve(const cmsis_nn_dims *filter_dims);
int32_t arm_avgpool_s8_get_buffer_size_dsp(const int dim_dst_width, const int ch_src);
int32_t arm_avgpool_s8_get_buffer_size_mve(const int dim_dst_width, const int ch_src);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* ARM_NNFUNCTIONS_H */
