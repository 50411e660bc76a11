/*
 * test_transpose_conv.c: arm_transpose_conv_s8 against a reference that scatters each input pixel
 * through the filter into int64 accumulators (the definition's direction; the kernel gathers).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_T 8192

static int8_t input[MAX_T], filter[MAX_T], got[MAX_T], want[MAX_T];
static int64_t acc[MAX_T];

UNIT_TEST(transpose_conv_matches_scatter_reference)
{
	unit_rand_seed(41);
	static int32_t mult[16], shift[16], bias[16];
	for (int trial = 0; trial < 300; trial++) {
		const cmsis_nn_dims in = {nn_rng_range(1, 2), nn_rng_range(1, 5), nn_rng_range(1, 5), nn_rng_range(1, 6)};
		const int32_t k_h = nn_rng_range(1, 4), k_w = nn_rng_range(1, 4), s_h = nn_rng_range(1, 3),
		              s_w = nn_rng_range(1, 3);
		const int32_t pad_h = nn_rng_range(0, k_h - 1), pad_w = nn_rng_range(0, k_w - 1);
		/* The output TFLite gives with these pads, give or take a row or column (the kernel stops at the edge). */
		const cmsis_nn_dims out = {in.n, (in.h - 1) * s_h + k_h - 2 * pad_h + nn_rng_range(-1, 0),
		                           (in.w - 1) * s_w + k_w - 2 * pad_w + nn_rng_range(-1, 0), nn_rng_range(1, 16)};
		if (out.h <= 0 || out.w <= 0 || out.n * out.h * out.w * out.c > MAX_T)
			continue;
		const cmsis_nn_dims f = {out.c, k_h, k_w, in.c};
		nn_fill_i8(input, in.n * in.h * in.w * in.c);
		nn_fill_i8(filter, out.c * k_h * k_w * in.c);
		const int with_bias = trial % 2;
		for (int32_t c = 0; c < out.c; c++) {
			mult[c] = nn_rng_range(1 << 30, INT32_MAX);
			shift[c] = nn_rng_range(-12, -4);
			bias[c] = nn_rng_range(-5000, 5000);
		}
		const int32_t in_off = nn_rng_range(-127, 128), out_off = nn_rng_range(-128, 127);
		const int32_t act_min = nn_rng_range(-128, 0), act_max = nn_rng_range(act_min, 127);
		for (int32_t i = 0; i < out.n * out.h * out.w * out.c; i++)
			acc[i] = with_bias ? bias[i % out.c] : 0;
		for (int32_t n = 0; n < in.n; n++)
			for (int32_t y = 0; y < in.h; y++)
				for (int32_t x = 0; x < in.w; x++)
					for (int32_t ky = 0; ky < k_h; ky++)
						for (int32_t kx = 0; kx < k_w; kx++) {
							const int32_t oy = y * s_h - pad_h + ky, ox = x * s_w - pad_w + kx;
							if (oy < 0 || oy >= out.h || ox < 0 || ox >= out.w)
								continue;
							for (int32_t oc = 0; oc < out.c; oc++)
								for (int32_t ic = 0; ic < in.c; ic++)
									acc[((n * out.h + oy) * out.w + ox) * out.c + oc] +=
									        (int64_t)(input[((n * in.h + y) * in.w + x) * in.c + ic] + in_off) *
									        filter[((oc * k_h + ky) * k_w + kx) * in.c + ic];
						}
		for (int32_t i = 0; i < out.n * out.h * out.w * out.c; i++)
			want[i] = (int8_t)nn_clamp(nn_ref_requantize(nn_sat32(acc[i]), mult[i % out.c], shift[i % out.c]) + out_off,
			                           act_min, act_max);
		const cmsis_nn_transpose_conv_params p = {in_off, out_off, {s_w, s_h},        {pad_w, pad_h},
		                                          {0, 0}, {1, 1},  {act_min, act_max}};
		const cmsis_nn_per_channel_quant_params q = {mult, shift};
		const cmsis_nn_dims bias_dims = {1, 1, 1, out.c};
		UNIT_EQ_INT(arm_transpose_conv_wrapper_s8(NULL, NULL, &p, &q, &in, input, &f, filter, &bias_dims,
		                                          with_bias ? bias : NULL, &out, got),
		            ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(got, want, out.n * out.h * out.w * out.c);
	}
	UNIT_EQ_INT(arm_transpose_conv_s8_get_buffer_size(NULL, NULL, NULL, NULL), 0);
	const cmsis_nn_dims in = {1, 2, 2, 1}, f = {1, 2, 2, 1}, out = {1, 4, 4, 1};
	const cmsis_nn_transpose_conv_params zero_stride = {0, 0, {0, 1}, {0, 0}, {0, 0}, {1, 1}, {-128, 127}};
	int32_t m = 1 << 30, s = -1;
	const cmsis_nn_per_channel_quant_params q = {&m, &s};
	UNIT_EQ_INT(arm_transpose_conv_s8(NULL, NULL, &zero_stride, &q, &in, input, &f, filter, NULL, NULL, &out, got),
	            ARM_CMSIS_NN_ARG_ERROR);
}

int main(void)
{
	UNIT_RUN(transpose_conv_matches_scatter_reference);
	return unit_done();
}
