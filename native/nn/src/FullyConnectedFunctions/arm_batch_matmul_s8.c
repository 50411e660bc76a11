/*
 * arm_batch_matmul_s8.c: s8 batch matrix multiplication with the right-hand side transposed,
 * TFLite Micro's BATCH_MATMUL as CMSIS-NN takes it.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * lhs is [N, H, rows, C] and rhs [N', H', cols, C] (already transposed, so both are read along
 * C); each of N and H is the other's or 1, broadcast. Output [max N, max H, rows, cols]: each
 * matrix is a fully connected layer of `rows` batches against `cols` units of C weights, run by
 * arm_fully_connected_s8 with the right-hand offset as its filter offset. The adjoint flags are
 * not read (CMSIS-NN's contract: the caller transposes).
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_batch_matmul_s8(const cmsis_nn_context *ctx, const cmsis_nn_bmm_params *bmm_params,
                                        const cmsis_nn_per_tensor_quant_params *quant_params,
                                        const cmsis_nn_dims *input_lhs_dims, const int8_t *input_lhs,
                                        const cmsis_nn_dims *input_rhs_dims, const int8_t *input_rhs,
                                        const cmsis_nn_dims *output_dims, int8_t *output)
{
	const cmsis_nn_dims *l = input_lhs_dims, *r = input_rhs_dims, *o = output_dims;
	if (bmm_params == NULL || quant_params == NULL || input_lhs == NULL || input_rhs == NULL || output == NULL ||
	    !xs_nn_dims_ok(l) || !xs_nn_dims_ok(r) || !xs_nn_dims_ok(o) || l->c != r->c || o->w != l->w || o->c != r->w ||
	    o->n != (l->n > r->n ? l->n : r->n) || o->h != (l->h > r->h ? l->h : r->h) || (l->n != o->n && l->n != 1) ||
	    (r->n != o->n && r->n != 1) || (l->h != o->h && l->h != 1) || (r->h != o->h && r->h != 1)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	const int32_t rows = l->w, cols = r->w, depth = l->c;
	const cmsis_nn_dims in = {rows, 1, 1, depth}, filter = {depth, 1, 1, cols}, out = {rows, 1, 1, cols};
	for (int32_t n = 0; n < o->n; n++) {
		for (int32_t h = 0; h < o->h; h++) {
			const int8_t *lhs = input_lhs + ((int64_t)(l->n == 1 ? 0 : n) * l->h + (l->h == 1 ? 0 : h)) * rows * depth;
			const int8_t *rhs = input_rhs + ((int64_t)(r->n == 1 ? 0 : n) * r->h + (r->h == 1 ? 0 : h)) * cols * depth;
			const arm_cmsis_nn_status st = arm_fully_connected_s8(ctx, &bmm_params->fc_params, quant_params, &in, lhs,
			                                                      &filter, rhs, NULL, NULL, &out, output);
			if (st != ARM_CMSIS_NN_SUCCESS) {
				return st;
			}
			output += rows * cols;
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
