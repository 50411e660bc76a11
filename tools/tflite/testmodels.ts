/*
 * Small int8 .tflite models for tests, with seeded random weights, covering
 * every operator and option the loader accepts. Conventions follow what the
 * TFLite converter emits for int8:
 *  - CONV_2D weights OHWI, per-channel scales on dimension 0, zero point 0;
 *  - DEPTHWISE_CONV_2D weights 1HWO, per-channel on dimension 3;
 *  - FULLY_CONNECTED weights [out, in], per-tensor;
 *  - int32 bias with scale[c] = input_scale * weight_scale[c], zero point 0;
 *  - SOFTMAX output scale 1/256, zero point -128.
 */

import { ModelBuilder } from "./writer";
import type { Act, OpOptionsSpec, QuantSpec } from "./writer";

/** mulberry32: tiny, fast, seedable PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function randomInt8(r: () => number, n: number, lo = -127, hi = 127): Int8Array {
	const out = new Int8Array(n);
	for (let i = 0; i < n; i++) out[i] = lo + Math.floor(r() * (hi - lo + 1));
	return out;
}

export interface Act8 {
	scale: number;
	zeroPoint: number;
}

/** Helper that threads int8 activations through layers of a ModelBuilder. */
export class Int8Net {
	readonly mb = new ModelBuilder();
	readonly r: () => number;
	private n = 0;

	constructor(seed: number) {
		this.r = rng(seed);
	}

	input(shape: number[], q: Act8 = { scale: 0.02, zeroPoint: -3 }): number {
		return this.act(shape, q, "input");
	}

	act(shape: number[], q: Act8, name = "act"): number {
		return this.mb.addTensor({
			name: `${name}_${this.n++}`,
			shape,
			type: "int8",
			quant: { scale: [q.scale], zeroPoint: [q.zeroPoint] },
		});
	}

	quantOf(t: number): Act8 {
		const spec = this.mb.tensor(t);
		return { scale: spec.quant!.scale[0]!, zeroPoint: spec.quant!.zeroPoint[0]! };
	}

	shapeOf(t: number): number[] {
		return this.mb.tensor(t).shape;
	}

	/** Weight scales per output channel, spread so channels differ. */
	private weightScales(n: number, perChannel: boolean): number[] {
		const base = 0.004 + this.r() * 0.004;
		const out: number[] = [];
		for (let c = 0; c < (perChannel ? n : 1); c++) out.push(base * (0.5 + this.r()));
		return out;
	}

	/**
	 * An output scale that keeps random int8 products mid-range: the
	 * accumulator's spread is about sqrt(fanIn) * 74 * 73 quanta (uniform
	 * int8 has std 74), aimed at a std of ~50 output quanta.
	 */
	private outScale(inScale: number, ws: number[], fanIn: number): number {
		const mean = ws.reduce((a, b) => a + b, 0) / ws.length;
		return (inScale * mean * Math.sqrt(fanIn) * 74 * 73) / 50;
	}

	private bias(inScale: number, wScales: number[], n: number, name: string): number {
		const data = new Int32Array(n);
		for (let c = 0; c < n; c++) data[c] = Math.round((this.r() - 0.5) * 2000);
		const scale: number[] = [];
		for (let c = 0; c < wScales.length; c++) scale.push(inScale * wScales[c]!);
		const quant: QuantSpec = { scale, zeroPoint: scale.map(() => 0), quantizedDimension: 0 };
		return this.mb.addTensor({ name, shape: [n], type: "int32", data, quant });
	}

	/** Each CONV_2D's output -> its weight and bias tensors (for `sameWeightsAs`). */
	private readonly convInputs = new Map<number, number[]>();

	/**
	 * A CONV_2D. `sameWeightsAs` (an earlier conv's output): read that conv's
	 * weight and bias tensors (the same tensor indices, as a graph that runs
	 * one layer twice has) and give the output its quantization.
	 */
	conv(
		x: number,
		outC: number,
		k: [number, number],
		opts: OpOptionsSpec & { perChannel?: boolean; bias?: boolean; out?: Act8; sameWeightsAs?: number } = {},
	): number {
		const [n, h, w, inC] = this.shapeOf(x) as [number, number, number, number];
		if (opts.sameWeightsAs !== undefined) {
			const shared = this.convInputs.get(opts.sameWeightsAs);
			if (shared === undefined) throw new Error(`tensor ${opts.sameWeightsAs} is not a CONV_2D output`);
			const [oh, ow] = outSize(h, w, k, opts);
			const y = this.act([n, oh, ow, outC], this.quantOf(opts.sameWeightsAs));
			this.mb.addOp("CONV_2D", [x, ...shared], [y], opts);
			return y;
		}
		const iq = this.quantOf(x);
		const ws = this.weightScales(outC, opts.perChannel ?? true);
		const weights = this.mb.addTensor({
			name: `conv_w_${this.n++}`,
			shape: [outC, k[0], k[1], inC],
			type: "int8",
			data: randomInt8(this.r, outC * k[0] * k[1] * inC),
			quant: { scale: ws, zeroPoint: ws.map(() => 0), quantizedDimension: 0 },
		});
		// No bias is written as an omitted optional input (-1). Full TFLite's
		// int8 CONV_2D requires a bias (conv.cc: has_bias), TFLM does not.
		const inputs = [x, weights, opts.bias === false ? -1 : this.bias(iq.scale, ws, outC, `conv_b_${this.n++}`)];
		const [oh, ow] = outSize(h, w, k, opts);
		const y = this.act(
			[n, oh, ow, outC],
			opts.out ?? { scale: this.outScale(iq.scale, ws, k[0] * k[1] * inC), zeroPoint: 5 },
		);
		this.mb.addOp("CONV_2D", inputs, [y], opts);
		this.convInputs.set(y, inputs.slice(1));
		return y;
	}

	depthwise(
		x: number,
		multiplier: number,
		k: [number, number],
		opts: OpOptionsSpec & { perChannel?: boolean; out?: Act8 } = {},
	): number {
		const [n, h, w, inC] = this.shapeOf(x) as [number, number, number, number];
		const outC = inC * multiplier;
		const iq = this.quantOf(x);
		const ws = this.weightScales(outC, opts.perChannel ?? true);
		const weights = this.mb.addTensor({
			name: `dw_w_${this.n++}`,
			shape: [1, k[0], k[1], outC],
			type: "int8",
			data: randomInt8(this.r, k[0] * k[1] * outC),
			quant: { scale: ws, zeroPoint: ws.map(() => 0), quantizedDimension: 3 },
		});
		const b = this.bias(iq.scale, ws, outC, `dw_b_${this.n++}`);
		const [oh, ow] = outSize(h, w, k, opts);
		const y = this.act(
			[n, oh, ow, outC],
			opts.out ?? { scale: this.outScale(iq.scale, ws, k[0] * k[1]), zeroPoint: -2 },
		);
		this.mb.addOp("DEPTHWISE_CONV_2D", [x, weights, b], [y], { ...opts, depthMultiplier: multiplier });
		return y;
	}

	/** A FULLY_CONNECTED; `perChannel`: a weight scale per unit (quantized dimension 0). */
	fullyConnected(x: number, units: number, opts: OpOptionsSpec & { out?: Act8; perChannel?: boolean } = {}): number {
		const shape = this.shapeOf(x);
		const inN = shape[shape.length - 1]!;
		const iq = this.quantOf(x);
		const ws = this.weightScales(units, opts.perChannel ?? false);
		const weights = this.mb.addTensor({
			name: `fc_w_${this.n++}`,
			shape: [units, inN],
			type: "int8",
			data: randomInt8(this.r, units * inN),
			quant: { scale: ws, zeroPoint: ws.map(() => 0), quantizedDimension: 0 },
		});
		const b = this.bias(iq.scale, ws, units, `fc_b_${this.n++}`);
		const batch = shape.slice(0, -1).reduce((a, d) => a * d, 1);
		const outShape = opts.keepNumDims === true ? [...shape.slice(0, -1), units] : [batch, units];
		const y = this.act(outShape, opts.out ?? { scale: this.outScale(iq.scale, ws, inN), zeroPoint: 1 });
		this.mb.addOp("FULLY_CONNECTED", [x, weights, b], [y], opts);
		return y;
	}

	pool(kind: "AVERAGE_POOL_2D" | "MAX_POOL_2D", x: number, f: [number, number], opts: OpOptionsSpec = {}): number {
		const [n, h, w, c] = this.shapeOf(x) as [number, number, number, number];
		const [oh, ow] = outSize(h, w, f, { ...opts, dilationH: 1, dilationW: 1 });
		// Pooling keeps the input's quantization, as the converter does.
		const y = this.act([n, oh, ow, c], this.quantOf(x));
		this.mb.addOp(kind, [x], [y], { ...opts, filterH: f[0], filterW: f[1] });
		return y;
	}

	reshape(x: number, shape: number[], viaTensor = true): number {
		const y = this.act(shape, this.quantOf(x));
		const inputs = [x];
		if (viaTensor)
			inputs.push(
				this.mb.addTensor({
					name: `shape_${this.n++}`,
					shape: [shape.length],
					type: "int32",
					data: new Int32Array(shape),
				}),
			);
		this.mb.addOp("RESHAPE", inputs, [y], { newShape: shape });
		return y;
	}

	/** REVERSE_V2 along `axis` (an int32 constant of one value); int8 keeps the input's quantization. */
	reverse(x: number, axis: number): number {
		const y = this.act(this.shapeOf(x), this.quantOf(x));
		const a = this.mb.addTensor({ name: `axis_${this.n++}`, shape: [1], type: "int32", data: Int32Array.of(axis) });
		this.mb.addOp("REVERSE_V2", [x, a], [y]);
		return y;
	}

	softmax(x: number, beta = 1): number {
		const y = this.act(this.shapeOf(x), { scale: 1 / 256, zeroPoint: -128 });
		this.mb.addOp("SOFTMAX", [x], [y], { beta });
		return y;
	}

	add(a: number, b: number, activation: Act = "NONE", out?: Act8): number {
		const qa = this.quantOf(a);
		const y = this.act(this.shapeOf(a), out ?? { scale: qa.scale * 2, zeroPoint: 0 });
		this.mb.addOp("ADD", [a, b], [y], { activation });
		return y;
	}

	/** MUL of two same-shaped activations; the output scale by default the product of the inputs'. */
	mul(a: number, b: number, activation: Act = "NONE", out?: Act8): number {
		const y = this.act(
			this.shapeOf(a),
			out ?? { scale: this.quantOf(a).scale * this.quantOf(b).scale, zeroPoint: 0 },
		);
		this.mb.addOp("MUL", [a, b], [y], { activation });
		return y;
	}

	quantize(x: number, out: Act8): number {
		const y = this.act(this.shapeOf(x), out);
		this.mb.addOp("QUANTIZE", [x], [y]);
		return y;
	}

	dequantize(x: number): number {
		const y = this.mb.addTensor({ name: `deq_${this.n++}`, shape: this.shapeOf(x), type: "float32" });
		this.mb.addOp("DEQUANTIZE", [x], [y]);
		return y;
	}

	finish(inputs: number[], outputs: number[], external = false): Uint8Array {
		this.mb.setInputs(inputs).setOutputs(outputs);
		return this.mb.finish({ externalBuffers: external });
	}
}

/** TFLite's output size rule for SAME/VALID padding with stride and dilation. */
export function outSize(h: number, w: number, k: [number, number], o: OpOptionsSpec): [number, number] {
	const sh = o.strideH ?? 1;
	const sw = o.strideW ?? 1;
	const ekh = (k[0] - 1) * (o.dilationH ?? 1) + 1;
	const ekw = (k[1] - 1) * (o.dilationW ?? 1) + 1;
	if (o.padding === "VALID") return [Math.floor((h - ekh + sh) / sh), Math.floor((w - ekw + sw) / sw)];
	return [Math.floor((h + sh - 1) / sh), Math.floor((w + sw - 1) / sw)];
}

/**
 * The "mirror-averaged" classifier's shape: the input and its mirror image
 * (REVERSE_V2 on the width axis) through the same CONV_2D (one weight and
 * one bias tensor, read by both operators), the two logit maps added, then
 * SOFTMAX with beta 0.5. ADD's output scale is the sum of its inputs'
 * (as a sum of two logits needs), so the softmax sees the full range.
 */
export function mirrorAveragedModel(seed = 31, shape: [number, number, number, number] = [1, 6, 8, 1]): Uint8Array {
	const net = new Int8Net(seed);
	// A small input scale keeps the logits within a few units: the softmax is not saturated.
	const x = net.input(shape, { scale: 0.004, zeroPoint: -3 });
	const mirrored = net.reverse(x, 2);
	const a = net.conv(x, 3, [shape[1], shape[2]], { padding: "VALID" });
	const b = net.conv(mirrored, 3, [shape[1], shape[2]], { padding: "VALID", sameWeightsAs: a });
	const qa = net.quantOf(a);
	const sum = net.add(a, b, "NONE", { scale: qa.scale * 2, zeroPoint: 0 });
	return net.finish([x], [net.softmax(sum, 0.5)]);
}

/** A single per-channel CONV_2D: 1x8x8x3 -> 1x8x8x4, 3x3 SAME, RELU6. */
export function convModel(seed = 1): Uint8Array {
	const net = new Int8Net(seed);
	const x = net.input([1, 8, 8, 3]);
	const y = net.conv(x, 4, [3, 3], { padding: "SAME", activation: "RELU6" });
	return net.finish([x], [y]);
}

/**
 * Every supported operator and option in one graph:
 * CONV(SAME, stride 1, per-channel, RELU6) -> CONV(VALID, stride 2x1,
 * dilation 2, per-tensor, RELU) -> DEPTHWISE(multiplier 2) ->
 * AVERAGE_POOL -> MAX_POOL(SAME, stride 2) -> RESHAPE(shape tensor) ->
 * FULLY_CONNECTED -> QUANTIZE (requantize) -> ADD(fc, requantized) ->
 * FULLY_CONNECTED(keep_num_dims) -> RESHAPE(options only) -> SOFTMAX(beta 0.1),
 * with a DEQUANTIZE side output.
 */
export function kitchenSinkModel(seed = 7, external = false): Uint8Array {
	const net = new Int8Net(seed);
	const x = net.input([1, 12, 12, 2]);
	let t = net.conv(x, 4, [3, 3], { padding: "SAME", activation: "RELU6" });
	t = net.conv(t, 6, [3, 2], {
		padding: "VALID",
		strideH: 2,
		strideW: 1,
		dilationH: 2,
		dilationW: 2,
		perChannel: false,
		activation: "RELU",
	});
	t = net.depthwise(t, 2, [3, 3], { padding: "SAME", activation: "NONE" });
	t = net.pool("AVERAGE_POOL_2D", t, [2, 2], { padding: "VALID", strideH: 1, strideW: 1 });
	t = net.pool("MAX_POOL_2D", t, [2, 2], { padding: "SAME", strideH: 2, strideW: 2 });
	const s = net.shapeOf(t);
	t = net.reshape(t, [1, s[1]! * s[2]! * s[3]!]);
	const fc = net.fullyConnected(t, 16, { activation: "NONE" });
	const rq = net.quantize(fc, { scale: net.quantOf(fc).scale * 1.5, zeroPoint: 3 });
	const sum = net.add(fc, rq, "RELU");
	const fc3 = net.reshape(sum, [1, 2, 8], false);
	const fc2 = net.fullyConnected(fc3, 5, { keepNumDims: true });
	const flat = net.reshape(fc2, [2, 5], false);
	const probs = net.softmax(flat, 0.1);
	const deq = net.dequantize(fc);
	return net.finish([x], [probs, deq], external);
}
