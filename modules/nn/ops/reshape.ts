/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * RESHAPE: an alias of its input in the arena, or a copy of a constant; plan kind 10.
 */

import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_COPY). */
const COPY = 10;

/** RESHAPE: CONST 1 when SRC is in the plan's constants (a reshaped constant), 0 in the arena. */
export const CP = { SRC: 0, DST: 1, COUNT: 2, CONST: 3, WORDS: 4 } as const;

export const reshape: OpFamily = {
	codes: [BuiltinOperator.RESHAPE],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const input = prep.tensor(op, op.inputs[0], "input");
		const output = prep.tensor(op, op.outputs[0], "output");
		if (input.elementCount !== output.elementCount || input.type !== output.type)
			prep.err(op, `cannot reshape [${input.shape.join(", ")}] to [${output.shape.join(", ")}]`);
		prep.macs[op.index] = 0;
		const count = output.byteSize;
		// A constant input is copied once into the plan's constants; an
		// activation input shares the output's bytes (planner aliasing), and
		// the kernel copies only if the plan gave them different places.
		const constant = input.data !== null ? prep.bytes(input.data.subarray(0, count)) : null;
		return {
			kind: COPY,
			weights: null,
			words: CP.WORDS,
			side: constant !== null ? [constant] : [],
			fill: (b, at, ctx) => {
				b[at + CP.SRC] = constant !== null ? ctx.sides[0]! : ctx.offsets[input.index]!;
				b[at + CP.DST] = ctx.offsets[output.index]!;
				b[at + CP.COUNT] = count;
				b[at + CP.CONST] = constant !== null ? 1 : 0;
			},
		};
	},
};
