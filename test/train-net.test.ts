// The plain-TypeScript trainer against tfjs 4.9.0: same weights, same input -> same logits, loss
// and gradients of every parameter (tf.grads is the reference for the hand-written backward pass).
// SPDX-License-Identifier: Apache-2.0
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { rng } from "../tools/tflite/testmodels";
import { Adam, Net, type NetSpec, type Param, crossEntropy } from "../tools/train/net";
import { WeightAverage } from "../tools/train/trainer";

beforeAll(async () => {
	await tf.setBackend("cpu");
});

/** The same network in tfjs ops: conv weights OHWI -> HWIO, dense [out][in] -> transposed. */
function tfForward(net: Net, x: tf.Tensor, vars: tf.Tensor[]): tf.Tensor {
	let a = x;
	let k = 0;
	for (const l of net.layers) {
		const s = l.spec;
		if (s.type === "conv") {
			const w = vars[k++]!.transpose([1, 2, 3, 0]) as tf.Tensor4D;
			const b = vars[k++]!;
			a = tf.conv2d(a as tf.Tensor4D, w, 1, s.padding === "SAME" ? "same" : "valid").add(b);
			if (s.activation === "RELU") a = tf.relu(a);
		} else if (s.type === "maxpool") {
			a = tf.maxPool(a as tf.Tensor4D, s.size, s.size, "valid");
		} else if (s.type === "flatten") {
			a = a.reshape([a.shape[0]!, -1]);
		} else {
			const w = vars[k++]!;
			const b = vars[k++]!;
			a = tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D, false, true).add(b);
			if (s.activation === "RELU") a = tf.relu(a);
		}
	}
	return a;
}

const spec: NetSpec = {
	name: "check",
	input: [8, 8, 2],
	layers: [
		{ type: "conv", filters: 3, kernel: 3, padding: "SAME", activation: "RELU" },
		{ type: "maxpool", size: 2 },
		{ type: "conv", filters: 4, kernel: 3, padding: "VALID", activation: "RELU" },
		{ type: "flatten" },
		{ type: "dense", units: 5, activation: "RELU" },
		{ type: "dense", units: 3, activation: "NONE" },
	],
	labels: ["a", "b", "c"],
};

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
	expect(actual.length, what).toBe(expected.length);
	let worst = 0;
	for (let i = 0; i < actual.length; i++)
		worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (1e-3 + Math.abs(expected[i]!)));
	expect(worst, what).toBeLessThan(1e-3);
}

describe("trainer vs tfjs", () => {
	for (const seed of [1, 2, 3]) {
		test(`logits, weighted cross-entropy and all gradients agree (seed ${seed})`, () => {
			const r = rng(seed);
			const net = new Net(spec, r);
			// Non-zero biases so ReLUs sit on both sides of zero.
			for (const p of net.params)
				if (p.shape.length === 1) for (let i = 0; i < p.value.length; i++) p.value[i] = r() * 0.4 - 0.1;
			const x = Float32Array.from({ length: 8 * 8 * 2 }, () => r());
			const label = seed % 3;
			const weight = 1.7;

			net.zeroGrad();
			const logits = net.forward(x).slice();
			const d = new Float32Array(3);
			const loss = crossEntropy(logits, label, weight, d);
			net.backward(d);

			const vars = net.params.map((p) => tf.tensor(Array.from(p.value), p.shape));
			const xt = tf.tensor(Array.from(x), [1, 8, 8, 2]);
			const f = (...ws: tf.Tensor[]): tf.Scalar =>
				tf.losses.softmaxCrossEntropy(tf.oneHot([label], 3), tfForward(net, xt, ws)).mul(weight) as tf.Scalar;
			const tfLogits = tfForward(net, xt, vars).dataSync();
			closeTo(logits, tfLogits, "logits");
			expect(loss).toBeCloseTo(f(...vars).dataSync()[0]!, 4);
			const grads = tf.grads(f)(vars);
			net.params.forEach((p, i) => closeTo(p.grad, grads[i]!.dataSync(), p.name));
		});
	}

	test("gradients accumulate over a batch and Adam's first step moves each weight by lr", () => {
		const net = new Net(spec, rng(4));
		const r = rng(5);
		const d = new Float32Array(3);
		net.zeroGrad();
		const single = new Net(spec, rng(4));
		const x1 = Float32Array.from({ length: 128 }, () => r());
		const x2 = Float32Array.from({ length: 128 }, () => r());
		crossEntropy(net.forward(x1), 0, 1, d);
		net.backward(d);
		crossEntropy(net.forward(x2), 2, 1, d);
		net.backward(d);
		single.zeroGrad();
		crossEntropy(single.forward(x1), 0, 1, d);
		single.backward(d);
		const g1 = single.params.map((p) => p.grad.slice());
		single.zeroGrad();
		crossEntropy(single.forward(x2), 2, 1, d);
		single.backward(d);
		net.params.forEach((p, k) =>
			closeTo(
				p.grad,
				g1[k]!.map((v, i) => v + single.params[k]!.grad[i]!),
				p.name,
			),
		);

		const before = net.params.map((p) => p.value.slice());
		new Adam(net.params, 0.01).step(2);
		// Adam's bias-corrected first step is lr * g / (|g| + eps): +-lr wherever the gradient is clearly non-zero.
		net.params.forEach((p, k) => {
			for (let i = 0; i < p.value.length; i++) {
				if (Math.abs(p.grad[i]!) > 1e-3) expect(Math.abs(p.value[i]! - before[k]![i]!)).toBeCloseTo(0.01, 4);
			}
		});
	});

	test("label-smoothed cross-entropy and its gradient agree with tf.losses.softmaxCrossEntropy", () => {
		const logits = Float32Array.from([1.5, -0.25, 0.4]);
		for (const [label, weight, smoothing] of [
			[0, 1, 0.1],
			[2, 2.5, 0.3],
			[1, 0.7, 0],
		] as const) {
			const d = new Float32Array(3);
			const loss = crossEntropy(logits, label, weight, d, smoothing);
			const f = (z: tf.Tensor) =>
				tf.losses.softmaxCrossEntropy(tf.oneHot([label], 3), z, undefined, smoothing).mul(weight) as tf.Scalar;
			const z = tf.tensor2d([Array.from(logits)]);
			expect(loss).toBeCloseTo(f(z).dataSync()[0]!, 5);
			closeTo(d, tf.grad(f)(z).dataSync(), `gradient (smoothing ${smoothing})`);
		}
	});

	test("the weight average: TensorFlow's warm-up decay, then the set decay; swap exchanges and restores", () => {
		const p: Param = { name: "w", shape: [2], value: Float32Array.from([0, 10]), grad: new Float32Array(2) };
		const avg = new WeightAverage([p], 0.3);
		p.value.set([4, 10]);
		avg.update(); // decay min(0.3, 2/11) = 2/11
		p.value.set([8, 10]);
		avg.update(); // decay min(0.3, 3/12) = 1/4
		p.value.set([0, 10]);
		avg.update(); // decay min(0.3, 4/13) = 0.3, and so on
		p.value.set([6, 10]);
		avg.update();
		let a = 0 * (2 / 11) + 4 * (9 / 11);
		a = a * (1 / 4) + 8 * (3 / 4);
		a = a * 0.3 + 0 * 0.7;
		a = a * 0.3 + 6 * 0.7;
		avg.swap();
		expect(p.value[0]).toBeCloseTo(a, 5);
		expect(p.value[1]).toBeCloseTo(10, 5);
		avg.swap();
		expect(Array.from(p.value)).toEqual([6, 10]); // the live values, exactly
	});

	test("layers the int8 writer cannot express are refused by name", () => {
		const bad = (layer: unknown) => () =>
			new Net({ ...spec, layers: [layer as NetSpec["layers"][number]] }, rng(1));
		expect(bad({ type: "conv", filters: 3, kernel: 3, padding: "SAME", activation: "TANH" })).toThrow(
			/layer 0: activation "TANH" is not supported/,
		);
		expect(bad({ type: "lstm" })).toThrow(/layer 0: type "lstm" is not supported/);
		expect(bad({ type: "conv", filters: 3, kernel: 2, padding: "SAME", activation: "RELU" })).toThrow(
			/kernel 2 must be odd/,
		);
	});
});
