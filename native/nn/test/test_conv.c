/*
 * test_conv.c: arm_convolve_s8 and arm_convolve_wrapper_s8 against a naive int64 reference.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>

#include "unit.h"

#include "nn_test.h"

#define MAX_IN      2048
#define MAX_FILTER  4096
#define MAX_OUT     2048
#define MAX_CH      80
#define MAX_SCRATCH 4096

typedef struct {
	const char *name;
	int32_t n, h, w, c; /* input */
	int32_t kh, kw, ck; /* filter (ck = c / groups) */
	int32_t out_c;
	int32_t sh, sw, dh, dw;
	int same; /* TFLite SAME padding, else VALID */
	int32_t act_min, act_max;
	int32_t shift_lo, shift_hi;
	int expect_pointwise; /* wrapper should need no scratch */
} conv_case;

typedef struct {
	cmsis_nn_conv_params p;
	cmsis_nn_dims in, f, bias, out;
	int32_t mult[MAX_CH], shift[MAX_CH], bias_data[MAX_CH];
	int8_t input[MAX_IN], filter[MAX_FILTER], ref[MAX_OUT], got[MAX_OUT], got_wrap[MAX_OUT];
} conv_setup;

static conv_setup S;
static int32_t scratch[MAX_SCRATCH / 4]; /* int32 for the alignment the kernels require */

static void setup(const conv_case *t, int with_bias)
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
	S.in = (cmsis_nn_dims){t->n, t->h, t->w, t->c};
	S.f = (cmsis_nn_dims){t->out_c, t->kh, t->kw, t->ck};
	S.bias = (cmsis_nn_dims){1, 1, 1, t->out_c};
	S.out = (cmsis_nn_dims){t->n, oh, ow, t->out_c};
	S.p.input_offset = nn_rng_range(-127, 128);
	S.p.output_offset = nn_rng_range(-128, 127);
	S.p.stride = (cmsis_nn_tile){t->sw, t->sh};
	S.p.padding = (cmsis_nn_tile){pw, ph};
	S.p.dilation = (cmsis_nn_tile){t->dw, t->dh};
	S.p.activation = (cmsis_nn_activation){t->act_min, t->act_max};
	nn_fill_i8(S.input, t->n * t->h * t->w * t->c);
	nn_fill_i8(S.filter, t->out_c * t->kh * t->kw * t->ck);
	nn_fill_quant(S.mult, S.shift, t->out_c, t->shift_lo, t->shift_hi);
	for (int32_t i = 0; i < t->out_c; i++) {
		S.bias_data[i] = with_bias ? nn_rng_range(-40000, 40000) : 0;
	}
}

/* The definition: sum over the receptive field, padding contributes nothing. */
static void reference(void)
{
	const cmsis_nn_dims *in = &S.in, *f = &S.f, *out = &S.out;
	const int32_t groups = in->c / f->c;
	const int32_t per_group = out->c / groups;
	for (int32_t b = 0; b < out->n; b++)
		for (int32_t oy = 0; oy < out->h; oy++)
			for (int32_t ox = 0; ox < out->w; ox++)
				for (int32_t oc = 0; oc < out->c; oc++) {
					const int32_t g = oc / per_group;
					int64_t acc = S.bias_data[oc];
					for (int32_t ky = 0; ky < f->h; ky++)
						for (int32_t kx = 0; kx < f->w; kx++) {
							const int32_t iy = oy * S.p.stride.h - S.p.padding.h + ky * S.p.dilation.h;
							const int32_t ix = ox * S.p.stride.w - S.p.padding.w + kx * S.p.dilation.w;
							if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w)
								continue;
							for (int32_t c = 0; c < f->c; c++) {
								const int64_t x = S.input[((b * in->h + iy) * in->w + ix) * in->c + g * f->c + c];
								const int64_t w = S.filter[((oc * f->h + ky) * f->w + kx) * f->c + c];
								acc += (x + S.p.input_offset) * w;
							}
						}
					int32_t v = nn_ref_requantize((int32_t)acc, S.mult[oc], S.shift[oc]) + S.p.output_offset;
					S.ref[((b * out->h + oy) * out->w + ox) * out->c + oc] =
					        (int8_t)nn_clamp(v, S.p.activation.min, S.p.activation.max);
				}
}

static int32_t out_size(void)
{
	return S.out.n * S.out.h * S.out.w * S.out.c;
}

static arm_cmsis_nn_status run_direct(int32_t ctx_size)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	const cmsis_nn_context ctx = {scratch, ctx_size};
	return arm_convolve_s8(&ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, NULL, &S.out, S.got);
}

static arm_cmsis_nn_status run_wrapper(int32_t ctx_size)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	const cmsis_nn_context ctx = {scratch, ctx_size};
	return arm_convolve_wrapper_s8(&ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out,
	                               S.got_wrap);
}

static const conv_case cases[] = {
        /* name                      n  h  w  c  kh kw ck oc  sh sw dh dw same  act        shifts  pw */
        {"3x3 same odd channels", 1, 7, 9, 3, 3, 3, 3, 5, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"3x3 stride2 same batch2", 2, 8, 8, 5, 3, 3, 5, 7, 2, 2, 1, 1, 1, -128, 127, -12, -6, 0},
        {"3x3 stride2 same odd in", 1, 9, 7, 3, 3, 3, 3, 4, 2, 2, 1, 1, 1, -128, 127, -12, -6, 0},
        {"1x1 pointwise", 1, 9, 7, 4, 1, 1, 4, 6, 1, 1, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 pointwise stride 2", 2, 9, 7, 3, 1, 1, 3, 5, 2, 2, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 pointwise same", 1, 5, 5, 8, 1, 1, 8, 3, 1, 1, 1, 1, 1, -128, 127, -10, -5, 1},
        {"3x3 dilation 2 same", 1, 10, 10, 3, 3, 3, 3, 4, 1, 1, 2, 2, 1, -128, 127, -12, -6, 0},
        {"grouped 3 groups", 1, 6, 6, 6, 3, 3, 2, 9, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"5x5 valid to 1x1", 1, 5, 5, 1, 5, 5, 1, 3, 1, 1, 1, 1, 0, -128, 127, -10, -4, 0},
        {"3x2 kernel stride (2,1)", 1, 6, 5, 3, 3, 2, 3, 4, 2, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"kernel wider than input", 1, 3, 3, 2, 5, 5, 2, 3, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"relu clamp", 1, 7, 7, 3, 3, 3, 3, 6, 1, 1, 1, 1, 1, 0, 127, -12, -6, 0},
        {"relu6-like clamp", 1, 7, 7, 3, 3, 3, 3, 6, 1, 1, 1, 1, 1, -20, 30, -12, -6, 0},
        {"saturating scales", 1, 6, 6, 4, 3, 3, 4, 6, 1, 1, 1, 1, 1, -128, 127, -3, 1, 0},
        {"positive shifts", 1, 4, 4, 2, 1, 1, 2, 4, 1, 1, 1, 1, 0, -128, 127, 0, 2, 1},
        /* Wide pointwise cases: the DSP path's 4-channel steps, channel-pair loop and both tails. */
        {"1x1 pointwise 37 to 13", 1, 4, 4, 37, 1, 1, 37, 13, 1, 1, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 pointwise 64 to 24", 1, 3, 3, 64, 1, 1, 64, 24, 1, 1, 1, 1, 0, -128, 127, -11, -6, 1},
        /*
     * The DSP path's two-position pass: an odd number of output positions
     * (the last one alone), pairs that wrap to the next row or would cross a
     * batch, 1 and odd input channels (column tails of 1 and 3), an odd
     * channel count (per group too), padding on every border, negative shifts.
     */
        {"3x3 same 1 ch odd positions", 1, 5, 7, 1, 3, 3, 1, 8, 1, 1, 1, 1, 1, -128, 127, -9, -4, 0},
        {"3x3 same 3 ch odd out ch", 1, 3, 5, 3, 3, 3, 3, 7, 1, 1, 1, 1, 1, -128, 127, -11, -5, 0},
        {"3x3 same 5 ch batch 3x3 x2", 2, 3, 3, 5, 3, 3, 5, 5, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"3x3 stride2 rows of 3", 1, 7, 5, 1, 3, 3, 1, 3, 2, 2, 1, 1, 1, -128, 127, -8, -3, 0},
        /*
     * One input channel, 3x3 (the DSP build's direct kernel): more output
     * channels than it widens at once (16), a second image (the last rows'
     * words would end past the input), valid padding with a stride of (1,2),
     * and dilation 2 (the generic kernel's).
     */
        {"3x3 same 1 ch 20 out ch batch 2", 2, 5, 6, 1, 3, 3, 1, 20, 1, 1, 1, 1, 1, -128, 127, -9, -4, 0},
        {"3x3 valid 1 ch stride (1,2)", 1, 6, 9, 1, 3, 3, 1, 5, 1, 2, 1, 1, 0, -128, 127, -9, -4, 0},
        {"3x3 same 1 ch dilation 2", 1, 7, 7, 1, 3, 3, 1, 4, 1, 1, 2, 2, 1, -128, 127, -9, -4, 0},
        /* Rows wider than the direct kernel widens at once (its spans), strided too, and shifts outside the
           requantization's common case (its per-channel fallback). */
        {"3x3 same 1 ch wide rows", 1, 2, 300, 1, 3, 3, 1, 3, 1, 1, 1, 1, 1, -128, 127, -9, -4, 0},
        {"3x3 valid 1 ch wide stride (1,2)", 1, 3, 600, 1, 3, 3, 1, 2, 1, 2, 1, 1, 0, -128, 127, -9, -4, 0},
        {"3x3 same 1 ch shift -1..1", 1, 5, 6, 1, 3, 3, 1, 4, 1, 1, 1, 1, 1, -128, 127, -1, 1, 0},
        {"grouped odd per group", 1, 5, 3, 4, 3, 3, 2, 6, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"smile-like 8 to 16", 1, 5, 5, 8, 3, 3, 8, 16, 1, 1, 1, 1, 1, 0, 127, -12, -7, 0},
        /* More output channels than the two-position loop prepares at once (32), in one group and across two,
           with a clamp that is not the int8 range and shifts outside the requantization's common case. */
        {"3x3 same 4 ch to 40 relu6-like", 1, 4, 5, 4, 3, 3, 4, 40, 1, 1, 1, 1, 1, -20, 30, -12, -6, 0},
        {"grouped 2 groups of 35 out ch", 1, 4, 3, 8, 3, 3, 4, 70, 1, 1, 1, 1, 1, -128, 127, -12, -6, 0},
        {"3x3 same 4 ch to 34 shift -1..1", 1, 3, 4, 4, 3, 3, 4, 34, 1, 1, 1, 1, 1, -128, 127, -1, 1, 0},
        /* Narrow pointwise layers: stride 1 runs as one row of pixels (pairs across rows and images), strided not. */
        {"1x1 narrow 8 to 16 batch 2", 2, 3, 5, 8, 1, 1, 8, 16, 1, 1, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 narrow 12 to 9 odd", 1, 3, 3, 12, 1, 1, 12, 9, 1, 1, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 narrow 16 to 32 stride 2", 1, 7, 7, 16, 1, 1, 16, 32, 2, 2, 1, 1, 0, -128, 127, -10, -5, 1},
        {"1x1 32 to 8 stride (1,2)", 1, 5, 9, 32, 1, 1, 32, 8, 1, 2, 1, 1, 0, -128, 127, -11, -6, 1},
        /* One input row: 1xN filters (stride.w * C_IN a multiple of 4), and one that is not (the generic kernel). */
        {"1x3 one row 4 ch same", 1, 1, 9, 4, 1, 3, 4, 6, 1, 1, 1, 1, 1, -128, 127, -10, -5, 0},
        {"1x5 one row 6 ch stride 2", 1, 1, 11, 6, 1, 5, 6, 5, 1, 2, 1, 1, 0, -128, 127, -10, -5, 0},
        {"1x3 one row 3 ch", 1, 1, 9, 3, 1, 3, 3, 4, 1, 1, 1, 1, 1, -128, 127, -10, -5, 0},
};

/* The entry points arm_convolve_wrapper_s8 chooses among, called directly. */
static arm_cmsis_nn_status run_1x1(int fast, const cmsis_nn_context *ctx)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	if (fast) {
		return arm_convolve_1x1_s8_fast(ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out,
		                                S.got);
	}
	return arm_convolve_1x1_s8(ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out, S.got);
}

static arm_cmsis_nn_status run_1_x_n(int32_t ctx_size)
{
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	const cmsis_nn_context ctx = {scratch, ctx_size};
	return arm_convolve_1_x_n_s8(&ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out, S.got);
}

UNIT_TEST(conv_cases_match_reference)
{
	unit_rand_seed(10);
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const conv_case *t = &cases[i];
		for (int with_bias = 0; with_bias < 2; with_bias++) {
			setup(t, with_bias);
			reference();
			const int32_t need = arm_convolve_s8_get_buffer_size(&S.in, &S.f);
			const int32_t need_wrap = arm_convolve_wrapper_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out);
			UNIT_ASSERT(need > 0 && need <= MAX_SCRATCH);
			if (t->expect_pointwise) {
				UNIT_EQ_INT(need_wrap, 0);
			} else {
				UNIT_EQ_INT(need_wrap, need);
			}
			printf("# %s%s: out %dx%dx%dx%d\n", t->name, with_bias ? " +bias" : "", (int)S.out.n, (int)S.out.h,
			       (int)S.out.w, (int)S.out.c);
			UNIT_EQ_INT(run_direct(need), ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(S.got, S.ref, out_size());
			UNIT_EQ_INT(run_wrapper(need_wrap), ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(S.got_wrap, S.ref, out_size());
		}
	}
}

UNIT_TEST(conv_1x1_and_1_x_n_match_reference)
{
	unit_rand_seed(14);
	int pointwise = 0, fast = 0, rows = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const conv_case *t = &cases[i];
		setup(t, 1);
		reference();
		/* Dilation is not read by the 1x1 kernels: an unset one is fine. */
		S.p.dilation = (cmsis_nn_tile){0, 0};
		if (t->expect_pointwise && S.p.padding.w == 0 && S.p.padding.h == 0) {
			pointwise++;
			memset(S.got, 0, sizeof S.got);
			UNIT_EQ_INT(run_1x1(0, NULL), ARM_CMSIS_NN_SUCCESS);
			NN_EXPECT_SAME(S.got, S.ref, out_size());
			if (t->sh == 1 && t->sw == 1) {
				fast++;
				UNIT_EQ_INT(arm_convolve_1x1_s8_fast_get_buffer_size(&S.in), 0);
				memset(S.got, 0, sizeof S.got);
				UNIT_EQ_INT(run_1x1(1, NULL), ARM_CMSIS_NN_SUCCESS);
				NN_EXPECT_SAME(S.got, S.ref, out_size());
			} else {
				UNIT_EQ_INT(run_1x1(1, NULL), ARM_CMSIS_NN_ARG_ERROR);
			}
		}
		S.p.dilation = (cmsis_nn_tile){t->dw, t->dh};
		if (t->h == 1 && t->kh == 1 && t->dw == 1 && t->ck == t->c) {
			const int32_t need = arm_convolve_1_x_n_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out);
			UNIT_EQ_INT(need, arm_convolve_s8_get_buffer_size(&S.in, &S.f));
			memset(S.got, 0, sizeof S.got);
			if (t->sw * t->c % 4 == 0) {
				rows++;
				UNIT_EQ_INT(run_1_x_n(need), ARM_CMSIS_NN_SUCCESS);
				NN_EXPECT_SAME(S.got, S.ref, out_size());
				UNIT_EQ_INT(run_1_x_n(need - 1), ARM_CMSIS_NN_ARG_ERROR); /* a short ctx stays refused */
			} else {
				UNIT_EQ_INT(run_1_x_n(need), ARM_CMSIS_NN_ARG_ERROR);
			}
		}
	}
	printf("# 1x1: %d (stride 1: %d), 1xN: %d\n", pointwise, fast, rows);
	UNIT_ASSERT(pointwise >= 8 && fast >= 6 && rows == 2);
}

/* What CMSIS-NN's 1x1 and 1xN kernels refuse, refused. */
UNIT_TEST(conv_1x1_and_1_x_n_refuse_their_shapes)
{
	unit_rand_seed(15);
	setup(&cases[3], 1); /* 1x1 pointwise, stride 1 */
	const conv_setup saved = S;
	S.p.padding.h = 1;
	S.out.h += 2;
	UNIT_EQ_INT(run_1x1(0, NULL), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(run_1x1(1, NULL), ARM_CMSIS_NN_ARG_ERROR);
	S = saved;
	S.out.w += 1; /* an output column past the input */
	UNIT_EQ_INT(run_1x1(0, NULL), ARM_CMSIS_NN_ARG_ERROR);
	setup(&cases[0], 1); /* a 3x3 filter */
	UNIT_EQ_INT(run_1x1(0, NULL), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(run_1_x_n(MAX_SCRATCH), ARM_CMSIS_NN_ARG_ERROR); /* two input rows */

	setup(&cases[sizeof cases / sizeof cases[0] - 3], 1); /* 1x3 one row 4 ch */
	const int32_t need = arm_convolve_1_x_n_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out);
	S.p.dilation.w = 2;
	UNIT_EQ_INT(run_1_x_n(need), ARM_CMSIS_NN_ARG_ERROR);
}

/*
 * What CMSIS-NN never reads is neither read nor checked: filter_dims->n and
 * output_dims->n (output channels are output_dims->c, batches
 * input_dims->n), and the dilation along an axis of one filter tap.
 */
UNIT_TEST(conv_reads_only_what_cmsis_nn_reads)
{
	unit_rand_seed(16);
	const unsigned picks[] = {1, 3, 4, 8, 9}; /* 3x3 batch 2, 1x1, 1x1 stride 2 batch 2, 5x5 valid, 3x2 kernel */
	for (unsigned i = 0; i < sizeof picks / sizeof picks[0]; i++) {
		const conv_case *t = &cases[picks[i]];
		setup(t, 1);
		reference();
		S.f.n = NN_UNSET;
		S.out.n = NN_UNSET;
		if (t->kh == 1) {
			S.p.dilation.h = NN_UNSET;
		}
		if (t->kw == 1) {
			S.p.dilation.w = NN_UNSET;
		}
		const int32_t need = arm_convolve_wrapper_s8_get_buffer_size(&S.p, &S.in, &S.f, &S.out);
		UNIT_EQ_INT(need, t->expect_pointwise ? 0 : arm_convolve_s8_get_buffer_size(&S.in, &S.f));
		/* The size functions read the window, not the offsets or the activation. */
		cmsis_nn_conv_params window_only = S.p;
		window_only.input_offset = NN_UNSET;
		window_only.output_offset = NN_UNSET;
		window_only.activation = (cmsis_nn_activation){NN_UNSET, NN_UNSET};
		UNIT_EQ_INT(arm_convolve_wrapper_s8_get_buffer_size(&window_only, &S.in, &S.f, &S.out), need);
		UNIT_ASSERT(need <= MAX_SCRATCH);
		printf("# unread fields unset: %s\n", t->name);
		UNIT_EQ_INT(run_wrapper(need), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got_wrap, S.ref, t->n * S.out.h * S.out.w * S.out.c);
		UNIT_EQ_INT(run_direct(arm_convolve_s8_get_buffer_size(&S.in, &S.f)), ARM_CMSIS_NN_SUCCESS);
		NN_EXPECT_SAME(S.got, S.ref, t->n * S.out.h * S.out.w * S.out.c);
	}
}

UNIT_TEST(conv_saturates_and_clamps)
{
	/* Large scales must hit both int8 ends; the clamp case must respect its range. */
	unit_rand_seed(11);
	setup(&cases[13], 1);
	UNIT_EQ_INT(run_direct(arm_convolve_s8_get_buffer_size(&S.in, &S.f)), ARM_CMSIS_NN_SUCCESS);
	int lo = 0, hi = 0;
	for (int32_t i = 0; i < out_size(); i++) {
		lo += S.got[i] == -128;
		hi += S.got[i] == 127;
	}
	UNIT_ASSERT(lo > 0 && hi > 0);

	setup(&cases[12], 1);
	UNIT_EQ_INT(run_direct(arm_convolve_s8_get_buffer_size(&S.in, &S.f)), ARM_CMSIS_NN_SUCCESS);
	for (int32_t i = 0; i < out_size(); i++) {
		UNIT_ASSERT(S.got[i] >= -20 && S.got[i] <= 30);
	}
}

UNIT_TEST(conv_short_context_is_arg_error)
{
	unit_rand_seed(12);
	setup(&cases[0], 1);
	const int32_t need = arm_convolve_s8_get_buffer_size(&S.in, &S.f);
	memset(S.got, 0x5A, sizeof S.got);
	UNIT_EQ_INT(run_direct(need - 1), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(run_wrapper(need - 1), ARM_CMSIS_NN_ARG_ERROR);
	UNIT_EQ_INT(S.got[0], 0x5A); /* nothing written */

	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	UNIT_EQ_INT(
	        arm_convolve_s8(NULL, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, NULL, &S.out, S.got),
	        ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_context null_buf = {NULL, need};
	UNIT_EQ_INT(arm_convolve_wrapper_s8(&null_buf, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data,
	                                    &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_context misaligned = {(char *)scratch + 1, need};
	UNIT_EQ_INT(arm_convolve_wrapper_s8(&misaligned, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data,
	                                    &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	/* The exact size is enough. */
	UNIT_EQ_INT(run_wrapper(need), ARM_CMSIS_NN_SUCCESS);

	/* The pointwise path needs no scratch: a NULL ctx is fine through the wrapper. */
	setup(&cases[3], 1);
	UNIT_EQ_INT(arm_convolve_wrapper_s8(NULL, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &S.out,
	                                    S.got_wrap),
	            ARM_CMSIS_NN_SUCCESS);
}

UNIT_TEST(conv_rejects_bad_arguments)
{
	unit_rand_seed(13);
	setup(&cases[0], 1);
	const int32_t need = arm_convolve_s8_get_buffer_size(&S.in, &S.f);
	const conv_setup saved = S;

#define EXPECT_REJECT(mutation, status)                                                                                \
	do {                                                                                                               \
		S = saved;                                                                                                     \
		mutation;                                                                                                      \
		UNIT_EQ_INT(run_direct(need), status);                                                                         \
		UNIT_EQ_INT(run_wrapper(need), status);                                                                        \
	} while (0)

	EXPECT_REJECT(S.in.h = 0, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.in.c = -3, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.out.w = 0, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.f.c = 2, ARM_CMSIS_NN_ARG_ERROR); /* 3 input channels not a multiple of 2 */
	EXPECT_REJECT(S.p.stride.w = 0, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.p.dilation.h = 0, ARM_CMSIS_NN_ARG_ERROR); /* a 3x3 filter reads it */
	EXPECT_REJECT(S.p.padding.h = -1, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.p.input_offset = 129, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.p.output_offset = 128, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.p.activation.min = 10; S.p.activation.max = 9, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.p.activation.max = 128, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.shift[2] = 31, ARM_CMSIS_NN_ARG_ERROR);
	EXPECT_REJECT(S.shift[4] = -32, ARM_CMSIS_NN_ARG_ERROR);
#undef EXPECT_REJECT

	S = saved;
	const cmsis_nn_per_channel_quant_params q = {S.mult, S.shift};
	const cmsis_nn_context ctx = {scratch, need};
	UNIT_EQ_INT(arm_convolve_s8(&ctx, &S.p, &q, &S.in, NULL, &S.f, S.filter, &S.bias, S.bias_data, NULL, &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_per_channel_quant_params no_shift = {S.mult, NULL};
	UNIT_EQ_INT(arm_convolve_s8(&ctx, &S.p, &no_shift, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, NULL,
	                            &S.out, S.got),
	            ARM_CMSIS_NN_ARG_ERROR);
	const cmsis_nn_dims upscale = {1, 2, 2, 1};
	UNIT_EQ_INT(arm_convolve_s8(&ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &upscale, &S.out,
	                            S.got),
	            ARM_CMSIS_NN_NO_IMPL_ERROR);
	const cmsis_nn_dims unit = {1, 1, 1, 1};
	UNIT_EQ_INT(
	        arm_convolve_s8(&ctx, &S.p, &q, &S.in, S.input, &S.f, S.filter, &S.bias, S.bias_data, &unit, &S.out, S.got),
	        ARM_CMSIS_NN_SUCCESS);

	/* Sizes for invalid dims are 0 (the kernel refuses them anyway). */
	const cmsis_nn_dims bad = {1, 0, 3, 3};
	UNIT_EQ_INT(arm_convolve_s8_get_buffer_size(&bad, &S.f), 0);
	UNIT_EQ_INT(arm_convolve_wrapper_s8_get_buffer_size(&S.p, &bad, &S.f, &S.out), 0);
}

int main(void)
{
	printf("# rounding: %s\n", XSIGHT_NN_SINGLE_ROUNDING ? "single" : "double");
	UNIT_RUN(conv_cases_match_reference);
	UNIT_RUN(conv_1x1_and_1_x_n_match_reference);
	UNIT_RUN(conv_1x1_and_1_x_n_refuse_their_shapes);
	UNIT_RUN(conv_reads_only_what_cmsis_nn_reads);
	UNIT_RUN(conv_saturates_and_clamps);
	UNIT_RUN(conv_short_context_is_arg_error);
	UNIT_RUN(conv_rejects_bad_arguments);
	return unit_done();
}
