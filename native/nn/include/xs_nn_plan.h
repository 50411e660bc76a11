/*
 * xs_nn_plan.h: a model's compiled plan (docs/model-plan.md), checked once
 * against the model's bytes and the arena, then run step after step.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The plan is what modules/nn prepares from a .tflite (parameter blocks,
 * per-channel multipliers and shifts, biases, arena offsets, scratch sizes).
 * A device keeps it beside the model, so a wake that needs the model reads
 * it instead of parsing and planning the flatbuffer again. Nothing in it is
 * trusted: xs_nn_plan_header binds it to the model (size, CRC-32), to this
 * format's version and to the kernels' build; xs_nn_plan_prepare checks
 * every offset, length and dimension against the model, the plan's own
 * constants and the arena, and fills the steps (C structs JavaScript cannot
 * reach). xs_nn_plan_run then calls one kernel per step with no further
 * checks. Pure C: the caller provides every buffer.
 */
#ifndef XS_NN_PLAN_H
#define XS_NN_PLAN_H

#include <arm_nn_types.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XS_NN_PLAN_MAGIC                 0x504E5358u /* "XSNP", little-endian */
#define XS_NN_PLAN_VERSION               2
#define XS_NN_PLAN_HEADER_BYTES          56
/* Fixed words before an op's parameter block: kind, words, weights offset, weights bytes. */
#define XS_NN_PLAN_OP_BYTES              16
/* Kernel build bits: how the kernels requantize and whether the DSP paths are in. */
#define XS_NN_PLAN_BUILD_SINGLE_ROUNDING 1u
#define XS_NN_PLAN_BUILD_DSP             2u

/* Header fields, byte offsets (uint32 each). The plan's CRC-32 covers [PLAN_CRC + 4, length). */
enum {
	XS_NN_PLAN_AT_MAGIC = 0,
	XS_NN_PLAN_AT_VERSION = 4,
	XS_NN_PLAN_AT_BUILD = 8,
	XS_NN_PLAN_AT_MODEL_BYTES = 12,
	XS_NN_PLAN_AT_MODEL_CRC = 16,
	XS_NN_PLAN_AT_LENGTH = 20,
	XS_NN_PLAN_AT_PLAN_CRC = 24,
	XS_NN_PLAN_AT_ARENA = 28,
	XS_NN_PLAN_AT_OPS = 32,
	XS_NN_PLAN_AT_DATA = 36,
	XS_NN_PLAN_AT_DATA_BYTES = 40,
	XS_NN_PLAN_AT_META = 44,
	XS_NN_PLAN_AT_META_BYTES = 48,
	XS_NN_PLAN_AT_FIRST_OP = 52
};

/* Operator kinds; modules/nn/ops/ names the same numbers. */
enum {
	XS_NN_OP_CONV = 1,
	XS_NN_OP_DEPTHWISE,
	XS_NN_OP_FULLY_CONNECTED,
	XS_NN_OP_POOL,
	XS_NN_OP_SOFTMAX,
	XS_NN_OP_ADD,
	XS_NN_OP_REQUANTIZE,
	XS_NN_OP_QUANTIZE,
	XS_NN_OP_DEQUANTIZE,
	XS_NN_OP_COPY,
	XS_NN_OP_REVERSE,
	XS_NN_OP_MUL,
	XS_NN_OP_FULLY_CONNECTED_PER_CHANNEL, /* FC_ block; FC_MULT and FC_SHIFT name FC_OUT_C constants each */
	XS_NN_OP_END
};

/* ---- parameter blocks (int32 words); keep in step with modules/nn/ops/. Offsets named
   IN/OUT/SCRATCH are into the arena; MULT/SHIFT/BIAS (and SRC when CP_CONST) into the
   plan's constants; -1 for no bias. */
enum { /* CONV_2D and DEPTHWISE_CONV_2D */
	   CV_IN,
	   CV_IN_N,
	   CV_IN_H,
	   CV_IN_W,
	   CV_IN_C,
	   CV_OUT,
	   CV_OUT_N,
	   CV_OUT_H,
	   CV_OUT_W,
	   CV_OUT_C,
	   CV_F_N,
	   CV_F_H,
	   CV_F_W,
	   CV_F_C,
	   CV_STRIDE_W,
	   CV_STRIDE_H,
	   CV_PAD_W,
	   CV_PAD_H,
	   CV_DIL_W,
	   CV_DIL_H,
	   CV_IN_OFFSET,
	   CV_OUT_OFFSET,
	   CV_ACT_MIN,
	   CV_ACT_MAX,
	   CV_MULT,
	   CV_SHIFT,
	   CV_BIAS,
	   CV_SCRATCH,
	   CV_SCRATCH_SIZE,
	   CV_CH_MULT,
	   CV_WORDS
};
enum { /* FULLY_CONNECTED */
	   FC_IN,
	   FC_BATCHES,
	   FC_ACCUM,
	   FC_OUT,
	   FC_OUT_C,
	   FC_IN_OFFSET,
	   FC_FILTER_OFFSET,
	   FC_OUT_OFFSET,
	   FC_ACT_MIN,
	   FC_ACT_MAX,
	   FC_MULT,
	   FC_SHIFT,
	   FC_BIAS,
	   FC_SCRATCH,
	   FC_SCRATCH_SIZE,
	   FC_WORDS
};
enum { /* AVERAGE_POOL_2D and MAX_POOL_2D */
	   PL_IN,
	   PL_IN_N,
	   PL_IN_H,
	   PL_IN_W,
	   PL_IN_C,
	   PL_OUT,
	   PL_OUT_N,
	   PL_OUT_H,
	   PL_OUT_W,
	   PL_OUT_C,
	   PL_F_H,
	   PL_F_W,
	   PL_STRIDE_W,
	   PL_STRIDE_H,
	   PL_PAD_W,
	   PL_PAD_H,
	   PL_ACT_MIN,
	   PL_ACT_MAX,
	   PL_MAX,
	   PL_SCRATCH,
	   PL_SCRATCH_SIZE,
	   PL_WORDS
};
enum { /* SOFTMAX */
	   SM_IN,
	   SM_OUT,
	   SM_ROWS,
	   SM_ROW_SIZE,
	   SM_MULT,
	   SM_SHIFT,
	   SM_DIFF_MIN,
	   SM_WORDS
};
enum { /* ADD */
	   AD_IN1,
	   AD_IN2,
	   AD_OUT,
	   AD_COUNT,
	   AD_IN1_OFFSET,
	   AD_IN1_MULT,
	   AD_IN1_SHIFT,
	   AD_IN2_OFFSET,
	   AD_IN2_MULT,
	   AD_IN2_SHIFT,
	   AD_LEFT_SHIFT,
	   AD_OUT_OFFSET,
	   AD_OUT_MULT,
	   AD_OUT_SHIFT,
	   AD_ACT_MIN,
	   AD_ACT_MAX,
	   AD_WORDS
};
enum { /* MUL */
	   MU_IN1,
	   MU_IN2,
	   MU_OUT,
	   MU_COUNT,
	   MU_IN1_OFFSET,
	   MU_IN2_OFFSET,
	   MU_OUT_OFFSET,
	   MU_OUT_MULT,
	   MU_OUT_SHIFT,
	   MU_ACT_MIN,
	   MU_ACT_MAX,
	   MU_WORDS
};
enum { /* QUANTIZE int8 -> int8 */
	   RQ_IN,
	   RQ_OUT,
	   RQ_COUNT,
	   RQ_IN_ZP,
	   RQ_OUT_ZP,
	   RQ_MULT,
	   RQ_SHIFT,
	   RQ_WORDS
};
enum { /* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32; the scale is a float32's bits */
	   CVT_IN,
	   CVT_OUT,
	   CVT_COUNT,
	   CVT_SCALE,
	   CVT_ZP,
	   CVT_WORDS
};
enum { /* RESHAPE into a separate buffer; CONST: the source is in the plan's constants */
	   CP_SRC,
	   CP_DST,
	   CP_COUNT,
	   CP_CONST,
	   CP_WORDS
};
enum { /* REVERSE_V2 along one axis of [N, H, W, C] */
	   RV_IN,
	   RV_OUT,
	   RV_N,
	   RV_H,
	   RV_W,
	   RV_C,
	   RV_AXIS,
	   RV_WORDS
};
#define XS_NN_PLAN_MAX_WORDS CV_WORDS

/* One prepared step: pointers resolved and checked, CMSIS-NN's structs filled. */
typedef struct {
	int32_t kind;
	const int8_t *in;
	const int8_t *in2;
	int8_t *out;
	const int8_t *filter;
	const int32_t *bias;
	cmsis_nn_context ctx;
	cmsis_nn_dims inDims, fDims, biasDims, outDims;
	union {
		cmsis_nn_conv_params conv;
		cmsis_nn_dw_conv_params dw;
		cmsis_nn_fc_params fc;
		cmsis_nn_pool_params pool;
	} p;
	cmsis_nn_per_channel_quant_params channel;
	cmsis_nn_per_tensor_quant_params tensor;
	/* The block itself, for the kinds whose kernels take plain integers. */
	int32_t w[XS_NN_PLAN_MAX_WORDS];
} xs_nn_step;

/* What the header says; filled by xs_nn_plan_header. */
typedef struct {
	uint32_t length;     /* the plan's bytes */
	uint32_t arenaBytes; /* the arena the steps use (activations and scratch) */
	uint32_t ops;
	uint32_t dataOffset, dataBytes; /* the plan's constants: multipliers, shifts, biases */
	uint32_t metaOffset, metaBytes; /* the TypeScript side's description (JSON), opaque here */
} xs_nn_plan_info;

typedef struct {
	uint32_t count;
	xs_nn_step *steps;
} xs_nn_plan;

/* Results; xs_nn_plan_header's first four say the plan is stale rather than damaged. */
typedef enum {
	XS_NN_PLAN_OK = 0,
	XS_NN_PLAN_OTHER_MODEL,   /* model size or CRC-32 differ */
	XS_NN_PLAN_OTHER_VERSION, /* another format version */
	XS_NN_PLAN_OTHER_BUILD,   /* kernels built with other rounding or DSP choice */
	XS_NN_PLAN_CORRUPT,       /* torn, bit-flipped or inconsistent */
	XS_NN_PLAN_BAD_STEP       /* an op outside the model, the constants or the arena */
} xs_nn_plan_status;

/** This build's kernel bits (XS_NN_PLAN_BUILD_*). */
uint32_t xs_nn_plan_kernel_build(void);

/**
 * Checks the header and the plan's CRC-32, and binds the plan to the model
 * (its size and CRC-32) and to this build. The plan may be at any alignment.
 */
xs_nn_plan_status xs_nn_plan_header(const uint8_t *plan, size_t planBytes, const uint8_t *model, size_t modelBytes,
                                    xs_nn_plan_info *info, char *error, size_t errorSize);

/** Bytes of `memory` xs_nn_plan_prepare needs for the steps (aligned as malloc's). */
size_t xs_nn_plan_memory(const xs_nn_plan_info *info);

/**
 * After xs_nn_plan_header: checks every op against the model, the plan's
 * constants and the arena (at least info->arenaBytes, 4-byte aligned), and
 * fills `out`, whose steps point into all three: the plan (4-byte aligned)
 * must stay where it is, unchanged, as long as `out` is used, which is why
 * a binding keeps its own copy. On an error `out` is not usable.
 */
xs_nn_plan_status xs_nn_plan_prepare(const uint8_t *plan, const xs_nn_plan_info *info, const uint8_t *model,
                                     size_t modelBytes, int8_t *arena, size_t arenaBytes, void *memory, xs_nn_plan *out,
                                     char *error, size_t errorSize);

/** Runs every step in order; the first kernel's refusal stops it (its step in *failed). */
arm_cmsis_nn_status xs_nn_plan_run(const xs_nn_plan *plan, uint32_t *failed);

#ifdef __cplusplus
}
#endif

#endif
