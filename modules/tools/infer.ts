// XS side of `xsight infer` (and of the nn tests and benchmark): loads a
// model through Resource, fills input 0 from a file of the data root, runs
// it and prints one JSON line per inference:
//   #infer {"raw":[[...int8 per output...]],"values":[[...dequantized...]]}
// then a #model line with sizes and counts. mc/config:
//   model   resource path of the .tflite
//   input   resource path of the input bytes: `batch` consecutive inputs
//   pixels  "raw": the bytes are the tensor (int8 or float32, little-endian);
//           "quantize" | "offset" | "cast": the bytes are 8-bit pixels, turned into int8
//           through the input's scale and zero point (pixel / 255 as the real value),
//           as pixel - 128, or reinterpreted as int8 (TFLite Micro's person_detect test)
//   batch   number of inputs in the file (default 1)
//   repeat  with `time`, invokes per timing sample (default 1)
//   time    number of timing samples: prints #time {"ms":[...per invoke...]} instead of outputs
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import Resource from "Resource";
import { Model } from "nn";
import type { Tensor } from "nn";

function text(key: string): string {
	const value = config[key];
	if (typeof value !== "string" || value === "") throw new Error(`mc/config ${key}: expected a string`);
	return value;
}

function count(key: string, fallback: number): number {
	const value = config[key] ?? fallback;
	if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
		throw new Error(`mc/config ${key}: expected a non-negative integer`);
	return value;
}

/** Fills an int8 tensor from 8-bit pixels, as the chosen convention says. */
export function fillFromPixels(tensor: Tensor, pixels: Uint8Array, mode: string): void {
	const data = tensor.data;
	const n = data.length;
	if (mode === "cast") {
		for (let i = 0; i < n; i++) data[i] = pixels[i]!;
	} else if (mode === "offset") {
		for (let i = 0; i < n; i++) data[i] = pixels[i]! - 128;
	} else if (mode === "quantize") {
		const scale = tensor.scale;
		const zp = tensor.zeroPoint;
		for (let i = 0; i < n; i++) {
			// TFLite's rounding: half away from zero; pixels are >= 0.
			const q = Math.floor(pixels[i]! / 255 / scale + 0.5) + zp;
			data[i] = q < -128 ? -128 : q > 127 ? 127 : q;
		}
	} else throw new Error(`pixels ${mode}: expected raw, quantize, offset or cast`);
}

const modelPath = text("model");
const model = await Model.load(modelPath);
const input = model.input(0);
const mode = typeof config["pixels"] === "string" ? (config["pixels"] as string) : "raw";
const batch = count("batch", 1);
const resource = new Resource(text("input"));
const bytes = new Uint8Array(resource);
const per = mode === "raw" ? input.data.length : input.shape.reduce((a, d) => a * d, 1);
if (input.type !== "int8" && mode !== "raw")
	throw new Error(`${modelPath}: input 0 is ${input.type}: only --pixels raw applies`);
if (bytes.length !== per * batch)
	throw new Error(
		`${text("input")}: ${bytes.length} bytes, but ${batch} input(s) of shape [${input.shape.join(", ")}] (${input.type}) need ${per * batch}`,
	);

function load(k: number): void {
	const slice = bytes.subarray(k * per, (k + 1) * per);
	if (mode === "raw") input.data.set(new Int8Array(slice.buffer, slice.byteOffset, slice.length));
	else fillFromPixels(input, slice, mode);
}

const samples = count("time", 0);
if (samples > 0) {
	const repeat = Math.max(1, count("repeat", 1));
	load(0);
	model.invoke();
	const ms: number[] = [];
	for (let s = 0; s < samples; s++) {
		const start = Date.now();
		for (let r = 0; r < repeat; r++) model.invoke();
		ms.push((Date.now() - start) / repeat);
	}
	trace(`#time ${JSON.stringify({ ms })}\n`);
} else {
	for (let k = 0; k < batch; k++) {
		load(k);
		model.invoke();
		const raw: number[][] = [];
		const values: number[][] = [];
		for (const out of model.outputs) {
			if (out.values !== null) {
				raw.push([]);
				values.push(Array.from(out.values));
			} else {
				const r = Array.from(out.data);
				raw.push(r);
				values.push(r.map((q) => out.scale * (q - out.zeroPoint)));
			}
		}
		trace(`#infer ${JSON.stringify({ raw, values })}\n`);
	}
}
trace(
	`#model ${JSON.stringify({
		arenaBytes: model.arenaBytes,
		persistentBytes: model.persistentBytes,
		activationBytes: model.activationBytes,
		scratchBytes: model.scratchBytes,
		weightBytes: model.weightBytes,
		macs: model.macs,
		singleRounding: model.singleRounding,
		inputs: model.inputs.map((t) => ({
			name: t.name,
			type: t.type,
			shape: t.shape,
			scale: t.scale,
			zeroPoint: t.zeroPoint,
		})),
		outputs: model.outputs.map((t) => ({
			name: t.name,
			type: t.type,
			shape: t.shape,
			scale: t.scale,
			zeroPoint: t.zeroPoint,
		})),
	})}\n`,
);
