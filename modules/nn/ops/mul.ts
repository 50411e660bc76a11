/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * MUL of two same-shaped activations; plan kind 12.
 */

import { activationRangeInt8, quantizeMultiplier } from "../quantize";
import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import { elementwiseOperands } from "./common";
import type { OpFamily, Prepared, PrepareContext } from "./op";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_MUL). */
const MUL = 12;

/** The block (int32 words): xs_nn_plan.h's MU_*. */
export const MU = {
	IN1: 0,
	IN2: 1,
	OUT: 2,
	COUNT: 3,
	IN1_OFFSET: 4,
	IN2_OFFSET: 5,
	OUT_OFFSET: 6,
	OUT_MULT: 7,
	OUT_SHIFT: 8,
	ACT_MIN: 9,
	ACT_MAX: 10,
	WORDS: 11,
} as const;

/**
 * TFLite's int8 MUL (Prepare: the product of the offset inputs is an
 * accumulator of scale input1 x input2, requantized to the output's by one
 * multiplier). Same shapes only: a broadcast is refused, as for ADD.
 */
export const mul: OpFamily = {
	codes: [BuiltinOperator.MUL],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const o = op.options;
		if (o.kind !== "mul") return prep.err(op, "options missing");
		const { in1, in2, output, q1, q2, qo } = elementwiseOperands(prep, op);
		const m = quantizeMultiplier((q1.scale * q2.scale) / qo.scale, prep.q);
		const range = activationRangeInt8(o.activation, qo.scale, qo.zeroPoint);
		const count = output.elementCount;
		prep.macs[op.index] = 0;
		return {
			kind: MUL,
			weights: null,
			words: MU.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				const set = (k: number, v: number): void => {
					b[at + k] = v;
				};
				set(MU.IN1, ctx.offsets[in1.index]!);
				set(MU.IN2, ctx.offsets[in2.index]!);
				set(MU.OUT, ctx.offsets[output.index]!);
				set(MU.COUNT, count);
				set(MU.IN1_OFFSET, -q1.zeroPoint);
				set(MU.IN2_OFFSET, -q2.zeroPoint);
				set(MU.OUT_OFFSET, qo.zeroPoint);
				set(MU.OUT_MULT, m.multiplier);
				set(MU.OUT_SHIFT, m.shift);
				set(MU.ACT_MIN, range.min);
				set(MU.ACT_MAX, range.max);
			},
		};
	},
};
