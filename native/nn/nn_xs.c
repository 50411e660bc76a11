/*
 * nn_xs.c: the "native/nn" module's binding: the C-owned arena and one host
 * function per kernel. SPDX-License-Identifier: Apache-2.0
 *
 * The interpreter (modules/nn/interpreter.ts) prepares each operator once at
 * load: it writes a parameter block of int32 words into the arena (layouts
 * below, mirrored in modules/nn/ops.ts), and the per-channel multipliers,
 * shifts and biases next to it. invoke() then passes only (arena, block
 * offset, weights). Nothing from JS is trusted: every block, offset and
 * size is checked against the buffers actually handed in before a kernel
 * sees a pointer, so a wrong or hostile block is a RangeError, never an
 * out-of-bounds access. Pointers into XS buffers are taken after all
 * integer conversion and used before anything else can allocate.
 */
#include "arm_nnfunctions.h"
#include "xs_nn_quantize.h"
#include "xs_nn_reshape.h"
#include "xs_nn_rounding.h"
#include "xs_binding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Host arenas above this are refused (a typo, not a model). */
#define NN_ARENA_MAX (256 * 1024 * 1024)
#define NN_ARENA_ALIGN 16

/* ---- parameter block layouts (int32 words); keep in step with modules/nn/ops.ts */
enum { /* CONV_2D and DEPTHWISE_CONV_2D */
	CV_IN, CV_IN_N, CV_IN_H, CV_IN_W, CV_IN_C, CV_OUT, CV_OUT_N, CV_OUT_H, CV_OUT_W, CV_OUT_C,
	CV_F_N, CV_F_H, CV_F_W, CV_F_C, CV_STRIDE_W, CV_STRIDE_H, CV_PAD_W, CV_PAD_H, CV_DIL_W, CV_DIL_H,
	CV_IN_OFFSET, CV_OUT_OFFSET, CV_ACT_MIN, CV_ACT_MAX, CV_MULT, CV_SHIFT, CV_BIAS, CV_SCRATCH,
	CV_SCRATCH_SIZE, CV_CH_MULT, CV_WORDS
};
enum { /* FULLY_CONNECTED */
	FC_IN, FC_BATCHES, FC_ACCUM, FC_OUT, FC_OUT_C, FC_IN_OFFSET, FC_FILTER_OFFSET, FC_OUT_OFFSET,
	FC_ACT_MIN, FC_ACT_MAX, FC_MULT, FC_SHIFT, FC_BIAS, FC_SCRATCH, FC_SCRATCH_SIZE, FC_WORDS
};
enum { /* AVERAGE_POOL_2D and MAX_POOL_2D */
	PL_IN, PL_IN_N, PL_IN_H, PL_IN_W, PL_IN_C, PL_OUT, PL_OUT_N, PL_OUT_H, PL_OUT_W, PL_OUT_C,
	PL_F_H, PL_F_W, PL_STRIDE_W, PL_STRIDE_H, PL_PAD_W, PL_PAD_H, PL_ACT_MIN, PL_ACT_MAX, PL_MAX,
	PL_SCRATCH, PL_SCRATCH_SIZE, PL_WORDS
};
enum { /* SOFTMAX */
	SM_IN, SM_OUT, SM_ROWS, SM_ROW_SIZE, SM_MULT, SM_SHIFT, SM_DIFF_MIN, SM_WORDS
};
enum { /* ADD */
	AD_IN1, AD_IN2, AD_OUT, AD_COUNT, AD_IN1_OFFSET, AD_IN1_MULT, AD_IN1_SHIFT, AD_IN2_OFFSET,
	AD_IN2_MULT, AD_IN2_SHIFT, AD_LEFT_SHIFT, AD_OUT_OFFSET, AD_OUT_MULT, AD_OUT_SHIFT, AD_ACT_MIN,
	AD_ACT_MAX, AD_WORDS
};
enum { /* QUANTIZE int8 -> int8 */
	RQ_IN, RQ_OUT, RQ_COUNT, RQ_IN_ZP, RQ_OUT_ZP, RQ_MULT, RQ_SHIFT, RQ_WORDS
};
enum { /* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32; the scale is a float32's bits */
	CVT_IN, CVT_OUT, CVT_COUNT, CVT_SCALE, CVT_ZP, CVT_WORDS
};
enum { /* RESHAPE into a separate buffer */
	CP_SRC, CP_DST, CP_COUNT, CP_WORDS
};
enum { /* REVERSE_V2 along one axis of [N, H, W, C] */
	RV_IN, RV_OUT, RV_N, RV_H, RV_W, RV_C, RV_AXIS, RV_WORDS
};

/* ---- the arena: a C-owned host buffer */

void xs_nn_arena_destructor(void* data)
{
	free(data);
}

/* new Arena(byteLength): zeroed, 16-byte aligned. On a device board the
   same class hands out a static region instead of the C heap. */
void xs_nn_arena(xsMachine* the)
{
	xsNumberValue size = xsmcToNumber(xsArg(0));
	if (!(size >= 1 && size <= NN_ARENA_MAX) || size != (xsNumberValue)(int32_t)size)
		xsRangeError("nn: arena size %g must be an integer from 1 to %d bytes", size, NN_ARENA_MAX);
	size_t bytes = ((size_t)size + NN_ARENA_ALIGN - 1) / NN_ARENA_ALIGN * NN_ARENA_ALIGN;
	void* data = aligned_alloc(NN_ARENA_ALIGN, bytes);
	if (!data)
		xsUnknownError("nn: cannot allocate an arena of %d bytes", (int)size);
	memset(data, 0, bytes);
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)size);
}

void xs_nn_arena_get_byte_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* 1 when the kernels round once (CMSIS_NN_USE_SINGLE_ROUNDING semantics),
   0 for TFLite Micro's double rounding: the TS side derives its
   multipliers with the same choice. */
void xs_nn_single_rounding(xsMachine* the)
{
	xsmcSetBoolean(xsResult, XSIGHT_NN_SINGLE_ROUNDING);
}

/* ---- checked access */

typedef struct {
	int8_t* base;
	int64_t size;
	const int32_t* block;
	const char* op;
} NNCall;

/* Arguments: (arena, blockOffset[, weights]). */
static void nnBegin(xsMachine* the, NNCall* call, int words, const char* op)
{
	call->op = op;
	xsIntegerValue blockOffset = xsmcToInteger(xsArg(1));
	void* data = NULL;
	xsUnsignedValue count = 0;
	_xsmcGetBuffer(the, &xsArg(0), &data, &count, 1);
	call->base = data;
	call->size = (int64_t)count;
	if (!data)
		xsUnknownError("nn: %s: the arena is closed", op);
	if (blockOffset < 0 || (int64_t)blockOffset + (int64_t)words * 4 > call->size || (((uintptr_t)call->base + (uintptr_t)blockOffset) & 3))
		xsRangeError("nn: %s: parameter block at %d (%d words) is not an aligned range of the %ld-byte arena",
			op, (int)blockOffset, words, (long)call->size);
	call->block = (const int32_t*)(call->base + blockOffset);
}

/* The arena bytes [offset, offset + bytes), checked; `align` is 1 or 4.
   Messages print sizes with %ld: newlib-nano's printf (the Cortex-M7 board)
   has no %lld or %zu, and these sizes are bounded by the arena's. */
static int8_t* nnRegion(xsMachine* the, NNCall* call, int32_t offset, int64_t bytes, int align, const char* what)
{
	if (offset < 0 || bytes < 0 || (int64_t)offset + bytes > call->size)
		xsRangeError("nn: %s: %s at %d (%ld bytes) is outside the %ld-byte arena", call->op, what, (int)offset, (long)bytes, (long)call->size);
	int8_t* p = call->base + offset;
	if (((uintptr_t)p) & (uintptr_t)(align - 1))
		xsRangeError("nn: %s: %s at %d is not %d-byte aligned", call->op, what, (int)offset, align);
	return p;
}

static int64_t nnVolume(xsMachine* the, NNCall* call, const int32_t* dims, const char* what)
{
	int64_t v = 1;
	for (int i = 0; i < 4; i++) {
		if (dims[i] < 1 || dims[i] > (1 << 24))
			xsRangeError("nn: %s: %s dimension %d is %d", call->op, what, i, (int)dims[i]);
		v *= dims[i];
		if (v > call->size * 4 + 16)
			xsRangeError("nn: %s: %s is larger than the arena", call->op, what);
	}
	return v;
}

static void nnDisjoint(xsMachine* the, NNCall* call, const int8_t* a, int64_t aBytes, const int8_t* b, int64_t bBytes, const char* what)
{
	if (aBytes > 0 && bBytes > 0 && a < b + bBytes && b < a + aBytes)
		xsRangeError("nn: %s: the output overlaps the %s", call->op, what);
}

/* Weights: a view (Int8Array/Uint8Array) of a model's bytes, at least `bytes` long. */
static const int8_t* nnWeights(xsMachine* the, NNCall* call, int64_t bytes)
{
	void* data = NULL;
	xsUnsignedValue count = 0;
	if (xsmcArgc < 3)
		xsTypeError("nn: %s: missing weights", call->op);
	_xsmcGetBuffer(the, &xsArg(2), &data, &count, 0);
	if ((int64_t)count < bytes)
		xsRangeError("nn: %s: weights hold %u bytes, %ld needed", call->op, (unsigned)count, (long)bytes);
	return data;
}

static void nnStatus(xsMachine* the, NNCall* call, arm_cmsis_nn_status status)
{
	if (status != ARM_CMSIS_NN_SUCCESS)
		xsRangeError("nn: %s: the kernel refused its arguments (status %d)", call->op, (int)status);
}

static cmsis_nn_dims nnDims(const int32_t* d)
{
	cmsis_nn_dims dims = { d[0], d[1], d[2], d[3] };
	return dims;
}

/* ---- kernels */

static void nnConv(xsMachine* the, int depthwise)
{
	NNCall call;
	nnBegin(the, &call, CV_WORDS, depthwise ? "depthwise_conv_2d" : "conv_2d");
	const int32_t* b = call.block;
	int64_t inBytes = nnVolume(the, &call, b + CV_IN_N, "input");
	int64_t outBytes = nnVolume(the, &call, b + CV_OUT_N, "output");
	int64_t filterBytes = nnVolume(the, &call, b + CV_F_N, "filter");
	int32_t channels = b[CV_OUT_C];
	int8_t* input = nnRegion(the, &call, b[CV_IN], inBytes, 1, "input");
	int8_t* output = nnRegion(the, &call, b[CV_OUT], outBytes, 1, "output");
	int32_t* mult = (int32_t*)nnRegion(the, &call, b[CV_MULT], 4 * (int64_t)channels, 4, "multipliers");
	int32_t* shift = (int32_t*)nnRegion(the, &call, b[CV_SHIFT], 4 * (int64_t)channels, 4, "shifts");
	int32_t* bias = (b[CV_BIAS] == -1) ? NULL : (int32_t*)nnRegion(the, &call, b[CV_BIAS], 4 * (int64_t)channels, 4, "bias");
	int32_t scratchSize = b[CV_SCRATCH_SIZE];
	int8_t* scratch = scratchSize > 0 ? nnRegion(the, &call, b[CV_SCRATCH], scratchSize, 4, "scratch") : NULL;
	nnDisjoint(the, &call, output, outBytes, input, inBytes, "input");
	nnDisjoint(the, &call, output, outBytes, (int8_t*)mult, 4 * (int64_t)channels, "multipliers");
	nnDisjoint(the, &call, output, outBytes, (int8_t*)shift, 4 * (int64_t)channels, "shifts");
	nnDisjoint(the, &call, output, outBytes, (int8_t*)bias, bias ? 4 * (int64_t)channels : 0, "bias");
	nnDisjoint(the, &call, output, outBytes, scratch, scratchSize > 0 ? scratchSize : 0, "scratch");
	nnDisjoint(the, &call, output, outBytes, (const int8_t*)b, CV_WORDS * 4, "parameter block");
	nnDisjoint(the, &call, scratch, scratchSize > 0 ? scratchSize : 0, input, inBytes, "input (scratch)");
	const int8_t* filter = nnWeights(the, &call, filterBytes);
	cmsis_nn_context ctx = { scratch, scratchSize > 0 ? scratchSize : 0 };
	cmsis_nn_per_channel_quant_params quant = { mult, shift };
	cmsis_nn_dims inDims = nnDims(b + CV_IN_N), fDims = nnDims(b + CV_F_N), outDims = nnDims(b + CV_OUT_N);
	cmsis_nn_dims biasDims = { 1, 1, 1, channels };
	cmsis_nn_tile stride = { b[CV_STRIDE_W], b[CV_STRIDE_H] }, pad = { b[CV_PAD_W], b[CV_PAD_H] }, dil = { b[CV_DIL_W], b[CV_DIL_H] };
	cmsis_nn_activation act = { b[CV_ACT_MIN], b[CV_ACT_MAX] };
	arm_cmsis_nn_status status;
	if (depthwise) {
		cmsis_nn_dw_conv_params p = { b[CV_IN_OFFSET], b[CV_OUT_OFFSET], b[CV_CH_MULT], stride, pad, dil, act };
		status = arm_depthwise_conv_wrapper_s8(&ctx, &p, &quant, &inDims, input, &fDims, filter, &biasDims, bias, &outDims, output);
	}
	else {
		cmsis_nn_conv_params p = { b[CV_IN_OFFSET], b[CV_OUT_OFFSET], stride, pad, dil, act };
		status = arm_convolve_wrapper_s8(&ctx, &p, &quant, &inDims, input, &fDims, filter, &biasDims, bias, &outDims, output);
	}
	nnStatus(the, &call, status);
}

void xs_nn_conv(xsMachine* the) { nnConv(the, 0); }
void xs_nn_depthwise_conv(xsMachine* the) { nnConv(the, 1); }

void xs_nn_fully_connected(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, FC_WORDS, "fully_connected");
	const int32_t* b = call.block;
	int32_t d[4] = { b[FC_BATCHES], b[FC_ACCUM], b[FC_OUT_C], 1 };
	/* Input and output live in the arena; the filter (accum x out_c) lives in the
	   model's weights, whose length nnWeights checks: so bound each on its own. */
	const int32_t inShape[4] = { d[0], d[1], 1, 1 }, outShape[4] = { d[0], d[2], 1, 1 };
	nnVolume(the, &call, inShape, "input shape");
	nnVolume(the, &call, outShape, "output shape");
	int64_t inBytes = (int64_t)d[0] * d[1], outBytes = (int64_t)d[0] * d[2], filterBytes = (int64_t)d[1] * d[2];
	int8_t* input = nnRegion(the, &call, b[FC_IN], inBytes, 1, "input");
	int8_t* output = nnRegion(the, &call, b[FC_OUT], outBytes, 1, "output");
	int32_t* bias = (b[FC_BIAS] == -1) ? NULL : (int32_t*)nnRegion(the, &call, b[FC_BIAS], 4 * (int64_t)d[2], 4, "bias");
	int32_t scratchSize = b[FC_SCRATCH_SIZE];
	int8_t* scratch = scratchSize > 0 ? nnRegion(the, &call, b[FC_SCRATCH], scratchSize, 4, "scratch") : NULL;
	nnDisjoint(the, &call, output, outBytes, input, inBytes, "input");
	nnDisjoint(the, &call, output, outBytes, (int8_t*)bias, bias ? 4 * (int64_t)d[2] : 0, "bias");
	nnDisjoint(the, &call, output, outBytes, (const int8_t*)b, FC_WORDS * 4, "parameter block");
	const int8_t* filter = nnWeights(the, &call, filterBytes);
	cmsis_nn_context ctx = { scratch, scratchSize > 0 ? scratchSize : 0 };
	cmsis_nn_fc_params p = { b[FC_IN_OFFSET], b[FC_FILTER_OFFSET], b[FC_OUT_OFFSET], { b[FC_ACT_MIN], b[FC_ACT_MAX] } };
	cmsis_nn_per_tensor_quant_params q = { b[FC_MULT], b[FC_SHIFT] };
	cmsis_nn_dims inDims = { d[0], 1, 1, d[1] }, fDims = { d[1], 1, 1, d[2] }, biasDims = { 1, 1, 1, d[2] }, outDims = { d[0], 1, 1, d[2] };
	nnStatus(the, &call, arm_fully_connected_s8(&ctx, &p, &q, &inDims, input, &fDims, filter, &biasDims, bias, &outDims, output));
}

void xs_nn_pool(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, PL_WORDS, "pool_2d");
	const int32_t* b = call.block;
	int64_t inBytes = nnVolume(the, &call, b + PL_IN_N, "input");
	int64_t outBytes = nnVolume(the, &call, b + PL_OUT_N, "output");
	int8_t* input = nnRegion(the, &call, b[PL_IN], inBytes, 1, "input");
	int8_t* output = nnRegion(the, &call, b[PL_OUT], outBytes, 1, "output");
	int32_t scratchSize = b[PL_SCRATCH_SIZE];
	int8_t* scratch = scratchSize > 0 ? nnRegion(the, &call, b[PL_SCRATCH], scratchSize, 4, "scratch") : NULL;
	nnDisjoint(the, &call, output, outBytes, input, inBytes, "input");
	nnDisjoint(the, &call, output, outBytes, (const int8_t*)b, PL_WORDS * 4, "parameter block");
	cmsis_nn_context ctx = { scratch, scratchSize > 0 ? scratchSize : 0 };
	cmsis_nn_pool_params p = { { b[PL_STRIDE_W], b[PL_STRIDE_H] }, { b[PL_PAD_W], b[PL_PAD_H] }, { b[PL_ACT_MIN], b[PL_ACT_MAX] } };
	cmsis_nn_dims inDims = nnDims(b + PL_IN_N), outDims = nnDims(b + PL_OUT_N), fDims = { 1, b[PL_F_H], b[PL_F_W], 1 };
	arm_cmsis_nn_status status = b[PL_MAX]
		? arm_max_pool_s8(&ctx, &p, &inDims, input, &fDims, &outDims, output)
		: arm_avgpool_s8(&ctx, &p, &inDims, input, &fDims, &outDims, output);
	nnStatus(the, &call, status);
}

void xs_nn_softmax(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, SM_WORDS, "softmax");
	const int32_t* b = call.block;
	int32_t rows = b[SM_ROWS], rowSize = b[SM_ROW_SIZE];
	/* arm_softmax_s8 returns nothing: check what it would silently skip. */
	if (rows < 1 || rowSize < 1 || rowSize > 4095 || b[SM_SHIFT] < 0 || b[SM_SHIFT] > 31 || b[SM_DIFF_MIN] > 0)
		xsRangeError("nn: softmax: bad parameters (%d rows of %d, shift %d)", (int)rows, (int)rowSize, (int)b[SM_SHIFT]);
	int64_t bytes = (int64_t)rows * rowSize;
	int8_t* input = nnRegion(the, &call, b[SM_IN], bytes, 1, "input");
	int8_t* output = nnRegion(the, &call, b[SM_OUT], bytes, 1, "output");
	nnDisjoint(the, &call, output, bytes, (const int8_t*)b, SM_WORDS * 4, "parameter block");
	arm_softmax_s8(input, rows, rowSize, b[SM_MULT], b[SM_SHIFT], b[SM_DIFF_MIN], output);
}

void xs_nn_add(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, AD_WORDS, "add");
	const int32_t* b = call.block;
	int32_t count = b[AD_COUNT];
	if (count < 0)
		xsRangeError("nn: add: count %d", (int)count);
	int8_t* in1 = nnRegion(the, &call, b[AD_IN1], count, 1, "input 1");
	int8_t* in2 = nnRegion(the, &call, b[AD_IN2], count, 1, "input 2");
	int8_t* out = nnRegion(the, &call, b[AD_OUT], count, 1, "output");
	nnDisjoint(the, &call, out, count, (const int8_t*)b, AD_WORDS * 4, "parameter block");
	nnStatus(the, &call, arm_elementwise_add_s8(in1, in2, b[AD_IN1_OFFSET], b[AD_IN1_MULT], b[AD_IN1_SHIFT],
		b[AD_IN2_OFFSET], b[AD_IN2_MULT], b[AD_IN2_SHIFT], b[AD_LEFT_SHIFT], out, b[AD_OUT_OFFSET],
		b[AD_OUT_MULT], b[AD_OUT_SHIFT], b[AD_ACT_MIN], b[AD_ACT_MAX], count));
}

void xs_nn_requantize(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, RQ_WORDS, "quantize");
	const int32_t* b = call.block;
	int32_t count = b[RQ_COUNT];
	if (count < 0)
		xsRangeError("nn: quantize: count %d", (int)count);
	int8_t* in = nnRegion(the, &call, b[RQ_IN], count, 1, "input");
	int8_t* out = nnRegion(the, &call, b[RQ_OUT], count, 1, "output");
	nnDisjoint(the, &call, out, count, (const int8_t*)b, RQ_WORDS * 4, "parameter block");
	nnStatus(the, &call, xs_nn_requantize_s8(in, out, count, b[RQ_IN_ZP], b[RQ_OUT_ZP], b[RQ_MULT], b[RQ_SHIFT]));
}

static float nnFloat(int32_t bits)
{
	float f;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

void xs_nn_quantize(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, CVT_WORDS, "quantize");
	const int32_t* b = call.block;
	int32_t count = b[CVT_COUNT];
	if (count < 0)
		xsRangeError("nn: quantize: count %d", (int)count);
	float* in = (float*)nnRegion(the, &call, b[CVT_IN], 4 * (int64_t)count, 4, "input");
	int8_t* out = nnRegion(the, &call, b[CVT_OUT], count, 1, "output");
	nnDisjoint(the, &call, out, count, (const int8_t*)in, 4 * (int64_t)count, "input");
	nnDisjoint(the, &call, out, count, (const int8_t*)b, CVT_WORDS * 4, "parameter block");
	nnStatus(the, &call, xs_nn_quantize_f32_s8(in, out, count, nnFloat(b[CVT_SCALE]), b[CVT_ZP]));
}

void xs_nn_dequantize(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, CVT_WORDS, "dequantize");
	const int32_t* b = call.block;
	int32_t count = b[CVT_COUNT];
	if (count < 0)
		xsRangeError("nn: dequantize: count %d", (int)count);
	int8_t* in = nnRegion(the, &call, b[CVT_IN], count, 1, "input");
	float* out = (float*)nnRegion(the, &call, b[CVT_OUT], 4 * (int64_t)count, 4, "output");
	nnDisjoint(the, &call, (const int8_t*)out, 4 * (int64_t)count, in, count, "input");
	nnDisjoint(the, &call, (const int8_t*)out, 4 * (int64_t)count, (const int8_t*)b, CVT_WORDS * 4, "parameter block");
	nnStatus(the, &call, xs_nn_dequantize_s8_f32(in, out, count, nnFloat(b[CVT_SCALE]), b[CVT_ZP]));
}

void xs_nn_copy(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, CP_WORDS, "reshape");
	const int32_t* b = call.block;
	int32_t count = b[CP_COUNT];
	if (count < 0)
		xsRangeError("nn: reshape: count %d", (int)count);
	int8_t* src = nnRegion(the, &call, b[CP_SRC], count, 1, "input");
	int8_t* dst = nnRegion(the, &call, b[CP_DST], count, 1, "output");
	nnDisjoint(the, &call, dst, count, (const int8_t*)b, CP_WORDS * 4, "parameter block");
	memmove(dst, src, (size_t)count);
}

void xs_nn_reverse(xsMachine* the)
{
	NNCall call;
	nnBegin(the, &call, RV_WORDS, "reverse_v2");
	const int32_t* b = call.block;
	int64_t bytes = nnVolume(the, &call, b + RV_N, "tensor");
	int8_t* input = nnRegion(the, &call, b[RV_IN], bytes, 1, "input");
	int8_t* output = nnRegion(the, &call, b[RV_OUT], bytes, 1, "output");
	nnDisjoint(the, &call, output, bytes, input, bytes, "input");
	nnDisjoint(the, &call, output, bytes, (const int8_t*)b, RV_WORDS * 4, "parameter block");
	cmsis_nn_dims dims = nnDims(b + RV_N);
	nnStatus(the, &call, xs_nn_reverse_s8(input, output, &dims, b[RV_AXIS]));
}

/* copyInto(arena, offset, bytes): constant data (a RESHAPE of a constant, a
   misaligned bias) copied once, at load, into the arena. */
void xs_nn_copy_into(xsMachine* the)
{
	xsIntegerValue offset = xsmcToInteger(xsArg(1));
	void* arena = NULL;
	void* data = NULL;
	xsUnsignedValue arenaSize = 0, count = 0;
	_xsmcGetBuffer(the, &xsArg(0), &arena, &arenaSize, 1);
	_xsmcGetBuffer(the, &xsArg(2), &data, &count, 0);
	if (!arena || offset < 0 || (int64_t)offset + count > (int64_t)arenaSize)
		xsRangeError("nn: copyInto: %u bytes at %d do not fit the %u-byte arena", (unsigned)count, (int)offset, (unsigned)arenaSize);
	memmove((char*)arena + offset, data, count);
}

/* ---- scratch sizes, asked at load with the operator's geometry as arguments */

static int32_t nnArgInt(xsMachine* the, int i)
{
	return (int32_t)xsmcToInteger(xsArg(i));
}

/* convScratch(inN, inH, inW, inC, fN, fH, fW, fC, outN, outH, outW, outC, strideW, strideH, padW, padH, dilW, dilH, inputOffset, outputOffset) */
void xs_nn_conv_scratch(xsMachine* the)
{
	if (xsmcArgc < 20)
		xsTypeError("nn: convScratch: expected 20 arguments");
	cmsis_nn_dims in = { nnArgInt(the, 0), nnArgInt(the, 1), nnArgInt(the, 2), nnArgInt(the, 3) };
	cmsis_nn_dims f = { nnArgInt(the, 4), nnArgInt(the, 5), nnArgInt(the, 6), nnArgInt(the, 7) };
	cmsis_nn_dims out = { nnArgInt(the, 8), nnArgInt(the, 9), nnArgInt(the, 10), nnArgInt(the, 11) };
	cmsis_nn_conv_params p = { nnArgInt(the, 18), nnArgInt(the, 19), { nnArgInt(the, 12), nnArgInt(the, 13) },
		{ nnArgInt(the, 14), nnArgInt(the, 15) }, { nnArgInt(the, 16), nnArgInt(the, 17) }, { -128, 127 } };
	xsmcSetInteger(xsResult, arm_convolve_wrapper_s8_get_buffer_size(&p, &in, &f, &out));
}

/* depthwiseScratch(same arguments as convScratch, then chMult) */
void xs_nn_depthwise_scratch(xsMachine* the)
{
	if (xsmcArgc < 21)
		xsTypeError("nn: depthwiseScratch: expected 21 arguments");
	cmsis_nn_dims in = { nnArgInt(the, 0), nnArgInt(the, 1), nnArgInt(the, 2), nnArgInt(the, 3) };
	cmsis_nn_dims f = { nnArgInt(the, 4), nnArgInt(the, 5), nnArgInt(the, 6), nnArgInt(the, 7) };
	cmsis_nn_dims out = { nnArgInt(the, 8), nnArgInt(the, 9), nnArgInt(the, 10), nnArgInt(the, 11) };
	cmsis_nn_dw_conv_params p = { nnArgInt(the, 18), nnArgInt(the, 19), nnArgInt(the, 20), { nnArgInt(the, 12), nnArgInt(the, 13) },
		{ nnArgInt(the, 14), nnArgInt(the, 15) }, { nnArgInt(the, 16), nnArgInt(the, 17) }, { -128, 127 } };
	xsmcSetInteger(xsResult, arm_depthwise_conv_wrapper_s8_get_buffer_size(&p, &in, &f, &out));
}

/* fullyConnectedScratch(accum, outC) */
void xs_nn_fully_connected_scratch(xsMachine* the)
{
	cmsis_nn_dims f = { nnArgInt(the, 0), 1, 1, nnArgInt(the, 1) };
	xsmcSetInteger(xsResult, arm_fully_connected_s8_get_buffer_size(&f));
}

/* avgPoolScratch(outW, channels) */
void xs_nn_avgpool_scratch(xsMachine* the)
{
	xsmcSetInteger(xsResult, arm_avgpool_s8_get_buffer_size(nnArgInt(the, 0), nnArgInt(the, 1)));
}

/* ---- model load: the per-element work of parsing and preparing (xs_nn_quant_params.c) */

static const void* nnTyped(xsMachine* the, int i, size_t elementSize, size_t* count, int writable, const char* what)
{
	size_t bytes = 0;
	const void* p = xsBindingBytesIn(the, &xsArg(i), &xsVar(0), &bytes, writable, what);
	if (((uintptr_t)p & (elementSize - 1)) || bytes % elementSize)
		xsTypeError("nn: %s: expected a %u-byte-element typed array", what, (unsigned)elementSize);
	*count = bytes / elementSize;
	return p;
}

/* checkScales(Float32Array): index of the first scale that is not positive finite, or -1 */
void xs_nn_check_scales(xsMachine* the)
{
	xsmcVars(1);
	size_t n;
	const float* s = nnTyped(the, 0, 4, &n, 0, "checkScales scales");
	xsmcSetInteger(xsResult, xs_nn_check_scales_f32(s, (int32_t)n));
}

/* zeroPoints(int64 words as an Int32Array, out Int32Array of half its length, or null to only check):
   the first value outside int32, else -1 when all are 0, -2 when one is not */
void xs_nn_zero_points(xsMachine* the)
{
	xsmcVars(1);
	size_t words, n;
	nnTyped(the, 0, 4, &words, 0, "zeroPoints words");
	const int check = xsmcTypeOf(xsArg(1)) == xsNullType;
	if (!check) {
		nnTyped(the, 1, 4, &n, 1, "zeroPoints out");
		if (words != 2 * n)
			xsRangeError("nn: zeroPoints: %u words for %u values", (unsigned)words, (unsigned)n);
	}
	else if (words & 1)
		xsRangeError("nn: zeroPoints: an odd number of words (%u)", (unsigned)words);
	const int32_t* w = nnTyped(the, 0, 4, &words, 0, "zeroPoints words");
	int32_t* out = check ? NULL : (int32_t*)nnTyped(the, 1, 4, &n, 1, "zeroPoints out");
	xsmcSetInteger(xsResult, xs_nn_zero_points_i64(w, (int32_t)(words / 2), out));
}

/* convMultipliers(inputScale, filterScales Float32Array, outputScale, singleRounding, multipliers Int32Array, shifts Int32Array):
   one multiplier and shift per element of `multipliers`. */
void xs_nn_conv_multipliers(xsMachine* the)
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
	const float* fs = nnTyped(the, 1, 4, &scales, 0, "convMultipliers filterScales");
	int32_t* mult = (int32_t*)nnTyped(the, 4, 4, &channels, 1, "convMultipliers multipliers");
	int32_t* shift = (int32_t*)nnTyped(the, 5, 4, &shifts, 1, "convMultipliers shifts");
	if (xs_nn_per_channel_multipliers(inputScale, fs, (int32_t)scales, outputScale, (int32_t)channels, single, mult, shift) != ARM_CMSIS_NN_SUCCESS)
		xsRangeError("nn: convMultipliers: %u filter scales for %u channels, input scale %g, output scale %g: expected 1 or one per channel, all positive finite",
		             (unsigned)scales, (unsigned)channels, inputScale, outputScale);
}
