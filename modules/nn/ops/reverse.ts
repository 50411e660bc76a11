/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * REVERSE_V2 along one constant axis; plan kind 11.
 */

import { BuiltinOperator } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";

/** Plan record kind (xs_nn_plan.h's XS_NN_OP_REVERSE). */
const REVERSE = 11;

/** REVERSE_V2: input, output, [N, H, W, C] and the axis (0..3) reversed. */
export const RV = { IN: 0, OUT: 1, N: 2, H: 3, W: 4, C: 5, AXIS: 6, WORDS: 7 } as const;

/**
 * REVERSE_V2 with one axis, as TFLite's Prepare checks it: a constant int32
 * axis holding one value in [-rank, rank) (negative counts from the end),
 * the output the input's shape. int8 keeps the input's quantization (the
 * kernel only moves bytes), so the output must carry the same scale and
 * zero point. Any rank: the kernel sees [outer, 1, axis, inner] unless the
 * tensor is already rank 4.
 */
export const reverse: OpFamily = {
	codes: [BuiltinOperator.REVERSE_V2],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const input = prep.tensor(op, op.inputs[0], "input");
		const axisTensor = prep.tensor(op, op.inputs[1], "axis");
		const output = prep.tensor(op, op.outputs[0], "output");
		const axisName = `axis tensor ${axisTensor.index} (${axisTensor.name})`;
		if (axisTensor.data === null) prep.err(op, `${axisName} must be a constant`);
		if (axisTensor.elementCount !== 1 || axisTensor.shape.length > 1)
			prep.err(
				op,
				`${axisName} has shape [${axisTensor.shape.join(", ")}], expected one value (reversing several axes is not supported)`,
			);
		const a = axisTensor.data;
		const stored = a[0]! | (a[1]! << 8) | (a[2]! << 16) | (a[3]! << 24);
		const rank = input.shape.length;
		if (stored < -rank || stored >= rank)
			prep.err(op, `${axisName} holds ${stored}, outside [${-rank}, ${rank - 1}] for the rank ${rank} input`);
		const axis = stored < 0 ? stored + rank : stored;
		prep.sameShape(op, input, output);
		for (const d of input.shape)
			if (d < 1) prep.err(op, `input tensor ${input.index} (${input.name}) has an empty dimension`);
		if (input.data !== null)
			prep.err(op, `input tensor ${input.index} (${input.name}) is a constant (not supported)`);
		const iq = prep.act(op, input, "input");
		const outq = prep.act(op, output, "output");
		if (iq.scale !== outq.scale || iq.zeroPoint !== outq.zeroPoint)
			prep.err(
				op,
				`output quantization (scale ${outq.scale}, zero point ${outq.zeroPoint}) must equal the input's (${iq.scale}, ${iq.zeroPoint})`,
			);
		let dims: number[];
		let kernelAxis = axis;
		if (rank === 4) {
			dims = input.shape.slice();
		} else {
			let outer = 1;
			let inner = 1;
			for (let k = 0; k < axis; k++) outer *= input.shape[k]!;
			for (let k = axis + 1; k < rank; k++) inner *= input.shape[k]!;
			dims = [outer, 1, input.shape[axis]!, inner];
			kernelAxis = 2;
		}
		prep.macs[op.index] = 0;
		return {
			kind: REVERSE,
			weights: null,
			words: RV.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				b[at + RV.IN] = ctx.offsets[input.index]!;
				b[at + RV.OUT] = ctx.offsets[output.index]!;
				b[at + RV.N] = dims[0]!;
				b[at + RV.H] = dims[1]!;
				b[at + RV.W] = dims[2]!;
				b[at + RV.C] = dims[3]!;
				b[at + RV.AXIS] = kernelAxis;
			},
		};
	},
};
