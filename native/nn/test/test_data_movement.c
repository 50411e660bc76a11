/*
 * test_data_movement.c: arm_pad_s8, arm_transpose_s8, arm_reshape_s8, the arm_concatenation_s8_*,
 * arm_relu6_s8, arm_maximum_s8 and arm_minimum_s8 against references written element by element
 * from their definitions (coordinates, not strides).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_T 4096

static int8_t a[MAX_T], b[MAX_T], got[MAX_T], want[MAX_T];

static int32_t at4(const cmsis_nn_dims *d, int32_t n, int32_t h, int32_t w, int32_t c)
{
	return ((n * d->h + h) * d->w + w) * d->c + c;
}

UNIT_TEST(pad_matches_reference)
{
	unit_rand_seed(21);
	for (int trial = 0; trial < 200; trial++) {
		const cmsis_nn_dims in = {nn_rng_range(1, 3), nn_rng_range(1, 5), nn_rng_range(1, 5), nn_rng_range(1, 4)};
		const cmsis_nn_dims pre = {nn_rng_range(0, 1), nn_rng_range(0, 2), nn_rng_range(0, 2), nn_rng_range(0, 2)};
		const cmsis_nn_dims post = {nn_rng_range(0, 1), nn_rng_range(0, 2), nn_rng_range(0, 2), nn_rng_range(0, 2)};
		const cmsis_nn_dims out = {in.n + pre.n + post.n, in.h + pre.h + post.h, in.w + pre.w + post.w,
		                           in.c + pre.c + post.c};
		const int8_t value = (int8_t)nn_rng_range(-128, 127);
		nn_fill_i8(a, in.n * in.h * in.w * in.c);
		for (int32_t n = 0; n < out.n; n++)
			for (int32_t h = 0; h < out.h; h++)
				for (int32_t w = 0; w < out.w; w++)
					for (int32_t c = 0; c < out.c; c++) {
						const int32_t i[4] = {n - pre.n, h - pre.h, w - pre.w, c - pre.c};
						const int inside = i[0] >= 0 && i[0] < in.n && i[1] >= 0 && i[1] < in.h && i[2] >= 0 &&
						        i[2] < in.w && i[3] >= 0 && i[3] < in.c;
						want[at4(&out, n, h, w, c)] = inside ? a[at4(&in, i[0], i[1], i[2], i[3])] : value;
					}
		memset(got, 0x77, sizeof got);
		UNIT_EQ_INT(arm_pad_s8(a, got, value, &in, &pre, &post), ARM_CMSIS_NN_SUCCESS);
		const int32_t count = out.n * out.h * out.w * out.c;
		NN_EXPECT_SAME(got, want, count);
		UNIT_EQ_INT(got[count], 0x77); /* nothing past the output */
	}
	const cmsis_nn_dims in = {1, 2, 2, 1}, zero = {0, 0, 0, 0}, negative = {0, -1, 0, 0};
	UNIT_EQ_INT(arm_pad_s8(a, got, 0, &in, &negative, &zero), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_pad_s8(NULL, got, 0, &in, &zero, &zero), ARM_CMSIS_NN_ARG_ERROR);
}

UNIT_TEST(transpose_every_permutation_matches_reference)
{
	unit_rand_seed(22);
	for (int32_t rank = 1; rank <= 4; rank++) {
		uint32_t perm[4] = {0, 1, 2, 3};
		/* Every permutation of 0..rank-1, by Heap's algorithm over a counter. */
		int32_t ctr[4] = {0, 0, 0, 0}, i = 1, seen = 0;
		for (;;) {
			int32_t size[4] = {1, 1, 1, 1};
			for (int32_t k = 0; k < rank; k++)
				size[k] = nn_rng_range(1, 5);
			const cmsis_nn_dims in = {size[0], size[1], size[2], size[3]};
			int32_t osize[4] = {1, 1, 1, 1};
			for (int32_t k = 0; k < rank; k++)
				osize[k] = size[perm[k]];
			const cmsis_nn_dims out = {osize[0], osize[1], osize[2], osize[3]};
			const int32_t count = size[0] * size[1] * size[2] * size[3];
			nn_fill_i8(a, count);
			int32_t x[4];
			for (x[0] = 0; x[0] < size[0]; x[0]++)
				for (x[1] = 0; x[1] < size[1]; x[1]++)
					for (x[2] = 0; x[2] < size[2]; x[2]++)
						for (x[3] = 0; x[3] < size[3]; x[3]++) {
							int32_t y[4] = {0, 0, 0, 0};
							for (int32_t k = 0; k < rank; k++)
								y[k] = x[perm[k]];
							want[at4(&out, y[0], y[1], y[2], y[3])] = a[at4(&in, x[0], x[1], x[2], x[3])];
						}
			const cmsis_nn_transpose_params p = {rank, perm};
			UNIT_EQ_INT(arm_transpose_s8(a, got, &in, &out, &p), ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(got, want, count);
			seen++;
			/* Next permutation (Heap's, iterative). */
			while (i < rank && ctr[i] >= i) {
				ctr[i] = 0;
				i++;
			}
			if (i >= rank)
				break;
			const int32_t j = i % 2 == 0 ? 0 : ctr[i];
			const uint32_t t = perm[j];
			perm[j] = perm[i];
			perm[i] = t;
			ctr[i]++;
			i = 1;
		}
		UNIT_EQ_INT(seen, rank == 1 ? 1 : rank == 2 ? 2 : rank == 3 ? 6 : 24);
	}
	/* Not a permutation, or output dims that are not the permuted input's: refused. */
	const cmsis_nn_dims in = {2, 3, 1, 1}, out = {3, 2, 1, 1}, wrong = {2, 3, 1, 1};
	const uint32_t twice[2] = {0, 0}, swap[2] = {1, 0}, big[2] = {1, 2};
	const cmsis_nn_transpose_params p_twice = {2, twice}, p_swap = {2, swap}, p_big = {2, big};
	UNIT_EQ_INT(arm_transpose_s8(a, got, &in, &out, &p_twice), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_transpose_s8(a, got, &in, &out, &p_big), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_transpose_s8(a, got, &in, &wrong, &p_swap), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_transpose_s8(a, got, &in, &out, &p_swap), ARM_CMSIS_NN_SUCCESS);
}

/* Concatenation along axis 0..3 of [w][z][y][x] (x fastest), by coordinates. */
UNIT_TEST(concatenation_matches_reference)
{
	unit_rand_seed(23);
	for (int trial = 0; trial < 100; trial++)
		for (int32_t axis = 0; axis < 4; axis++) {
			uint16_t in[4] = {(uint16_t)nn_rng_range(1, 5), (uint16_t)nn_rng_range(1, 4), (uint16_t)nn_rng_range(1, 4),
			                  (uint16_t)nn_rng_range(1, 3)}; /* x, y, z, w */
			uint16_t out[4] = {in[0], in[1], in[2], in[3]};
			const uint32_t offset = (uint32_t)nn_rng_range(0, 3);
			out[axis] = (uint16_t)(in[axis] + offset + (uint32_t)nn_rng_range(0, 2));
			const int32_t count = out[0] * out[1] * out[2] * out[3];
			nn_fill_i8(a, in[0] * in[1] * in[2] * in[3]);
			nn_fill_i8(got, count);
			memcpy(want, got, (size_t)count);
			for (int32_t w = 0; w < in[3]; w++)
				for (int32_t z = 0; z < in[2]; z++)
					for (int32_t y = 0; y < in[1]; y++)
						for (int32_t x = 0; x < in[0]; x++) {
							int32_t o[4] = {x, y, z, w};
							o[axis] += (int32_t)offset;
							want[((o[3] * out[2] + o[2]) * out[1] + o[1]) * out[0] + o[0]] =
							        a[((w * in[2] + z) * in[1] + y) * in[0] + x];
						}
			if (axis == 0)
				arm_concatenation_s8_x(a, in[0], in[1], in[2], in[3], got, out[0], offset);
			else if (axis == 1)
				arm_concatenation_s8_y(a, in[0], in[1], in[2], in[3], got, out[1], offset);
			else if (axis == 2)
				arm_concatenation_s8_z(a, in[0], in[1], in[2], in[3], got, out[2], offset);
			else
				arm_concatenation_s8_w(a, in[0], in[1], in[2], in[3], got, offset);
			NN_EXPECT_SAME(got, want, count);
		}
}

UNIT_TEST(reshape_and_relu6)
{
	unit_rand_seed(24);
	nn_fill_i8(a, 300);
	arm_reshape_s8(a, got, 300);
	NN_EXPECT_SAME(got, a, 300);
	for (int32_t i = 0; i < 300; i++)
		want[i] = (int8_t)(a[i] < 0 ? 0 : a[i] > 6 ? 6 : a[i]);
	arm_relu6_s8(got, 300);
	NN_EXPECT_SAME(got, want, 300);
}

UNIT_TEST(maximum_minimum_broadcast_match_reference)
{
	unit_rand_seed(25);
	for (int trial = 0; trial < 300; trial++) {
		const cmsis_nn_dims out = {nn_rng_range(1, 3), nn_rng_range(1, 4), nn_rng_range(1, 4), nn_rng_range(1, 5)};
		const int32_t o[4] = {out.n, out.h, out.w, out.c};
		int32_t s1[4], s2[4];
		for (int32_t k = 0; k < 4; k++) {
			s1[k] = unit_rand() % 3 == 0 ? 1 : o[k];
			s2[k] = unit_rand() % 3 == 0 ? 1 : o[k];
		}
		const cmsis_nn_dims d1 = {s1[0], s1[1], s1[2], s1[3]}, d2 = {s2[0], s2[1], s2[2], s2[3]};
		nn_fill_i8(a, s1[0] * s1[1] * s1[2] * s1[3]);
		nn_fill_i8(b, s2[0] * s2[1] * s2[2] * s2[3]);
		for (int take_max = 0; take_max < 2; take_max++) {
			for (int32_t n = 0; n < out.n; n++)
				for (int32_t h = 0; h < out.h; h++)
					for (int32_t w = 0; w < out.w; w++)
						for (int32_t c = 0; c < out.c; c++) {
							const int8_t x = a[at4(&d1, d1.n == 1 ? 0 : n, d1.h == 1 ? 0 : h, d1.w == 1 ? 0 : w,
							                       d1.c == 1 ? 0 : c)];
							const int8_t y = b[at4(&d2, d2.n == 1 ? 0 : n, d2.h == 1 ? 0 : h, d2.w == 1 ? 0 : w,
							                       d2.c == 1 ? 0 : c)];
							want[at4(&out, n, h, w, c)] = take_max ? (x > y ? x : y) : (x < y ? x : y);
						}
			const arm_cmsis_nn_status st = take_max ? arm_maximum_s8(NULL, a, &d1, b, &d2, got, &out)
			                                        : arm_minimum_s8(NULL, a, &d1, b, &d2, got, &out);
			UNIT_EQ_INT(st, ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(got, want, out.n * out.h * out.w * out.c);
		}
	}
	/* A dimension that is neither the output's nor 1 does not broadcast. */
	const cmsis_nn_dims out = {1, 2, 4, 3}, bad = {1, 2, 2, 3};
	UNIT_EQ_INT(arm_maximum_s8(NULL, a, &bad, b, &out, got, &out), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(arm_minimum_s8(NULL, a, &out, b, &bad, got, &out), ARM_CMSIS_NN_ARG_ERROR);
}

int main(void)
{
	UNIT_RUN(pad_matches_reference);
	UNIT_RUN(transpose_every_permutation_matches_reference);
	UNIT_RUN(concatenation_matches_reference);
	UNIT_RUN(reshape_and_relu6);
	UNIT_RUN(maximum_minimum_broadcast_match_reference);
	return unit_done();
}
