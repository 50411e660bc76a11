/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * SOFTMAX over the last dimension, int8 out at scale 1/256; plan kind 5.
 */

import { softmaxParams } from "../quantize";
import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_SOFTMAX). */
const SOFTMAX = 5;

/** The block (int32 words): xs_nn_plan.h's SM_*. */
export const SM = { IN: 0, OUT: 1, ROWS: 2, ROW_SIZE: 3, MULT: 4, SHIFT: 5, DIFF_MIN: 6, WORDS: 7 } as const;

export const softmax: OpFamily = {
	codes: [BuiltinOperator.SOFTMAX],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const o = op.options;
		if (o.kind !== "softmax") return prep.err(op, "options missing");
		const input = prep.tensor(op, op.inputs[0], "input");
		const output = prep.tensor(op, op.outputs[0], "output");
		prep.sameShape(op, input, output);
		if (input.shape.length < 1) prep.err(op, "input must have at least one dimension");
		const rowSize = input.shape[input.shape.length - 1]!;
		if (rowSize < 1 || rowSize > 4095) prep.err(op, `rows of ${rowSize} values are not supported (1 to 4095)`);
		const rows = input.elementCount / rowSize;
		const iq = prep.act(op, input, "input");
		const outq = prep.act(op, output, "output");
		if (outq.zeroPoint !== -128 || Math.abs(outq.scale - 1 / 256) > 1e-8)
			prep.err(
				op,
				`output quantization must be scale 1/256, zero point -128 (got ${outq.scale}, ${outq.zeroPoint})`,
			);
		// The kernel rescales with SRDHM in either rounding build (see
		// arm_softmax_s8), so its parameters are those of TFLite's default build.
		const p = softmaxParams(o.beta, iq.scale);
		prep.macs[op.index] = 0;
		return {
			kind: SOFTMAX,
			weights: null,
			words: SM.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				b[at + SM.IN] = ctx.offsets[input.index]!;
				b[at + SM.OUT] = ctx.offsets[output.index]!;
				b[at + SM.ROWS] = rows;
				b[at + SM.ROW_SIZE] = rowSize;
				b[at + SM.MULT] = p.inputMultiplier;
				b[at + SM.SHIFT] = p.inputLeftShift;
				b[at + SM.DIFF_MIN] = p.diffMin;
			},
		};
	},
};
