/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * The plan's operator kinds and parameter block layouts, shared with
 * native/nn/include/xs_nn_plan.h (docs/model-plan.md): each prepared
 * operator is one record of the plan, its block of int32 words. The word
 * order here must equal the enums there (the C side checks every value it
 * reads once, at load, so a mismatch is a refused plan, never a stray access).
 */

/** Record kinds (XS_NN_OP_*). */
export const OP = {
  CONV: 1, DEPTHWISE: 2, FULLY_CONNECTED: 3, POOL: 4, SOFTMAX: 5, ADD: 6, REQUANTIZE: 7, QUANTIZE: 8,
  DEQUANTIZE: 9, COPY: 10, REVERSE: 11,
} as const;

export const CV = {
  IN: 0, IN_N: 1, OUT: 5, OUT_N: 6, F_N: 10, STRIDE_W: 14, STRIDE_H: 15, PAD_W: 16, PAD_H: 17,
  DIL_W: 18, DIL_H: 19, IN_OFFSET: 20, OUT_OFFSET: 21, ACT_MIN: 22, ACT_MAX: 23, MULT: 24,
  SHIFT: 25, BIAS: 26, SCRATCH: 27, SCRATCH_SIZE: 28, CH_MULT: 29, WORDS: 30,
} as const;

export const FC = {
  IN: 0, BATCHES: 1, ACCUM: 2, OUT: 3, OUT_C: 4, IN_OFFSET: 5, FILTER_OFFSET: 6, OUT_OFFSET: 7,
  ACT_MIN: 8, ACT_MAX: 9, MULT: 10, SHIFT: 11, BIAS: 12, SCRATCH: 13, SCRATCH_SIZE: 14, WORDS: 15,
} as const;

export const PL = {
  IN: 0, IN_N: 1, OUT: 5, OUT_N: 6, F_H: 10, F_W: 11, STRIDE_W: 12, STRIDE_H: 13, PAD_W: 14,
  PAD_H: 15, ACT_MIN: 16, ACT_MAX: 17, MAX: 18, SCRATCH: 19, SCRATCH_SIZE: 20, WORDS: 21,
} as const;

export const SM = { IN: 0, OUT: 1, ROWS: 2, ROW_SIZE: 3, MULT: 4, SHIFT: 5, DIFF_MIN: 6, WORDS: 7 } as const;

export const AD = {
  IN1: 0, IN2: 1, OUT: 2, COUNT: 3, IN1_OFFSET: 4, IN1_MULT: 5, IN1_SHIFT: 6, IN2_OFFSET: 7,
  IN2_MULT: 8, IN2_SHIFT: 9, LEFT_SHIFT: 10, OUT_OFFSET: 11, OUT_MULT: 12, OUT_SHIFT: 13,
  ACT_MIN: 14, ACT_MAX: 15, WORDS: 16,
} as const;

export const RQ = { IN: 0, OUT: 1, COUNT: 2, IN_ZP: 3, OUT_ZP: 4, MULT: 5, SHIFT: 6, WORDS: 7 } as const;

/** float32 <-> int8; SCALE holds a float32's bits. */
export const CVT = { IN: 0, OUT: 1, COUNT: 2, SCALE: 3, ZP: 4, WORDS: 5 } as const;

/** RESHAPE: CONST 1 when SRC is in the plan's constants (a reshaped constant), 0 in the arena. */
export const CP = { SRC: 0, DST: 1, COUNT: 2, CONST: 3, WORDS: 4 } as const;

/** REVERSE_V2: input, output, [N, H, W, C] and the axis (0..3) reversed. */
export const RV = { IN: 0, OUT: 1, N: 2, H: 3, W: 4, C: 5, AXIS: 6, WORDS: 7 } as const;
