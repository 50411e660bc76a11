/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * CONV_2D and DEPTHWISE_CONV_2D (grouped convolution too): TFLite's Prepare
 * checks, per-channel multipliers, the CMSIS-NN wrappers' scratch; plan kinds 1 and 2.
 */

import * as nn from "native/nn";
import { activationRangeInt8 } from "../quantize";
import { BuiltinOperator, TensorType } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";
import { geometry, multiplierSides } from "./common";

/** Plan record kinds (xs_nn_plan.h's XS_NN_OP_CONV, XS_NN_OP_DEPTHWISE). */
const CONV = 1;
const DEPTHWISE = 2;

/** The block (int32 words): xs_nn_plan.h's CV_*. */
export const CV = {
	IN: 0,
	IN_N: 1,
	OUT: 5,
	OUT_N: 6,
	F_N: 10,
	STRIDE_W: 14,
	STRIDE_H: 15,
	PAD_W: 16,
	PAD_H: 17,
	DIL_W: 18,
	DIL_H: 19,
	IN_OFFSET: 20,
	OUT_OFFSET: 21,
	ACT_MIN: 22,
	ACT_MAX: 23,
	MULT: 24,
	SHIFT: 25,
	BIAS: 26,
	SCRATCH: 27,
	SCRATCH_SIZE: 28,
	CH_MULT: 29,
	WORDS: 30,
} as const;

export const conv: OpFamily = {
	codes: [BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		const depthwise = op.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D;
		const o = op.options;
		if (o.kind !== "conv2d" && o.kind !== "depthwise_conv2d") return prep.err(op, "options missing");
		const input = prep.tensor(op, op.inputs[0], "input");
		const filter = prep.tensor(op, op.inputs[1], "filter");
		const biasIndex = op.inputs[2];
		const bias = biasIndex === undefined || biasIndex < 0 ? null : prep.m.tensors[biasIndex]!;
		const output = prep.tensor(op, op.outputs[0], "output");
		const [n, h, w, c] = prep.rank4(op, input, "input");
		const [fn, fh, fw, fc] = prep.rank4(op, filter, "filter");
		const [on, oh, ow, oc] = prep.rank4(op, output, "output");
		const weights = prep.constData(op, filter, "filter");
		let chMult = 1;
		if (depthwise) {
			if (fn !== 1) prep.err(op, `filter shape [${filter.shape.join(", ")}] must be [1, H, W, C_OUT]`);
			if (fc !== oc || oc % c !== 0)
				prep.err(op, `filter channels ${fc} / input channels ${c} / output channels ${oc} disagree`);
			chMult = oc / c;
			if (o.kind === "depthwise_conv2d" && o.depthMultiplier !== 0 && o.depthMultiplier !== chMult)
				prep.err(op, `depth_multiplier ${o.depthMultiplier} does not match ${oc} / ${c} channels`);
		} else {
			if (fn !== oc) prep.err(op, `filter has ${fn} output channels, output has ${oc}`);
			if (c % fc !== 0) prep.err(op, `input channels ${c} are not a multiple of the filter's ${fc}`);
			// Grouped convolution: each of the c / fc groups owns as many output channels.
			if (oc % (c / fc) !== 0) prep.err(op, `${oc} output channels do not split into ${c / fc} groups`);
		}
		const g = geometry(o.padding, h, w, fh, fw, o.strideH, o.strideW, o.dilationH, o.dilationW);
		if (on !== n || oh !== g.outH || ow !== g.outW)
			prep.err(
				op,
				`output shape [${output.shape.join(", ")}] does not follow from input [${input.shape.join(", ")}] (expected [${n}, ${g.outH}, ${g.outW}, ${oc}])`,
			);
		if (g.outH < 1 || g.outW < 1) prep.err(op, "the filter is larger than the input");
		const iq = prep.act(op, input, "input");
		const outq = prep.act(op, output, "output");
		const fq = filter.quantization;
		if (fq === null) prep.err(op, `filter tensor ${filter.index} (${filter.name}) is not quantized`);
		if (fq.scale.length !== 1 && fq.scale.length !== oc)
			prep.err(op, `filter has ${fq.scale.length} scales for ${oc} output channels`);
		// An index loop: for-of makes an iterator result per channel, garbage the XS heap must collect.
		const fzps = fq.zeroPoint;
		for (let k = 0; k < fzps.length; k++)
			if (fzps[k] !== 0) prep.err(op, `filter zero point ${fzps[k]} must be 0 (symmetric int8 weights)`);
		let biasData: Uint8Array | null = null;
		if (bias !== null) {
			if (bias.type !== TensorType.INT32 || bias.elementCount !== oc)
				prep.err(op, `bias tensor ${bias.index} (${bias.name}) must be ${oc} int32 values`);
			biasData = prep.constData(op, bias, "bias");
		}
		const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
		const inputOffset = -iq.zeroPoint;
		// The two kernels' scratch takes the same dims; depthwise adds its channel multiplier.
		const dims = [
			n,
			h,
			w,
			c,
			fn,
			fh,
			fw,
			fc,
			on,
			oh,
			ow,
			oc,
			o.strideW,
			o.strideH,
			g.padW,
			g.padH,
			o.dilationW,
			o.dilationH,
			inputOffset,
			outq.zeroPoint,
		] as const;
		const scratch = depthwise ? nn.depthwiseScratch(...dims, chMult) : nn.convScratch(...dims);
		prep.scratchSizes[op.index] = scratch;
		prep.macs[op.index] = n * oh * ow * oc * fh * fw * (depthwise ? 1 : fc);
		const side = multiplierSides(iq.scale, fq.scale, outq.scale, oc, prep.q);
		if (biasData !== null) side.push(prep.bytes(biasData));
		return {
			kind: depthwise ? DEPTHWISE : CONV,
			weights,
			words: CV.WORDS,
			side,
			fill: (b, at, ctx) => {
				const set = (k: number, v: number): void => {
					b[at + k] = v;
				};
				set(CV.IN, ctx.offsets[input.index]!);
				set(CV.OUT, ctx.offsets[output.index]!);
				[n, h, w, c].forEach((d, k) => set(CV.IN_N + k, d));
				[on, oh, ow, oc].forEach((d, k) => set(CV.OUT_N + k, d));
				[fn, fh, fw, fc].forEach((d, k) => set(CV.F_N + k, d));
				set(CV.STRIDE_W, o.strideW);
				set(CV.STRIDE_H, o.strideH);
				set(CV.PAD_W, g.padW);
				set(CV.PAD_H, g.padH);
				set(CV.DIL_W, o.dilationW);
				set(CV.DIL_H, o.dilationH);
				set(CV.IN_OFFSET, inputOffset);
				set(CV.OUT_OFFSET, outq.zeroPoint);
				set(CV.ACT_MIN, range.min);
				set(CV.ACT_MAX, range.max);
				set(CV.MULT, ctx.sides[0]!);
				set(CV.SHIFT, ctx.sides[1]!);
				set(CV.BIAS, biasData !== null ? ctx.sides[2]! : -1);
				set(CV.SCRATCH, ctx.scratch);
				set(CV.SCRATCH_SIZE, ctx.scratchSize);
				set(CV.CH_MULT, chMult);
			},
		};
	},
};
