// xsight quantize: full-integer post-training quantization of a float checkpoint to int8 .tflite.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from "node:fs";
import { readCheckpoint } from "../train/checkpoint";
import { quantizeAndReport } from "../train/export";
import { presets } from "../train/presets";
import { loadSets } from "../train/sets";
import { checkWritable, UsageError, type Command } from "./command";

const usage = `usage: xsight quantize --checkpoint FILE.float.json --out FILE.tflite [options]
Quantizes a float checkpoint written by \`xsight train\` to the TFLite int8 spec: per-channel
symmetric CONV_2D weights, per-tensor FULLY_CONNECTED weights, int32 biases, int8 activations
with ranges calibrated on a sample of the training split (fused ReLU folded into the ranges),
input int8 = pixel - 128. Writes FILE.tflite and its model card FILE.md, and prints float and int8
test accuracy (int8 run by the real TFLite runtime and by the reference executor).

options:
  --checkpoint FILE     float checkpoint (.float.json) from xsight train (required)
  --out FILE            output .tflite (required)
  --data DIR            image folders the smile checkpoint was trained on
  --calibration N       training images used to calibrate ranges (default: the preset's, 500)
  --on-bad-image MODE   skip (default) or fail
  -h, --help            this text`;

export const quantizeCommand: Command = {
	summary: "int8 post-training quantization of a trained checkpoint to .tflite",
	usage,
	options: {
		checkpoint: { type: "string" },
		out: { type: "string" },
		data: { type: "string" },
		calibration: { type: "string" },
		"on-bad-image": { type: "string", default: "skip" },
	},
	async run(values) {
		const file = values["checkpoint"] as string | undefined;
		const out = values["out"] as string | undefined;
		if (file === undefined) throw new UsageError("--checkpoint FILE.float.json is required");
		if (out === undefined || !out.endsWith(".tflite")) throw new UsageError("--out FILE.tflite is required");
		checkWritable("--out", out);
		if (!existsSync(file)) throw new Error(`${file}: checkpoint not found`);
		const onBad = values["on-bad-image"];
		if (onBad !== "skip" && onBad !== "fail")
			throw new UsageError(`--on-bad-image must be skip or fail, got "${String(onBad)}"`);
		const ckpt = readCheckpoint(file);
		const calibration =
			values["calibration"] === undefined ? presets[ckpt.preset].calibration : Number(values["calibration"]);
		if (!Number.isInteger(calibration) || calibration <= 0)
			throw new UsageError(`--calibration must be a positive integer, got "${String(values["calibration"])}"`);
		const sets = loadSets(ckpt.preset, {
			data: values["data"] as string | undefined,
			onBadImage: onBad,
			size: ckpt.spec.input[0],
		});
		const command = ["xsight", "quantize", ...process.argv.slice(3)].join(" ");
		await quantizeAndReport(file, out, sets, { calibration, command, log: (s) => process.stdout.write(`${s}\n`) });
		process.stdout.write(`wrote ${out} and ${out.replace(/\.tflite$/, ".md")}\n`);
		return 0;
	},
};
