/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * QUANTIZE (float32 -> int8, int8 -> int8) and DEQUANTIZE (int8 -> float32);
 * plan kinds 7, 8 and 9.
 */
import { quantizeMultiplier } from "../quantize";
import { BuiltinOperator, TensorType, tensorTypeName } from "../tflite";
import type { Operator } from "../tflite";
import type { OpFamily, Prepared, PrepareContext } from "./op";
import { floatBits } from "./common";

/** Plan record kinds (xs_nn_plan.h's XS_NN_OP_REQUANTIZE, XS_NN_OP_QUANTIZE, XS_NN_OP_DEQUANTIZE). */
const REQUANTIZE = 7;
const QUANTIZE = 8;
const DEQUANTIZE = 9;

/** The block of int8 -> int8 (int32 words): xs_nn_plan.h's RQ_*. */
export const RQ = { IN: 0, OUT: 1, COUNT: 2, IN_ZP: 3, OUT_ZP: 4, MULT: 5, SHIFT: 6, WORDS: 7 } as const;

/** float32 <-> int8; SCALE holds a float32's bits. */
export const CVT = { IN: 0, OUT: 1, COUNT: 2, SCALE: 3, ZP: 4, WORDS: 5 } as const;

const I8 = TensorType.INT8;
const F32 = TensorType.FLOAT32;

export const quantize: OpFamily = {
	codes: [BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE],
	prepare(prep: PrepareContext, op: Operator): Prepared {
		return op.builtinCode === BuiltinOperator.QUANTIZE ? toInt8(prep, op) : toFloat(prep, op);
	},
};

function toInt8(prep: PrepareContext, op: Operator): Prepared {
	const input = prep.tensor(op, op.inputs[0], "input");
	const output = prep.tensor(op, op.outputs[0], "output");
	prep.sameShape(op, input, output);
	const outq = prep.act(op, output, "output");
	const count = output.elementCount;
	prep.macs[op.index] = 0;
	if (input.type === F32) {
		return {
			kind: QUANTIZE,
			weights: null,
			words: CVT.WORDS,
			side: [],
			fill: (b, at, ctx) => {
				b[at + CVT.IN] = ctx.offsets[input.index]!;
				b[at + CVT.OUT] = ctx.offsets[output.index]!;
				b[at + CVT.COUNT] = count;
				b[at + CVT.SCALE] = floatBits(outq.scale);
				b[at + CVT.ZP] = outq.zeroPoint;
			},
		};
	}
	if (input.type !== I8) prep.err(op, `input type ${tensorTypeName(input.type)} is not supported`);
	const iq = prep.act(op, input, "input");
	const mq = quantizeMultiplier(iq.scale / outq.scale, prep.q);
	return {
		kind: REQUANTIZE,
		weights: null,
		words: RQ.WORDS,
		side: [],
		fill: (b, at, ctx) => {
			b[at + RQ.IN] = ctx.offsets[input.index]!;
			b[at + RQ.OUT] = ctx.offsets[output.index]!;
			b[at + RQ.COUNT] = count;
			b[at + RQ.IN_ZP] = iq.zeroPoint;
			b[at + RQ.OUT_ZP] = outq.zeroPoint;
			b[at + RQ.MULT] = mq.multiplier;
			b[at + RQ.SHIFT] = mq.shift;
		},
	};
}

function toFloat(prep: PrepareContext, op: Operator): Prepared {
	const input = prep.tensor(op, op.inputs[0], "input");
	const output = prep.tensor(op, op.outputs[0], "output");
	prep.sameShape(op, input, output);
	if (input.type !== I8) prep.err(op, `input type ${tensorTypeName(input.type)} is not supported`);
	const iq = prep.act(op, input, "input");
	const count = output.elementCount;
	prep.macs[op.index] = 0;
	return {
		kind: DEQUANTIZE,
		weights: null,
		words: CVT.WORDS,
		side: [],
		fill: (b, at, ctx) => {
			b[at + CVT.IN] = ctx.offsets[input.index]!;
			b[at + CVT.OUT] = ctx.offsets[output.index]!;
			b[at + CVT.COUNT] = count;
			b[at + CVT.SCALE] = floatBits(iq.scale);
			b[at + CVT.ZP] = iq.zeroPoint;
		},
	};
}
