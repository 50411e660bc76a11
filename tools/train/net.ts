// A small float32 CNN trainer in plain TypeScript: conv (stride 1, SAME/VALID), 2x2 max pool,
// dense, fused ReLU, softmax cross-entropy and Adam.
// SPDX-License-Identifier: Apache-2.0
//
// Why not tfjs: @tensorflow/tfjs@4.9.0's pure-JS backend was measured here at ~1.5 s per LeNet
// batch of 32 (conv gradients alone 0.6-0.9 s), i.e. ~45 minutes per MNIST epoch. These loops
// run the same maths on typed arrays, one sample at a time, about 30x faster. tfjs stays the
// reference: test/train-net.test.ts checks every forward and gradient here against tf.grads.
//
// Layouts are TFLite's, so the quantizer copies weights without transposes: activations HWC,
// conv weights OHWI ([out][kh][kw][in]), dense weights [out][in], flatten in HWC order.

export type Shape3 = [number, number, number];
export type Padding = "SAME" | "VALID";
export type Activation = "NONE" | "RELU";

export type LayerSpec =
	| { type: "conv"; filters: number; kernel: number; padding: Padding; activation: Activation }
	| { type: "maxpool"; size: number }
	| { type: "flatten" }
	| { type: "dense"; units: number; activation: Activation };

export interface NetSpec {
	name: string;
	input: Shape3;
	layers: LayerSpec[];
	labels: string[];
	/**
	 * The deployed model averages the logits of the input and of its mirror image (the layers run
	 * twice with the same weights; in the .tflite: REVERSE_V2 on the width axis, ADD, SOFTMAX with
	 * beta 0.5). Training still sees one image at a time (with random flips).
	 */
	mirrorAverage?: boolean;
}

/** `x` (HWC, float or int8) mirrored left to right into `out`. */
export function mirror<T extends Float32Array | Int8Array>(x: T, [h, w, c]: Shape3, out: T): T {
	for (let y = 0; y < h; y++) {
		for (let i = 0; i < w; i++) {
			const from = (y * w + i) * c;
			const to = (y * w + (w - 1 - i)) * c;
			for (let k = 0; k < c; k++) out[to + k] = x[from + k]!;
		}
	}
	return out;
}

export interface Param {
	name: string;
	shape: number[];
	value: Float32Array;
	grad: Float32Array;
}

export interface Layer {
	readonly spec: LayerSpec;
	readonly inShape: Shape3;
	readonly outShape: Shape3;
	readonly params: Param[];
	/** Multiply-accumulates of one forward pass. */
	readonly macs: number;
	/** Output for `x`; the last call's state is kept for backward(). */
	forward(x: Float32Array): Float32Array;
	/** Accumulates parameter gradients; returns d(loss)/d(input) when `needInput`. */
	backward(dy: Float32Array, needInput: boolean): Float32Array | null;
}

function param(name: string, shape: number[]): Param {
	const n = shape.reduce((a, b) => a * b, 1);
	return { name, shape, value: new Float32Array(n), grad: new Float32Array(n) };
}

/** He-uniform initialisation from a seeded generator. */
function heInit(p: Param, fanIn: number, random: () => number): void {
	const limit = Math.sqrt(6 / fanIn);
	for (let i = 0; i < p.value.length; i++) p.value[i] = (random() * 2 - 1) * limit;
}

export function convPad(kernel: number, padding: Padding): number {
	// Stride 1 only: TFLite's SAME then pads (k-1)/2 before (odd kernels).
	return padding === "SAME" ? (kernel - 1) >> 1 : 0;
}

class Conv implements Layer {
	readonly params: Param[];
	readonly outShape: Shape3;
	readonly macs: number;
	private readonly w: Param;
	private readonly b: Param;
	private readonly k: number;
	private readonly pad: number;
	private readonly cols: Float32Array;
	private readonly dcols: Float32Array;
	private out: Float32Array;
	private readonly dz: Float32Array;

	constructor(
		readonly spec: Extract<LayerSpec, { type: "conv" }>,
		readonly inShape: Shape3,
		index: number,
	) {
		const [h, w, c] = inShape;
		if (spec.kernel % 2 !== 1) throw new Error(`conv${index}: kernel ${spec.kernel} must be odd`);
		this.k = spec.kernel;
		this.pad = convPad(spec.kernel, spec.padding);
		const oh = h + 2 * this.pad - this.k + 1;
		const ow = w + 2 * this.pad - this.k + 1;
		if (oh < 1 || ow < 1) throw new Error(`conv${index}: kernel ${spec.kernel} larger than input ${h}x${w}`);
		this.outShape = [oh, ow, spec.filters];
		const kk = this.k * this.k * c;
		this.w = param(`conv${index}/weights`, [spec.filters, this.k, this.k, c]);
		this.b = param(`conv${index}/bias`, [spec.filters]);
		this.params = [this.w, this.b];
		this.cols = new Float32Array(oh * ow * kk);
		this.dcols = new Float32Array(oh * ow * kk);
		this.out = new Float32Array(oh * ow * spec.filters);
		this.dz = new Float32Array(oh * ow * spec.filters);
		this.macs = oh * ow * spec.filters * kk;
	}

	init(random: () => number): void {
		heInit(this.w, this.k * this.k * this.inShape[2], random);
	}

	forward(x: Float32Array): Float32Array {
		const [h, w, c] = this.inShape;
		const [oh, ow, o] = this.outShape;
		const k = this.k;
		const kk = k * k * c;
		const cols = this.cols;
		// im2col: one row of kk values per output position, in (ky, kx, c) order = OHWI weights.
		let q = 0;
		for (let oy = 0; oy < oh; oy++) {
			for (let ox = 0; ox < ow; ox++) {
				for (let ky = 0; ky < k; ky++) {
					const iy = oy + ky - this.pad;
					for (let kx = 0; kx < k; kx++) {
						const ix = ox + kx - this.pad;
						if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
							for (let ci = 0; ci < c; ci++) cols[q++] = 0;
						} else {
							let s = (iy * w + ix) * c;
							for (let ci = 0; ci < c; ci++) cols[q++] = x[s++]!;
						}
					}
				}
			}
		}
		const W = this.w.value;
		const B = this.b.value;
		const out = this.out;
		const relu = this.spec.activation === "RELU";
		const positions = oh * ow;
		// Two positions by four filters per pass: each load feeds several multiply-adds, and every
		// sum still runs over the same terms in the same order as a one-output loop.
		const o4 = o & ~3;
		let p = 0;
		for (; p + 1 < positions; p += 2) {
			const ca = p * kk;
			const cb = ca + kk;
			const oa = p * o;
			const ob = oa + o;
			let f = 0;
			for (; f < o4; f += 4) {
				const w0 = f * kk;
				const w1 = w0 + kk;
				const w2 = w1 + kk;
				const w3 = w2 + kk;
				let a0 = B[f]!;
				let a1 = B[f + 1]!;
				let a2 = B[f + 2]!;
				let a3 = B[f + 3]!;
				let b0 = a0;
				let b1 = a1;
				let b2 = a2;
				let b3 = a3;
				for (let i = 0; i < kk; i++) {
					const u = cols[ca + i]!;
					const v = cols[cb + i]!;
					const x0 = W[w0 + i]!;
					const x1 = W[w1 + i]!;
					const x2 = W[w2 + i]!;
					const x3 = W[w3 + i]!;
					a0 += x0 * u;
					a1 += x1 * u;
					a2 += x2 * u;
					a3 += x3 * u;
					b0 += x0 * v;
					b1 += x1 * v;
					b2 += x2 * v;
					b3 += x3 * v;
				}
				out[oa + f] = relu && a0 < 0 ? 0 : a0;
				out[oa + f + 1] = relu && a1 < 0 ? 0 : a1;
				out[oa + f + 2] = relu && a2 < 0 ? 0 : a2;
				out[oa + f + 3] = relu && a3 < 0 ? 0 : a3;
				out[ob + f] = relu && b0 < 0 ? 0 : b0;
				out[ob + f + 1] = relu && b1 < 0 ? 0 : b1;
				out[ob + f + 2] = relu && b2 < 0 ? 0 : b2;
				out[ob + f + 3] = relu && b3 < 0 ? 0 : b3;
			}
			for (; f < o; f++) {
				out[oa + f] = this.dot(f, ca, relu);
				out[ob + f] = this.dot(f, cb, relu);
			}
		}
		for (; p < positions; p++) for (let f = 0; f < o; f++) out[p * o + f] = this.dot(f, p * kk, relu);
		return out;
	}

	/** One output of filter `f` at the im2col row starting at `cb`. */
	private dot(f: number, cb: number, relu: boolean): number {
		const kk = this.cols.length / (this.outShape[0] * this.outShape[1]);
		const W = this.w.value;
		const cols = this.cols;
		const wb = f * kk;
		let acc = this.b.value[f]!;
		for (let i = 0; i < kk; i++) acc += W[wb + i]! * cols[cb + i]!;
		return relu && acc < 0 ? 0 : acc;
	}

	backward(dy: Float32Array, needInput: boolean): Float32Array | null {
		const [h, w, c] = this.inShape;
		const [oh, ow, o] = this.outShape;
		const k = this.k;
		const kk = k * k * c;
		const positions = oh * ow;
		const dz = this.dz;
		const relu = this.spec.activation === "RELU";
		for (let i = 0; i < dz.length; i++) dz[i] = relu && this.out[i]! <= 0 ? 0 : dy[i]!;
		const W = this.w.value;
		const dW = this.w.grad;
		const dB = this.b.grad;
		const cols = this.cols;
		const dcols = this.dcols;
		if (needInput) dcols.fill(0);
		for (let p = 0; p < positions; p++) {
			const cb = p * kk;
			for (let f = 0; f < o; f++) {
				const g = dz[p * o + f]!;
				if (g === 0) continue;
				dB[f]! += g;
				const wb = f * kk;
				for (let i = 0; i < kk; i++) dW[wb + i]! += g * cols[cb + i]!;
				if (needInput) for (let i = 0; i < kk; i++) dcols[cb + i]! += g * W[wb + i]!;
			}
		}
		if (!needInput) return null;
		const dx = new Float32Array(h * w * c);
		let q = 0;
		for (let oy = 0; oy < oh; oy++) {
			for (let ox = 0; ox < ow; ox++) {
				for (let ky = 0; ky < k; ky++) {
					const iy = oy + ky - this.pad;
					for (let kx = 0; kx < k; kx++) {
						const ix = ox + kx - this.pad;
						if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
							q += c;
						} else {
							let s = (iy * w + ix) * c;
							for (let ci = 0; ci < c; ci++) dx[s++]! += dcols[q++]!;
						}
					}
				}
			}
		}
		return dx;
	}
}

class MaxPool implements Layer {
	readonly params: Param[] = [];
	readonly outShape: Shape3;
	readonly macs = 0;
	private readonly argmax: Int32Array;

	constructor(
		readonly spec: Extract<LayerSpec, { type: "maxpool" }>,
		readonly inShape: Shape3,
		index: number,
	) {
		const [h, w, c] = inShape;
		const s = spec.size;
		if (h % s !== 0 || w % s !== 0) throw new Error(`pool${index}: input ${h}x${w} is not a multiple of ${s}`);
		this.outShape = [h / s, w / s, c];
		this.argmax = new Int32Array((h / s) * (w / s) * c);
	}

	forward(x: Float32Array): Float32Array {
		const [, w, c] = this.inShape;
		const [oh, ow] = this.outShape;
		const s = this.spec.size;
		const out = new Float32Array(oh * ow * c);
		let q = 0;
		for (let oy = 0; oy < oh; oy++) {
			for (let ox = 0; ox < ow; ox++) {
				for (let ci = 0; ci < c; ci++) {
					let best = -Infinity;
					let at = 0;
					for (let dy = 0; dy < s; dy++) {
						for (let dx = 0; dx < s; dx++) {
							const i = ((oy * s + dy) * w + ox * s + dx) * c + ci;
							if (x[i]! > best) {
								best = x[i]!;
								at = i;
							}
						}
					}
					out[q] = best;
					this.argmax[q++] = at;
				}
			}
		}
		return out;
	}

	backward(dy: Float32Array): Float32Array {
		const [h, w, c] = this.inShape;
		const dx = new Float32Array(h * w * c);
		for (let q = 0; q < dy.length; q++) dx[this.argmax[q]!]! += dy[q]!;
		return dx;
	}
}

class Flatten implements Layer {
	readonly params: Param[] = [];
	readonly outShape: Shape3;
	readonly macs = 0;

	constructor(
		readonly spec: LayerSpec,
		readonly inShape: Shape3,
	) {
		this.outShape = [1, 1, inShape[0] * inShape[1] * inShape[2]];
	}

	forward(x: Float32Array): Float32Array {
		return x;
	}

	backward(dy: Float32Array): Float32Array {
		return dy;
	}
}

class Dense implements Layer {
	readonly params: Param[];
	readonly outShape: Shape3;
	readonly macs: number;
	private readonly w: Param;
	private readonly b: Param;
	private x: Float32Array = new Float32Array(0);
	private readonly out: Float32Array;

	constructor(
		readonly spec: Extract<LayerSpec, { type: "dense" }>,
		readonly inShape: Shape3,
		index: number,
	) {
		if (inShape[0] !== 1 || inShape[1] !== 1)
			throw new Error(`dense${index}: input ${inShape.join("x")} must be flattened first`);
		const n = inShape[2];
		this.outShape = [1, 1, spec.units];
		this.w = param(`dense${index}/weights`, [spec.units, n]);
		this.b = param(`dense${index}/bias`, [spec.units]);
		this.params = [this.w, this.b];
		this.out = new Float32Array(spec.units);
		this.macs = n * spec.units;
	}

	init(random: () => number): void {
		heInit(this.w, this.inShape[2], random);
	}

	forward(x: Float32Array): Float32Array {
		this.x = x;
		const n = this.inShape[2];
		const W = this.w.value;
		const relu = this.spec.activation === "RELU";
		for (let m = 0; m < this.spec.units; m++) {
			let acc = this.b.value[m]!;
			const wb = m * n;
			for (let i = 0; i < n; i++) acc += W[wb + i]! * x[i]!;
			this.out[m] = relu && acc < 0 ? 0 : acc;
		}
		return this.out;
	}

	backward(dy: Float32Array, needInput: boolean): Float32Array | null {
		const n = this.inShape[2];
		const W = this.w.value;
		const dW = this.w.grad;
		const relu = this.spec.activation === "RELU";
		const dx = needInput ? new Float32Array(n) : null;
		for (let m = 0; m < this.spec.units; m++) {
			const g = relu && this.out[m]! <= 0 ? 0 : dy[m]!;
			if (g === 0) continue;
			this.b.grad[m]! += g;
			const wb = m * n;
			for (let i = 0; i < n; i++) dW[wb + i]! += g * this.x[i]!;
			if (dx !== null) for (let i = 0; i < n; i++) dx[i]! += g * W[wb + i]!;
		}
		return dx;
	}
}

export class Net {
	readonly layers: Layer[] = [];
	readonly params: Param[];

	constructor(
		readonly spec: NetSpec,
		random: () => number,
	) {
		let shape = spec.input;
		spec.layers.forEach((ls, i) => {
			let layer: Layer;
			const kind = (ls as { type: unknown }).type;
			const act = (ls as { activation?: unknown }).activation;
			// Only what the int8 writer can express (CONV_2D, MAX_POOL_2D, RESHAPE, FULLY_CONNECTED).
			if (act !== undefined && act !== "RELU" && act !== "NONE")
				throw new Error(
					`${spec.name}: layer ${i}: activation ${JSON.stringify(act)} is not supported (RELU or NONE)`,
				);
			if (ls.type === "conv" && ls.padding !== "SAME" && ls.padding !== "VALID")
				throw new Error(`${spec.name}: layer ${i}: padding ${JSON.stringify(ls.padding)} is not SAME or VALID`);
			switch (ls.type) {
				case "conv": {
					const conv = new Conv(ls, shape, i);
					conv.init(random);
					layer = conv;
					break;
				}
				case "maxpool":
					layer = new MaxPool(ls, shape, i);
					break;
				case "flatten":
					layer = new Flatten(ls, shape);
					break;
				case "dense": {
					const dense = new Dense(ls, shape, i);
					dense.init(random);
					layer = dense;
					break;
				}
				default:
					throw new Error(
						`${spec.name}: layer ${i}: type ${JSON.stringify(kind)} is not supported (conv, maxpool, flatten, dense)`,
					);
			}
			this.layers.push(layer);
			shape = layer.outShape;
		});
		const out = this.outputSize;
		if (out !== spec.labels.length)
			throw new Error(`${spec.name}: last layer has ${out} outputs for ${spec.labels.length} labels`);
		this.params = this.layers.flatMap((l) => l.params);
	}

	get outputSize(): number {
		const s = this.layers.at(-1)?.outShape ?? this.spec.input;
		return s[0] * s[1] * s[2];
	}

	get macs(): number {
		return this.layers.reduce((a, l) => a + l.macs, 0);
	}

	get paramCount(): number {
		return this.params.reduce((a, p) => a + p.value.length, 0);
	}

	/** Logits for one HWC sample. The returned array may be reused by the next call. */
	forward(x: Float32Array): Float32Array {
		let a = x;
		for (const l of this.layers) a = l.forward(a);
		return a;
	}

	/** Logits as the deployed model computes them: forward(), or its mirror average (see NetSpec). */
	infer(x: Float32Array): Float32Array {
		if (this.spec.mirrorAverage !== true) return this.forward(x);
		const a = this.forward(x).slice();
		const b = this.forward(mirror(x, this.spec.input, new Float32Array(x.length)));
		for (let i = 0; i < a.length; i++) a[i] = (a[i]! + b[i]!) / 2;
		return a;
	}

	/** Backpropagates d(loss)/d(logits) of the last forward(); gradients accumulate. */
	backward(dlogits: Float32Array): void {
		let d: Float32Array | null = dlogits;
		for (let i = this.layers.length - 1; i >= 0 && d !== null; i--) d = this.layers[i]!.backward(d, i > 0);
	}

	zeroGrad(): void {
		for (const p of this.params) p.grad.fill(0);
	}

	/** Weights as a plain object (for the float checkpoint file). */
	exportWeights(): Record<string, number[]> {
		const out: Record<string, number[]> = {};
		for (const p of this.params) out[p.name] = Array.from(p.value);
		return out;
	}

	importWeights(weights: Record<string, number[]>, source: string): void {
		for (const p of this.params) {
			const v = weights[p.name];
			if (!Array.isArray(v)) throw new Error(`${source}: weights: missing "${p.name}"`);
			if (v.length !== p.value.length)
				throw new Error(`${source}: weights: "${p.name}" has ${v.length} values, expected ${p.value.length}`);
			p.value.set(v);
		}
	}
}

/** Softmax probabilities of a logit vector. */
export function softmax(logits: Float32Array): Float64Array {
	let max = -Infinity;
	for (const v of logits) max = Math.max(max, v);
	const p = new Float64Array(logits.length);
	let sum = 0;
	for (let i = 0; i < logits.length; i++) sum += p[i] = Math.exp(logits[i]! - max);
	for (let i = 0; i < p.length; i++) p[i]! /= sum;
	return p;
}

/**
 * Weighted cross-entropy of one sample; writes d(loss)/d(logits) into `dlogits`. With `smoothing`
 * e the target is (1 - e) on the label and e / classes everywhere (label smoothing).
 */
export function crossEntropy(
	logits: Float32Array,
	label: number,
	weight: number,
	dlogits: Float32Array,
	smoothing = 0,
): number {
	const p = softmax(logits);
	const floor = smoothing / p.length;
	let loss = 0;
	for (let i = 0; i < p.length; i++) {
		const t = floor + (i === label ? 1 - smoothing : 0);
		dlogits[i] = weight * (p[i]! - t);
		if (t > 0) loss -= t * Math.log(Math.max(p[i]!, 1e-12));
	}
	return weight * loss;
}

export function argmax(v: ArrayLike<number>): number {
	let best = 0;
	for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
	return best;
}

export class Adam {
	private readonly m: Float32Array[];
	private readonly v: Float32Array[];
	private t = 0;

	constructor(
		private readonly params: Param[],
		public lr = 1e-3,
		private readonly beta1 = 0.9,
		private readonly beta2 = 0.999,
		private readonly eps = 1e-7,
		private readonly weightDecay = 0,
	) {
		this.m = params.map((p) => new Float32Array(p.value.length));
		this.v = params.map((p) => new Float32Array(p.value.length));
	}

	/** One update with the accumulated gradients divided by `batch`. */
	step(batch: number): void {
		this.t++;
		const c1 = 1 - this.beta1 ** this.t;
		const c2 = 1 - this.beta2 ** this.t;
		this.params.forEach((p, k) => {
			const m = this.m[k]!;
			const v = this.v[k]!;
			const decay = p.shape.length > 1 ? this.weightDecay : 0;
			for (let i = 0; i < p.value.length; i++) {
				const g = p.grad[i]! / batch + decay * p.value[i]!;
				m[i] = this.beta1 * m[i]! + (1 - this.beta1) * g;
				v[i] = this.beta2 * v[i]! + (1 - this.beta2) * g * g;
				p.value[i]! -= (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + this.eps);
			}
		});
	}
}
