/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * AVERAGE_POOL_2D and MAX_POOL_2D; plan kind 4.
 */

import * as nn from "native/nn";
import { activationRangeInt8 } from "../quantize";
import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";
import { geometry } from "./common";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_POOL). */
const POOL = 4;

/** The block (int32 words): xs_nn_plan.h's PL_*. */
export const PL = {
	IN: 0,
	IN_N: 1,
	OUT: 5,
	OUT_N: 6,
	F_H: 10,
	F_W: 11,
	STRIDE_W: 12,
	STRIDE_H: 13,
	PAD_W: 14,
	PAD_H: 15,
	ACT_MIN: 16,
	ACT_MAX: 17,
	MAX: 18,
	SCRATCH: 19,
	SCRATCH_SIZE: 20,
	WORDS: 21,
} as const;

export const pool: OpFamily = {
	codes: [BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const o = op.options;
		if (o.kind !== "pool2d") return prep.err(op, "options missing");
		const input = prep.tensor(op, op.inputs[0], "input");
		const output = prep.tensor(op, op.outputs[0], "output");
		const [n, h, w, c] = prep.rank4(op, input, "input");
		const [on, oh, ow, oc] = prep.rank4(op, output, "output");
		const g = geometry(o.padding, h, w, o.filterH, o.filterW, o.strideH, o.strideW, 1, 1);
		if (on !== n || oh !== g.outH || ow !== g.outW || oc !== c)
			prep.err(
				op,
				`output shape [${output.shape.join(", ")}] does not follow from input [${input.shape.join(", ")}] (expected [${n}, ${g.outH}, ${g.outW}, ${c}])`,
			);
		if (g.outH < 1 || g.outW < 1) prep.err(op, "the window is larger than the input");
		// A window entirely in the padding has no value (TFLite errors too).
		if (g.padH >= o.filterH || g.padW >= o.filterW) prep.err(op, "a pooling window lies entirely in the padding");
		const iq = prep.act(op, input, "input");
		const outq = prep.act(op, output, "output");
		if (iq.scale !== outq.scale || iq.zeroPoint !== outq.zeroPoint)
			prep.err(op, "input and output quantization must be equal");
		const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
		const isMax = op.builtinCode === BuiltinOperator.MAX_POOL_2D;
		prep.scratchSizes[op.index] = isMax ? 0 : nn.avgPoolScratch(ow, c);
		prep.macs[op.index] = 0;
		return {
			kind: POOL,
			weights: null,
			words: PL.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				const set = (k: number, v: number): void => {
					b[at + k] = v;
				};
				set(PL.IN, ctx.offsets[input.index]!);
				set(PL.OUT, ctx.offsets[output.index]!);
				[n, h, w, c].forEach((d, k) => set(PL.IN_N + k, d));
				[on, oh, ow, oc].forEach((d, k) => set(PL.OUT_N + k, d));
				set(PL.F_H, o.filterH);
				set(PL.F_W, o.filterW);
				set(PL.STRIDE_W, o.strideW);
				set(PL.STRIDE_H, o.strideH);
				set(PL.PAD_W, g.padW);
				set(PL.PAD_H, g.padH);
				set(PL.ACT_MIN, range.min);
				set(PL.ACT_MAX, range.max);
				set(PL.MAX, isMax ? 1 : 0);
				set(PL.SCRATCH, ctx.scratch);
				set(PL.SCRATCH_SIZE, ctx.scratchSize);
			},
		};
	},
};
