/*
 * test_fully_connected.c: arm_fully_connected_s8 against a naive int64 reference.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_IN  1024
#define MAX_W   8192
#define MAX_OUT 512

typedef struct {
	cmsis_nn_fc_params p;
	cmsis_nn_per_tensor_quant_params q;
	cmsis_nn_dims in, f, bias, out;
	int32_t bias_data[MAX_OUT];
	int8_t input[MAX_IN], weights[MAX_W], ref[MAX_OUT], got[MAX_OUT];
} fc_setup;

static fc_setup S;

static void setup(int32_t batches, int32_t accum, int32_t out_c, int32_t filter_offset, int32_t shift_lo,
                  int32_t shift_hi, int32_t act_min, int32_t act_max)
{
	memset(&S, 0, sizeof S);
	S.in = (cmsis_nn_dims){batches, 1, 1, accum};
	S.f = (cmsis_nn_dims){accum, 1, 1, out_c};
	S.bias = (cmsis_nn_dims){1, 1, 1, out_c};
	S.out = (cmsis_nn_dims){batches, 1, 1, out_c};
	S.p.input_offset = nn_rng_range(-127, 128);
	S.p.filter_offset = filter_offset;
	S.p.output_offset = nn_rng_range(-128, 127);
	S.p.activation = (cmsis_nn_activation){act_min, act_max};
	nn_fill_quant(&S.q.multiplier, &S.q.shift, 1, shift_lo, shift_hi);
	nn_fill_i8(S.input, batches * accum);
	nn_fill_i8(S.weights, accum * out_c);
	for (int32_t i = 0; i < out_c; i++) {
		S.bias_data[i] = nn_rng_range(-50000, 50000);
	}
	for (int32_t b = 0; b < batches; b++)
		for (int32_t o = 0; o < out_c; o++) {
			int64_t acc = S.bias_data[o];
			for (int32_t k = 0; k < accum; k++) {
				acc += (int64_t)(S.input[b * accum + k] + S.p.input_offset) *
				        (S.weights[o * accum + k] + filter_offset);
			}
			const int32_t v = nn_ref_requantize((int32_t)acc, S.q.multiplier, S.q.shift) + S.p.output_offset;
			S.ref[b * out_c + o] = (int8_t)nn_clamp(v, act_min, act_max);
		}
}

static arm_cmsis_nn_status run(void)
{
	const cmsis_nn_context ctx = {NULL, 0};
	return arm_fully_connected_s8(&ctx, &S.p, &S.q, &S.in, S.input, &S.f, S.weights, &S.bias, S.bias_data, &S.out,
	                              S.got);
}

UNIT_TEST(fc_matches_reference)
{
	unit_rand_seed(30);
	static const struct {
		int32_t b, k, o, foff, slo, shi, amin, amax;
	} cases[] = {
	        {1, 16, 10, 0, -12, -7, -128, 127},
	        {3, 37, 11, 0, -12, -7, -128, 127}, /* odd sizes, batches */
	        {2, 25, 7, 5, -12, -7, -128, 127},  /* non-zero filter offset */
	        {2, 25, 7, -128 + 1, -12, -7, -128, 127},
	        {1, 250, 3, 0, -14, -9, -128, 127},
	        {4, 9, 13, 0, -12, -7, 0, 127},  /* relu */
	        {4, 9, 13, 0, -12, -7, -30, 20}, /* relu6-like */
	        {2, 30, 9, 0, -3, 1, -128, 127}, /* saturating */
	        /* The DSP path's edges: four rows at a time, then one; four values a word, then the tail. */
	        {1, 192, 32, 0, -12, -7, -128, 127}, /* the smile model's 192 -> 32 */
	        {2, 13, 7, 0, -12, -7, -128, 127},   /* tail 1, three rows after the fours */
	        {1, 6, 5, 3, -12, -7, -128, 127},    /* tail 2, one row after, filter offset */
	        {3, 67, 6, -7, -13, -8, -128, 127},  /* tail 3, two rows after, filter offset */
	        {2, 3, 4, 0, -10, -6, -128, 127},    /* no whole word */
	        {1, 256, 2, 0, -14, -9, -128, 127},  /* person_detect's 256 -> 2: rows only after the fours */
	};
	int lo = 0, hi = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setup(cases[i].b, cases[i].k, cases[i].o, cases[i].foff, cases[i].slo, cases[i].shi, cases[i].amin,
		      cases[i].amax);
		UNIT_EQ_INT(arm_fully_connected_s8_get_buffer_size(&S.f), 0);
		UNIT_EQ_INT(run(), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref, cases[i].b * cases[i].o);
		for (int32_t k = 0; k < cases[i].b * cases[i].o; k++) {
			lo += S.got[k] == -128;
			hi += S.got[k] == 127;
		}
	}
	UNIT_ASSERT(lo > 0 && hi > 0);

	/* NULL bias is zero bias; NULL ctx is fine (no scratch). */
	setup(2, 12, 5, 0, -10, -6, -128, 127);
	int8_t with_zero_bias[10];
	memset(S.bias_data, 0, sizeof S.bias_data);
	UNIT_EQ_INT(arm_fully_connected_s8(NULL, &S.p, &S.q, &S.in, S.input, &S.f, S.weights, &S.bias, S.bias_data, &S.out,
	                                   with_zero_bias),
	            ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(arm_fully_connected_s8(NULL, &S.p, &S.q, &S.in, S.input, &S.f, S.weights, &S.bias, NULL, &S.out, S.got),
	            ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, with_zero_bias, 10);
}

UNIT_TEST(fc_rejects_bad_arguments)
{
	unit_rand_seed(31);
	setup(2, 12, 5, 0, -10, -6, -128, 127);
	const fc_setup saved = S;
#define EXPECT_REJECT(mutation)                                                                                        \
	do {                                                                                                               \
		S = saved;                                                                                                     \
		mutation;                                                                                                      \
		UNIT_EQ_INT(run(), ARM_CMSIS_NN_ARG_ERROR);                                                                    \
	} while (0)
	EXPECT_REJECT(S.in.n = 0);
	EXPECT_REJECT(S.f.n = 0);
	EXPECT_REJECT(S.out.c = -5);
	EXPECT_REJECT(S.p.filter_offset = 129);
	EXPECT_REJECT(S.p.output_offset = -129);
	EXPECT_REJECT(S.p.activation.min = 5; S.p.activation.max = 4);
	EXPECT_REJECT(S.q.shift = 31);
#undef EXPECT_REJECT
	S = saved;
	UNIT_EQ_INT(arm_fully_connected_s8(NULL, &S.p, &S.q, &S.in, S.input, &S.f, S.weights, &S.bias, S.bias_data, &S.out,
	                                   NULL),
	            ARM_CMSIS_NN_ARG_ERROR);
}

/*
 * The dims as CMSIS-NN documents them: filter [N, C] and output [N, C_OUT]
 * with h and w unset; it reads the batches from input_dims->n, the depth
 * from filter_dims->n and the outputs from output_dims->c, nothing else.
 */
UNIT_TEST(fc_reads_only_the_dims_cmsis_nn_reads)
{
	unit_rand_seed(32);
	setup(3, 21, 6, 0, -11, -6, -128, 127);
	S.f = (cmsis_nn_dims){21, 0, 0, 6};
	S.out = (cmsis_nn_dims){3, 0, 0, 6};
	UNIT_EQ_INT(run(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref, 3 * 6);
	/* [N, C] input too, or no input shape at all; nor the filter's c or the output's n. */
	S.in = (cmsis_nn_dims){3, 0, 0, 21};
	memset(S.got, 0, sizeof S.got);
	UNIT_EQ_INT(run(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref, 3 * 6);
	S.in = (cmsis_nn_dims){3, NN_UNSET, NN_UNSET, NN_UNSET};
	S.f.c = NN_UNSET;
	S.out.n = NN_UNSET;
	memset(S.got, 0, sizeof S.got);
	UNIT_EQ_INT(run(), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref, 3 * 6);
}

/* Per-channel requantization: arm_fully_connected_per_channel_s8 and arm_fully_connected_wrapper_s8. */
UNIT_TEST(fc_per_channel_and_wrapper_match_reference)
{
	unit_rand_seed(33);
	static const struct {
		int32_t b, k, o, foff;
	} cases[] = {
	        {1, 192, 32, 0}, /* the smile model's 192 -> 32: the DSP path's fours */
	        {3, 37, 11, 0},  /* tails of rows and values */
	        {2, 13, 7, 5},   /* filter offset */
	        {1, 256, 2, 0},  {2, 3, 4, 0},
	};
	static int32_t mult[MAX_OUT], shift[MAX_OUT];
	static int8_t ref[MAX_OUT];
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const int32_t b = cases[i].b, k = cases[i].k, o = cases[i].o;
		setup(b, k, o, cases[i].foff, -12, -7, -128, 127);
		nn_fill_quant(mult, shift, o, -13, -6);
		for (int32_t n = 0; n < b; n++)
			for (int32_t j = 0; j < o; j++) {
				int64_t acc = S.bias_data[j];
				for (int32_t x = 0; x < k; x++) {
					acc += (int64_t)(S.input[n * k + x] + S.p.input_offset) * (S.weights[j * k + x] + cases[i].foff);
				}
				const int32_t v = nn_ref_requantize((int32_t)acc, mult[j], shift[j]) + S.p.output_offset;
				ref[n * o + j] = (int8_t)nn_clamp(v, -128, 127);
			}
		const cmsis_nn_per_channel_quant_params pc = {mult, shift};
		memset(S.got, 0, sizeof S.got);
		UNIT_EQ_INT(arm_fully_connected_per_channel_s8(NULL, &S.p, &pc, &S.in, S.input, &S.f, S.weights, &S.bias,
		                                               S.bias_data, &S.out, S.got),
		            ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, ref, b * o);

		cmsis_nn_quant_params wq = {mult, shift, 1};
		memset(S.got, 0, sizeof S.got);
		UNIT_EQ_INT(arm_fully_connected_wrapper_s8(NULL, &S.p, &wq, &S.in, S.input, &S.f, S.weights, &S.bias,
		                                           S.bias_data, &S.out, S.got),
		            ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, ref, b * o);
		/* Per tensor: element 0 of the arrays, as arm_fully_connected_s8. */
		wq = (cmsis_nn_quant_params){&S.q.multiplier, &S.q.shift, 0};
		memset(S.got, 0, sizeof S.got);
		UNIT_EQ_INT(arm_fully_connected_wrapper_s8(NULL, &S.p, &wq, &S.in, S.input, &S.f, S.weights, &S.bias,
		                                           S.bias_data, &S.out, S.got),
		            ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref, b * o);
	}

	/* Every channel's shift is checked; missing arrays are refused. */
	shift[1] = 31;
	const cmsis_nn_per_channel_quant_params bad = {mult, shift};
	UNIT_EQ_INT(arm_fully_connected_per_channel_s8(NULL, &S.p, &bad, &S.in, S.input, &S.f, S.weights, &S.bias,
	                                               S.bias_data, &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_per_channel_quant_params no_shift = {mult, NULL};
	UNIT_EQ_INT(arm_fully_connected_per_channel_s8(NULL, &S.p, &no_shift, &S.in, S.input, &S.f, S.weights, &S.bias,
	                                               S.bias_data, &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_quant_params no_mult = {NULL, shift, 0};
	UNIT_EQ_INT(arm_fully_connected_wrapper_s8(NULL, &S.p, &no_mult, &S.in, S.input, &S.f, S.weights, &S.bias,
	                                           S.bias_data, &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
}

/* A corrupt model's bias near INT32_MAX must saturate, not overflow (the
   sanitizer fuzz test found the overflow): the output is the clamp bound. */
UNIT_TEST(fc_saturates_hostile_bias)
{
	int8_t input[4] = {127, 127, 127, 127};
	int8_t weights[8] = {127, 127, 127, 127, -128, -128, -128, -128};
	int32_t bias[2] = {INT32_MAX - 10, INT32_MIN + 10};
	int8_t out[2] = {0, 0};
	cmsis_nn_fc_params p = {128, 0, 100, {-128, 127}};
	cmsis_nn_per_tensor_quant_params q = {INT32_MAX, 0};
	cmsis_nn_dims in = {1, 1, 1, 4}, f = {4, 1, 1, 2}, b = {1, 1, 1, 2}, o = {1, 1, 1, 2};
	UNIT_EQ_INT(arm_fully_connected_s8(NULL, &p, &q, &in, input, &f, weights, &b, bias, &o, out), ARM_CMSIS_NN_SUCCESS);
	UNIT_EQ_INT(out[0], 127);
	UNIT_EQ_INT(out[1], -128);
}

/* A depth whose dot product leaves int32 (255 * -128 * 70000 < INT32_MIN) saturates like any other
   accumulator: -128, where an int32 sum would wrap to a large positive value and give 127. */
#define LONG_ACCUM 70000
static int8_t long_input[LONG_ACCUM], long_weights[4 * LONG_ACCUM];

UNIT_TEST(fc_long_accumulation_saturates)
{
	memset(long_input, 127, sizeof long_input);
	memset(long_weights, -128, sizeof long_weights);
	int8_t out[4] = {0, 0, 0, 0};
	cmsis_nn_fc_params p = {128, 0, 0, {-128, 127}};
	cmsis_nn_per_tensor_quant_params q = {INT32_MAX, 0};
	cmsis_nn_dims in = {1, 1, 1, LONG_ACCUM}, f = {LONG_ACCUM, 1, 1, 4}, b = {1, 1, 1, 4}, o = {1, 1, 1, 4};
	UNIT_EQ_INT(arm_fully_connected_s8(NULL, &p, &q, &in, long_input, &f, long_weights, &b, NULL, &o, out),
	            ARM_CMSIS_NN_SUCCESS);
	for (int32_t i = 0; i < 4; i++) {
		UNIT_EQ_INT(out[i], -128);
	}
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(fc_matches_reference);
	UNIT_RUN(fc_rejects_bad_arguments);
	UNIT_RUN(fc_reads_only_the_dims_cmsis_nn_reads);
	UNIT_RUN(fc_per_channel_and_wrapper_match_reference);
	UNIT_RUN(fc_saturates_hostile_bias);
	UNIT_RUN(fc_long_accumulation_saturates);
	return unit_done();
}
