// The test-side model writer against the real TFLite runtime: models we write
// are accepted and run by TFLite itself (coarse facts of their outputs only),
// and our parser reads back exactly what was written; the oracle copy of
// person_detect reads as the original. Our interpreter's outputs are compared
// with TFLite's byte for byte in nn-interpreter.test.ts and nn-models.test.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { tflmModels } from "./support/paths";
import { readModel } from "../modules/nn/tflite";
import { Int8Net, kitchenSinkModel, randomInt8, rng } from "../tools/tflite/testmodels";
import { runTflite, runTfliteRaw } from "../tools/tflite/oracle";

const models = tflmModels;
const oracleCopy = path.join(models, "person_detect_oracle_copy.tflite");
const original = path.join(models, "person_detect.tflite");

describe("writer -> oracle -> parser", () => {
	test("a per-channel conv model runs in TFLite and reads back as written", async () => {
		const net = new Int8Net(11);
		const x = net.input([1, 6, 6, 3], { scale: 0.03, zeroPoint: 4 });
		const y = net.conv(x, 5, [3, 3], { padding: "VALID", strideW: 1, strideH: 1, activation: "RELU" });
		const bytes = net.finish([x], [y]);

		const [out] = await runTflite(bytes, [randomInt8(rng(1), 6 * 6 * 3, -128, 127)]);
		expect(out).toBeInstanceOf(Int8Array);
		expect(out!.length).toBe(4 * 4 * 5);
		// RELU clamps at the output zero point (5 by the recipe).
		expect(Math.min(...out!)).toBeGreaterThanOrEqual(5);

		const m = readModel(bytes, "conv.tflite");
		expect(m.operators).toHaveLength(1);
		const op = m.operators[0]!;
		expect(op.options).toEqual({
			kind: "conv2d",
			padding: "VALID",
			strideW: 1,
			strideH: 1,
			dilationW: 1,
			dilationH: 1,
			activation: "RELU",
		});
		for (const ti of [...op.inputs, ...op.outputs]) {
			const t = m.tensors[ti]!;
			const spec = net.mb.tensor(ti);
			expect(t.shape).toEqual(spec.shape);
			expect(t.name).toBe(spec.name);
			expect(t.quantization!.scale).toEqual(spec.quant!.scale.map(Math.fround));
			expect(t.quantization!.zeroPoint).toEqual(spec.quant!.zeroPoint);
			if (spec.data !== undefined) {
				const written = new Uint8Array(spec.data.buffer, spec.data.byteOffset, spec.data.byteLength);
				expect(Array.from(t.data!.subarray(0, written.length))).toEqual(Array.from(written));
			}
		}
		// Bias scale = input scale * weight scale per channel, within float32
		// rounding (TFLite checks the same relation to 1e-6 relative).
		const w = m.tensors[op.inputs[1]!]!,
			b = m.tensors[op.inputs[2]!]!;
		expect(w.quantization!.scale).toHaveLength(5);
		b.quantization!.scale.forEach((s, c) => {
			const product = Math.fround(0.03) * w.quantization!.scale[c]!;
			expect(Math.abs(s - product) / product).toBeLessThan(1e-6);
		});
	});

	test("the kitchen-sink model (every operator) runs in TFLite; softmax rows sum to 1", async () => {
		const bytes = kitchenSinkModel();
		readModel(bytes, "sink.tflite");
		const outs = await runTfliteRaw(bytes, [randomInt8(rng(5), 12 * 12 * 2, -128, 127)]);
		expect(outs).toHaveLength(2);
		const probs = outs[0]!;
		expect(probs).toBeInstanceOf(Int8Array);
		expect(probs.length).toBe(10);
		for (let row = 0; row < 2; row++) {
			let sum = 0;
			for (let k = 0; k < 5; k++) sum += (probs[row * 5 + k]! + 128) / 256;
			expect(Math.abs(sum - 1)).toBeLessThan(6 / 256);
		}
		expect(outs[1]).toBeInstanceOf(Float32Array);
		expect(outs[1]!.length).toBe(16);
	});
});

describe.skipIf(!existsSync(oracleCopy) || !existsSync(original))(
	"person_detect: original vs oracle copy (needs ../shared)",
	() => {
		test("our loader reads both identically apart from the 14 bias quantized_dimension fields; TFLite runs the copy", async () => {
			const a = readModel(new Uint8Array(readFileSync(original)), "person_detect.tflite");
			const copyBytes = new Uint8Array(readFileSync(oracleCopy));
			const b = readModel(copyBytes, "person_detect_oracle_copy.tflite");
			let diffs = 0;
			a.tensors.forEach((t, i) => {
				const u = b.tensors[i]!;
				expect(u.shape).toEqual(t.shape);
				expect(u.quantization?.scale).toEqual(t.quantization?.scale);
				if (t.quantization?.quantizedDimension !== u.quantization?.quantizedDimension) diffs++;
			});
			expect(diffs).toBe(14);
			const [out] = await runTflite(copyBytes, [new Int8Array(96 * 96)]);
			expect(out!.length).toBe(2);
		});
	},
);
