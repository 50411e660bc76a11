// TFLite Micro's example models on XS against the oracle: person_detect
// (our loader reads the ORIGINAL file; the oracle needs its patched copy)
// and hello_world_int8 on all 256 inputs. Needs ../shared.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { readModel } from "../modules/nn/tflite";
import type { Model, Operator } from "../modules/nn/tflite";
import { convMultipliers } from "../modules/nn/quantize";
import { readGrayImage } from "../tools/support/image";
import { rebuildModel } from "../tools/tflite/rebuild";
import { inferOnXs } from "./support/nn-run";
import { sharedRoot, tflmModels } from "./support/paths";
import { runTflite } from "../tools/tflite/oracle";

const original = path.join(tflmModels, "person_detect.tflite");
const oracleCopy = path.join(tflmModels, "person_detect_oracle_copy.tflite");
const hello = path.join(tflmModels, "hello_world_int8.tflite");
const images = path.join(sharedRoot, "images/tflm");
const have = existsSync(original) && existsSync(oracleCopy) && existsSync(path.join(images, "person.bmp"));

/** TFLite Micro's person_detect test convention (--pixels cast): pixel bytes reinterpreted as int8. */
function castPixels(file: string): Int8Array {
	const image = readGrayImage(file);
	expect([image.width, image.height]).toEqual([96, 96]);
	return new Int8Array(image.data.buffer, image.data.byteOffset, image.data.length);
}

/**
 * The accumulator of one output element of a CONV_2D or DEPTHWISE_CONV_2D
 * (SAME or VALID, any stride), computed naively from the definition.
 */
function accumulator(m: Model, op: Operator, input: Int8Array, index: number): { acc: number; channel: number } {
	const o = op.options;
	if (o.kind !== "conv2d" && o.kind !== "depthwise_conv2d") throw new Error(`not a convolution: ${op.name}`);
	const [, h, w, c] = m.tensors[op.inputs[0]!]!.shape as number[] as [number, number, number, number];
	const filter = m.tensors[op.inputs[1]!]!;
	const [, oh, ow, oc] = m.tensors[op.outputs[0]!]!.shape as [number, number, number, number];
	const [fn, fh, fw, fc] = filter.shape as [number, number, number, number];
	const f = new Int8Array(filter.data!.buffer, filter.data!.byteOffset, filter.byteSize);
	const bias = new Int32Array(m.tensors[op.inputs[2]!]!.data!.slice(0, 4 * oc).buffer);
	const zp = m.tensors[op.inputs[0]!]!.quantization!.zeroPoint[0]!;
	const channel = index % oc;
	const x = Math.floor(index / oc) % ow;
	const y = Math.floor(index / oc / ow);
	const padH = o.padding === "SAME" ? Math.max(0, Math.floor(((oh - 1) * o.strideH + fh - h) / 2)) : 0;
	const padW = o.padding === "SAME" ? Math.max(0, Math.floor(((ow - 1) * o.strideW + fw - w) / 2)) : 0;
	let acc = bias[channel]!;
	for (let ky = 0; ky < fh; ky++) {
		for (let kx = 0; kx < fw; kx++) {
			const iy = y * o.strideH - padH + ky;
			const ix = x * o.strideW - padW + kx;
			if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
			if (o.kind === "depthwise_conv2d") {
				const ic = Math.floor(channel / (oc / c));
				acc += (input[(iy * w + ix) * c + ic]! - zp) * f[(ky * fw + kx) * oc + channel]!;
			} else {
				for (let k = 0; k < fc; k++)
					acc += (input[(iy * w + ix) * c + k]! - zp) * f[((channel * fh + ky) * fw + kx) * fc + k]!;
			}
		}
	}
	expect(fn === oc || fn === 1).toBe(true);
	return { acc, channel };
}

describe.skipIf(!have)("person_detect (needs ../shared)", () => {
	test("person.bmp -> [-113, 113]: person, identical to the oracle", async () => {
		const input = castPixels(path.join(images, "person.bmp"));
		const [oracle] = await runTflite(new Uint8Array(readFileSync(oracleCopy)), [input]);
		const run = await inferOnXs(new Uint8Array(readFileSync(original)), [input]);
		expect(run.result.stderr).toBe("");
		expect(run.inferences[0]!.raw[0]).toEqual(Array.from(oracle!));
		expect(run.inferences[0]!.raw[0]).toEqual([-113, 113]);
		expect(run.model!.outputs[0]!.shape).toEqual([1, 2]);
	});

	test("no_person.bmp: not a person; equal to the oracle layer by layer up to one float32 tie in the oracle's XNNPACK", async () => {
		const input = castPixels(path.join(images, "no_person.bmp"));
		const modelBytes = new Uint8Array(readFileSync(oracleCopy));
		const m = readModel(modelBytes, "person_detect_oracle_copy.tflite");
		const run = await inferOnXs(new Uint8Array(readFileSync(original)), [input]);
		const ours = run.inferences[0]!.raw[0]!;
		const [oracle] = await runTflite(modelBytes, [input]);
		// Both say "no person" (index 0) by a wide margin.
		expect(ours[0]!).toBeGreaterThan(ours[1]!);
		expect(oracle![0]!).toBeGreaterThan(oracle![1]!);
		if (ours.join() === Array.from(oracle!).join()) return;

		// Otherwise find the first operator whose output differs: everything
		// before it must be identical, and each differing element must be a
		// requantization tie that XNNPACK's float32 arithmetic (float(acc) *
		// float(scale), rounded to nearest) rounds up while the exact value,
		// which CMSIS-NN and TFLM's fixed-point single rounding follow, is
		// below one half.
		let first = -1;
		for (let k = 0; k < m.operators.length && first < 0; k++) {
			const op = m.operators[k]!;
			const part = rebuildModel(m, k + 1, [op.outputs[0]!]).bytes;
			const [theirs] = await runTflite(part, [input]);
			const mine = (await inferOnXs(part, [input])).inferences[0]!.raw[0]!;
			if (mine.join() === Array.from(theirs!).join()) continue;
			first = k;
			const op0 = m.operators[k]!;
			const [opInput] = await runTflite(rebuildModel(m, k, [op0.inputs[0]!]).bytes, [input]);
			const inQ = m.tensors[op0.inputs[0]!]!.quantization!;
			const outQ = m.tensors[op0.outputs[0]!]!.quantization!;
			const fScales = m.tensors[op0.inputs[1]!]!.quantization!.scale;
			const channels = m.tensors[op0.outputs[0]!]!.shape[3]!;
			const mult = convMultipliers(inQ.scale[0]!, fScales, outQ.scale[0]!, channels, { singleRounding: true });
			let differing = 0;
			mine.forEach((v, i) => {
				if (v === theirs![i]) return;
				differing++;
				const { acc, channel } = accumulator(m, op0, opInput!, i);
				const fsc = fScales.length === 1 ? fScales[0]! : fScales[channel]!;
				const exact = (acc * inQ.scale[0]! * fsc) / outQ.scale[0]!;
				const fp32 = Math.fround(
					Math.fround(acc) * Math.fround(Math.fround(inQ.scale[0]! * fsc) / outQ.scale[0]!),
				);
				const fixed = Number(
					(BigInt(acc) * BigInt(mult.multipliers[channel]!) + (1n << BigInt(30 - mult.shifts[channel]!))) >>
						BigInt(31 - mult.shifts[channel]!),
				);
				expect(Math.abs(fp32 - Math.trunc(fp32))).toBe(0.5); // a tie in float32
				expect(Math.abs(exact - Math.round(exact - 0.5) - 0.5)).toBeLessThan(1e-5); // just below it, exactly
				expect(fixed).toBe(Math.floor(exact + 0.5));
				expect(v).toBe(fixed + outQ.zeroPoint[0]!);
				expect(theirs![i]).toBe(Math.round(fp32) + outQ.zeroPoint[0]!);
			});
			expect(differing).toBeGreaterThan(0);
		}
		expect(first).toBeGreaterThanOrEqual(0);
		console.log(
			`person_detect no_person: ours ${JSON.stringify(ours)}, oracle ${JSON.stringify(Array.from(oracle!))}; first difference at operator ${first} (${m.operators[first]!.name}), a float32 tie in XNNPACK`,
		);
	}, 120_000);
});

describe.skipIf(!existsSync(hello))("hello_world_int8 (needs ../shared)", () => {
	test("all 256 int8 inputs equal the oracle (one XS run)", async () => {
		const bytes = new Uint8Array(readFileSync(hello));
		const inputs = Array.from({ length: 256 }, (_, i) => Int8Array.of(i - 128));
		const run = await inferOnXs(bytes, inputs);
		expect(run.result.stderr).toBe("");
		expect(run.inferences).toHaveLength(256);
		for (let i = 0; i < 256; i++) {
			const [oracle] = await runTflite(bytes, [inputs[i]!]);
			expect(run.inferences[i]!.raw[0], `input ${i - 128}`).toEqual(Array.from(oracle!));
		}
		// It learned sin(x): the dequantized output follows it.
		const inQ = run.model!.inputs[0]!;
		let worst = 0;
		for (let i = 0; i < 256; i++) {
			const x = inQ.scale * (i - 128 - inQ.zeroPoint);
			if (x < 0 || x > 2 * Math.PI) continue;
			worst = Math.max(worst, Math.abs(run.inferences[i]!.values[0]![0]! - Math.sin(x)));
		}
		expect(worst).toBeLessThan(0.2);
	});
});
