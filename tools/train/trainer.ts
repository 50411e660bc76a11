// Mini-batch training with a progress line, seeded shuffling and augmentation, class weights,
// and keeping the weights of the epoch with the best validation score.
// SPDX-License-Identifier: Apache-2.0
import { rng } from "../tflite/testmodels";
import { type Dataset, classCounts } from "./data";
import { Adam, Net, type NetSpec, type Param, argmax, crossEntropy } from "./net";

/** The float input the models see: pixel / 255 (so int8 input = pixel - 128 after quantization). */
export function toInput(pixels: Uint8Array, out = new Float32Array(pixels.length)): Float32Array {
	for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
	return out;
}

export interface Augment {
	flip: boolean;
	/** Largest shift in pixels (edge pixels repeat). */
	shift: number;
	/** Largest relative change of contrast and of brightness (in units of full scale). */
	contrast: number;
	brightness: number;
}

export const NO_AUGMENT: Augment = { flip: false, shift: 0, contrast: 0, brightness: 0 };

function augment(
	x: Float32Array,
	h: number,
	w: number,
	a: Augment,
	random: () => number,
	scratch: Float32Array,
): Float32Array {
	const flip = a.flip && random() < 0.5;
	const sx = a.shift > 0 ? Math.floor(random() * (2 * a.shift + 1)) - a.shift : 0;
	const sy = a.shift > 0 ? Math.floor(random() * (2 * a.shift + 1)) - a.shift : 0;
	const gain = 1 + (random() * 2 - 1) * a.contrast;
	const bias = (random() * 2 - 1) * a.brightness;
	for (let y = 0; y < h; y++) {
		const yy = Math.min(h - 1, Math.max(0, y + sy));
		for (let x0 = 0; x0 < w; x0++) {
			let xx = Math.min(w - 1, Math.max(0, x0 + sx));
			if (flip) xx = w - 1 - xx;
			const v = (x[yy * w + xx]! - 0.5) * gain + 0.5 + bias;
			scratch[y * w + x0] = v < 0 ? 0 : v > 1 ? 1 : v;
		}
	}
	return scratch;
}

export interface TrainOptions {
	epochs: number;
	batch: number;
	lr: number;
	/** Learning rate multiplies by this after each epoch. */
	lrDecay: number;
	weightDecay: number;
	seed: number;
	augment: Augment;
	/** Weight classes by N / (classes * N_c) so rare classes count as much as common ones. */
	balanceClasses: boolean;
	/** Label smoothing e of the cross-entropy (0 = off; see crossEntropy). */
	labelSmoothing: number;
	/**
	 * Decay of an exponential moving average of the weights, updated after every step (0 = off).
	 * When on, validation scores and the kept weights are the average's: it smooths out the last
	 * steps' noise, which matters with noisy labels.
	 */
	averageWeights: number;
	/** Called with a progress line about 20 times per epoch. */
	progress: (line: string, final: boolean) => void;
}

export interface Scores {
	accuracy: number;
	balancedAccuracy: number;
	confusion: number[][];
	loss: number;
}

export function scoresOf(predictions: number[], targets: number[], classes: number, loss = NaN): Scores {
	const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
	let right = 0;
	predictions.forEach((p, i) => {
		confusion[targets[i]!]![p]!++;
		if (p === targets[i]) right++;
	});
	let recallSum = 0;
	let present = 0;
	for (let c = 0; c < classes; c++) {
		const n = confusion[c]!.reduce((a, b) => a + b, 0);
		if (n > 0) {
			recallSum += confusion[c]![c]! / n;
			present++;
		}
	}
	return {
		accuracy: right / Math.max(1, predictions.length),
		balancedAccuracy: recallSum / Math.max(1, present),
		confusion,
		loss,
	};
}

export function evaluateFloat(net: Net, data: Dataset): Scores {
	const x = new Float32Array(data.height * data.width * data.channels);
	const predictions: number[] = [];
	let loss = 0;
	const d = new Float32Array(net.outputSize);
	data.images.forEach((img, i) => {
		const logits = net.infer(toInput(img, x));
		loss += crossEntropy(logits, data.targets[i]!, 1, d);
		predictions.push(argmax(logits));
	});
	return scoresOf(predictions, data.targets, data.labels.length, loss / Math.max(1, data.images.length));
}

function duration(seconds: number): string {
	if (!Number.isFinite(seconds)) return "?";
	const s = Math.round(seconds);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** An exponential moving average of parameter values (TensorFlow's ExponentialMovingAverage). */
export class WeightAverage {
	private readonly values: Float32Array[];
	private updates = 0;

	constructor(
		private readonly params: Param[],
		private readonly decay: number,
	) {
		this.values = params.map((p) => p.value.slice());
	}

	/** Folds in the current values; the decay ramps up as (1 + t) / (10 + t) over the first updates. */
	update(): void {
		this.updates++;
		const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
		this.params.forEach((p, k) => {
			const a = this.values[k]!;
			for (let i = 0; i < a.length; i++) a[i] = d * a[i]! + (1 - d) * p.value[i]!;
		});
	}

	/** Exchanges the parameters' values with the average (twice restores them). */
	swap(): void {
		this.params.forEach((p, k) => {
			const a = this.values[k]!;
			const live = p.value.slice();
			p.value.set(a);
			a.set(live);
		});
	}
}

export interface TrainResult {
	net: Net;
	bestEpoch: number;
	val: Scores;
	seconds: number;
	history: { epoch: number; loss: number; trainAccuracy: number; val: Scores }[];
}

/**
 * Trains, yielding to the event loop after each batch: a signal's handlers (the CLI's, on SIGINT
 * or SIGTERM) run within a batch of it rather than when the whole run returns. `at` is told where
 * the run is after each batch: the epoch, and the step of `steps` in it, from 1.
 */
export async function train(
	spec: NetSpec,
	trainSet: Dataset,
	valSet: Dataset,
	o: TrainOptions,
	at: (epoch: number, step: number, steps: number) => void = () => {},
): Promise<TrainResult> {
	const random = rng(o.seed);
	const net = new Net(spec, random);
	const adam = new Adam(net.params, o.lr, 0.9, 0.999, 1e-7, o.weightDecay);
	const counts = classCounts(trainSet);
	const n = trainSet.images.length;
	const classWeight = counts.map((c) => (o.balanceClasses && c > 0 ? n / (counts.length * c) : 1));
	const { height: h, width: w } = trainSet;
	const x = new Float32Array(h * w * trainSet.channels);
	const scratch = new Float32Array(x.length);
	const dlogits = new Float32Array(net.outputSize);
	const order = Array.from({ length: n }, (_, i) => i);
	const stepsPerEpoch = Math.ceil(n / o.batch);
	const totalSteps = stepsPerEpoch * o.epochs;
	const started = Date.now();
	let best: { epoch: number; score: number; weights: Float32Array[]; val: Scores } | null = null;
	const history: TrainResult["history"] = [];
	let stepsDone = 0;
	const average = o.averageWeights > 0 ? new WeightAverage(net.params, o.averageWeights) : null;
	for (let epoch = 1; epoch <= o.epochs; epoch++) {
		for (let i = n - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		let lossSum = 0;
		let right = 0;
		let seen = 0;
		const every = Math.max(1, Math.floor(stepsPerEpoch / 20));
		for (let step = 0; step < stepsPerEpoch; step++) {
			net.zeroGrad();
			const end = Math.min(n, (step + 1) * o.batch);
			for (let k = step * o.batch; k < end; k++) {
				const idx = order[k]!;
				const target = trainSet.targets[idx]!;
				toInput(trainSet.images[idx]!, x);
				const input = trainSet.channels === 1 ? augment(x, h, w, o.augment, random, scratch) : x;
				const logits = net.forward(input);
				if (argmax(logits) === target) right++;
				lossSum += crossEntropy(logits, target, classWeight[target]!, dlogits, o.labelSmoothing);
				net.backward(dlogits);
				seen++;
			}
			adam.step(end - step * o.batch);
			stepsDone++;
			average?.update();
			at(epoch, step + 1, stepsPerEpoch);
			await new Promise(setImmediate);
			if ((step + 1) % every === 0 || step + 1 === stepsPerEpoch) {
				const elapsed = (Date.now() - started) / 1000;
				const eta = (elapsed / stepsDone) * (totalSteps - stepsDone);
				o.progress(
					`epoch ${epoch}/${o.epochs} step ${step + 1}/${stepsPerEpoch} loss ${(lossSum / seen).toFixed(4)} acc ${((100 * right) / seen).toFixed(2)}% elapsed ${duration(elapsed)} ETA ${duration(eta)}`,
					false,
				);
			}
		}
		average?.swap();
		const val = evaluateFloat(net, valSet);
		history.push({ epoch, loss: lossSum / seen, trainAccuracy: right / seen, val });
		// Balanced accuracy picks the checkpoint: plain accuracy would favour the majority class.
		const score = val.balancedAccuracy + val.accuracy;
		const improved = best === null || score > best.score;
		if (improved) best = { epoch, score, weights: net.params.map((p) => p.value.slice()), val };
		average?.swap();
		o.progress(
			`epoch ${epoch}/${o.epochs} done: train loss ${(lossSum / seen).toFixed(4)} acc ${((100 * right) / seen).toFixed(2)}% | val acc ${(100 * val.accuracy).toFixed(2)}% balanced ${(100 * val.balancedAccuracy).toFixed(2)}%${improved ? " (best)" : ""} lr ${adam.lr.toExponential(2)}`,
			true,
		);
		adam.lr *= o.lrDecay;
	}
	if (best !== null) net.params.forEach((p, k) => p.value.set(best.weights[k]!));
	return {
		net,
		bestEpoch: best?.epoch ?? 0,
		val: best?.val ?? evaluateFloat(net, valSet),
		seconds: (Date.now() - started) / 1000,
		history,
	};
}
