// xsight infer: one inference of an int8 .tflite model on XS (the host
// simulator board), printing the raw int8 outputs and their dequantized values.
// Node only prepares the input bytes (decodes an image, or takes a raw
// tensor); loading, planning and running happen on XS (modules/tools/infer.ts).
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readModel, tensorTypeName } from "../../modules/nn/tflite";
import { buildHost } from "../build/build";
import { decodeGray, type GrayImage } from "../support/image";
import { runOnHost } from "../boards/host";
import { readUserFile } from "../support/files";
import { UsageError, type Command } from "./command";
import { makeTemp, removeTemp } from "../support/temp";

const PIXEL_MODES = ["quantize", "offset", "cast"] as const;

/** Bilinear resampling with pixel centres aligned (OpenCV's INTER_LINEAR convention), rounded. */
export function resizeGray(image: GrayImage, width: number, height: number): GrayImage {
	const out = new Uint8Array(width * height);
	const sx = image.width / width;
	const sy = image.height / height;
	for (let y = 0; y < height; y++) {
		const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
		const y0 = Math.floor(fy);
		const y1 = Math.min(y0 + 1, image.height - 1);
		const wy = fy - y0;
		for (let x = 0; x < width; x++) {
			const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
			const x0 = Math.floor(fx);
			const x1 = Math.min(x0 + 1, image.width - 1);
			const wx = fx - x0;
			const p = (yy: number, xx: number) => image.data[yy * image.width + xx]!;
			const top = p(y0, x0) * (1 - wx) + p(y0, x1) * wx;
			const bottom = p(y1, x0) * (1 - wx) + p(y1, x1) * wx;
			out[y * width + x] = Math.round(top * (1 - wy) + bottom * wy);
		}
	}
	return { width, height, data: out };
}

interface InferOutput {
	name: string;
	type: string;
	shape: number[];
	scale: number;
	zeroPoint: number;
	raw: number[];
	values: number[];
}

export const infer: Command = {
	summary: "run one inference of an int8 .tflite model on XS and print its outputs",
	usage: `usage: xsight infer --model M.tflite --input FILE [options]
Runs the model once on the XS engine (host simulator board) and prints each
output's raw int8 values and dequantized values (scale * (q - zero_point)).
  --model FILE        int8 TFLite model (.tflite)
  --input FILE        a raw tensor (.bin: exactly the bytes of input 0, int8 or
                      little-endian float32) or an 8-bit grayscale image (BMP, PGM;
                      PNG and JPEG are turned to gray) for a [1, H, W, 1] input
  --pixels MODE       how image pixels (0..255) become int8; required for images:
                        quantize  through the input's scale and zero point, with
                                  pixel / 255 as the real value:
                                  q = round(pixel / 255 / scale) + zero_point
                        offset    q = pixel - 128
                        cast      the pixel byte reinterpreted as int8 (200 -> -56),
                                  what TFLite Micro's person_detect test does
  --resize            resize the image to the input's H x W (bilinear) instead of
                      refusing a size mismatch
  --json              print JSON instead of text
  -h, --help          this text`,
	options: {
		model: { type: "string" },
		input: { type: "string" },
		pixels: { type: "string" },
		resize: { type: "boolean" },
		json: { type: "boolean" },
	},
	async run(values) {
		const modelPath = values["model"] as string | undefined;
		const inputPath = values["input"] as string | undefined;
		if (!modelPath) throw new UsageError("--model: required");
		if (!inputPath) throw new UsageError("--input: required");
		const pixels = values["pixels"] as string | undefined;
		if (pixels !== undefined && !(PIXEL_MODES as readonly string[]).includes(pixels))
			throw new UsageError(`--pixels ${pixels}: expected one of ${PIXEL_MODES.join(", ")}`);
		const modelBytes = new Uint8Array(readUserFile(modelPath, `--model ${modelPath}`));
		// Parsed here only to learn input 0's shape; XS parses it again, for real.
		const model = readModel(modelBytes, path.basename(modelPath));
		const input = model.tensors[model.inputs[0] ?? -1];
		if (input === undefined) throw new Error(`${modelPath}: the model has no input`);
		const inputBytes = new Uint8Array(readUserFile(inputPath, `--input ${inputPath}`));
		let data: Uint8Array;
		let mode = "raw";
		if (inputPath.toLowerCase().endsWith(".bin")) {
			if (pixels !== undefined) throw new UsageError(`--pixels applies to images; ${inputPath} is a raw tensor`);
			if (values["resize"] === true)
				throw new UsageError(`--resize applies to images; ${inputPath} is a raw tensor`);
			if (inputBytes.length !== input.byteSize)
				throw new Error(
					`${inputPath}: ${inputBytes.length} bytes, but input 0 (${tensorTypeName(input.type)} [${input.shape.join(", ")}]) takes ${input.byteSize}`,
				);
			data = inputBytes;
		} else {
			if (pixels === undefined)
				throw new UsageError(`--pixels: required for an image input (${PIXEL_MODES.join(", ")}; see --help)`);
			const [n, h, w, c] = input.shape;
			if (input.shape.length !== 4 || n !== 1 || c !== 1 || input.type !== 9)
				throw new Error(
					`${modelPath}: input 0 is ${tensorTypeName(input.type)} [${input.shape.join(", ")}], not a [1, H, W, 1] int8 image`,
				);
			let image = decodeGray(inputBytes, inputPath);
			if (image.width !== w || image.height !== h) {
				if (values["resize"] !== true)
					throw new Error(
						`${inputPath}: image is ${image.width}x${image.height}, the model takes ${w}x${h} (add --resize)`,
					);
				image = resizeGray(image, w!, h!);
			}
			data = image.data;
			mode = pixels;
		}

		const build = await buildHost();
		const root = makeTemp("infer");
		try {
			copyFileSync(modelPath, path.join(root, "model.tflite"));
			writeFileSync(path.join(root, "input.bin"), data);
			const result = await runOnHost(build, {
				main: "tools/infer",
				root,
				config: { model: "model.tflite", input: "input.bin", pixels: mode, batch: 1 },
			});
			if (result.status !== 0) {
				process.stderr.write(result.stderr.replaceAll("model.tflite", path.basename(modelPath)));
				return result.status;
			}
			const inferLine = result.stdout.split("\n").find((line) => line.startsWith("#infer "));
			const modelLine = result.stdout.split("\n").find((line) => line.startsWith("#model "));
			if (!inferLine || !modelLine)
				throw new Error(`XS run produced no result:\n${result.stdout}${result.stderr}`);
			const run = JSON.parse(inferLine.slice(7)) as { raw: number[][]; values: number[][] };
			const info = JSON.parse(modelLine.slice(7)) as {
				arenaBytes: number;
				outputs: Omit<InferOutput, "raw" | "values">[];
			};
			const outputs: InferOutput[] = info.outputs.map((o, i) => ({
				...o,
				raw: run.raw[i] ?? [],
				values: run.values[i] ?? [],
			}));
			if (values["json"] === true) {
				process.stdout.write(
					`${JSON.stringify({ model: modelPath, input: inputPath, pixels: mode, arenaBytes: info.arenaBytes, outputs })}\n`,
				);
			} else {
				for (const o of outputs) {
					process.stdout.write(
						`output ${o.name} ${o.type} [${o.shape.join(", ")}] scale ${o.scale} zero_point ${o.zeroPoint}\n`,
					);
					if (o.type === "int8") process.stdout.write(`  raw    ${o.raw.join(" ")}\n`);
					process.stdout.write(`  values ${o.values.map((v) => Number(v.toPrecision(6))).join(" ")}\n`);
				}
			}
			return 0;
		} finally {
			removeTemp(root);
		}
	},
};
