/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * FULLY_CONNECTED: per-tensor weights (plan kind 3) or per-channel ones
 * (kind 13: the block's MULT and SHIFT name a constant per output), any batch.
 */

import * as nn from "native/nn";
import { activationRangeInt8, quantizeMultiplier } from "../quantize";
import { BuiltinOperator, TensorType } from "../tflite";
import type { Operator } from "../tflite";
import { multiplierSides } from "./common";
import type { OpFamily, Persistent, Prepared, PrepareContext } from "./op";

/** Plan record kinds (xs_nn_plan.h's XS_NN_OP_FULLY_CONNECTED and _PER_CHANNEL). */
const FULLY_CONNECTED = 3;
const FULLY_CONNECTED_PER_CHANNEL = 13;

/** The block (int32 words): xs_nn_plan.h's FC_*. */
export const FC = {
	IN: 0,
	BATCHES: 1,
	ACCUM: 2,
	OUT: 3,
	OUT_C: 4,
	IN_OFFSET: 5,
	FILTER_OFFSET: 6,
	OUT_OFFSET: 7,
	ACT_MIN: 8,
	ACT_MAX: 9,
	MULT: 10,
	SHIFT: 11,
	BIAS: 12,
	SCRATCH: 13,
	SCRATCH_SIZE: 14,
	WORDS: 15,
} as const;

export const fullyConnected: OpFamily = {
	codes: [BuiltinOperator.FULLY_CONNECTED],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const o = op.options;
		if (o.kind !== "fully_connected") return prep.err(op, "options missing");
		const input = prep.tensor(op, op.inputs[0], "input");
		const filter = prep.tensor(op, op.inputs[1], "weights");
		const biasIndex = op.inputs[2];
		const bias = biasIndex === undefined || biasIndex < 0 ? null : prep.m.tensors[biasIndex]!;
		const output = prep.tensor(op, op.outputs[0], "output");
		if (filter.shape.length !== 2)
			prep.err(op, `weights shape [${filter.shape.join(", ")}] must be [units, depth]`);
		const [units, accum] = filter.shape as [number, number];
		if (units < 1 || accum < 1 || input.elementCount % accum !== 0)
			prep.err(op, `input of ${input.elementCount} values does not split into rows of ${accum}`);
		const batches = input.elementCount / accum;
		if (output.elementCount !== batches * units)
			prep.err(op, `output shape [${output.shape.join(", ")}] does not hold ${batches} x ${units} values`);
		const weights = prep.constData(op, filter, "weights");
		const iq = prep.act(op, input, "input");
		const outq = prep.act(op, output, "output");
		const fq = filter.quantization;
		if (fq === null) prep.err(op, `weights tensor ${filter.index} (${filter.name}) is not quantized`);
		const perChannel = fq.scale.length !== 1;
		if (perChannel && (fq.scale.length !== units || fq.quantizedDimension !== 0))
			prep.err(
				op,
				`weights have ${fq.scale.length} scales on dimension ${fq.quantizedDimension}: per-channel weights need one per unit (${units}) on dimension 0`,
			);
		// TFLite's per-channel weights are symmetric; per-tensor ones may have a zero point.
		const fzps = fq.zeroPoint;
		for (let k = 1; k < fzps.length; k++)
			if (fzps[k] !== 0) prep.err(op, `per-channel weights zero point ${fzps[k]} must be 0`);
		const fzp = fzps[0] ?? 0;
		if (fzp < -127 || fzp > 128 || (perChannel && fzp !== 0))
			prep.err(op, `weights zero point ${fzp} is out of range${perChannel ? " (per-channel weights: 0)" : ""}`);
		let biasData: Uint8Array | null = null;
		if (bias !== null) {
			if (bias.type !== TensorType.INT32 || bias.elementCount !== units)
				prep.err(op, `bias tensor ${bias.index} (${bias.name}) must be ${units} int32 values`);
			biasData = prep.constData(op, bias, "bias");
		}
		const side: Persistent[] = perChannel ? multiplierSides(iq.scale, fq.scale, outq.scale, units, prep.q) : [];
		if (biasData !== null) side.push(prep.bytes(biasData));
		const mq = perChannel ? null : quantizeMultiplier((iq.scale * fq.scale[0]!) / outq.scale, prep.q);
		const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
		prep.scratchSizes[op.index] = nn.fullyConnectedScratch(accum, units);
		prep.macs[op.index] = batches * accum * units;
		return {
			kind: perChannel ? FULLY_CONNECTED_PER_CHANNEL : FULLY_CONNECTED,
			weights,
			words: FC.WORDS,
			side,
			fill: (b, at, ctx) => {
				const set = (k: number, v: number): void => {
					b[at + k] = v;
				};
				set(FC.IN, ctx.offsets[input.index]!);
				set(FC.BATCHES, batches);
				set(FC.ACCUM, accum);
				set(FC.OUT, ctx.offsets[output.index]!);
				set(FC.OUT_C, units);
				set(FC.IN_OFFSET, -iq.zeroPoint);
				set(FC.FILTER_OFFSET, -fzp);
				set(FC.OUT_OFFSET, outq.zeroPoint);
				set(FC.ACT_MIN, range.min);
				set(FC.ACT_MAX, range.max);
				const bias = perChannel ? 2 : 0;
				set(FC.MULT, mq !== null ? mq.multiplier : ctx.sides[0]!);
				set(FC.SHIFT, mq !== null ? mq.shift : ctx.sides[1]!);
				set(FC.BIAS, biasData !== null ? ctx.sides[bias]! : -1);
				set(FC.SCRATCH, ctx.scratch);
				set(FC.SCRATCH_SIZE, ctx.scratchSize);
			},
		};
	},
};
