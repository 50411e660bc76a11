/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * ADD of two same-shaped activations; plan kind 6.
 */

import { addParams } from "../quantize";
import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import { elementwiseOperands } from "./common";
import type { OpFamily, Prepared, PrepareContext } from "./op";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_ADD). */
const ADD = 6;

/** The block (int32 words): xs_nn_plan.h's AD_*. */
export const AD = {
	IN1: 0,
	IN2: 1,
	OUT: 2,
	COUNT: 3,
	IN1_OFFSET: 4,
	IN1_MULT: 5,
	IN1_SHIFT: 6,
	IN2_OFFSET: 7,
	IN2_MULT: 8,
	IN2_SHIFT: 9,
	LEFT_SHIFT: 10,
	OUT_OFFSET: 11,
	OUT_MULT: 12,
	OUT_SHIFT: 13,
	ACT_MIN: 14,
	ACT_MAX: 15,
	WORDS: 16,
} as const;

export const add: OpFamily = {
	codes: [BuiltinOperator.ADD],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const o = op.options;
		if (o.kind !== "add") return prep.err(op, "options missing");
		const { in1, in2, output, q1, q2, qo } = elementwiseOperands(prep, op);
		const p = addParams(q1, q2, qo, o.activation, prep.q);
		const count = output.elementCount;
		prep.macs[op.index] = 0;
		return {
			kind: ADD,
			weights: null,
			words: AD.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				const set = (k: number, v: number): void => {
					b[at + k] = v;
				};
				set(AD.IN1, ctx.offsets[in1.index]!);
				set(AD.IN2, ctx.offsets[in2.index]!);
				set(AD.OUT, ctx.offsets[output.index]!);
				set(AD.COUNT, count);
				set(AD.IN1_OFFSET, p.input1Offset);
				set(AD.IN1_MULT, p.input1Multiplier);
				set(AD.IN1_SHIFT, p.input1Shift);
				set(AD.IN2_OFFSET, p.input2Offset);
				set(AD.IN2_MULT, p.input2Multiplier);
				set(AD.IN2_SHIFT, p.input2Shift);
				set(AD.LEFT_SHIFT, p.leftShift);
				set(AD.OUT_OFFSET, p.outputOffset);
				set(AD.OUT_MULT, p.outputMultiplier);
				set(AD.OUT_SHIFT, p.outputShift);
				set(AD.ACT_MIN, p.activationMin);
				set(AD.ACT_MAX, p.activationMax);
			},
		};
	},
};
