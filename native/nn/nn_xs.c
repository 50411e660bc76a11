/*
 * nn_xs.c: the "native/nn" module's binding: the C-owned arena, the model's
 * plan (xs_nn_plan.h) and what loading a model asks of C.
 * SPDX-License-Identifier: Apache-2.0
 *
 * modules/nn prepares a model into a plan (docs/model-plan.md), or reads the
 * one kept beside it; new Plan() checks it once against the model and the
 * arena in C and keeps the steps where JavaScript cannot write them;
 * plan.run() is invoke(): one call, every kernel, nothing checked again.
 * Pointers into XS buffers are taken after all integer conversion and used
 * before anything else can allocate.
 */
#include "arm_nnfunctions.h"
#include "xs_nn_plan.h"
#include "xs_nn_quantize.h"
#include "xs_nn_rounding.h"
#include "xs_binding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Host arenas above this are refused (a typo, not a model). */
#define NN_ARENA_MAX   (256 * 1024 * 1024)
#define NN_ARENA_ALIGN 16

/* ---- the arena: a C-owned host buffer */

void xs_nn_arena_destructor(void *data)
{
	free(data);
}

/* new Arena(byteLength): zeroed, 16-byte aligned. On a device board the
   same class hands out a static region instead of the C heap. */
void xs_nn_arena(xsMachine *the)
{
	xsNumberValue size = xsmcToNumber(xsArg(0));
	if (!(size >= 1 && size <= NN_ARENA_MAX) || size != (xsNumberValue)(int32_t)size)
		xsRangeError("nn: arena size %g must be an integer from 1 to %d bytes", size, NN_ARENA_MAX);
	size_t bytes = ((size_t)size + NN_ARENA_ALIGN - 1) / NN_ARENA_ALIGN * NN_ARENA_ALIGN;
	void *data = aligned_alloc(NN_ARENA_ALIGN, bytes);
	if (!data)
		xsUnknownError("nn: cannot allocate an arena of %d bytes", (int)size);
	memset(data, 0, bytes);
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)size);
}

void xs_nn_arena_get_byte_length(xsMachine *the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* 1 when the kernels round once (CMSIS_NN_USE_SINGLE_ROUNDING semantics),
   0 for TFLite Micro's double rounding: the TS side derives its
   multipliers with the same choice. */
void xs_nn_single_rounding(xsMachine *the)
{
	xsmcSetBoolean(xsResult, XSIGHT_NN_SINGLE_ROUNDING);
}

/* ---- the plan (xs_nn_plan.h): checked once at load, then one call per invoke */

/* What a Plan holds, in one allocation: the steps, then its own copy of the plan's bytes. */
typedef struct {
	xs_nn_plan plan;
	xs_nn_plan_info info;
	const uint8_t *model;
	size_t modelBytes;
	int prepared;
	uint8_t *bytes;
} NNPlan;

void xs_nn_plan_free(void *data)
{
	free(data);
}

static NNPlan *nnPlan(xsMachine *the)
{
	NNPlan *p = xsmcGetHostDataValidate(xsThis, xs_nn_plan_free);
	if (!p)
		xsUnknownError("nn: plan: closed");
	return p;
}

/* The steps point into the model's and the arena's host buffers: the Plan holds
   their objects in a property JavaScript cannot replace or delete, so the
   collector never frees them (their destructors) while the Plan is reachable. */
static void nnPlanKeep(xsMachine *the, const char *name, xsSlot *buffer)
{
	xsmcDefine(xsThis, xsID(name), *buffer, xsDontDelete | xsDontEnum | xsDontSet);
}

/* new Plan(model, plan): model a host buffer holding the model's bytes (a
   Resource, or an Arena it was copied into), plan its plan's bytes (any
   buffer; copied). Checks the header: the plan's CRC-32, version, kernel
   build, the model's size and CRC-32. */
void xs_nn_plan_create(xsMachine *the)
{
	xsmcVars(1);
	const uint8_t *model = xsmcGetHostData(xsArg(0));
	size_t modelBytes = (size_t)xsmcGetHostBufferLength(xsArg(0));
	if (!model)
		xsUnknownError("nn: plan: the model is closed");
	size_t planBytes = 0;
	const uint8_t *bytes = xsBindingBytesIn(the, &xsArg(1), &xsVar(0), &planBytes, 0, "plan");
	char error[160];
	xs_nn_plan_info info;
	if (xs_nn_plan_header(bytes, planBytes, model, modelBytes, &info, error, sizeof(error)) != XS_NN_PLAN_OK)
		xsRangeError("nn: plan: %s", error);
	size_t head = (sizeof(NNPlan) + 7) & ~(size_t)7, steps = (xs_nn_plan_memory(&info) + 7) & ~(size_t)7;
	NNPlan *p = aligned_alloc(8, (head + steps + planBytes + 7) & ~(size_t)7);
	if (!p)
		xsUnknownError("nn: plan: cannot allocate %u bytes for %u steps", (unsigned)(steps + planBytes),
		               (unsigned)info.ops);
	memset(p, 0, sizeof(*p));
	p->info = info;
	p->model = model;
	p->modelBytes = modelBytes;
	p->plan.steps = (xs_nn_step *)((char *)p + head);
	p->bytes = (uint8_t *)p + head + steps;
	memcpy(p->bytes, bytes, planBytes);
	xsmcSetHostData(xsThis, p);
	nnPlanKeep(the, "model", &xsArg(0));
}

/* plan.arenaBytes: the arena prepare() needs. */
void xs_nn_plan_get_arena_bytes(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)nnPlan(the)->info.arenaBytes);
}

/* plan.prepare(arena): every step checked against the model, the plan's constants and the arena, once. */
void xs_nn_plan_prepare_arena(xsMachine *the)
{
	NNPlan *p = nnPlan(the);
	if (p->prepared)
		xsUnknownError("nn: plan: already prepared");
	int8_t *arena = xsmcGetHostData(xsArg(0));
	size_t arenaBytes = (size_t)xsmcGetHostBufferLength(xsArg(0));
	if (!arena)
		xsUnknownError("nn: plan: the arena is closed");
	char error[160];
	if (xs_nn_plan_prepare(p->bytes, &p->info, p->model, p->modelBytes, arena, arenaBytes, p->plan.steps, &p->plan,
	                       error, sizeof(error)) != XS_NN_PLAN_OK)
		xsRangeError("nn: plan: %s", error);
	nnPlanKeep(the, "arena", &xsArg(0));
	p->prepared = 1;
}

/* plan.run(): every step, in order. */
void xs_nn_plan_invoke(xsMachine *the)
{
	NNPlan *p = nnPlan(the);
	if (!p->prepared)
		xsUnknownError("nn: plan: not prepared");
	uint32_t failed = 0;
	arm_cmsis_nn_status status = xs_nn_plan_run(&p->plan, &failed);
	if (status != ARM_CMSIS_NN_SUCCESS)
		xsRangeError("nn: step %u: the kernel refused its arguments (status %d)", (unsigned)failed, (int)status);
}

/* The kernels' build (XS_NN_PLAN_BUILD_* bits): a plan records it and is refused by another. */
void xs_nn_plan_build_bits(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)xs_nn_plan_kernel_build());
}

/* ---- scratch sizes, asked at load with the operator's geometry as arguments */

static int32_t nnArgInt(xsMachine *the, int i)
{
	return (int32_t)xsmcToInteger(xsArg(i));
}

/* convScratch(inN, inH, inW, inC, fN, fH, fW, fC, outN, outH, outW, outC, strideW, strideH, padW, padH, dilW, dilH, inputOffset, outputOffset) */
void xs_nn_conv_scratch(xsMachine *the)
{
	if (xsmcArgc < 20)
		xsTypeError("nn: convScratch: expected 20 arguments");
	cmsis_nn_dims in = {nnArgInt(the, 0), nnArgInt(the, 1), nnArgInt(the, 2), nnArgInt(the, 3)};
	cmsis_nn_dims f = {nnArgInt(the, 4), nnArgInt(the, 5), nnArgInt(the, 6), nnArgInt(the, 7)};
	cmsis_nn_dims out = {nnArgInt(the, 8), nnArgInt(the, 9), nnArgInt(the, 10), nnArgInt(the, 11)};
	cmsis_nn_conv_params p = {nnArgInt(the, 18),
	                          nnArgInt(the, 19),
	                          {nnArgInt(the, 12), nnArgInt(the, 13)},
	                          {nnArgInt(the, 14), nnArgInt(the, 15)},
	                          {nnArgInt(the, 16), nnArgInt(the, 17)},
	                          {-128, 127}};
	xsmcSetInteger(xsResult, arm_convolve_wrapper_s8_get_buffer_size(&p, &in, &f, &out));
}

/* depthwiseScratch(same arguments as convScratch, then chMult) */
void xs_nn_depthwise_scratch(xsMachine *the)
{
	if (xsmcArgc < 21)
		xsTypeError("nn: depthwiseScratch: expected 21 arguments");
	cmsis_nn_dims in = {nnArgInt(the, 0), nnArgInt(the, 1), nnArgInt(the, 2), nnArgInt(the, 3)};
	cmsis_nn_dims f = {nnArgInt(the, 4), nnArgInt(the, 5), nnArgInt(the, 6), nnArgInt(the, 7)};
	cmsis_nn_dims out = {nnArgInt(the, 8), nnArgInt(the, 9), nnArgInt(the, 10), nnArgInt(the, 11)};
	cmsis_nn_dw_conv_params p = {nnArgInt(the, 18),
	                             nnArgInt(the, 19),
	                             nnArgInt(the, 20),
	                             {nnArgInt(the, 12), nnArgInt(the, 13)},
	                             {nnArgInt(the, 14), nnArgInt(the, 15)},
	                             {nnArgInt(the, 16), nnArgInt(the, 17)},
	                             {-128, 127}};
	xsmcSetInteger(xsResult, arm_depthwise_conv_wrapper_s8_get_buffer_size(&p, &in, &f, &out));
}

/* fullyConnectedScratch(accum, outC) */
void xs_nn_fully_connected_scratch(xsMachine *the)
{
	cmsis_nn_dims f = {nnArgInt(the, 0), 1, 1, nnArgInt(the, 1)};
	xsmcSetInteger(xsResult, arm_fully_connected_s8_get_buffer_size(&f));
}

/* avgPoolScratch(outW, channels) */
void xs_nn_avgpool_scratch(xsMachine *the)
{
	xsmcSetInteger(xsResult, arm_avgpool_s8_get_buffer_size(nnArgInt(the, 0), nnArgInt(the, 1)));
}

/* ---- model load: the per-element work of parsing and preparing (xs_nn_quant_params.c) */

static const void *nnTyped(xsMachine *the, int i, size_t elementSize, size_t *count, int writable, const char *what)
{
	size_t bytes = 0;
	const void *p = xsBindingBytesIn(the, &xsArg(i), &xsVar(0), &bytes, writable, what);
	if (((uintptr_t)p & (elementSize - 1)) || bytes % elementSize)
		xsTypeError("nn: %s: expected a %u-byte-element typed array", what, (unsigned)elementSize);
	*count = bytes / elementSize;
	return p;
}

/* checkScales(Float32Array): index of the first scale that is not positive finite, or -1 */
void xs_nn_check_scales(xsMachine *the)
{
	xsmcVars(1);
	size_t n;
	const float *s = nnTyped(the, 0, 4, &n, 0, "checkScales scales");
	xsmcSetInteger(xsResult, xs_nn_check_scales_f32(s, (int32_t)n));
}

/* zeroPoints(int64 words as an Int32Array, out Int32Array of half its length, or null to only check):
   the first value outside int32, else -1 when all are 0, -2 when one is not */
void xs_nn_zero_points(xsMachine *the)
{
	xsmcVars(1);
	size_t words, n;
	nnTyped(the, 0, 4, &words, 0, "zeroPoints words");
	const int check = xsmcTypeOf(xsArg(1)) == xsNullType;
	if (!check) {
		nnTyped(the, 1, 4, &n, 1, "zeroPoints out");
		if (words != 2 * n)
			xsRangeError("nn: zeroPoints: %u words for %u values", (unsigned)words, (unsigned)n);
	} else if (words & 1)
		xsRangeError("nn: zeroPoints: an odd number of words (%u)", (unsigned)words);
	const int32_t *w = nnTyped(the, 0, 4, &words, 0, "zeroPoints words");
	int32_t *out = check ? NULL : (int32_t *)nnTyped(the, 1, 4, &n, 1, "zeroPoints out");
	xsmcSetInteger(xsResult, xs_nn_zero_points_i64(w, (int32_t)(words / 2), out));
}

/* convMultipliers(inputScale, filterScales Float32Array, outputScale, singleRounding, multipliers Int32Array, shifts Int32Array):
   one multiplier and shift per element of `multipliers`. */
void xs_nn_conv_multipliers(xsMachine *the)
{
	xsmcVars(1);
	double inputScale = xsmcToNumber(xsArg(0));
	double outputScale = xsmcToNumber(xsArg(2));
	int32_t single = xsmcTest(xsArg(3)) ? 1 : 0;
	size_t scales, channels, shifts;
	nnTyped(the, 1, 4, &scales, 0, "convMultipliers filterScales");
	nnTyped(the, 4, 4, &channels, 1, "convMultipliers multipliers");
	nnTyped(the, 5, 4, &shifts, 1, "convMultipliers shifts");
	if (shifts != channels || channels > INT32_MAX)
		xsRangeError("nn: convMultipliers: %u multipliers but %u shifts", (unsigned)channels, (unsigned)shifts);
	const float *fs = nnTyped(the, 1, 4, &scales, 0, "convMultipliers filterScales");
	int32_t *mult = (int32_t *)nnTyped(the, 4, 4, &channels, 1, "convMultipliers multipliers");
	int32_t *shift = (int32_t *)nnTyped(the, 5, 4, &shifts, 1, "convMultipliers shifts");
	if (xs_nn_per_channel_multipliers(inputScale, fs, (int32_t)scales, outputScale, (int32_t)channels, single, mult,
	                                  shift) != ARM_CMSIS_NN_SUCCESS)
		xsRangeError("nn: convMultipliers: %u filter scales for %u channels, input scale %g, output scale %g: expected "
		             "1 or one per channel, all positive finite",
		             (unsigned)scales, (unsigned)channels, inputScale, outputScale);
}
