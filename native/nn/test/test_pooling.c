/*
 * test_pooling.c: arm_avgpool_s8 and arm_max_pool_s8 against naive references (padding excluded).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_T 4096

typedef struct {
	cmsis_nn_pool_params p;
	cmsis_nn_dims in, f, out;
	int8_t input[MAX_T], ref_avg[MAX_T], ref_max[MAX_T], got[MAX_T];
} pool_setup;

static pool_setup S;

static void reference(void)
{
	for (int32_t b = 0; b < S.out.n; b++)
		for (int32_t oy = 0; oy < S.out.h; oy++)
			for (int32_t ox = 0; ox < S.out.w; ox++)
				for (int32_t c = 0; c < S.out.c; c++) {
					int32_t sum = 0, count = 0, max = -1000;
					for (int32_t ky = 0; ky < S.f.h; ky++)
						for (int32_t kx = 0; kx < S.f.w; kx++) {
							const int32_t iy = oy * S.p.stride.h - S.p.padding.h + ky;
							const int32_t ix = ox * S.p.stride.w - S.p.padding.w + kx;
							if (iy < 0 || iy >= S.in.h || ix < 0 || ix >= S.in.w)
								continue;
							const int32_t v = S.input[((b * S.in.h + iy) * S.in.w + ix) * S.in.c + c];
							sum += v;
							count++;
							max = v > max ? v : max;
						}
					/* round half away from zero of sum / count, in exact arithmetic */
					const double q = (double)sum / count;
					const int32_t avg = (int32_t)(q < 0 ? -floor(-q + 0.5) : floor(q + 0.5));
					const int32_t idx = ((b * S.out.h + oy) * S.out.w + ox) * S.out.c + c;
					S.ref_avg[idx] = (int8_t)nn_clamp(avg, S.p.activation.min, S.p.activation.max);
					S.ref_max[idx] = (int8_t)nn_clamp(max, S.p.activation.min, S.p.activation.max);
				}
}

static void setup(int32_t n, int32_t h, int32_t w, int32_t c, int32_t k, int32_t stride, int same, int32_t act_min,
                  int32_t act_max)
{
	memset(&S, 0, sizeof S);
	int32_t oh, ow, ph = 0, pw = 0;
	if (same) {
		nn_same_padding(h, k, stride, 1, &oh, &ph);
		nn_same_padding(w, k, stride, 1, &ow, &pw);
	} else {
		oh = nn_valid_out(h, k, stride, 1);
		ow = nn_valid_out(w, k, stride, 1);
	}
	S.in = (cmsis_nn_dims){n, h, w, c};
	S.f = (cmsis_nn_dims){1, k, k, 1};
	S.out = (cmsis_nn_dims){n, oh, ow, c};
	S.p.stride = (cmsis_nn_tile){stride, stride};
	S.p.padding = (cmsis_nn_tile){pw, ph};
	S.p.activation = (cmsis_nn_activation){act_min, act_max};
	nn_fill_i8(S.input, n * h * w * c);
	reference();
}

static arm_cmsis_nn_status avg(void)
{
	const cmsis_nn_context ctx = {NULL, 0};
	return arm_avgpool_s8(&ctx, &S.p, &S.in, S.input, &S.f, &S.out, S.got);
}

static arm_cmsis_nn_status max(void)
{
	return arm_max_pool_s8(NULL, &S.p, &S.in, S.input, &S.f, &S.out, S.got);
}

UNIT_TEST(pooling_matches_reference)
{
	unit_rand_seed(40);
	static const struct {
		int32_t n, h, w, c, k, s, same, amin, amax;
	} cases[] = {
	        {1, 8, 8, 3, 2, 2, 0, -128, 127}, /* 2x2/2 valid */
	        {1, 7, 9, 5, 3, 1, 1, -128, 127}, /* 3x3 same: border windows have 4 or 6 elements */
	        {2, 9, 7, 3, 3, 2, 1, -128, 127}, /* stride 2 same, odd sizes */
	        {1, 6, 6, 4, 6, 1, 0, -128, 127}, /* global pool */
	        {1, 5, 5, 1, 4, 3, 1, -128, 127}, /* even window with padding */
	        {1, 7, 7, 3, 3, 2, 1, 0, 127},    /* relu */
	        {1, 7, 7, 3, 3, 2, 1, -20, 20},   /* narrow clamp */
	        /* The DSP paths' four channels a word, then the tail. */
	        {1, 7, 7, 8, 3, 2, 1, 0, 127},     /* two words, relu */
	        {1, 7, 7, 10, 3, 2, 1, -20, 20},   /* tail 2, narrow clamp */
	        {2, 5, 6, 7, 2, 1, 1, -128, 127},  /* tail 3, padding */
	        {1, 6, 6, 12, 3, 3, 0, -128, 127}, /* three words */
	        /* 2x2 stride 2 over whole words in the full range (the DSP build's direct loop): two images with a
	           column and a row left over, SAME without padding; then the cases it leaves to the general loop. */
	        {2, 9, 9, 8, 2, 2, 0, -128, 127},
	        {1, 6, 6, 4, 2, 2, 1, -128, 127},
	        {1, 7, 7, 4, 2, 2, 1, -128, 127}, /* SAME, padded at the end */
	        {1, 6, 6, 4, 2, 2, 0, -100, 127}, /* a clamp */
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setup(cases[i].n, cases[i].h, cases[i].w, cases[i].c, cases[i].k, cases[i].s, cases[i].same, cases[i].amin,
		      cases[i].amax);
		const int32_t n = S.out.n * S.out.h * S.out.w * S.out.c;
		UNIT_EQ_INT(arm_avgpool_s8_get_buffer_size(S.out.w, S.in.c), 0);
		UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref_avg, n);
		UNIT_EQ_INT(max(), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref_max, n);
	}
}

UNIT_TEST(avgpool_rounds_half_away_from_zero)
{
	/* One channel, 1x2 windows: exact halves of both signs, and a third. */
	static const int8_t in[] = {1, 2, -1, -2, 3, 4, -3, -4, 0, -1};
	static const int8_t want[] = {2, -2, 4, -4, -1};
	memset(&S, 0, sizeof S);
	memcpy(S.input, in, sizeof in);
	S.in = (cmsis_nn_dims){1, 1, 10, 1};
	S.f = (cmsis_nn_dims){1, 1, 2, 1};
	S.out = (cmsis_nn_dims){1, 1, 5, 1};
	S.p.stride = (cmsis_nn_tile){2, 1};
	S.p.activation = (cmsis_nn_activation){-128, 127};
	UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, want, 5);

	/* -4 / 3 = -1.33 -> -1, 5 / 3 -> 2 */
	static const int8_t in3[] = {-1, -1, -2, 1, 2, 2};
	static const int8_t want3[] = {-1, 2};
	memcpy(S.input, in3, sizeof in3);
	S.in.w = 6;
	S.f.w = 3;
	S.out.w = 2;
	S.p.stride.w = 3;
	UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, want3, 2);
}

UNIT_TEST(padding_is_excluded_not_zero)
{
	/* All -100: with padding counted as 0 the border averages/maxima would move toward 0. */
	setup(1, 4, 4, 2, 3, 1, 1, -128, 127);
	memset(S.input, -100, 32);
	UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
	for (int32_t i = 0; i < 32; i++) {
		UNIT_EQ_INT(S.got[i], -100);
	}
	UNIT_EQ_INT(max(), ARM_CMSIS_NN_SUCCESS);
	for (int32_t i = 0; i < 32; i++) {
		UNIT_EQ_INT(S.got[i], -100);
	}
}

UNIT_TEST(pooling_rejects_bad_arguments)
{
	unit_rand_seed(41);
	setup(1, 6, 6, 2, 2, 2, 0, -128, 127);
	const pool_setup saved = S;
#define EXPECT_REJECT(mutation)                                                                                        \
	do {                                                                                                               \
		S = saved;                                                                                                     \
		mutation;                                                                                                      \
		UNIT_EQ_INT(avg(), ARM_CMSIS_NN_ARG_ERROR);                                                                    \
		UNIT_EQ_INT(max(), ARM_CMSIS_NN_ARG_ERROR);                                                                    \
	} while (0)
	EXPECT_REJECT(S.in.h = 0);
	EXPECT_REJECT(S.out.h = 0);
	EXPECT_REJECT(S.f.w = 0);
	EXPECT_REJECT(S.p.stride.h = 0);
	EXPECT_REJECT(S.p.padding.w = -1);
	EXPECT_REJECT(S.p.activation.min = 1; S.p.activation.max = 0);
	EXPECT_REJECT(S.p.padding.h = 2); /* first window row entirely in the padding */
#undef EXPECT_REJECT
}

/*
 * What CMSIS-NN never reads is neither read nor checked: the output's n and
 * c (it has the input's) and the window's n and c.
 */
UNIT_TEST(pooling_reads_only_what_cmsis_nn_reads)
{
	unit_rand_seed(42);
	setup(2, 9, 7, 5, 3, 2, 1, -128, 127);
	const int32_t n = S.out.n * S.out.h * S.out.w * S.out.c;
	S.out.n = NN_UNSET;
	S.out.c = NN_UNSET;
	S.f.n = NN_UNSET;
	S.f.c = NN_UNSET;
	UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref_avg, n);
	UNIT_EQ_INT(max(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref_max, n);
}

/* Windows of 256 values (the most a 16-bit lane of the DSP path sums) and of 289 (the plain loop's),
   all at either end of int8: every sum, -128 * 256 included, averages back to the value, and the
   maximum of a window of -128 is -128 (where the DSP path's maximum starts). */
UNIT_TEST(pooling_large_windows_at_the_ends)
{
	static const int32_t sizes[] = {16, 17};
	static const int8_t values[] = {-128, 127};
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned j = 0; j < 2; j++) {
			memset(&S, 0, sizeof S);
			const int32_t k = sizes[i];
			S.in = (cmsis_nn_dims){1, k, k, 5};
			S.f = (cmsis_nn_dims){1, k, k, 1};
			S.out = (cmsis_nn_dims){1, 1, 1, 5};
			S.p.stride = (cmsis_nn_tile){1, 1};
			S.p.activation = (cmsis_nn_activation){-128, 127};
			memset(S.input, values[j], (size_t)(k * k * 5));
			UNIT_EQ_INT(avg(), ARM_CMSIS_NN_SUCCESS);
			for (int32_t c = 0; c < 5; c++) {
				UNIT_EQ_INT(S.got[c], values[j]);
			}
			memset(S.got, 0, 5);
			UNIT_EQ_INT(max(), ARM_CMSIS_NN_SUCCESS);
			for (int32_t c = 0; c < 5; c++) {
				UNIT_EQ_INT(S.got[c], values[j]);
			}
		}
	}
}

int main(void)
{
	UNIT_RUN(pooling_matches_reference);
	UNIT_RUN(avgpool_rounds_half_away_from_zero);
	UNIT_RUN(pooling_large_windows_at_the_ends);
	UNIT_RUN(padding_is_excluded_not_zero);
	UNIT_RUN(pooling_rejects_bad_arguments);
	UNIT_RUN(pooling_reads_only_what_cmsis_nn_reads);
	return unit_done();
}
