/*
 * arm_transpose_s8.c: permutes the dimensions of an s8 tensor of 1 to 4 dimensions.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The tensor's num_dims dimensions are the first of {n, h, w, c} of input_dims (a 3-D tensor
 * is n x h x w), and output_dims holds the output's the same way: output dimension i is input
 * dimension permutations[i]. The permutation must be one of 0..num_dims-1 and output_dims must
 * be the permuted input dims; else ARM_CMSIS_NN_ARG_ERROR. (CMSIS-NN transposes a 2-D tensor
 * whatever the permutation says; here the identity copies it.)
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_transpose_s8(const int8_t *input_data, int8_t *const output_data,
                                     const cmsis_nn_dims *const input_dims, const cmsis_nn_dims *const output_dims,
                                     const cmsis_nn_transpose_params *const transpose_params)
{
	if (input_data == NULL || output_data == NULL || input_dims == NULL || output_dims == NULL ||
	    transpose_params == NULL || transpose_params->num_dims < 1 || transpose_params->num_dims > 4 ||
	    transpose_params->permutations == NULL) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t rank = transpose_params->num_dims;
	const int32_t in[4] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
	const int32_t out[4] = {output_dims->n, output_dims->h, output_dims->w, output_dims->c};
	int32_t dims[4] = {1, 1, 1, 1}, stride_out[4] = {0, 0, 0, 0};
	uint32_t seen = 0;
	int64_t count = 1;
	for (int32_t i = 0; i < rank; i++) {
		const uint32_t p = transpose_params->permutations[i];
		if (p >= (uint32_t)rank || (seen & (1u << p)) || in[i] <= 0 || out[i] != in[p]) {
			return ARM_CMSIS_NN_ARG_ERROR;
		}
		seen |= 1u << p;
		dims[i] = in[i];
		count *= in[i];
	}
	if (count > INT32_MAX) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	/* Where a step along each input dimension lands in the output: output dimension i's stride. */
	int32_t stride = 1;
	for (int32_t i = rank - 1; i >= 0; i--) {
		stride_out[transpose_params->permutations[i]] = stride;
		stride *= out[i];
	}
	const int8_t *src = input_data;
	for (int32_t a = 0; a < dims[0]; a++) {
		for (int32_t b = 0; b < dims[1]; b++) {
			for (int32_t c = 0; c < dims[2]; c++) {
				int8_t *dst = output_data + a * stride_out[0] + b * stride_out[1] + c * stride_out[2];
				for (int32_t d = 0; d < dims[3]; d++, dst += stride_out[3]) {
					*dst = *src++;
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
