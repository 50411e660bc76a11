/*
 * xs_nn_plan.c: a compiled model plan checked once, then run
 * (xs_nn_plan.h, docs/model-plan.md). SPDX-License-Identifier: Apache-2.0
 *
 * Every check the kernels' bindings used to make on every invoke happens
 * here, once: regions inside the arena, the plan's constants or the model,
 * dimensions positive and bounded, outputs apart from what the kernel still
 * reads, scratch at least what the kernel's get_buffer_size asks. A plan
 * that passes cannot make a kernel read or write outside those buffers.
 */
#include "xs_nn_plan.h"

#include "arm_nnfunctions.h"
#include "bytes.h"
#include "xs_nn_quantize.h"
#include "xs_nn_reshape.h"
#include "xs_nn_rounding.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Dimensions above this are refused (no tensor on a microcontroller has one). */
#define NN_DIM_MAX (1 << 24)

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t xs_nn_plan_kernel_build(void)
{
	uint32_t build = XSIGHT_NN_SINGLE_ROUNDING ? XS_NN_PLAN_BUILD_SINGLE_ROUNDING : 0;
	/* The rule arm_nnsupportfunctions.h switches the DSP paths on by (a kernel-internal header). */
#if defined(ARM_MATH_DSP) || (defined(__ARM_FEATURE_DSP) && (__ARM_FEATURE_DSP == 1))
	build |= XS_NN_PLAN_BUILD_DSP;
#endif
	return build;
}

static xs_nn_plan_status refuse(xs_nn_plan_status status, char *error, size_t errorSize, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(error, errorSize, format, args);
	va_end(args);
	return status;
}

xs_nn_plan_status xs_nn_plan_header(const uint8_t *plan, size_t planBytes, const uint8_t *model, size_t modelBytes,
                                    xs_nn_plan_info *info, char *error, size_t errorSize)
{
	if (planBytes < XS_NN_PLAN_HEADER_BYTES)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "%u bytes, shorter than the header", (unsigned)planBytes);
	if (rd32(plan + XS_NN_PLAN_AT_MAGIC) != XS_NN_PLAN_MAGIC)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "not a plan (magic)");
	uint32_t version = rd32(plan + XS_NN_PLAN_AT_VERSION);
	if (version != XS_NN_PLAN_VERSION)
		return refuse(XS_NN_PLAN_OTHER_VERSION, error, errorSize, "format version %u, this build reads %u",
		              (unsigned)version, XS_NN_PLAN_VERSION);
	uint32_t length = rd32(plan + XS_NN_PLAN_AT_LENGTH);
	if (length != planBytes)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "%u bytes, its header says %u (torn)", (unsigned)planBytes,
		              (unsigned)length);
	uint32_t crc = bytes_crc32(0, plan + XS_NN_PLAN_AT_PLAN_CRC + 4, length - (XS_NN_PLAN_AT_PLAN_CRC + 4));
	if (crc != rd32(plan + XS_NN_PLAN_AT_PLAN_CRC))
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "CRC-32 %08x, its header says %08x", (unsigned)crc,
		              (unsigned)rd32(plan + XS_NN_PLAN_AT_PLAN_CRC));
	uint32_t build = rd32(plan + XS_NN_PLAN_AT_BUILD);
	if (build != xs_nn_plan_kernel_build())
		return refuse(XS_NN_PLAN_OTHER_BUILD, error, errorSize, "made for kernel build %u, these kernels are build %u",
		              (unsigned)build, (unsigned)xs_nn_plan_kernel_build());
	uint32_t size = rd32(plan + XS_NN_PLAN_AT_MODEL_BYTES);
	if (size != modelBytes)
		return refuse(XS_NN_PLAN_OTHER_MODEL, error, errorSize, "made for a model of %u bytes, this one has %u",
		              (unsigned)size, (unsigned)modelBytes);
	uint32_t modelCrc = bytes_crc32(0, model, modelBytes);
	if (modelCrc != rd32(plan + XS_NN_PLAN_AT_MODEL_CRC))
		return refuse(XS_NN_PLAN_OTHER_MODEL, error, errorSize, "made for a model of CRC-32 %08x, this one is %08x",
		              (unsigned)rd32(plan + XS_NN_PLAN_AT_MODEL_CRC), (unsigned)modelCrc);
	info->length = length;
	info->arenaBytes = rd32(plan + XS_NN_PLAN_AT_ARENA);
	info->ops = rd32(plan + XS_NN_PLAN_AT_OPS);
	info->dataOffset = rd32(plan + XS_NN_PLAN_AT_DATA);
	info->dataBytes = rd32(plan + XS_NN_PLAN_AT_DATA_BYTES);
	info->metaOffset = rd32(plan + XS_NN_PLAN_AT_META);
	info->metaBytes = rd32(plan + XS_NN_PLAN_AT_META_BYTES);
	uint32_t first = rd32(plan + XS_NN_PLAN_AT_FIRST_OP);
	/* Every op takes at least XS_NN_PLAN_OP_BYTES: that bounds the count before anything is sized by it. */
	if (first != XS_NN_PLAN_HEADER_BYTES || info->ops > (length - first) / XS_NN_PLAN_OP_BYTES)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "%u ops at %u do not fit %u bytes", (unsigned)info->ops,
		              (unsigned)first, (unsigned)length);
	if ((info->dataOffset & 3) || (info->dataBytes & 3) || info->dataOffset > length ||
	    info->dataBytes > length - info->dataOffset)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize,
		              "constants at %u (%u bytes) are not an aligned part of the plan", (unsigned)info->dataOffset,
		              (unsigned)info->dataBytes);
	if (info->metaOffset > length || info->metaBytes > length - info->metaOffset)
		return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "description at %u (%u bytes) is outside the plan",
		              (unsigned)info->metaOffset, (unsigned)info->metaBytes);
	return XS_NN_PLAN_OK;
}

size_t xs_nn_plan_memory(const xs_nn_plan_info *info)
{
	return (size_t)info->ops * sizeof(xs_nn_step);
}

/* ---- one op's checks */

typedef struct {
	int8_t *arena;
	int64_t arenaBytes;
	int8_t *data;
	int64_t dataBytes;
	const uint8_t *model;
	int64_t modelBytes;
	const int32_t *b;
	uint32_t weightsOffset, weightsBytes;
	uint32_t op;
	int bad;
	char *error;
	size_t errorSize;
} Check;

static void bad(Check *c, const char *format, ...)
{
	if (c->bad)
		return;
	c->bad = 1;
	int n = snprintf(c->error, c->errorSize, "op %u: ", (unsigned)c->op);
	if (n < 0 || (size_t)n >= c->errorSize)
		return;
	va_list args;
	va_start(args, format);
	vsnprintf(c->error + n, c->errorSize - (size_t)n, format, args);
	va_end(args);
}

/* [offset, offset + bytes) of the arena, aligned to `align` (1 or 4). Sizes print with %ld:
   newlib-nano's printf (the Cortex-M7 board) has no %lld or %zu. */
static int8_t *inArena(Check *c, int32_t offset, int64_t bytes, int align, const char *what)
{
	if (offset < 0 || bytes < 0 || (int64_t)offset + bytes > c->arenaBytes || (offset & (align - 1))) {
		bad(c, "%s at %d (%ld bytes) is not an aligned part of the %ld-byte arena", what, (int)offset, (long)bytes,
		    (long)c->arenaBytes);
		return c->arena;
	}
	return c->arena + offset;
}

/* int32 values in the plan's constants (multipliers, shifts, biases). */
static int32_t *inData(Check *c, int32_t offset, int64_t count, const char *what)
{
	if (offset < 0 || count < 0 || (offset & 3) || (int64_t)offset + 4 * count > c->dataBytes) {
		bad(c, "%s at %d (%ld values) are outside the plan's %ld bytes of constants", what, (int)offset, (long)count,
		    (long)c->dataBytes);
		return (int32_t *)c->data;
	}
	return (int32_t *)(c->data + offset);
}

/* The op's weights: at least `bytes` of the model. */
static const int8_t *weights(Check *c, int64_t bytes)
{
	if ((int64_t)c->weightsOffset + c->weightsBytes > c->modelBytes || (int64_t)c->weightsBytes < bytes) {
		bad(c, "weights at %u (%u bytes, %ld needed) are outside the %ld-byte model", (unsigned)c->weightsOffset,
		    (unsigned)c->weightsBytes, (long)bytes, (long)c->modelBytes);
		return (const int8_t *)c->model;
	}
	return (const int8_t *)(c->model + c->weightsOffset);
}

static int64_t volume(Check *c, const int32_t *dims, const char *what)
{
	int64_t v = 1;
	for (int i = 0; i < 4; i++) {
		if (dims[i] < 1 || dims[i] > NN_DIM_MAX) {
			bad(c, "%s dimension %d is %d", what, i, (int)dims[i]);
			return 0;
		}
		v *= dims[i];
		if (v > c->arenaBytes * 4 + 16 + c->modelBytes) {
			bad(c, "%s is larger than the arena", what);
			return 0;
		}
	}
	return v;
}

static void apart(Check *c, const int8_t *a, int64_t aBytes, const int8_t *b, int64_t bBytes, const char *what)
{
	if (aBytes > 0 && bBytes > 0 && a < b + bBytes && b < a + aBytes)
		bad(c, "the %s overlaps", what);
}

static void shifts(Check *c, const int32_t *s, int64_t count, int32_t lo, const char *what)
{
	for (int64_t i = 0; i < count; i++)
		if (s[i] < lo || s[i] > 31) {
			bad(c, "%s %ld is %d, outside [%d, 31]", what, (long)i, (int)s[i], (int)lo);
			return;
		}
}

static int32_t scratchOf(Check *c, xs_nn_step *s, int32_t at, int32_t size, int32_t need)
{
	if (size < need || size < 0)
		bad(c, "scratch of %d bytes, the kernel needs %d", (int)size, (int)need);
	s->ctx.buf = size > 0 ? inArena(c, at, size, 4, "scratch") : NULL;
	s->ctx.size = size > 0 ? size : 0;
	return s->ctx.size;
}

static cmsis_nn_dims dims4(const int32_t *d)
{
	cmsis_nn_dims dims = {d[0], d[1], d[2], d[3]};
	return dims;
}

static void tiles(Check *c, const int32_t *stride, const int32_t *pad, const int32_t *dil)
{
	for (int i = 0; i < 2; i++)
		if (stride[i] < 1 || stride[i] > NN_DIM_MAX || pad[i] < 0 || pad[i] > NN_DIM_MAX ||
		    (dil && (dil[i] < 1 || dil[i] > NN_DIM_MAX)))
			bad(c, "stride, padding or dilation out of range");
}

static void conv(Check *c, xs_nn_step *s, int depthwise)
{
	const int32_t *b = c->b;
	int64_t inBytes = volume(c, b + CV_IN_N, "input"), outBytes = volume(c, b + CV_OUT_N, "output"),
	        filterBytes = volume(c, b + CV_F_N, "filter");
	if (c->bad)
		return;
	int32_t channels = b[CV_OUT_C];
	if (b[CV_IN_N] != b[CV_OUT_N])
		bad(c, "input batches %d, output batches %d", (int)b[CV_IN_N], (int)b[CV_OUT_N]);
	if (depthwise ? (b[CV_F_N] != 1 || b[CV_F_C] != channels || b[CV_CH_MULT] < 1 ||
	                 (int64_t)b[CV_IN_C] * b[CV_CH_MULT] != channels)
	              : (b[CV_F_N] != channels || b[CV_IN_C] % b[CV_F_C] != 0 || channels % (b[CV_IN_C] / b[CV_F_C]) != 0))
		bad(c, "filter [%d, %d, %d, %d] does not fit input channels %d and output channels %d", (int)b[CV_F_N],
		    (int)b[CV_F_H], (int)b[CV_F_W], (int)b[CV_F_C], (int)b[CV_IN_C], (int)channels);
	tiles(c, b + CV_STRIDE_W, b + CV_PAD_W, b + CV_DIL_W);
	s->in = inArena(c, b[CV_IN], inBytes, 1, "input");
	s->out = inArena(c, b[CV_OUT], outBytes, 1, "output");
	s->channel.multiplier = inData(c, b[CV_MULT], channels, "multipliers");
	s->channel.shift = inData(c, b[CV_SHIFT], channels, "shifts");
	s->bias = b[CV_BIAS] == -1 ? NULL : inData(c, b[CV_BIAS], channels, "biases");
	if (c->bad)
		return;
	shifts(c, s->channel.shift, channels, -31, "shift");
	s->inDims = dims4(b + CV_IN_N);
	s->fDims = dims4(b + CV_F_N);
	s->outDims = dims4(b + CV_OUT_N);
	s->biasDims = (cmsis_nn_dims){1, 1, 1, channels};
	cmsis_nn_tile stride = {b[CV_STRIDE_W], b[CV_STRIDE_H]}, pad = {b[CV_PAD_W], b[CV_PAD_H]},
	              dil = {b[CV_DIL_W], b[CV_DIL_H]};
	cmsis_nn_activation act = {b[CV_ACT_MIN], b[CV_ACT_MAX]};
	int32_t need;
	if (depthwise) {
		s->p.dw = (cmsis_nn_dw_conv_params){b[CV_IN_OFFSET], b[CV_OUT_OFFSET], b[CV_CH_MULT], stride, pad, dil, act};
		need = arm_depthwise_conv_wrapper_s8_get_buffer_size(&s->p.dw, &s->inDims, &s->fDims, &s->outDims);
	} else {
		s->p.conv = (cmsis_nn_conv_params){b[CV_IN_OFFSET], b[CV_OUT_OFFSET], stride, pad, dil, act};
		need = arm_convolve_wrapper_s8_get_buffer_size(&s->p.conv, &s->inDims, &s->fDims, &s->outDims);
	}
	int32_t scratch = scratchOf(c, s, b[CV_SCRATCH], b[CV_SCRATCH_SIZE], need);
	apart(c, s->out, outBytes, s->in, inBytes, "output and the input");
	apart(c, s->out, outBytes, s->ctx.buf, scratch, "output and the scratch");
	apart(c, s->ctx.buf, scratch, s->in, inBytes, "scratch and the input");
	s->filter = weights(c, filterBytes);
}

static void fullyConnected(Check *c, xs_nn_step *s)
{
	const int32_t *b = c->b;
	const int32_t inShape[4] = {b[FC_BATCHES], b[FC_ACCUM], 1, 1}, outShape[4] = {b[FC_BATCHES], b[FC_OUT_C], 1, 1};
	volume(c, inShape, "input");
	volume(c, outShape, "output");
	if (c->bad)
		return;
	int64_t inBytes = (int64_t)b[FC_BATCHES] * b[FC_ACCUM], outBytes = (int64_t)b[FC_BATCHES] * b[FC_OUT_C];
	s->in = inArena(c, b[FC_IN], inBytes, 1, "input");
	s->out = inArena(c, b[FC_OUT], outBytes, 1, "output");
	s->bias = b[FC_BIAS] == -1 ? NULL : inData(c, b[FC_BIAS], b[FC_OUT_C], "biases");
	if (s->kind == XS_NN_OP_FULLY_CONNECTED_PER_CHANNEL) {
		s->channel.multiplier = inData(c, b[FC_MULT], b[FC_OUT_C], "multipliers");
		s->channel.shift = inData(c, b[FC_SHIFT], b[FC_OUT_C], "shifts");
		if (c->bad)
			return;
		shifts(c, s->channel.shift, b[FC_OUT_C], -31, "shift");
	} else if (b[FC_SHIFT] < -31 || b[FC_SHIFT] > 31)
		bad(c, "shift %d is outside [-31, 31]", (int)b[FC_SHIFT]);
	s->fDims = (cmsis_nn_dims){b[FC_ACCUM], 1, 1, b[FC_OUT_C]};
	int32_t scratch =
	        scratchOf(c, s, b[FC_SCRATCH], b[FC_SCRATCH_SIZE], arm_fully_connected_s8_get_buffer_size(&s->fDims));
	apart(c, s->out, outBytes, s->in, inBytes, "output and the input");
	apart(c, s->out, outBytes, s->ctx.buf, scratch, "output and the scratch");
	s->filter = weights(c, (int64_t)b[FC_ACCUM] * b[FC_OUT_C]);
	s->p.fc = (cmsis_nn_fc_params){
	        b[FC_IN_OFFSET], b[FC_FILTER_OFFSET], b[FC_OUT_OFFSET], {b[FC_ACT_MIN], b[FC_ACT_MAX]}};
	s->tensor = (cmsis_nn_per_tensor_quant_params){b[FC_MULT], b[FC_SHIFT]};
	s->inDims = (cmsis_nn_dims){b[FC_BATCHES], 1, 1, b[FC_ACCUM]};
	s->biasDims = (cmsis_nn_dims){1, 1, 1, b[FC_OUT_C]};
	s->outDims = (cmsis_nn_dims){b[FC_BATCHES], 1, 1, b[FC_OUT_C]};
}

static void pool(Check *c, xs_nn_step *s)
{
	const int32_t *b = c->b;
	int64_t inBytes = volume(c, b + PL_IN_N, "input"), outBytes = volume(c, b + PL_OUT_N, "output");
	if (c->bad)
		return;
	if (b[PL_IN_N] != b[PL_OUT_N] || b[PL_IN_C] != b[PL_OUT_C] || b[PL_F_H] < 1 || b[PL_F_W] < 1 ||
	    b[PL_F_H] > NN_DIM_MAX || b[PL_F_W] > NN_DIM_MAX)
		bad(c, "pooling shapes disagree");
	tiles(c, b + PL_STRIDE_W, b + PL_PAD_W, NULL);
	s->in = inArena(c, b[PL_IN], inBytes, 1, "input");
	s->out = inArena(c, b[PL_OUT], outBytes, 1, "output");
	int32_t need = b[PL_MAX] ? 0 : arm_avgpool_s8_get_buffer_size(b[PL_OUT_W], b[PL_OUT_C]);
	int32_t scratch = scratchOf(c, s, b[PL_SCRATCH], b[PL_SCRATCH_SIZE], need);
	apart(c, s->out, outBytes, s->in, inBytes, "output and the input");
	apart(c, s->out, outBytes, s->ctx.buf, scratch, "output and the scratch");
	s->p.pool = (cmsis_nn_pool_params){
	        {b[PL_STRIDE_W], b[PL_STRIDE_H]}, {b[PL_PAD_W], b[PL_PAD_H]}, {b[PL_ACT_MIN], b[PL_ACT_MAX]}};
	s->inDims = dims4(b + PL_IN_N);
	s->outDims = dims4(b + PL_OUT_N);
	s->fDims = (cmsis_nn_dims){1, b[PL_F_H], b[PL_F_W], 1};
}

static void elementwise(Check *c, xs_nn_step *s)
{
	const int32_t *b = c->b;
	switch (s->kind) {
	case XS_NN_OP_SOFTMAX: {
		int32_t rows = b[SM_ROWS], rowSize = b[SM_ROW_SIZE];
		/* arm_softmax_s8 returns nothing: check what it would silently skip. */
		if (rows < 1 || rows > NN_DIM_MAX || rowSize < 1 || rowSize > 4095 || b[SM_SHIFT] < 0 || b[SM_SHIFT] > 31 ||
		    b[SM_DIFF_MIN] > 0) {
			bad(c, "softmax: %d rows of %d, shift %d", (int)rows, (int)rowSize, (int)b[SM_SHIFT]);
			return;
		}
		s->in = inArena(c, b[SM_IN], (int64_t)rows * rowSize, 1, "input");
		s->out = inArena(c, b[SM_OUT], (int64_t)rows * rowSize, 1, "output");
		break;
	}
	case XS_NN_OP_ADD:
		if (b[AD_COUNT] < 0 || b[AD_LEFT_SHIFT] < 0 || b[AD_LEFT_SHIFT] > 31)
			bad(c, "add: count %d, left shift %d", (int)b[AD_COUNT], (int)b[AD_LEFT_SHIFT]);
		shifts(c, b + AD_IN1_SHIFT, 1, -31, "input 1 shift");
		shifts(c, b + AD_IN2_SHIFT, 1, -31, "input 2 shift");
		shifts(c, b + AD_OUT_SHIFT, 1, -31, "output shift");
		s->in = inArena(c, b[AD_IN1], b[AD_COUNT], 1, "input 1");
		s->in2 = inArena(c, b[AD_IN2], b[AD_COUNT], 1, "input 2");
		s->out = inArena(c, b[AD_OUT], b[AD_COUNT], 1, "output");
		break;
	case XS_NN_OP_MUL:
		if (b[MU_COUNT] < 0)
			bad(c, "mul: count %d", (int)b[MU_COUNT]);
		shifts(c, b + MU_OUT_SHIFT, 1, -31, "output shift");
		s->in = inArena(c, b[MU_IN1], b[MU_COUNT], 1, "input 1");
		s->in2 = inArena(c, b[MU_IN2], b[MU_COUNT], 1, "input 2");
		s->out = inArena(c, b[MU_OUT], b[MU_COUNT], 1, "output");
		break;
	case XS_NN_OP_REQUANTIZE:
		if (b[RQ_COUNT] < 0)
			bad(c, "quantize: count %d", (int)b[RQ_COUNT]);
		shifts(c, b + RQ_SHIFT, 1, -31, "shift");
		s->in = inArena(c, b[RQ_IN], b[RQ_COUNT], 1, "input");
		s->out = inArena(c, b[RQ_OUT], b[RQ_COUNT], 1, "output");
		break;
	case XS_NN_OP_QUANTIZE:
	case XS_NN_OP_DEQUANTIZE: {
		int quantize = s->kind == XS_NN_OP_QUANTIZE;
		int64_t count = b[CVT_COUNT];
		if (count < 0)
			bad(c, "count %d", (int)count);
		s->in = inArena(c, b[CVT_IN], quantize ? 4 * count : count, quantize ? 4 : 1, "input");
		s->out = inArena(c, b[CVT_OUT], quantize ? count : 4 * count, quantize ? 1 : 4, "output");
		apart(c, s->out, quantize ? count : 4 * count, s->in, quantize ? 4 * count : count, "output and the input");
		break;
	}
	case XS_NN_OP_COPY:
		if (b[CP_COUNT] < 0 || (b[CP_CONST] != 0 && b[CP_CONST] != 1))
			bad(c, "reshape: count %d, constant %d", (int)b[CP_COUNT], (int)b[CP_CONST]);
		s->in = b[CP_CONST] == 1 ? (const int8_t *)inData(c, b[CP_SRC], (b[CP_COUNT] + 3) / 4, "constant")
		                         : inArena(c, b[CP_SRC], b[CP_COUNT], 1, "input");
		s->out = inArena(c, b[CP_DST], b[CP_COUNT], 1, "output");
		break;
	case XS_NN_OP_REVERSE: {
		int64_t bytes = volume(c, b + RV_N, "tensor");
		if (b[RV_AXIS] < 0 || b[RV_AXIS] > 3)
			bad(c, "reverse: axis %d", (int)b[RV_AXIS]);
		s->in = inArena(c, b[RV_IN], bytes, 1, "input");
		s->out = inArena(c, b[RV_OUT], bytes, 1, "output");
		apart(c, s->out, bytes, s->in, bytes, "output and the input");
		s->inDims = dims4(b + RV_N);
		break;
	}
	}
}

static const uint8_t kWords[XS_NN_OP_END] = {0,        CV_WORDS,  CV_WORDS,  FC_WORDS, PL_WORDS, SM_WORDS, AD_WORDS,
                                             RQ_WORDS, CVT_WORDS, CVT_WORDS, CP_WORDS, RV_WORDS, MU_WORDS, FC_WORDS};

xs_nn_plan_status xs_nn_plan_prepare(const uint8_t *plan, const xs_nn_plan_info *info, const uint8_t *model,
                                     size_t modelBytes, int8_t *arena, size_t arenaBytes, void *memory, xs_nn_plan *out,
                                     char *error, size_t errorSize)
{
	if (arenaBytes < info->arenaBytes || ((uintptr_t)arena & 3) || ((uintptr_t)plan & 3))
		return refuse(XS_NN_PLAN_BAD_STEP, error, errorSize, "needs an aligned arena of %u bytes, %u given",
		              (unsigned)info->arenaBytes, (unsigned)arenaBytes);
	xs_nn_step *steps = memory;
	Check c;
	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.arenaBytes = (int64_t)info->arenaBytes;
	/* The constants stay in the plan: its caller keeps it, aligned, where JavaScript cannot write. */
	c.data = (int8_t *)plan + info->dataOffset;
	c.dataBytes = (int64_t)info->dataBytes;
	c.model = model;
	c.modelBytes = (int64_t)modelBytes;
	c.error = error;
	c.errorSize = errorSize;
	uint32_t at = XS_NN_PLAN_HEADER_BYTES;
	for (uint32_t i = 0; i < info->ops; i++) {
		c.op = i;
		if (at > info->length || info->length - at < XS_NN_PLAN_OP_BYTES)
			return refuse(XS_NN_PLAN_CORRUPT, error, errorSize, "op %u at %u is past the plan's end", (unsigned)i,
			              (unsigned)at);
		uint32_t kind = rd32(plan + at), words = rd32(plan + at + 4);
		c.weightsOffset = rd32(plan + at + 8);
		c.weightsBytes = rd32(plan + at + 12);
		if (kind < 1 || kind >= XS_NN_OP_END || words != kWords[kind] ||
		    (info->length - at - XS_NN_PLAN_OP_BYTES) / 4 < words)
			return refuse(XS_NN_PLAN_CORRUPT, error, errorSize,
			              "op %u: kind %u with %u words is not an op of this format", (unsigned)i, (unsigned)kind,
			              (unsigned)words);
		xs_nn_step *s = &steps[i];
		memset(s, 0, sizeof(*s));
		s->kind = (int32_t)kind;
		for (uint32_t k = 0; k < words; k++)
			s->w[k] = (int32_t)rd32(plan + at + XS_NN_PLAN_OP_BYTES + 4 * k);
		c.b = s->w;
		switch (kind) {
		case XS_NN_OP_CONV: conv(&c, s, 0); break;
		case XS_NN_OP_DEPTHWISE: conv(&c, s, 1); break;
		case XS_NN_OP_FULLY_CONNECTED:
		case XS_NN_OP_FULLY_CONNECTED_PER_CHANNEL: fullyConnected(&c, s); break;
		case XS_NN_OP_POOL: pool(&c, s); break;
		default: elementwise(&c, s); break;
		}
		if (c.bad)
			return XS_NN_PLAN_BAD_STEP;
		at += XS_NN_PLAN_OP_BYTES + 4 * words;
	}
	out->count = info->ops;
	out->steps = steps;
	return XS_NN_PLAN_OK;
}

static float asFloat(int32_t bits)
{
	float f;
	memcpy(&f, &bits, sizeof(f));
	return f;
}

arm_cmsis_nn_status xs_nn_plan_run(const xs_nn_plan *plan, uint32_t *failed)
{
	for (uint32_t i = 0; i < plan->count; i++) {
		const xs_nn_step *s = &plan->steps[i];
		const int32_t *b = s->w;
		arm_cmsis_nn_status status = ARM_CMSIS_NN_SUCCESS;
		switch (s->kind) {
		case XS_NN_OP_CONV:
			status = arm_convolve_wrapper_s8(&s->ctx, &s->p.conv, &s->channel, &s->inDims, s->in, &s->fDims, s->filter,
			                                 &s->biasDims, s->bias, &s->outDims, s->out);
			break;
		case XS_NN_OP_DEPTHWISE:
			status = arm_depthwise_conv_wrapper_s8(&s->ctx, &s->p.dw, &s->channel, &s->inDims, s->in, &s->fDims,
			                                       s->filter, &s->biasDims, s->bias, &s->outDims, s->out);
			break;
		case XS_NN_OP_FULLY_CONNECTED:
			status = arm_fully_connected_s8(&s->ctx, &s->p.fc, &s->tensor, &s->inDims, s->in, &s->fDims, s->filter,
			                                &s->biasDims, s->bias, &s->outDims, s->out);
			break;
		case XS_NN_OP_FULLY_CONNECTED_PER_CHANNEL:
			status = arm_fully_connected_per_channel_s8(&s->ctx, &s->p.fc, &s->channel, &s->inDims, s->in, &s->fDims,
			                                            s->filter, &s->biasDims, s->bias, &s->outDims, s->out);
			break;
		case XS_NN_OP_POOL:
			status = b[PL_MAX] ? arm_max_pool_s8(&s->ctx, &s->p.pool, &s->inDims, s->in, &s->fDims, &s->outDims, s->out)
			                   : arm_avgpool_s8(&s->ctx, &s->p.pool, &s->inDims, s->in, &s->fDims, &s->outDims, s->out);
			break;
		case XS_NN_OP_SOFTMAX:
			arm_softmax_s8(s->in, b[SM_ROWS], b[SM_ROW_SIZE], b[SM_MULT], b[SM_SHIFT], b[SM_DIFF_MIN], s->out);
			break;
		case XS_NN_OP_ADD:
			status = arm_elementwise_add_s8(s->in, s->in2, b[AD_IN1_OFFSET], b[AD_IN1_MULT], b[AD_IN1_SHIFT],
			                                b[AD_IN2_OFFSET], b[AD_IN2_MULT], b[AD_IN2_SHIFT], b[AD_LEFT_SHIFT], s->out,
			                                b[AD_OUT_OFFSET], b[AD_OUT_MULT], b[AD_OUT_SHIFT], b[AD_ACT_MIN],
			                                b[AD_ACT_MAX], b[AD_COUNT]);
			break;
		case XS_NN_OP_MUL:
			status = arm_elementwise_mul_s8(s->in, s->in2, b[MU_IN1_OFFSET], b[MU_IN2_OFFSET], s->out, b[MU_OUT_OFFSET],
			                                b[MU_OUT_MULT], b[MU_OUT_SHIFT], b[MU_ACT_MIN], b[MU_ACT_MAX], b[MU_COUNT]);
			break;
		case XS_NN_OP_REQUANTIZE:
			status =
			        xs_nn_requantize_s8(s->in, s->out, b[RQ_COUNT], b[RQ_IN_ZP], b[RQ_OUT_ZP], b[RQ_MULT], b[RQ_SHIFT]);
			break;
		case XS_NN_OP_QUANTIZE:
			status = xs_nn_quantize_f32_s8((const float *)(const void *)s->in, s->out, b[CVT_COUNT],
			                               asFloat(b[CVT_SCALE]), b[CVT_ZP]);
			break;
		case XS_NN_OP_DEQUANTIZE:
			status = xs_nn_dequantize_s8_f32(s->in, (float *)(void *)s->out, b[CVT_COUNT], asFloat(b[CVT_SCALE]),
			                                 b[CVT_ZP]);
			break;
		case XS_NN_OP_COPY:
			if (s->in != s->out)
				memmove(s->out, s->in, (size_t)b[CP_COUNT]);
			break;
		case XS_NN_OP_REVERSE: status = xs_nn_reverse_s8(s->in, s->out, &s->inDims, b[RV_AXIS]); break;
		}
		if (status != ARM_CMSIS_NN_SUCCESS) {
			*failed = i;
			return status;
		}
	}
	return ARM_CMSIS_NN_SUCCESS;
}
