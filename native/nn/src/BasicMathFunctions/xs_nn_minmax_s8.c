/*
 * xs_nn_minmax_s8.c: elementwise maximum or minimum of two s8 tensors with broadcasting, what
 * arm_maximum_s8 and arm_minimum_s8 share.
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * TFLite's MAXIMUM and MINIMUM keep the inputs' quantization (both inputs and the output share
 * it), so the result is the larger or smaller byte, no arithmetic. Each input dimension is the
 * output's or 1 (broadcast: index 0 along it); anything else is refused before a byte is written.
 */
#include "../arm_nnsupportfunctions.h"

static bool broadcasts_to(const cmsis_nn_dims *in, const cmsis_nn_dims *out)
{
	return xs_nn_dims_ok(in) && (in->n == out->n || in->n == 1) && (in->h == out->h || in->h == 1) &&
	        (in->w == out->w || in->w == 1) && (in->c == out->c || in->c == 1);
}

/* Element strides of `d` along n, h, w, c, 0 where it broadcasts. */
static void strides(const cmsis_nn_dims *d, int32_t s[4])
{
	s[3] = d->c == 1 ? 0 : 1;
	s[2] = d->w == 1 ? 0 : d->c;
	s[1] = d->h == 1 ? 0 : d->w * d->c;
	s[0] = d->n == 1 ? 0 : d->h * d->w * d->c;
}

arm_cmsis_nn_status xs_nn_minmax_s8(const int8_t *in1, const cmsis_nn_dims *d1, const int8_t *in2,
                                    const cmsis_nn_dims *d2, int8_t *out, const cmsis_nn_dims *od, int take_max)
{
	if (in1 == NULL || in2 == NULL || out == NULL || !xs_nn_dims_ok(od) || !broadcasts_to(d1, od) ||
	    !broadcasts_to(d2, od)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	int32_t s1[4], s2[4];
	strides(d1, s1);
	strides(d2, s2);
	for (int32_t n = 0; n < od->n; n++) {
		for (int32_t h = 0; h < od->h; h++) {
			for (int32_t w = 0; w < od->w; w++) {
				const int8_t *a = in1 + n * s1[0] + h * s1[1] + w * s1[2];
				const int8_t *b = in2 + n * s2[0] + h * s2[1] + w * s2[2];
				for (int32_t c = 0; c < od->c; c++, a += s1[3], b += s2[3]) {
					*out++ = (int8_t)((*a > *b) == take_max ? *a : *b);
				}
			}
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
