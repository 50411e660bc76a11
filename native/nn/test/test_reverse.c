/*
 * test_reverse.c: xs_nn_reverse_s8 against a naive reference (coordinates flipped one by one).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"
#include "xs_nn_reshape.h"

#define MAX_T 8192
/* Bytes around each output that the kernel must leave alone. */
#define GUARD 16

static int8_t input[MAX_T + 8], want[MAX_T], got[MAX_T + 2 * GUARD + 8];

/* want[n][h][w][c] = input with the coordinate on `axis` mirrored, from the definition. */
static void reference(const int8_t *in, const cmsis_nn_dims *d, int32_t axis)
{
	const int32_t size[4] = {d->n, d->h, d->w, d->c};
	int32_t at[4];
	for (at[0] = 0; at[0] < d->n; at[0]++)
		for (at[1] = 0; at[1] < d->h; at[1]++)
			for (at[2] = 0; at[2] < d->w; at[2]++)
				for (at[3] = 0; at[3] < d->c; at[3]++) {
					int32_t from[4] = {at[0], at[1], at[2], at[3]};
					from[axis] = size[axis] - 1 - at[axis];
					const int32_t dst = ((at[0] * d->h + at[1]) * d->w + at[2]) * d->c + at[3];
					const int32_t src = ((from[0] * d->h + from[1]) * d->w + from[2]) * d->c + from[3];
					want[dst] = in[src];
				}
}

/* Runs the kernel on `in` into got + GUARD + misalign, checks the result and that the guards are intact. */
static int check(const int8_t *in, cmsis_nn_dims d, int32_t axis, int32_t misalign)
{
	const int32_t count = d.n * d.h * d.w * d.c;
	int8_t *out = got + GUARD + misalign;
	memset(got, 0x5A, sizeof(got));
	reference(in, &d, axis);
	const arm_cmsis_nn_status status = xs_nn_reverse_s8(in, out, &d, axis);
	if (status != ARM_CMSIS_NN_SUCCESS) {
		UNIT_FAIL("[%d, %d, %d, %d] axis %d: status %d", (int)d.n, (int)d.h, (int)d.w, (int)d.c, (int)axis,
		          (int)status);
		return 0;
	}
	for (int32_t i = 0; i < count; i++) {
		if (out[i] != want[i]) {
			UNIT_FAIL("[%d, %d, %d, %d] axis %d, misalign %d: element %d is %d, expected %d", (int)d.n, (int)d.h,
			          (int)d.w, (int)d.c, (int)axis, (int)misalign, (int)i, (int)out[i], (int)want[i]);
			return 0;
		}
	}
	for (int32_t i = 0; i < GUARD + misalign; i++) {
		if (got[i] != 0x5A || out[count + i] != 0x5A) {
			UNIT_FAIL("[%d, %d, %d, %d] axis %d: wrote outside the output", (int)d.n, (int)d.h, (int)d.w, (int)d.c,
			          (int)axis);
			return 0;
		}
	}
	return 1;
}

UNIT_TEST(reverse_every_axis_matches_reference)
{
	static const cmsis_nn_dims shapes[] = {
	        {1, 64, 64, 1}, /* the smile model's input */
	        {1, 3, 4, 2},   {1, 5, 7, 3},  {2, 3, 5, 4}, {3, 1, 1, 1},  {1, 1, 9, 1},
	        {2, 4, 3, 5},   {1, 2, 13, 1}, {4, 2, 2, 7}, {1, 6, 6, 16},
	};
	unit_rand_seed(70);
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		const cmsis_nn_dims d = shapes[s];
		nn_fill_i8(input, d.n * d.h * d.w * d.c);
		for (int32_t axis = 0; axis < 4; axis++) {
			if (!check(input, d, axis, 0)) {
				return;
			}
		}
	}
}

UNIT_TEST(reverse_random_shapes_and_alignments)
{
	unit_rand_seed(71);
	for (int trial = 0; trial < 300; trial++) {
		cmsis_nn_dims d = {nn_rng_range(1, 3), nn_rng_range(1, 9), nn_rng_range(1, 40), nn_rng_range(1, 6)};
		if (trial % 3 == 0) {
			d.c = 1; /* the byte-reversal path, every row length mod 4 */
		}
		const int32_t axis = nn_rng_range(0, 3);
		const int32_t in_misalign = nn_rng_range(0, 3), out_misalign = nn_rng_range(0, 3);
		nn_fill_i8(input + in_misalign, d.n * d.h * d.w * d.c);
		if (!check(input + in_misalign, d, axis, out_misalign)) {
			return;
		}
	}
}

UNIT_TEST(reverse_twice_is_identity)
{
	static int8_t twice[MAX_T];
	const cmsis_nn_dims d = {1, 64, 64, 1};
	unit_rand_seed(72);
	nn_fill_i8(input, 4096);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &d, 2), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(xs_nn_reverse_s8(got, twice, &d, 2), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(twice, input, 4096);
	/* A mirrored row starts with the source row's last pixel. */
	UNIT_EQ_INT(got[0], input[63]);
	UNIT_EQ_INT(got[64 * 5 + 10], input[64 * 5 + 53]);
}

UNIT_TEST(reverse_bad_arguments_write_nothing)
{
	const cmsis_nn_dims d = {1, 4, 4, 2};
	unit_rand_seed(73);
	nn_fill_i8(input, 32);
	memset(got, 0x5A, sizeof(got));
	UNIT_EQ_INT(xs_nn_reverse_s8(NULL, got, &d, 2), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, NULL, &d, 2), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, NULL, 2), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &d, -1), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &d, 4), ARM_CMSIS_NN_ARG_ERROR);
	cmsis_nn_dims bad = d;
	bad.h = 0;
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &bad, 2), ARM_CMSIS_NN_ARG_ERROR);
	bad = d;
	bad.c = -3;
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &bad, 2), ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_dims huge = {65536, 65536, 1, 1}; /* 2^32 values */
	UNIT_EQ_INT(xs_nn_reverse_s8(input, got, &huge, 0), ARM_CMSIS_NN_ARG_ERROR);
	/* Overlap: the same buffer, and one byte of the last pixel shared. */
	UNIT_EQ_INT(xs_nn_reverse_s8(input, input, &d, 2), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input, input + 31, &d, 2), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(xs_nn_reverse_s8(input + 31, input, &d, 2), ARM_CMSIS_NN_ARG_ERROR);
	for (size_t i = 0; i < sizeof(got); i++) {
		UNIT_EQ_INT(got[i], 0x5A);
	}
	/* Adjacent buffers are fine. */
	UNIT_EQ_INT(xs_nn_reverse_s8(input, input + 32, &d, 2), ARM_CMSIS_NN_SUCCESS);
	reference(input, &d, 2);
	NN_EXPECT_SAME(input + 32, want, 32);
}

int main(void)
{
	UNIT_RUN(reverse_every_axis_matches_reference);
	UNIT_RUN(reverse_random_shapes_and_alignments);
	UNIT_RUN(reverse_twice_is_identity);
	UNIT_RUN(reverse_bad_arguments_write_nothing);
	return unit_done();
}
