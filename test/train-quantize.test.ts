// The int8 post-training quantizer: its maths on hand-checked cases, and freshly written models
// run by the real TFLite runtime (the oracle) with int8 outputs equal to the reference executor.
// SPDX-License-Identifier: Apache-2.0
import { describe, expect, test } from "vitest";
import { readModel } from "../modules/nn/tflite";
import { rng } from "../tools/tflite/testmodels";
import { Net, type NetSpec, mirror } from "../tools/train/net";
import {
	chooseQParams,
	macsOf,
	quantizeNet,
	requantize,
	runInt8,
	symmetricScale,
	writeTflite,
} from "../tools/train/quantize-net";
import { openTflite } from "../tools/tflite/oracle";

const f = Math.fround;

describe("quantizer maths", () => {
	test("activation ranges: asymmetric int8 containing zero", () => {
		// ReLU-like range [0, 2.55]: scale 0.01, zero point at the bottom.
		expect(chooseQParams(0, 2.55)).toEqual({ scale: f(0.01), zeroPoint: -128 });
		// [-0.5, 2.05]: scale 0.01 and 0.5 / 0.01 = 50 steps above -128.
		expect(chooseQParams(-0.5, 2.05)).toEqual({ scale: f(0.01), zeroPoint: -78 });
		// A range not containing 0 is widened to it: [0.3, 1] -> [0, 1]; [-2, -1] -> [-2, 0].
		expect(chooseQParams(0.3, 1)).toEqual({ scale: f(1 / 255), zeroPoint: -128 });
		expect(chooseQParams(-2, -1)).toEqual({ scale: f(2 / 255), zeroPoint: 127 });
		// All zeros still gets a positive scale.
		expect(chooseQParams(0, 0).scale).toBeGreaterThan(0);
	});

	test("symmetric weight scales: max |w| / 127, 1 for an all-zero channel", () => {
		expect(symmetricScale([0.5, -1.27, 0.2], 0, 3)).toBe(f(0.01));
		expect(symmetricScale([0.5, -1.27, 0.2], 0, 1)).toBe(f(0.5 / 127));
		expect(symmetricScale([0, 0], 0, 2)).toBe(1);
	});

	test("single-rounding requantization: (x * m + 2^(30-shift)) >> (31-shift), halves up", () => {
		expect(requantize(5, 2 ** 30, 0)).toBe(3); // 2.5 -> 3
		expect(requantize(-5, 2 ** 30, 0)).toBe(-2); // -2.5 -> -2
		expect(requantize(100, 1518500250, -1)).toBe(35); // 100 * 0.7071 / 2 = 35.36
		expect(requantize(7, 2 ** 30, 2)).toBe(14); // left shift: 7 * 0.5 * 4
		const r = rng(9);
		for (let i = 0; i < 2000; i++) {
			const x = Math.floor((r() * 2 - 1) * 2 ** 31);
			const m = 2 ** 30 + Math.floor(r() * 2 ** 30);
			const shift = -Math.floor(r() * 25);
			const ts = BigInt(31 - shift);
			const exact = Number((BigInt(x) * BigInt(m) + (1n << (ts - 1n))) >> ts);
			expect(requantize(x, m, shift)).toBe(exact);
		}
	});

	test("a 1x1 conv quantizes per channel, with int32 bias = round(b / (s_in * s_w))", () => {
		const net = new Net(
			{
				name: "one",
				input: [1, 1, 1],
				layers: [{ type: "conv", filters: 2, kernel: 1, padding: "VALID", activation: "NONE" }],
				labels: ["a", "b"],
			},
			rng(1),
		);
		net.params[0]!.value.set([0.5, -0.25]);
		net.params[1]!.value.set([0.1, 0]);
		// Calibrating on x = 1 gives outputs 0.6 and -0.25: range [-0.25, 0.6].
		const q = quantizeNet(net, [Float32Array.of(1)], { softmax: false });
		const conv = q.layers[0]!;
		if (conv.type !== "conv") throw new Error("expected conv");
		expect(conv.weightScales).toEqual([f(0.5 / 127), f(0.25 / 127)]);
		expect(Array.from(conv.weights)).toEqual([127, -127]);
		expect(Array.from(conv.bias)).toEqual([Math.round(0.1 / f(f(1 / 255) * f(0.5 / 127))), 0]);
		expect(conv.bias[0]).toBe(6477); // 0.1 * 255 * 254
		expect(conv.output).toEqual({ scale: f(0.85 / 255), zeroPoint: -53 }); // -128 + 0.25 / (0.85 / 255) = -53
		// Pixel 255 (int8 127): 0.6 -> -53 + 180 = 127 and -0.25 -> -128.
		expect(Array.from(runInt8(q, Int8Array.of(127)))).toEqual([127, -128]);
		expect(macsOf(q)).toBe(2);
	});
});

test("a channel with vanishing weights gets a wider scale so its bias fits int32", () => {
	const net = new Net(
		{
			name: "dead",
			input: [1, 1, 1],
			layers: [{ type: "conv", filters: 2, kernel: 1, padding: "VALID", activation: "NONE" }],
			labels: ["a", "b"],
		},
		rng(1),
	);
	net.params[0]!.value.set([0.5, 1e-12]);
	net.params[1]!.value.set([0.1, 0.3]);
	const q = quantizeNet(net, [Float32Array.of(1), Float32Array.of(0)], { softmax: false });
	const conv = q.layers[0]!;
	if (conv.type !== "conv") throw new Error("expected conv");
	expect(conv.weightScales[0]).toBe(f(0.5 / 127));
	expect(Math.abs(conv.bias[1]!)).toBeLessThanOrEqual(2 ** 30 + 1);
	expect(conv.weights[1]).toBe(0);
	// The bias still carries the output: 0.3 for any input.
	const out = conv.output;
	expect((runInt8(q, Int8Array.of(0))[1]! - out.zeroPoint) * out.scale).toBeCloseTo(0.3, 2);
});

const spec: NetSpec = {
	name: "random",
	input: [12, 12, 1],
	layers: [
		{ type: "conv", filters: 4, kernel: 3, padding: "SAME", activation: "RELU" },
		{ type: "maxpool", size: 2 },
		{ type: "conv", filters: 6, kernel: 3, padding: "VALID", activation: "RELU" },
		{ type: "maxpool", size: 2 },
		{ type: "flatten" },
		{ type: "dense", units: 10, activation: "RELU" },
		{ type: "dense", units: 3, activation: "NONE" },
	],
	labels: ["a", "b", "c"],
};

function randomPixels(r: () => number, n: number): Uint8Array {
	return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

describe("written models in the real TFLite runtime", () => {
	for (const seed of [21, 22]) {
		test(`int8 outputs equal the reference executor (seed ${seed})`, async () => {
			const r = rng(seed);
			const net = new Net(spec, r);
			for (const p of net.params)
				if (p.shape.length === 1) for (let i = 0; i < p.value.length; i++) p.value[i] = r() * 0.2 - 0.05;
			const images = Array.from({ length: 60 }, () => randomPixels(r, 144));
			const calib = images.map((img) => Float32Array.from(img, (v) => v / 255));
			const q = quantizeNet(net, calib);
			const logitsOnly = { ...q, layers: q.layers.filter((l) => l.type !== "softmax") };
			const full = writeTflite(q, "test model");
			const sFull = await openTflite(full);
			const sLogits = await openTflite(writeTflite(logitsOnly, "test logits"));
			let singleDiffers = 0;
			let maxFloatError = 0;
			try {
				for (const img of images) {
					const x = Int8Array.from(img, (v) => v - 128);
					const [probs] = sFull.run([x]) as Int8Array[];
					const [logits] = sLogits.run([x]) as Int8Array[];
					// XNNPACK requantizes in float: the reference in that mode matches bit for bit.
					expect(Array.from(runInt8(logitsOnly, x, "fp32"))).toEqual(Array.from(logits!));
					// Single rounding (xsight's kernels) differs only at float32 near-ties, by one.
					const single = runInt8(logitsOnly, x, "single");
					single.forEach((v, i) => expect(Math.abs(v - logits![i]!)).toBeLessThanOrEqual(1));
					if (single.some((v, i) => v !== logits![i])) singleDiffers++;
					// TFLite's integer softmax vs the float softmax of the same int8 logits: one quantum.
					const refProbs = runInt8(q, x, "fp32");
					refProbs.forEach((v, i) => expect(Math.abs(v - probs![i]!)).toBeLessThanOrEqual(1));
					// And the int8 logits stay near the float network's (the images are the calibration set).
					const fl = net.forward(Float32Array.from(img, (v) => v / 255));
					const out = logitsOnly.layers.at(-1)!.output;
					logits!.forEach(
						(v, i) =>
							(maxFloatError = Math.max(
								maxFloatError,
								Math.abs((v - out.zeroPoint) * out.scale - fl[i]!),
							)),
					);
				}
			} finally {
				sFull.close();
				sLogits.close();
			}
			expect(singleDiffers).toBeLessThanOrEqual(3);
			const out = logitsOnly.layers.at(-1)!.output;
			// Gross errors (a transposed layout, a wrong scale) would be a sizeable part of the range.
			expect(maxFloatError).toBeLessThan(0.1 * 255 * out.scale);

			// Our own loader reads back what was written.
			const m = readModel(full, "random.tflite");
			expect(m.operators.map((o) => m.operatorCodes[o.opcodeIndex]!.builtinCode)).toEqual([
				3, 17, 3, 17, 22, 9, 9, 25,
			]);
			const conv = q.layers[0]!;
			if (conv.type !== "conv") throw new Error("expected conv");
			const w = m.tensors[m.operators[0]!.inputs[1]!]!;
			expect(w.shape).toEqual([4, 3, 3, 1]);
			expect(w.quantization!.scale).toEqual(conv.weightScales);
			expect(w.quantization!.quantizedDimension).toBe(0);
			expect(Array.from(new Int8Array(w.data!.buffer, w.data!.byteOffset, w.data!.byteLength))).toEqual(
				Array.from(conv.weights),
			);
			const input = m.tensors[m.inputs[0]!]!;
			expect(input.quantization!.scale).toEqual([f(1 / 255)]);
			expect(input.quantization!.zeroPoint).toEqual([-128]);
			const output = m.tensors[m.outputs[0]!]!;
			expect(output.quantization!.scale).toEqual([f(1 / 256)]);
		});
	}

	test("a mirror-averaged model: REVERSE_V2, both passes on one set of weights, ADD; the runtime agrees and a mirror image gets the same answer", async () => {
		const r = rng(31);
		const mirrored: NetSpec = { ...spec, mirrorAverage: true };
		const net = new Net(mirrored, r);
		for (const p of net.params)
			if (p.shape.length === 1) for (let i = 0; i < p.value.length; i++) p.value[i] = r() * 0.2 - 0.05;
		const images = Array.from({ length: 40 }, () => randomPixels(r, 144));
		const calib = images.map((img) => Float32Array.from(img, (v) => v / 255));
		const q = quantizeNet(net, calib);
		expect(q.layers.map((l) => l.type)).toEqual([
			"conv",
			"maxpool",
			"conv",
			"maxpool",
			"reshape",
			"dense",
			"dense",
			"add",
			"softmax",
		]);
		const logitsOnly = { ...q, layers: q.layers.filter((l) => l.type !== "softmax") };
		const full = writeTflite(q, "mirror model");
		// The weights are stored once: the file is the plain model's plus a few small tables.
		const plainQ = quantizeNet(new Net(spec, rng(31)), calib);
		const plain = writeTflite(plainQ, "mirror model");
		expect(full.byteLength - plain.byteLength).toBeGreaterThan(0);
		expect(full.byteLength - plain.byteLength).toBeLessThan(2048);
		expect(macsOf(q)).toBe(2 * macsOf(plainQ));
		const sFull = await openTflite(full);
		const sLogits = await openTflite(writeTflite(logitsOnly, "mirror logits"));
		let maxFloatError = 0;
		try {
			for (const img of images) {
				const x = Int8Array.from(img, (v) => v - 128);
				const flipped = mirror(x, [12, 12, 1], new Int8Array(x.length));
				const [probs] = sFull.run([x]) as Int8Array[];
				const [logits] = sLogits.run([x]) as Int8Array[];
				expect(Array.from(runInt8(logitsOnly, x, "fp32"))).toEqual(Array.from(logits!));
				runInt8(logitsOnly, x, "single").forEach((v, i) =>
					expect(Math.abs(v - logits![i]!)).toBeLessThanOrEqual(1),
				);
				runInt8(q, x, "fp32").forEach((v, i) => expect(Math.abs(v - probs![i]!)).toBeLessThanOrEqual(1));
				// The two passes swap places for the mirror image; ADD is symmetric: identical outputs.
				expect(Array.from(sFull.run([flipped])[0] as Int8Array)).toEqual(Array.from(probs!));
				// The sum's scale carries twice the average of the float passes.
				const fl = net.infer(Float32Array.from(img, (v) => v / 255));
				const out = logitsOnly.layers.at(-1)!.output;
				logits!.forEach(
					(v, i) =>
						(maxFloatError = Math.max(
							maxFloatError,
							Math.abs((v - out.zeroPoint) * out.scale - 2 * fl[i]!),
						)),
				);
			}
		} finally {
			sFull.close();
			sLogits.close();
		}
		const out = logitsOnly.layers.at(-1)!.output;
		expect(maxFloatError).toBeLessThan(0.1 * 255 * out.scale);
	});
});
