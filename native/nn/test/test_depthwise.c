/*
 * test_depthwise.c: arm_depthwise_conv_s8 and its wrapper against a naive int64 reference.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "nn_test.h"

#define MAX_IN     2048
#define MAX_FILTER 1024
#define MAX_OUT    4096
#define MAX_CH     64

typedef struct {
	const char *name;
	int32_t n, h, w, c, ch_mult, kh, kw, sh, sw, dh, dw;
	int same;
	int32_t act_min, act_max, shift_lo, shift_hi;
} dw_case;

typedef struct {
	cmsis_nn_dw_conv_params p;
	cmsis_nn_dims in, f, bias, out;
	int32_t mult[MAX_CH], shift[MAX_CH], bias_data[MAX_CH];
	int8_t input[MAX_IN], filter[MAX_FILTER], ref[MAX_OUT], got[MAX_OUT], got_wrap[MAX_OUT];
} dw_setup;

static dw_setup S;

static void setup(const dw_case *t)
{
	memset(&S, 0, sizeof S);
	int32_t oh, ow, ph = 0, pw = 0;
	if (t->same) {
		nn_same_padding(t->h, t->kh, t->sh, t->dh, &oh, &ph);
		nn_same_padding(t->w, t->kw, t->sw, t->dw, &ow, &pw);
	} else {
		oh = nn_valid_out(t->h, t->kh, t->sh, t->dh);
		ow = nn_valid_out(t->w, t->kw, t->sw, t->dw);
	}
	const int32_t out_c = t->c * t->ch_mult;
	S.in = (cmsis_nn_dims){t->n, t->h, t->w, t->c};
	S.f = (cmsis_nn_dims){1, t->kh, t->kw, out_c};
	S.bias = (cmsis_nn_dims){1, 1, 1, out_c};
	S.out = (cmsis_nn_dims){t->n, oh, ow, out_c};
	S.p.input_offset = nn_rng_range(-127, 128);
	S.p.output_offset = nn_rng_range(-128, 127);
	S.p.ch_mult = t->ch_mult;
	S.p.stride = (cmsis_nn_tile){t->sw, t->sh};
	S.p.padding = (cmsis_nn_tile){pw, ph};
	S.p.dilation = (cmsis_nn_tile){t->dw, t->dh};
	S.p.activation = (cmsis_nn_activation){t->act_min, t->act_max};
	nn_fill_i8(S.input, t->n * t->h * t->w * t->c);
	nn_fill_i8(S.filter, t->kh * t->kw * out_c);
	nn_fill_quant(S.mult, S.shift, out_c, t->shift_lo, t->shift_hi);
	for (int32_t i = 0; i < out_c; i++) {
		S.bias_data[i] = nn_rng_range(-20000, 20000);
	}
}

static void reference(void)
{
	const cmsis_nn_dims *in = &S.in, *f = &S.f, *out = &S.out;
	for (int32_t b = 0; b < out->n; b++)
		for (int32_t oy = 0; oy < out->h; oy++)
			for (int32_t ox = 0; ox < out->w; ox++)
				for (int32_t oc = 0; oc < out->c; oc++) {
					const int32_t ic = oc / S.p.ch_mult;
					int64_t acc = S.bias_data[oc];
					for (int32_t ky = 0; ky < f->h; ky++)
						for (int32_t kx = 0; kx < f->w; kx++) {
							const int32_t iy = oy * S.p.stride.h - S.p.padding.h + ky * S.p.dilation.h;
							const int32_t ix = ox * S.p.stride.w - S.p.padding.w + kx * S.p.dilation.w;
							if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w)
								continue;
							const int64_t x = S.input[((b * in->h + iy) * in->w + ix) * in->c + ic];
							const int64_t w = S.filter[(ky * f->w + kx) * f->c + oc];
							acc += (x + S.p.input_offset) * w;
						}
					const int32_t v = nn_ref_requantize((int32_t)acc, S.mult[oc], S.shift[oc]) + S.p.output_offset;
					S.ref[((b * out->h + oy) * out->w + ox) * out->c + oc] =
					        (int8_t)nn_clamp(v, S.p.activation.min, S.p.activation.max);
				}
}

static arm_cmsis_nn_status run(int wrapper, const cmsis_nn_context *ctx)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	if (wrapper) {
		return arm_depthwise_conv_wrapper_s8(ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data,
		                                     &S.out, S.got_wrap);
	}
	return arm_depthwise_conv_s8(ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out, S.got);
}

static const dw_case cases[] = {
        /* name                        n  h  w  c  m  kh kw sh sw dh dw same act         shifts */
        {"3x3 same odd channels", 1, 7, 9, 5, 1, 3, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        {"3x3 stride2 same", 1, 8, 8, 3, 1, 3, 3, 2, 2, 1, 1, 1, -128, 127, -10, -5},
        {"stride2 same odd size", 2, 9, 7, 3, 1, 3, 3, 2, 2, 1, 1, 1, -128, 127, -10, -5},
        {"depth multiplier 2", 1, 6, 6, 3, 2, 3, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        {"depth multiplier 3 stride2", 1, 7, 6, 3, 3, 3, 3, 2, 2, 1, 1, 1, -128, 127, -10, -5},
        {"dilation 2", 1, 9, 9, 4, 1, 3, 3, 1, 1, 2, 2, 1, -128, 127, -10, -5},
        {"1x1 depthwise", 1, 5, 4, 7, 1, 1, 1, 1, 1, 1, 1, 0, -128, 127, -8, -3},
        {"5x5 over 3x3 same", 1, 3, 3, 2, 2, 5, 5, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        {"valid 3x3", 1, 6, 6, 4, 1, 3, 3, 1, 1, 1, 1, 0, -128, 127, -10, -5},
        {"relu6-like clamp", 1, 6, 6, 4, 1, 3, 3, 1, 1, 1, 1, 1, -10, 40, -10, -5},
        {"saturating, shift +1", 1, 5, 5, 3, 1, 3, 3, 1, 1, 1, 1, 1, -128, 127, -2, 1},
        /* Wider channel counts: the DSP path's 4-channel steps and its tail. */
        {"13 channels stride2 same", 1, 7, 7, 13, 1, 3, 3, 2, 2, 1, 1, 1, -128, 127, -10, -5},
        {"32 channels 3x3 same", 1, 5, 5, 32, 1, 3, 3, 1, 1, 1, 1, 1, -128, 127, -11, -6},
        /* Two images, eight channels and a tail: the interior channel-group pass per batch, the border by pixel. */
        {"batch 2, 10 channels", 2, 6, 7, 10, 1, 3, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        /* Depth multipliers of 4 and more: the DSP path's four-output steps and the plain tail. */
        {"one channel x8 stride2 same", 1, 9, 9, 1, 8, 3, 3, 2, 2, 1, 1, 1, -128, 127, -10, -5},
        {"depth multiplier 6", 1, 6, 5, 3, 6, 3, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        {"depth multiplier 4 dilated", 2, 7, 7, 2, 4, 3, 3, 1, 1, 2, 2, 1, -20, 90, -11, -6},
        /* 3x3 interiors of odd and even widths: the two-pixel pass, its lone last pixel, strides 1 and 2. */
        {"3x3 same 9 wide 8 channels", 1, 6, 9, 8, 1, 3, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5},
        {"3x3 stride2 valid 6 channels", 1, 9, 13, 6, 1, 3, 3, 2, 2, 1, 1, 0, -128, 127, -10, -5},
        {"3x3 valid 10 wide 12 ch", 1, 5, 12, 12, 1, 3, 3, 1, 1, 1, 1, 0, -30, 100, -11, -6},
};

/* The cases the wrapper sends to arm_depthwise_conv_3x3_s8, as CMSIS-NN does. */
static int is_3x3_case(const dw_case *t)
{
	return t->ch_mult == 1 && t->n == 1 && t->dh == 1 && t->dw == 1 && t->kh == 3 && t->kw == 3 && S.p.padding.h <= 1 &&
	        S.p.padding.w <= 1;
}

UNIT_TEST(depthwise_cases_match_reference)
{
	unit_rand_seed(20);
	int saturated_lo = 0, saturated_hi = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setup(&cases[i]);
		reference();
		printf("# %s: out %dx%dx%dx%d\n", cases[i].name, (int)S.out.n, (int)S.out.h, (int)S.out.w, (int)S.out.c);
		UNIT_EQ_INT(arm_depthwise_conv_wrapper_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out), 0);
		UNIT_EQ_INT(run(0, NULL), ARM_CMSIS_NN_SUCCESS);
		const int32_t n = S.out.n * S.out.h * S.out.w * S.out.c;
		NN_EXPECT_SAME(S.got, S.ref, n);
		UNIT_EQ_INT(run(1, NULL), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got_wrap, S.ref, n);
		for (int32_t k = 0; k < n; k++) {
			saturated_lo += S.got[k] == -128;
			saturated_hi += S.got[k] == 127;
			if (cases[i].act_min == -10) {
				UNIT_ASSERT(S.got[k] >= -10 && S.got[k] <= 40);
			}
		}
	}
	UNIT_ASSERT(saturated_lo > 0 && saturated_hi > 0);
}

static arm_cmsis_nn_status run_variant(int three, const cmsis_nn_dw_conv_params *p)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	if (three) {
		return arm_depthwise_conv_3x3_s8(NULL, p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out,
		                                 S.got);
	}
	return arm_depthwise_conv_s8_opt(NULL, p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out, S.got);
}

/* arm_depthwise_conv_s8_opt and arm_depthwise_conv_3x3_s8 called directly, on every case they take. */
UNIT_TEST(depthwise_opt_and_3x3_match_reference)
{
	unit_rand_seed(22);
	int threes = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].ch_mult != 1) {
			continue;
		}
		setup(&cases[i]);
		reference();
		const int32_t n = S.out.n * S.out.h * S.out.w * S.out.c;
		UNIT_EQ_INT(arm_depthwise_conv_s8_opt_get_buffer_size(&S.in, &S.f), 0);
		/* ch_mult is not read by either (CMSIS-NN's contract): C_OUT == C_IN says it. */
		cmsis_nn_dw_conv_params p = S.p;
		p.ch_mult = 0;
		memset(S.got, 0, sizeof S.got);
		UNIT_EQ_INT(run_variant(0, &p), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref, n);
		if (is_3x3_case(&cases[i])) {
			threes++;
			printf("# 3x3: %s\n", cases[i].name);
			/* Dilation is not read either: taken as 1. */
			p.dilation = (cmsis_nn_tile){0, 2};
			memset(S.got, 0, sizeof S.got);
			UNIT_EQ_INT(run_variant(1, &p), ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(S.got, S.ref, n);
		}
	}
	UNIT_ASSERT(threes >= 8);
}

/* What CMSIS-NN refuses, refused; the wrapper never sends a shape to a variant that refuses it. */
UNIT_TEST(depthwise_variants_refuse_their_shapes)
{
	unit_rand_seed(23);
	setup(&cases[8]); /* valid 3x3, 4 channels */
	const dw_setup saved = S;
	UNIT_EQ_INT(run_variant(1, &S.p), ARM_CMSIS_NN_SUCCESS);
	S.out.c = 8;
	S.f.c = 8;
	S.p.ch_mult = 2;
	UNIT_EQ_INT(run_variant(0, &S.p), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(run_variant(1, &S.p), ARM_CMSIS_NN_ARG_ERROR);
	S = saved;
	S.p.padding.w = 2;
	S.out.w += 2;
	UNIT_EQ_INT(run_variant(1, &S.p), ARM_CMSIS_NN_ARG_ERROR);
	/* Padding 2 on either axis: the wrapper takes arm_depthwise_conv_s8_opt instead. */
	reference();
	UNIT_EQ_INT(run(1, NULL), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got_wrap, S.ref, S.out.n * S.out.h * S.out.w * S.out.c);
	S = saved;
	S.p.padding.h = 2;
	S.out.h += 2;
	reference();
	UNIT_EQ_INT(run(1, NULL), ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got_wrap, S.ref, S.out.n * S.out.h * S.out.w * S.out.c);
	/* A 5x5 filter is not the 3x3 kernel's. */
	setup(&cases[7]);
	UNIT_EQ_INT(run_variant(1, &S.p), ARM_CMSIS_NN_ARG_ERROR);
}

/*
 * What CMSIS-NN never reads is neither read nor checked: filter_dims->n and
 * ->c (C_OUT is output_dims->c), output_dims->n (the batches are
 * input_dims->n), and the dilation along an axis of one filter tap.
 */
UNIT_TEST(depthwise_reads_only_what_cmsis_nn_reads)
{
	unit_rand_seed(24);
	const unsigned picks[] = {2, 3, 6, 13, 16}; /* batch 2, ch_mult 2, 1x1, batch 2 interior, ch_mult 4 dilated */
	for (unsigned i = 0; i < sizeof picks / sizeof picks[0]; i++) {
		setup(&cases[picks[i]]);
		reference();
		S.f.n = NN_UNSET;
		S.f.c = NN_UNSET;
		S.out.n = NN_UNSET;
		if (cases[picks[i]].kh == 1) {
			S.p.dilation = (cmsis_nn_tile){NN_UNSET, NN_UNSET};
		}
		printf("# unread fields unset: %s\n", cases[picks[i]].name);
		UNIT_EQ_INT(arm_depthwise_conv_wrapper_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out), 0);
		const int32_t n = cases[picks[i]].n * S.out.h * S.out.w * S.out.c;
		UNIT_EQ_INT(run(0, NULL), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref, n);
		UNIT_EQ_INT(run(1, NULL), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got_wrap, S.ref, n);
	}
}

UNIT_TEST(depthwise_rejects_bad_arguments)
{
	unit_rand_seed(21);
	setup(&cases[3]);
	const dw_setup saved = S;
#define EXPECT_REJECT(mutation)                                                                                        \
	do {                                                                                                               \
		S = saved;                                                                                                     \
		mutation;                                                                                                      \
		UNIT_EQ_INT(run(0, NULL), ARM_CMSIS_NN_ARG_ERROR);                                                             \
		UNIT_EQ_INT(run(1, NULL), ARM_CMSIS_NN_ARG_ERROR);                                                             \
	} while (0)
	EXPECT_REJECT(S.p.ch_mult = 1); /* 3 * 1 != 6 output channels */
	EXPECT_REJECT(S.p.ch_mult = 0);
	EXPECT_REJECT(S.in.w = 0);
	EXPECT_REJECT(S.out.c = 5);
	EXPECT_REJECT(S.p.stride.h = 0);
	EXPECT_REJECT(S.p.dilation.w = -1);
	EXPECT_REJECT(S.p.input_offset = -128);
	EXPECT_REJECT(S.p.activation.min = -129);
	EXPECT_REJECT(S.shift[5] = 40);
#undef EXPECT_REJECT
	S = saved;
	UNIT_EQ_INT(arm_depthwise_conv_wrapper_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out), 0);
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	UNIT_EQ_INT(arm_depthwise_conv_s8(NULL, &S.p, &q, &S.in, S.input, &S.f, NULL, &S.bias, S.bias_data, &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	/* A NULL bias means zero bias. */
	for (int32_t i = 0; i < S.out.c; i++) {
		S.bias_data[i] = 0;
	}
	reference();
	UNIT_EQ_INT(arm_depthwise_conv_s8(NULL, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, NULL, &S.out, S.got),
	            ARM_CMSIS_NN_SUCCESS);
	NN_EXPECT_SAME(S.got, S.ref, S.out.n * S.out.h * S.out.w * S.out.c);
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(depthwise_cases_match_reference);
	UNIT_RUN(depthwise_opt_and_3x3_match_reference);
	UNIT_RUN(depthwise_variants_refuse_their_shapes);
	UNIT_RUN(depthwise_reads_only_what_cmsis_nn_reads);
	UNIT_RUN(depthwise_rejects_bad_arguments);
	return unit_done();
}
