// The interpreter on XS against the real TFLite runtime (the oracle), bit
// for bit: generated int8 models covering every operator and option, run
// with random inputs (fixed seeds), every output element compared.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { readModel } from "../modules/nn/tflite";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { DEFAULT_PROFILE } from "../tools/power/profile";
import { simulate } from "../tools/power/simulate";
import { rebuildModel } from "../tools/tflite/rebuild";
import { Int8Net, convModel, kitchenSinkModel, mirrorAveragedModel, randomInt8, rng } from "../tools/tflite/testmodels";
import { inferOnXs } from "./support/nn-run";
import { runTfliteRaw } from "../tools/tflite/oracle";
import { quantizeMultiplier } from "../modules/nn/quantize";

interface Case {
	name: string;
	build: () => Uint8Array;
	inputs: number;
	/** The same model as TFLite can run it, when it cannot run ours. */
	oracle?: (ours: Uint8Array) => Uint8Array;
	/** Bytes of input 0 (random int8, or random float32 for float inputs). */
	input: (r: () => number) => ArrayBufferView;
}

const i8 = (n: number) => (r: () => number) => randomInt8(r, n, -128, 127);

/** Every operator and option across a handful of small graphs. */
const generatedModels: Case[] = [
	{ name: "conv 3x3 SAME RELU6 per-channel", build: () => convModel(1), inputs: 6, input: i8(8 * 8 * 3) },
	{ name: "kitchen sink (every operator)", build: () => kitchenSinkModel(7), inputs: 6, input: i8(12 * 12 * 2) },
	// The oracle cannot read buffers stored after the flatbuffer: it gets the same model inline.
	{
		name: "kitchen sink, weights after the flatbuffer",
		build: () => kitchenSinkModel(8, true),
		oracle: () => kitchenSinkModel(8, false),
		inputs: 3,
		input: i8(12 * 12 * 2),
	},
	{
		name: "conv stride 2 SAME at odd borders, no bias, per-tensor; 1x1 conv; max pool VALID",
		build: () => {
			const net = new Int8Net(21);
			const x = net.input([1, 9, 7, 3], { scale: 0.05, zeroPoint: 10 });
			let t = net.conv(x, 5, [3, 3], { padding: "SAME", strideH: 2, strideW: 2, bias: false, perChannel: false });
			t = net.conv(t, 7, [1, 1], { padding: "VALID", activation: "RELU" });
			t = net.pool("MAX_POOL_2D", t, [2, 3], { padding: "VALID", strideH: 1, strideW: 2, activation: "RELU6" });
			return net.finish([x], [t]);
		},
		oracle: (ours) => {
			const m = readModel(ours, "no-bias.tflite");
			return rebuildModel(m, m.operators.length, m.outputs, { zeroBiases: true }).bytes;
		},
		inputs: 6,
		input: i8(9 * 7 * 3),
	},
	{
		name: "depthwise per-tensor stride 2 VALID RELU, multiplier 3; average pool SAME with padding",
		build: () => {
			const net = new Int8Net(22);
			const x = net.input([1, 11, 10, 2], { scale: 0.03, zeroPoint: -20 });
			let t = net.depthwise(x, 3, [3, 3], {
				padding: "VALID",
				strideH: 2,
				strideW: 2,
				perChannel: false,
				activation: "RELU",
			});
			t = net.pool("AVERAGE_POOL_2D", t, [3, 3], { padding: "SAME", strideH: 2, strideW: 2 });
			t = net.depthwise(t, 1, [2, 2], { padding: "SAME", activation: "RELU6" });
			return net.finish([x], [t]);
		},
		inputs: 6,
		input: i8(11 * 10 * 2),
	},
	{
		name: "FC RELU6 -> ADD RELU6 -> QUANTIZE -> softmax; DEQUANTIZE output",
		build: () => {
			const net = new Int8Net(23);
			const x = net.input([1, 40], { scale: 0.1, zeroPoint: 0 });
			const a = net.fullyConnected(x, 24, { activation: "RELU6" });
			const b = net.fullyConnected(x, 24, { activation: "NONE" });
			const s = net.add(a, b, "RELU6", { scale: 0.05, zeroPoint: -100 });
			const q = net.quantize(s, { scale: 0.07, zeroPoint: 12 });
			const p = net.softmax(q, 2);
			return net.finish([x], [p, net.dequantize(s)]);
		},
		inputs: 8,
		input: i8(40),
	},
	{
		name: "REVERSE_V2 of the smile model's 64x64x1 input: width axis, height axis as -3",
		build: () => {
			const net = new Int8Net(25);
			const x = net.input([1, 64, 64, 1], { scale: 1 / 128, zeroPoint: 0 });
			return net.finish([x], [net.reverse(x, 2), net.reverse(x, -3)]);
		},
		inputs: 3,
		input: i8(64 * 64),
	},
	{
		name: "REVERSE_V2 with 3 channels: width, height, channel (-1), batch; rank 3 after RESHAPE; then a conv",
		build: () => {
			const net = new Int8Net(26);
			const x = net.input([1, 5, 7, 3], { scale: 0.03, zeroPoint: 7 });
			const w = net.reverse(x, 2);
			const outs = [w, net.reverse(x, 1), net.reverse(x, -1), net.reverse(x, 0)];
			outs.push(net.reverse(net.reshape(x, [5, 7, 3], false), 1));
			outs.push(net.conv(w, 4, [3, 3], { padding: "SAME", activation: "RELU" }));
			return net.finish([x], outs);
		},
		inputs: 4,
		input: i8(5 * 7 * 3),
	},
	{
		name: "mirror-averaged (REVERSE_V2 -> one CONV_2D's weights twice -> ADD -> SOFTMAX beta 0.5), one channel",
		build: () => mirrorAveragedModel(31, [1, 6, 8, 1]),
		inputs: 8,
		input: i8(6 * 8),
	},
	{
		name: "mirror-averaged, three channels",
		build: () => mirrorAveragedModel(32, [1, 5, 7, 3]),
		inputs: 8,
		input: i8(5 * 7 * 3),
	},
	{
		name: "per-channel FULLY_CONNECTED: batch 3, RELU6, a row tail; then a per-tensor one",
		build: () => {
			const net = new Int8Net(28);
			const x = net.input([3, 37], { scale: 0.05, zeroPoint: 4 });
			const t = net.fullyConnected(x, 11, { perChannel: true, activation: "RELU6" });
			return net.finish([x], [t, net.fullyConnected(t, 5, { perChannel: true }), net.fullyConnected(t, 3)]);
		},
		inputs: 6,
		input: i8(3 * 37),
	},
	{
		name: "float32 input through QUANTIZE, then conv",
		build: () => {
			const net = new Int8Net(24);
			const f = net.mb.addTensor({ name: "float_in", shape: [1, 5, 5, 2], type: "float32" });
			const x = net.act([1, 5, 5, 2], { scale: 0.02, zeroPoint: 3 });
			net.mb.addOp("QUANTIZE", [f], [x]);
			const y = net.conv(x, 3, [3, 3], { padding: "SAME" });
			return net.finish([f], [y]);
		},
		inputs: 4,
		input: (r) => Float32Array.from({ length: 50 }, () => (r() - 0.5) * 6),
	},
];

function toInt8OrFloat(view: ArrayBufferView): Int8Array | Float32Array {
	return view instanceof Float32Array ? view : new Int8Array(view.buffer, view.byteOffset, view.byteLength);
}

describe("generated models on XS equal TFLite bit for bit (single rounding build)", () => {
	for (const c of generatedModels) {
		test(c.name, async () => {
			const model = c.build();
			const r = rng(1000 + c.name.length);
			const inputs = Array.from({ length: c.inputs }, () => c.input(r));
			const run = await inferOnXs(model, inputs);
			const oracleModel = c.oracle ? c.oracle(model) : model;
			expect(run.result.stderr).toBe("");
			expect(run.result.status).toBe(0);
			expect(run.model?.singleRounding).toBe(true);
			expect(run.inferences).toHaveLength(inputs.length);
			for (let k = 0; k < inputs.length; k++) {
				const oracle = await runTfliteRaw(oracleModel, [toInt8OrFloat(inputs[k]!)]);
				const ours = run.inferences[k]!;
				oracle.forEach((o, i) => {
					if (o instanceof Float32Array)
						expect(ours.values[i], `input ${k} output ${i} (float32)`).toEqual(Array.from(o));
					else expect(ours.raw[i], `input ${k} output ${i}`).toEqual(Array.from(o));
				});
			}
		});
	}
});

describe("the runtime a wake imports", () => {
	test("a load from a valid plan does not import the compiler, a load without one does; each invoke counts the model's MACs", async () => {
		const root = mkdtempSync(path.join(tmpdir(), "xsight-nn-runtime-"));
		copyFileSync(path.join(repoRoot, "resources/models/smile.tflite"), path.join(root, "smile.tflite"));
		const run = await simulate({
			build: hostBuildPaths(),
			main: "test/xs/fixtures/nn/runtime",
			hours: 1.5 / 60,
			profile: DEFAULT_PROFILE,
			root,
			config: { model: "smile.tflite" },
		});
		expect(run.result.status, run.result.stderr).toBe(0);
		const wakes = run.result.stdout
			.split("\n")
			.filter((line) => line.startsWith("#nn-runtime "))
			.map(
				(line) =>
					JSON.parse(line.slice("#nn-runtime ".length)) as {
						fromPlan: boolean;
						compiler: boolean;
						macs: number;
					},
			);
		expect(wakes.map(({ fromPlan, compiler }) => ({ fromPlan, compiler }))).toEqual([
			{ fromPlan: false, compiler: true },
			{ fromPlan: true, compiler: false },
		]);
		const macs = wakes[0]!.macs;
		expect(macs).toBeGreaterThan(0);
		expect(run.report.wakes.map((wake) => wake.counts["nn.macs"])).toEqual([2 * macs, 2 * macs]);
	});
});

/*
 * MUL: TFLite's XNNPACK delegate (which the oracle cannot switch off) takes
 * int8 MUL and requantizes its product in float32, so a product within
 * float32's precision of a rounding tie may land one quantum away from
 * TFLite's builtin kernel. The builtin kernel's arithmetic (single rounding,
 * as the oracle's CONV_2D and FULLY_CONNECTED) is written out here: the MUL
 * outputs equal it bit for bit, computed from its two inputs, which are
 * themselves graph outputs equal to the oracle's bit for bit; against the
 * oracle's MUL they differ by at most one quantum.
 */
test("MUL on XS equals TFLite's builtin int8 MUL (single rounding) bit for bit, the oracle's within one quantum", async () => {
	const net = new Int8Net(27);
	const x = net.input([1, 6, 5, 3], { scale: 0.04, zeroPoint: -9 });
	const a = net.conv(x, 4, [3, 3], { padding: "SAME" });
	const b = net.conv(x, 4, [1, 1], { padding: "VALID", out: { scale: 0.06, zeroPoint: 9 } });
	const qa = net.quantOf(a);
	const qb = net.quantOf(b);
	const out = { scale: qa.scale * qb.scale * 40, zeroPoint: -20 };
	const m = net.mul(a, b, "RELU", out);
	const sq = net.mul(x, x);
	const model = net.finish([x], [a, b, m, x, sq]);
	const r = rng(1027);
	const inputs = Array.from({ length: 6 }, () => randomInt8(r, 6 * 5 * 3, -128, 127));
	const run = await inferOnXs(model, inputs);
	expect(run.result.stderr).toBe("");
	expect(run.result.status).toBe(0);
	expect(run.inferences).toHaveLength(inputs.length);
	const qx = net.quantOf(x);
	const reference = (
		p: number[],
		q: number[],
		qp: typeof qa,
		qq: typeof qa,
		qo: typeof qa,
		min: number,
	): number[] => {
		// The model holds the scales as float32.
		const f = Math.fround;
		const mq = quantizeMultiplier((f(qp.scale) * f(qq.scale)) / f(qo.scale), { singleRounding: true });
		const k = BigInt(31 - mq.shift);
		return p.map((v, i) => {
			const prod = BigInt((v - qp.zeroPoint) * (q[i]! - qq.zeroPoint)) * BigInt(mq.multiplier);
			const scaled = Number((prod + (1n << (k - 1n))) >> k) + qo.zeroPoint;
			return Math.min(127, Math.max(min, scaled));
		});
	};
	let offByOne = 0;
	for (let k = 0; k < inputs.length; k++) {
		const ours = run.inferences[k]!.raw;
		const oracle = (await runTfliteRaw(model, [inputs[k]!])).map((o) => Array.from(o));
		expect(ours[0], `input ${k}: conv branch a`).toEqual(oracle[0]);
		expect(ours[1], `input ${k}: conv branch b`).toEqual(oracle[1]);
		expect(ours[3], `input ${k}: the input`).toEqual(oracle[3]);
		// RELU: the range starts at the output's zero point.
		expect(ours[2], `input ${k}: a x b`).toEqual(reference(ours[0]!, ours[1]!, qa, qb, out, out.zeroPoint));
		const sqOut = net.quantOf(sq);
		expect(ours[4], `input ${k}: x squared`).toEqual(reference(ours[3]!, ours[3]!, qx, qx, sqOut, -128));
		for (const o of [2, 4]) {
			ours[o]!.forEach((v, i) => {
				const d = Math.abs(v - oracle[o]![i]!);
				expect(d, `input ${k} output ${o} element ${i}`).toBeLessThanOrEqual(1);
				offByOne += d;
			});
		}
	}
	// Ties are rare: most of the 6 x 240 products agree with the oracle's float32 requantization.
	expect(offByOne).toBeLessThan(20);
});
