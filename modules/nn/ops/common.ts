/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * What several operator families share: output geometry and padding, the
 * per-channel multipliers, the element-wise operands, float32 bits in an int32 word.
 */
import * as nn from "native/nn";
import { convMultipliers } from "../quantize";
import type { QuantizeOptions } from "../quantize";
import type { Operator, Padding, Tensor as ParsedTensor } from "../tflite";
import type { Persistent, PrepareContext } from "./op";

/**
 * The multiplier and shift side allocations (channels words each, in that
 * order), computed in C straight into the plan when the scales are a typed
 * view (always, on XS): no per-channel arrays to copy and collect.
 */
export function multiplierSides(
	inputScale: number,
	filterScales: Float32Array | number[],
	outputScale: number,
	channels: number,
	q: QuantizeOptions,
): Persistent[] {
	if (filterScales instanceof Float32Array) {
		const singleRounding = q.singleRounding === true;
		return [
			{
				words: channels,
				fill: (data, at) => {
					const m = at >> 2;
					nn.convMultipliers(
						inputScale,
						filterScales,
						outputScale,
						singleRounding,
						data.subarray(m, m + channels),
						data.subarray(m + channels, m + 2 * channels),
					);
				},
			},
			// Written with the multipliers, just before it in the plan.
			{ words: channels, fill: () => undefined },
		];
	}
	const mult = convMultipliers(inputScale, filterScales, outputScale, channels, q);
	return [
		{ words: channels, fill: (data, at) => data.set(mult.multipliers, at >> 2) },
		{ words: channels, fill: (data, at) => data.set(mult.shifts, at >> 2) },
	];
}

export interface Geometry {
	outH: number;
	outW: number;
	padH: number;
	padW: number;
}

/** TFLite's ComputePaddingHeightWidth (padding.h) for one operator. */
export function geometry(
	padding: Padding,
	inH: number,
	inW: number,
	kH: number,
	kW: number,
	sH: number,
	sW: number,
	dH: number,
	dW: number,
): Geometry {
	const ekH = (kH - 1) * dH + 1;
	const ekW = (kW - 1) * dW + 1;
	const out = (size: number, ek: number, s: number): number =>
		padding === "SAME" ? Math.floor((size + s - 1) / s) : Math.floor((size - ek + s) / s);
	const outH = out(inH, ekH, sH);
	const outW = out(inW, ekW, sW);
	const pad = (o: number, s: number, ek: number, size: number): number =>
		Math.max(0, Math.floor(((o - 1) * s + ek - size) / 2));
	return { outH, outW, padH: pad(outH, sH, ekH, inH), padW: pad(outW, sW, ekW, inW) };
}

const bitsView = new DataView(new ArrayBuffer(4));
/** A float32's bits as an int32 (blocks hold scales this way). */
export function floatBits(f: number): number {
	bitsView.setFloat32(0, f, true);
	return bitsView.getInt32(0, true);
}

/** An element-wise operator's operands (ADD, MUL): two activations of the output's shape and the output, with their quantization. */
export interface ElementwiseOperands {
	in1: ParsedTensor;
	in2: ParsedTensor;
	output: ParsedTensor;
	q1: { scale: number; zeroPoint: number };
	q2: { scale: number; zeroPoint: number };
	qo: { scale: number; zeroPoint: number };
}

/** ADD's and MUL's inputs: same shapes only (a broadcast is refused) and no constant input. */
export function elementwiseOperands(prep: PrepareContext, op: Operator): ElementwiseOperands {
	const in1 = prep.tensor(op, op.inputs[0], "input 1");
	const in2 = prep.tensor(op, op.inputs[1], "input 2");
	const output = prep.tensor(op, op.outputs[0], "output");
	prep.sameShape(op, in1, in2);
	prep.sameShape(op, in1, output);
	if (in1.data !== null || in2.data !== null) prep.err(op, "constant inputs are not supported");
	return {
		in1,
		in2,
		output,
		q1: prep.act(op, in1, "input 1"),
		q2: prep.act(op, in2, "input 2"),
		qo: prep.act(op, output, "output"),
	};
}
