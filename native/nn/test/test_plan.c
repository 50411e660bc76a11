/*
 * test_plan.c: xs_nn_plan (a model's plan checked once, then run) on a plan
 * built here by hand: a REVERSE_V2 and a RESHAPE of a constant. The header
 * binds it to the model, the format and the kernels; every op's regions must
 * lie inside the arena, the constants or the model.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "unit.h"

#include "bytes.h"
#include "xs_nn_plan.h"

#include <string.h>

#define ARENA  256
#define OP1    (XS_NN_PLAN_HEADER_BYTES + XS_NN_PLAN_OP_BYTES + 4 * RV_WORDS) /* the RESHAPE's record */
#define DATA   (OP1 + XS_NN_PLAN_OP_BYTES + 4 * CP_WORDS)
#define META   (DATA + 8)
#define LENGTH (META + 2)

static uint8_t model[64];
static uint32_t words[(LENGTH + 3) / 4];
static uint8_t *const plan = (uint8_t *)words;
static int8_t arena[ARENA] __attribute__((aligned(4)));
static xs_nn_step steps[4];
static char error[160];

static void put(uint32_t at, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		plan[at + i] = (uint8_t)(value >> (8 * i));
}

static void seal(void)
{
	put(XS_NN_PLAN_AT_PLAN_CRC,
	    bytes_crc32(0, plan + XS_NN_PLAN_AT_PLAN_CRC + 4, LENGTH - (XS_NN_PLAN_AT_PLAN_CRC + 4)));
}

/* Reverse [1, 2, 4, 4] at 0 along W into 64; copy the constant's 8 bytes to 128. */
static void build(void)
{
	for (size_t i = 0; i < sizeof(model); i++)
		model[i] = (uint8_t)(i * 7);
	memset(words, 0, sizeof(words));
	const uint32_t header[] = {XS_NN_PLAN_MAGIC,
	                           XS_NN_PLAN_VERSION,
	                           xs_nn_plan_kernel_build(),
	                           sizeof(model),
	                           bytes_crc32(0, model, sizeof(model)),
	                           LENGTH,
	                           0,
	                           ARENA,
	                           2,
	                           DATA,
	                           8,
	                           META,
	                           2,
	                           XS_NN_PLAN_HEADER_BYTES};
	for (uint32_t i = 0; i < sizeof(header) / 4; i++)
		put(4 * i, header[i]);
	const uint32_t reverse[] = {XS_NN_OP_REVERSE, RV_WORDS, 0, 0, 0, 64, 1, 2, 4, 4, 2};
	for (uint32_t i = 0; i < sizeof(reverse) / 4; i++)
		put(XS_NN_PLAN_HEADER_BYTES + 4 * i, reverse[i]);
	const uint32_t copy[] = {XS_NN_OP_COPY, CP_WORDS, 0, 0, 0, 128, 8, 1};
	for (uint32_t i = 0; i < sizeof(copy) / 4; i++)
		put(OP1 + 4 * i, copy[i]);
	put(DATA, 0x04030201);
	put(DATA + 4, 0x08070605);
	memcpy(plan + META, "{}", 2);
	seal();
}

static xs_nn_plan_status load(xs_nn_plan *out)
{
	xs_nn_plan_info info;
	xs_nn_plan_status status = xs_nn_plan_header(plan, LENGTH, model, sizeof(model), &info, error, sizeof(error));
	if (status != XS_NN_PLAN_OK)
		return status;
	if (xs_nn_plan_memory(&info) > sizeof(steps))
		return XS_NN_PLAN_CORRUPT;
	return xs_nn_plan_prepare(plan, &info, model, sizeof(model), arena, sizeof(arena), steps, out, error,
	                          sizeof(error));
}

UNIT_TEST(plan_runs_its_steps)
{
	build();
	xs_nn_plan p;
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_OK);
	UNIT_EQ_INT(p.count, 2);
	memset(arena, 0, sizeof(arena));
	for (int i = 0; i < 32; i++)
		arena[i] = (int8_t)i;
	uint32_t failed = 99;
	UNIT_EQ_INT(xs_nn_plan_run(&p, &failed), ARM_CMSIS_NN_SUCCESS);
	/* [h][w][c]: the output's w is the input's 3 - w. */
	for (int h = 0; h < 2; h++)
		for (int w = 0; w < 4; w++)
			for (int c = 0; c < 4; c++)
				UNIT_EQ_INT(arena[64 + (h * 4 + w) * 4 + c], (h * 4 + 3 - w) * 4 + c);
	for (int i = 0; i < 8; i++)
		UNIT_EQ_INT(arena[128 + i], i + 1);
	UNIT_EQ_INT(arena[136], 0);
}

/* The header: each field that binds the plan, changed, is refused with its own status. */
UNIT_TEST(plan_header_binds_model_format_and_kernels)
{
	xs_nn_plan p;
	build();
	put(XS_NN_PLAN_AT_VERSION, XS_NN_PLAN_VERSION + 1);
	seal();
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_OTHER_VERSION);
	build();
	put(XS_NN_PLAN_AT_BUILD, xs_nn_plan_kernel_build() ^ XS_NN_PLAN_BUILD_DSP);
	seal();
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_OTHER_BUILD);
	build();
	model[10] ^= 1;
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_OTHER_MODEL);
	build();
	put(XS_NN_PLAN_AT_MODEL_BYTES, sizeof(model) - 1);
	seal();
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_OTHER_MODEL);
	/* Damage: a flipped bit anywhere after the CRC field, the length, the magic. */
	for (uint32_t at = XS_NN_PLAN_AT_PLAN_CRC + 4; at < LENGTH; at++) {
		build();
		plan[at] ^= 0x10;
		UNIT_EQ_INT(load(&p), XS_NN_PLAN_CORRUPT);
	}
	build();
	xs_nn_plan_info info;
	UNIT_EQ_INT(xs_nn_plan_header(plan, LENGTH - 1, model, sizeof(model), &info, error, sizeof(error)),
	            XS_NN_PLAN_CORRUPT);
	UNIT_ASSERT(strstr(error, "torn") != NULL);
	UNIT_EQ_INT(xs_nn_plan_header(plan, 20, model, sizeof(model), &info, error, sizeof(error)), XS_NN_PLAN_CORRUPT);
	put(XS_NN_PLAN_AT_MAGIC, 0);
	UNIT_EQ_INT(load(&p), XS_NN_PLAN_CORRUPT);
}

/* One word of an op changed (and the CRC made right): refused before anything runs. */
static void refused(uint32_t at, uint32_t value, xs_nn_plan_status want, const char *says)
{
	xs_nn_plan p;
	build();
	put(at, value);
	seal();
	UNIT_EQ_INT(load(&p), want);
	if (strstr(error, says) == NULL)
		UNIT_FAIL("word at %u = %d: \"%s\" does not say \"%s\"", (unsigned)at, (int)value, error, says);
}

UNIT_TEST(plan_ops_stay_inside_their_buffers)
{
	const uint32_t rv = XS_NN_PLAN_HEADER_BYTES + XS_NN_PLAN_OP_BYTES, cp = OP1 + XS_NN_PLAN_OP_BYTES;
	refused(rv + 4 * RV_OUT, ARENA - 31, XS_NN_PLAN_BAD_STEP, "op 0: output at 225 (32 bytes)");
	refused(rv + 4 * RV_IN, (uint32_t)-1, XS_NN_PLAN_BAD_STEP, "op 0: input at -1");
	refused(rv + 4 * RV_OUT, 16, XS_NN_PLAN_BAD_STEP, "op 0: the output and the input overlaps");
	refused(rv + 4 * RV_H, 0, XS_NN_PLAN_BAD_STEP, "op 0: tensor dimension 1 is 0");
	refused(rv + 4 * RV_AXIS, 4, XS_NN_PLAN_BAD_STEP, "op 0: reverse: axis 4");
	refused(cp + 4 * CP_SRC, 4, XS_NN_PLAN_BAD_STEP, "op 1: constant at 4 (2 values) are outside the plan's 8 bytes");
	refused(cp + 4 * CP_COUNT, 9, XS_NN_PLAN_BAD_STEP, "op 1: constant at 0 (3 values)");
	refused(cp + 4 * CP_CONST, 2, XS_NN_PLAN_BAD_STEP, "op 1: reshape: count 8, constant 2");
	refused(OP1, 99, XS_NN_PLAN_CORRUPT, "op 1: kind 99");
	refused(OP1 + 4, CP_WORDS + 1, XS_NN_PLAN_CORRUPT, "op 1: kind 10 with 5 words");
	refused(XS_NN_PLAN_AT_OPS, 3, XS_NN_PLAN_CORRUPT, "op 2 at");
	refused(XS_NN_PLAN_AT_OPS, 1u << 30, XS_NN_PLAN_CORRUPT, "ops at 56 do not fit");
	refused(XS_NN_PLAN_AT_DATA_BYTES, 12, XS_NN_PLAN_CORRUPT, "constants at");
	refused(XS_NN_PLAN_AT_META_BYTES, 3, XS_NN_PLAN_CORRUPT, "description at");
	refused(XS_NN_PLAN_AT_ARENA, ARENA + 4, XS_NN_PLAN_BAD_STEP, "needs an aligned arena of 260 bytes, 256 given");
}

int main(void)
{
	UNIT_RUN(plan_runs_its_steps);
	UNIT_RUN(plan_header_binds_model_format_and_kernels);
	UNIT_RUN(plan_ops_stay_inside_their_buffers);
	return unit_done();
}
