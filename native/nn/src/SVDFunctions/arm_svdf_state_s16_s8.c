/*
 * arm_svdf_state_s16_s8.c: s8 SVDF with an int16 state and int16 time weights (xs_nn_svdf_s8.c).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_svdf_state_s16_s8(const cmsis_nn_context *input_ctx, const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_svdf_params *svdf_params,
                                          const cmsis_nn_per_tensor_quant_params *input_quant_params,
                                          const cmsis_nn_per_tensor_quant_params *output_quant_params,
                                          const cmsis_nn_dims *input_dims, const int8_t *input_data,
                                          const cmsis_nn_dims *state_dims, int16_t *state_data,
                                          const cmsis_nn_dims *weights_feature_dims, const int8_t *weights_feature_data,
                                          const cmsis_nn_dims *weights_time_dims, const int16_t *weights_time_data,
                                          const cmsis_nn_dims *bias_dims, const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims, int8_t *output_data)
{
	(void)input_ctx; /* no scratch: see xs_nn_svdf_s8.c */
	(void)output_ctx;
	(void)state_dims;
	(void)bias_dims;
	(void)output_dims;
	return xs_nn_svdf_s8(svdf_params, input_quant_params, output_quant_params, input_dims, input_data, state_data, 1,
	                     weights_feature_dims, weights_feature_data, weights_time_dims, weights_time_data, bias_data,
	                     output_data);
}
