/*
 * xs_nn_pool_check.h: argument checks shared by the two s8 pooling kernels.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XS_NN_POOL_CHECK_H
#define XS_NN_POOL_CHECK_H

#include "../arm_nnsupportfunctions.h"

static inline bool xs_nn_pool_args_ok(const cmsis_nn_pool_params *p, const cmsis_nn_dims *in, const int8_t *input_data,
                                      const cmsis_nn_dims *f, const cmsis_nn_dims *out, const int8_t *output_data)
{
	/*
     * What CMSIS-NN reads: the input's four dims, the output's h and w and
     * the window's h and w (the output has the input's batches and
     * channels); the rest may be left uninitialized.
     */
	if (p == NULL || f == NULL || out == NULL || input_data == NULL || output_data == NULL || !xs_nn_dims_ok(in) ||
	    f->h <= 0 || f->w <= 0) {
		return false;
	}
	const cmsis_nn_dims out_dims = {in->n, out->h, out->w, in->c};
	if (!xs_nn_dims_ok(&out_dims)) {
		return false;
	}
	return xs_nn_tile_ok(&p->stride, 1) && xs_nn_tile_ok(&p->padding, 0) && xs_nn_activation_ok(&p->activation);
}

#endif /* XS_NN_POOL_CHECK_H */
