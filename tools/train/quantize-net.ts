// Full-integer post-training quantization of a trained Net to the TFLite int8 spec, an int8
// reference executor for the result, and the .tflite writer for it.
// SPDX-License-Identifier: Apache-2.0
//
// The TFLite int8 spec (tensorflow.org/lite/performance/quantization_spec), as applied here:
//  - activations: int8, asymmetric, per tensor; ranges from calibration (min/max over a sample
//    of training images), widened to contain 0; a fused ReLU shows up as a range starting at 0;
//  - CONV_2D weights: int8 symmetric per output channel (zero point 0, values -127..127),
//    quantized_dimension 0 of OHWI; FULLY_CONNECTED weights: symmetric per tensor;
//  - bias: int32, scale input_scale * weight_scale[c], zero point 0;
//  - MAX_POOL_2D and RESHAPE keep their input's scale and zero point;
//  - SOFTMAX output: scale 1/256, zero point -128;
//  - mirror-averaged nets (NetSpec.mirrorAverage): REVERSE_V2 keeps the input's parameters, both
//    passes share every tensor's parameters (calibrated over images and their mirrors), and the
//    ADD of the two logit vectors gets the calibrated range of the sum.
// The model input is the float net's input pixel/255 with scale 1/255 and zero point -128, so a
// uint8 pixel p enters as the int8 value p - 128, exactly.
import {
	activationRangeInt8,
	addParams,
	convMultipliers,
	roundHalfAwayFromZero,
	pow2,
} from "../../modules/nn/quantize";
import { ModelBuilder } from "../tflite/writer";
import { type Activation, type Net, convPad, mirror, softmax } from "./net";

export interface QParams {
	scale: number;
	zeroPoint: number;
}

interface QBase {
	inShape: number[];
	outShape: number[];
	input: QParams;
	output: QParams;
}

export type QLayer =
	| (QBase & {
			type: "conv" | "dense";
			/** OHWI (conv) or [out][in] (dense). */
			weights: Int8Array;
			weightScales: number[];
			bias: Int32Array;
			kernel: number;
			pad: number;
			padding: "SAME" | "VALID";
			activation: Activation;
			multipliers: Int32Array;
			shifts: Int32Array;
	  })
	| (QBase & { type: "maxpool"; size: number })
	| (QBase & { type: "reshape" })
	/** The sum of the two passes' logits (mirror-averaged nets; always right before the softmax). */
	| (QBase & { type: "add" })
	| (QBase & { type: "softmax"; beta: number });

export interface QuantizedNet {
	name: string;
	labels: string[];
	input: QParams;
	inputShape: number[];
	/**
	 * Layers before an "add" layer run twice, on the input and on its mirror image (REVERSE_V2 on
	 * the width axis), with the same weights; the add sums the two results.
	 */
	layers: QLayer[];
	/** Single rounding: what XNNPACK (the oracle), CMSIS-NN and xsight's kernels do by default. */
	singleRounding: true;
}

/** Input quantization of every model this tool writes: int8 = uint8 pixel - 128. */
export const INPUT_QUANT: QParams = { scale: Math.fround(1 / 255), zeroPoint: -128 };

/** TFLite-style asymmetric int8 parameters for a calibrated range (always containing 0). */
export function chooseQParams(min: number, max: number): QParams {
	const lo = Math.min(0, min);
	// A range that is all zeros still needs a valid (positive) scale.
	const hi = Math.max(lo + 1e-6, max, 0);
	const scale = Math.fround((hi - lo) / 255);
	const zeroPoint = Math.max(-128, Math.min(127, roundHalfAwayFromZero(-128 - lo / scale)));
	return { scale, zeroPoint };
}

/** Symmetric int8 weights with zero point 0 and values in [-127, 127] for one channel. */
export function symmetricScale(values: ArrayLike<number>, from: number, to: number): number {
	let m = 0;
	for (let i = from; i < to; i++) m = Math.max(m, Math.abs(values[i]!));
	// An all-zero channel gets scale 1 (its weights quantize to 0 either way).
	return m === 0 ? 1 : Math.fround(m / 127);
}

function quantizeValue(x: number, q: QParams): number {
	const v = roundHalfAwayFromZero(x / q.scale) + q.zeroPoint;
	return v < -128 ? -128 : v > 127 ? 127 : v;
}

export interface QuantizeNetOptions {
	/** Append SOFTMAX (default true); without it the model outputs int8 logits. */
	softmax?: boolean;
}

/** Calibrates activation ranges on `calibration` (float inputs) and quantizes every layer. */
export function quantizeNet(net: Net, calibration: Float32Array[], options: QuantizeNetOptions = {}): QuantizedNet {
	if (calibration.length === 0) throw new Error("quantize: no calibration samples");
	const layers = net.layers;
	const mirrored = net.spec.mirrorAverage === true;
	const mins = layers.map(() => Infinity);
	const maxs = layers.map(() => -Infinity);
	let sumMin = Infinity;
	let sumMax = -Infinity;
	for (const x of calibration) {
		const logits: Float32Array[] = [];
		for (const input of mirrored ? [x, mirror(x, net.spec.input, new Float32Array(x.length))] : [x]) {
			let a = input;
			layers.forEach((l, i) => {
				a = l.forward(a);
				for (const v of a) {
					if (v < mins[i]!) mins[i] = v;
					if (v > maxs[i]!) maxs[i] = v;
				}
			});
			// Layers reuse their output arrays: the first pass's logits must outlive the second.
			if (mirrored) logits.push(a.slice());
		}
		if (mirrored) {
			for (let k = 0; k < logits[0]!.length; k++) {
				const v = logits[0]![k]! + logits[1]![k]!;
				sumMin = Math.min(sumMin, v);
				sumMax = Math.max(sumMax, v);
			}
		}
	}
	const out: QLayer[] = [];
	let inQ = INPUT_QUANT;
	let inShape: number[] = [1, ...net.spec.input];
	layers.forEach((l, i) => {
		const spec = l.spec;
		const outShape = [1, ...l.outShape];
		switch (spec.type) {
			case "conv":
			case "dense": {
				const outQ = chooseQParams(mins[i]!, maxs[i]!);
				const [wp, bp] = l.params as unknown as [{ value: Float32Array }, { value: Float32Array }];
				const units = spec.type === "conv" ? spec.filters : spec.units;
				const per = wp.value.length / units;
				// Conv: one scale per output channel; dense: one for the tensor (TFLite's FC default).
				const scales =
					spec.type === "conv"
						? Array.from({ length: units }, (_, o) => symmetricScale(wp.value, o * per, (o + 1) * per))
						: [symmetricScale(wp.value, 0, wp.value.length)];
				// A channel whose weights decayed to almost nothing gets a tiny scale, and its bias
				// would not fit int32 at input_scale * weight_scale: widen the weight scale until it
				// does (with a factor 2 margin), as TFLite's converter does for bias overflow.
				for (let o = 0; o < units; o++) {
					const k = scales.length === 1 ? 0 : o;
					const need = Math.abs(bp.value[o]!) / (inQ.scale * 2 ** 30);
					if (scales[k]! < need) scales[k] = Math.fround(need * 1.0001);
				}
				const weights = new Int8Array(wp.value.length);
				for (let k = 0; k < weights.length; k++) {
					const s = scales.length === 1 ? scales[0]! : scales[Math.floor(k / per)]!;
					weights[k] = Math.max(-127, Math.min(127, roundHalfAwayFromZero(wp.value[k]! / s)));
				}
				const bias = new Int32Array(units);
				for (let o = 0; o < units; o++) {
					const s = Math.fround(inQ.scale * (scales.length === 1 ? scales[0]! : scales[o]!));
					const b = roundHalfAwayFromZero(bp.value[o]! / s);
					if (Math.abs(b) > 2147483647)
						throw new Error(`quantize: ${spec.type}${i} bias ${o} overflows int32`);
					bias[o] = b;
				}
				const m = convMultipliers(inQ.scale, scales, outQ.scale, units, { singleRounding: true });
				const kernel = spec.type === "conv" ? spec.kernel : 1;
				const padding = spec.type === "conv" ? spec.padding : "VALID";
				const outShapeL = spec.type === "dense" ? [1, units] : outShape;
				out.push({
					type: spec.type,
					inShape,
					outShape: outShapeL,
					input: inQ,
					output: outQ,
					weights,
					weightScales: scales,
					bias,
					kernel,
					pad: convPad(kernel, padding),
					padding,
					activation: spec.activation,
					multipliers: m.multipliers,
					shifts: m.shifts,
				});
				inQ = outQ;
				inShape = outShapeL;
				break;
			}
			case "maxpool":
				out.push({ type: "maxpool", inShape, outShape, input: inQ, output: inQ, size: spec.size });
				inShape = outShape;
				break;
			case "flatten": {
				const n = l.outShape[2];
				out.push({ type: "reshape", inShape, outShape: [1, n], input: inQ, output: inQ });
				inShape = [1, n];
				break;
			}
		}
	});
	if (mirrored) {
		const sumQ = chooseQParams(sumMin, sumMax);
		out.push({ type: "add", inShape, outShape: inShape, input: inQ, output: sumQ });
		inQ = sumQ;
	}
	if (options.softmax !== false) {
		// The softmax of half the sum is the softmax of the average.
		out.push({
			type: "softmax",
			inShape,
			outShape: inShape,
			input: inQ,
			output: { scale: Math.fround(1 / 256), zeroPoint: -128 },
			beta: mirrored ? 0.5 : 1,
		});
	}
	return {
		name: net.spec.name,
		labels: net.spec.labels,
		input: INPUT_QUANT,
		inputShape: [1, ...net.spec.input],
		layers: out,
		singleRounding: true,
	};
}

/**
 * TFLite's MultiplyByQuantizedMultiplier with single rounding:
 * (x * m + 2^(30 - shift)) >> (31 - shift), computed exactly in doubles by splitting m.
 */
export function requantize(x: number, multiplier: number, shift: number): number {
	const ts = 31 - shift;
	if (ts < 17 || ts > 50) {
		const r = (BigInt(x) * BigInt(multiplier) + (1n << BigInt(ts - 1))) >> BigInt(ts);
		return Number(r);
	}
	const mh = Math.floor(multiplier / 65536);
	const ml = multiplier - mh * 65536;
	const hi = x * mh;
	const lo = x * ml + pow2(ts - 1);
	const unit = pow2(ts - 16);
	const q1 = Math.floor(hi / unit);
	const r1 = hi - q1 * unit;
	return q1 + Math.floor((r1 * 65536 + lo) / pow2(ts));
}

/**
 * How conv/dense accumulators become int8:
 *  - "single": TFLite's integer MultiplyByQuantizedMultiplier with single rounding (CMSIS-NN
 *    single-rounding builds, xsight's kernels);
 *  - "fp32": XNNPACK's float requantization, which the TFLite runtime (the oracle) uses for
 *    CONV_2D and FULLY_CONNECTED: round-half-even(float(acc) * float(s_in * s_w / s_out)).
 * They differ only when the product lies within float32 rounding of a .5 tie.
 */
export type Requantization = "single" | "fp32";

/** Runs the int8 graph on one int8 input (the reference the oracle is compared with). */
export function runInt8(q: QuantizedNet, input: Int8Array, mode: Requantization = "single"): Int8Array {
	const split = q.layers.findIndex((l) => l.type === "add");
	const tower = (x: Int8Array, upTo: number): Int8Array => {
		let a = x;
		for (let i = 0; i < upTo; i++) a = runLayer(q.layers[i]!, a, mode);
		return a;
	};
	if (split < 0) return tower(input, q.layers.length);
	const [, h, w, c] = q.inputShape as [number, number, number, number];
	const flipped = mirror(input, [h, w, c], new Int8Array(input.length));
	let a = addInt8(q.layers[split]!, tower(input, split), tower(flipped, split));
	for (let i = split + 1; i < q.layers.length; i++) a = runLayer(q.layers[i]!, a, mode);
	return a;
}

/**
 * TFLite's reference int8 ADD (what CMSIS-NN's arm_elementwise_add_s8 and xsight compute): both
 * inputs to twice the larger scale with 20 bits of headroom, summed, rescaled to the output.
 */
function addInt8(l: QLayer, x: Int8Array, y: Int8Array): Int8Array {
	const p = addParams(l.input, l.input, l.output, "NONE", { singleRounding: true });
	const out = new Int8Array(x.length);
	for (let i = 0; i < x.length; i++) {
		const a = requantize((x[i]! + p.input1Offset) * 2 ** p.leftShift, p.input1Multiplier, p.input1Shift);
		const b = requantize((y[i]! + p.input2Offset) * 2 ** p.leftShift, p.input2Multiplier, p.input2Shift);
		const v = requantize(a + b, p.outputMultiplier, p.outputShift) + p.outputOffset;
		out[i] = v < p.activationMin ? p.activationMin : v > p.activationMax ? p.activationMax : v;
	}
	return out;
}

/** Round half to even (lrintf in the default rounding mode). */
function roundHalfEven(x: number): number {
	const f = Math.floor(x);
	const d = x - f;
	if (d > 0.5) return f + 1;
	if (d < 0.5) return f;
	return f % 2 === 0 ? f : f + 1;
}

function fp32Scales(l: { input: QParams; output: QParams; weightScales: number[] }, units: number): Float32Array {
	const out = new Float32Array(units);
	for (let o = 0; o < units; o++) {
		const ws = l.weightScales.length === 1 ? l.weightScales[0]! : l.weightScales[o]!;
		out[o] = Math.fround(Math.fround(l.input.scale * ws) / l.output.scale);
	}
	return out;
}

function runLayer(l: QLayer, x: Int8Array, mode: Requantization): Int8Array {
	switch (l.type) {
		case "reshape":
			return x;
		case "add":
			throw new Error("quantize: an add layer runs in runInt8 (it takes both passes)");
		case "maxpool": {
			const [, h, w, c] = l.inShape as [number, number, number, number];
			const s = l.size;
			const oh = Math.floor(h / s);
			const ow = Math.floor(w / s);
			const out = new Int8Array(oh * ow * c);
			let q = 0;
			for (let oy = 0; oy < oh; oy++) {
				for (let ox = 0; ox < ow; ox++) {
					for (let ci = 0; ci < c; ci++) {
						let m = -128;
						for (let dy = 0; dy < s; dy++)
							for (let dx = 0; dx < s; dx++)
								m = Math.max(m, x[((oy * s + dy) * w + ox * s + dx) * c + ci]!);
						out[q++] = m;
					}
				}
			}
			return out;
		}
		case "softmax": {
			// Not bit-exact with TFLite's integer softmax (LUT-based); float softmax of the dequantized
			// logits, quantized to 1/256: within one quantum of it.
			const logits = Float32Array.from(x, (v) => (v - l.input.zeroPoint) * l.input.scale * l.beta);
			const p = softmax(logits);
			return Int8Array.from(p, (v) => quantizeValue(v, l.output));
		}
		case "conv":
		case "dense": {
			const { min, max } = activationRangeInt8(l.activation, l.output.scale, l.output.zeroPoint);
			const zin = l.input.zeroPoint;
			const zout = l.output.zeroPoint;
			const fscale = mode === "fp32" ? fp32Scales(l, l.bias.length) : null;
			const rq = (acc: number, o: number): number =>
				fscale === null
					? requantize(acc, l.multipliers[o]!, l.shifts[o]!)
					: roundHalfEven(Math.fround(Math.fround(acc) * fscale[o]!));
			if (l.type === "dense") {
				const n = x.length;
				const units = l.bias.length;
				const out = new Int8Array(units);
				for (let o = 0; o < units; o++) {
					let acc = l.bias[o]!;
					const wb = o * n;
					for (let i = 0; i < n; i++) acc += (x[i]! - zin) * l.weights[wb + i]!;
					const v = rq(acc, o) + zout;
					out[o] = v < min ? min : v > max ? max : v;
				}
				return out;
			}
			const [, h, w, c] = l.inShape as [number, number, number, number];
			const [, oh, ow, oc] = l.outShape as [number, number, number, number];
			const k = l.kernel;
			const kk = k * k * c;
			const out = new Int8Array(oh * ow * oc);
			for (let oy = 0; oy < oh; oy++) {
				for (let ox = 0; ox < ow; ox++) {
					for (let o = 0; o < oc; o++) {
						let acc = l.bias[o]!;
						for (let ky = 0; ky < k; ky++) {
							const iy = oy + ky - l.pad;
							if (iy < 0 || iy >= h) continue;
							for (let kx = 0; kx < k; kx++) {
								const ix = ox + kx - l.pad;
								if (ix < 0 || ix >= w) continue;
								const xb = (iy * w + ix) * c;
								const wb = o * kk + (ky * k + kx) * c;
								for (let ci = 0; ci < c; ci++) acc += (x[xb + ci]! - zin) * l.weights[wb + ci]!;
							}
						}
						const v = rq(acc, o) + zout;
						out[(oy * ow + ox) * oc + o] = v < min ? min : v > max ? max : v;
					}
				}
			}
			return out;
		}
	}
}

/** Quantized input of one image: uint8 pixels to int8 (p - 128). */
export function pixelsToInt8(pixels: Uint8Array, out = new Int8Array(pixels.length)): Int8Array {
	for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! - 128;
	return out;
}

/**
 * Writes the quantized graph as a standard .tflite (schema v3, int8 in and out). A mirror-averaged
 * net becomes input -> REVERSE_V2 (width) -> the layers twice, the second pass on the mirrored
 * input with the first pass's weight tensors -> ADD -> SOFTMAX (beta 0.5): the weights are stored once.
 */
export function writeTflite(q: QuantizedNet, description: string): Uint8Array {
	const mb = new ModelBuilder();
	mb.description = description;
	const act = (name: string, shape: number[], p: QParams): number =>
		mb.addTensor({ name, shape, type: "int8", quant: { scale: [p.scale], zeroPoint: [p.zeroPoint] } });
	const input = act("input", q.inputShape, q.input);
	const split = q.layers.findIndex((l) => l.type === "add");
	/** Constant tensors of each layer, written by the first pass and reused by the second. */
	const constants = new Map<number, number[]>();
	const constantsOf = (i: number, make: () => number[]): number[] => {
		let ids = constants.get(i);
		if (ids === undefined) {
			ids = make();
			constants.set(i, ids);
		}
		return ids;
	};
	const emit = (from: number, to: number, start: number, pass: string): number => {
		let cur = start;
		for (let i = from; i < to; i++) {
			const l = q.layers[i]!;
			const name = `${pass}${l.type}${i}`;
			switch (l.type) {
				case "conv":
				case "dense": {
					const [w, b] = constantsOf(i, () => {
						const units = l.bias.length;
						const wShape =
							l.type === "conv"
								? [units, l.kernel, l.kernel, l.inShape[3]!]
								: [units, l.weights.length / units];
						const perChannel = l.weightScales.length > 1;
						const biasScales = perChannel
							? l.weightScales.map((s) => Math.fround(l.input.scale * s))
							: [Math.fround(l.input.scale * l.weightScales[0]!)];
						return [
							mb.addTensor({
								name: `${l.type}${i}/weights`,
								shape: wShape,
								type: "int8",
								data: l.weights,
								quant: {
									scale: l.weightScales,
									zeroPoint: l.weightScales.map(() => 0),
									quantizedDimension: 0,
								},
							}),
							mb.addTensor({
								name: `${l.type}${i}/bias`,
								shape: [units],
								type: "int32",
								data: l.bias,
								quant: { scale: biasScales, zeroPoint: biasScales.map(() => 0), quantizedDimension: 0 },
							}),
						];
					}) as [number, number];
					const o = act(name, l.outShape, l.output);
					if (l.type === "conv")
						mb.addOp("CONV_2D", [cur, w, b], [o], {
							padding: l.padding,
							strideW: 1,
							strideH: 1,
							activation: l.activation,
						});
					else mb.addOp("FULLY_CONNECTED", [cur, w, b], [o], { activation: l.activation });
					cur = o;
					break;
				}
				case "maxpool": {
					const o = act(name, l.outShape, l.output);
					mb.addOp("MAX_POOL_2D", [cur], [o], {
						padding: "VALID",
						strideW: l.size,
						strideH: l.size,
						filterW: l.size,
						filterH: l.size,
					});
					cur = o;
					break;
				}
				case "reshape": {
					const [shape] = constantsOf(i, () => [
						mb.addTensor({
							name: `reshape${i}/shape`,
							shape: [2],
							type: "int32",
							data: Int32Array.from(l.outShape),
						}),
					]) as [number];
					const o = act(name, l.outShape, l.output);
					mb.addOp("RESHAPE", [cur, shape], [o], { newShape: l.outShape });
					cur = o;
					break;
				}
				case "add":
					throw new Error("writer: an add layer sums two passes");
				case "softmax": {
					const o = act("output", l.outShape, l.output);
					mb.addOp("SOFTMAX", [cur], [o], { beta: l.beta });
					cur = o;
					break;
				}
			}
		}
		return cur;
	};
	let cur: number;
	if (split < 0) {
		cur = emit(0, q.layers.length, input, "");
	} else {
		const axis = mb.addTensor({ name: "mirror/axis", shape: [1], type: "int32", data: Int32Array.of(2) });
		const mirrored = act("mirror", q.inputShape, q.input);
		mb.addOp("REVERSE_V2", [input, axis], [mirrored]);
		const a = emit(0, split, input, "");
		const b = emit(0, split, mirrored, "mirror/");
		const add = q.layers[split]!;
		const sum = act(split === q.layers.length - 1 ? "output" : `add${split}`, add.outShape, add.output);
		mb.addOp("ADD", [a, b], [sum], { activation: "NONE" });
		cur = emit(split + 1, q.layers.length, sum, "");
	}
	mb.setInputs([input]).setOutputs([cur]);
	return mb.finish();
}

/** Multiply-accumulates of one inference. */
export function macsOf(q: QuantizedNet): number {
	let m = 0;
	for (const l of q.layers) {
		if (l.type === "conv")
			m += l.outShape[1]! * l.outShape[2]! * l.outShape[3]! * l.kernel * l.kernel * l.inShape[3]!;
		if (l.type === "dense") m += l.weights.length;
	}
	// A mirror-averaged net runs its layers twice.
	return q.layers.some((l) => l.type === "add") ? 2 * m : m;
}
