// xsight eval: accuracy and confusion matrix of an int8 .tflite classifier (run by the real TFLite
// runtime), and the float vs int8 gap when the float checkpoint is at hand.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type Model, readModel } from "../../modules/nn/tflite";
import { openTflite } from "../tflite/oracle";
import { netOf, readCheckpoint } from "../train/checkpoint";
import { type Dataset, loadImageFolders, loadMnist, splitDataset } from "../train/data";
import { argmax } from "../train/net";
import { type Scores, evaluateFloat, scoresOf } from "../train/trainer";
import { UsageError, type Command } from "./command";

const usage = `usage: xsight eval --model FILE.tflite [--data DIR] [options]
Runs an int8 image classifier over a labelled set in the real TFLite runtime and prints accuracy,
balanced accuracy and the confusion matrix. With a float checkpoint (default FILE.float.json
beside the model, if present) it also prints the float accuracy and the float - int8 gap.

  --data DIR            class folders DIR/<label>/*.jpg, labels = sorted folder names, one per
                        model output; images are gray-converted and box-shrunk to the model's
                        input size. Without --data: the 10,000 MNIST test digits.
  --split SPLIT         test (default: the same held-out split xsight train uses) or all
  --checkpoint FILE     float checkpoint for the float vs int8 comparison
  --limit N             only the first N images of the set
  --on-bad-image MODE   skip (default) or fail
  -h, --help            this text`;

function inputOf(
	m: Model,
	source: string,
): { h: number; w: number; c: number; scale: number; zeroPoint: number; classes: number } {
	const sg = m;
	const t = sg.tensors[sg.inputs[0]!];
	const o = sg.tensors[sg.outputs[0]!];
	if (t === undefined || o === undefined || sg.inputs.length !== 1 || sg.outputs.length !== 1)
		throw new Error(`${source}: expected one input and one output tensor`);
	if (t.shape.length !== 4 || t.shape[0] !== 1)
		throw new Error(`${source}: input shape [${t.shape.join(", ")}] is not [1, H, W, C]`);
	if (t.type !== 9 || o.type !== 9) throw new Error(`${source}: input and output must be int8`);
	const q = t.quantization;
	if (q === undefined || q === null || q.scale.length !== 1)
		throw new Error(`${source}: input has no per-tensor quantization`);
	return {
		h: t.shape[1]!,
		w: t.shape[2]!,
		c: t.shape[3]!,
		scale: q.scale[0]!,
		zeroPoint: q.zeroPoint[0]!,
		classes: o.shape.reduce((a, b) => a * b, 1),
	};
}

function printScores(title: string, s: Scores, labels: string[]): void {
	const w = Math.max(8, ...labels.map((l) => l.length));
	process.stdout.write(
		`${title}: accuracy ${(100 * s.accuracy).toFixed(2)}%, balanced accuracy ${(100 * s.balancedAccuracy).toFixed(2)}%\n`,
	);
	process.stdout.write(
		`confusion (rows = true, columns = predicted):\n${"".padEnd(w)} ${labels.map((l) => l.padStart(w)).join(" ")}\n`,
	);
	s.confusion.forEach((row, i) =>
		process.stdout.write(`${labels[i]!.padEnd(w)} ${row.map((v) => String(v).padStart(w)).join(" ")}\n`),
	);
}

export const evalCommand: Command = {
	summary: "accuracy, confusion matrix and float vs int8 gap of a .tflite classifier",
	usage,
	options: {
		model: { type: "string" },
		data: { type: "string" },
		split: { type: "string", default: "test" },
		checkpoint: { type: "string" },
		limit: { type: "string" },
		"on-bad-image": { type: "string", default: "skip" },
	},
	async run(values) {
		const modelFile = values["model"] as string | undefined;
		if (modelFile === undefined) throw new UsageError("--model FILE.tflite is required");
		if (!existsSync(modelFile)) throw new Error(`${modelFile}: model not found`);
		const split = values["split"];
		if (split !== "test" && split !== "all")
			throw new UsageError(`--split must be test or all, got "${String(split)}"`);
		const onBad = values["on-bad-image"];
		if (onBad !== "skip" && onBad !== "fail")
			throw new UsageError(`--on-bad-image must be skip or fail, got "${String(onBad)}"`);
		const bytes = new Uint8Array(readFileSync(modelFile));
		const info = inputOf(readModel(bytes, modelFile), modelFile);

		let data: Dataset;
		const dir = values["data"] as string | undefined;
		if (dir === undefined) {
			if (info.h !== 28 || info.w !== 28 || info.c !== 1 || info.classes !== 10)
				throw new Error(
					`${modelFile}: input ${info.h}x${info.w}x${info.c} with ${info.classes} outputs is not an MNIST model; pass --data DIR`,
				);
			data = loadMnist("test");
		} else {
			if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: data folder not found`);
			const labels = readdirSync(dir)
				.filter((f) => statSync(path.join(dir, f)).isDirectory())
				.sort();
			if (labels.length !== info.classes)
				throw new Error(
					`${dir}: ${labels.length} class folders (${labels.join(", ")}) but ${modelFile} has ${info.classes} outputs`,
				);
			if (info.h !== info.w || info.c !== 1)
				throw new Error(
					`${modelFile}: input ${info.h}x${info.w}x${info.c}: only square gray inputs are supported with --data`,
				);
			const loaded = loadImageFolders(dir, { labels, size: info.h, onBadImage: onBad });
			if (loaded.skipped.length > 0)
				process.stderr.write(
					`skipped ${loaded.skipped.length} unreadable image(s), e.g. ${loaded.skipped[0]!.reason}\n`,
				);
			data = split === "test" ? splitDataset(loaded.data).test : loaded.data;
		}
		if (values["limit"] !== undefined) {
			const n = Number(values["limit"]);
			if (!Number.isInteger(n) || n <= 0)
				throw new UsageError(`--limit must be a positive integer, got "${String(values["limit"])}"`);
			data = {
				...data,
				images: data.images.slice(0, n),
				targets: data.targets.slice(0, n),
				sources: data.sources.slice(0, n),
			};
		}
		if (data.images.length === 0) throw new Error("no images to evaluate");

		const session = await openTflite(bytes);
		const predictions: number[] = [];
		try {
			const x = new Int8Array(info.h * info.w * info.c);
			for (const img of data.images) {
				for (let i = 0; i < x.length; i++)
					x[i] = Math.max(-128, Math.min(127, Math.round(img[i]! / 255 / info.scale) + info.zeroPoint));
				const [out] = session.run([x]);
				predictions.push(argmax(out!));
			}
		} finally {
			session.close();
		}
		const int8 = scoresOf(predictions, data.targets, data.labels.length);
		process.stdout.write(
			`${modelFile} on ${data.images.length} images (${dir ?? "MNIST test"}${dir !== undefined ? `, ${split} split` : ""})\n`,
		);
		printScores("int8 (TFLite runtime)", int8, data.labels);

		const ckptFile = (values["checkpoint"] as string | undefined) ?? modelFile.replace(/\.tflite$/, ".float.json");
		if (existsSync(ckptFile)) {
			const net = netOf(readCheckpoint(ckptFile), ckptFile);
			const f = evaluateFloat(net, data);
			printScores("float (checkpoint)", f, data.labels);
			process.stdout.write(
				`float - int8: accuracy ${(100 * (f.accuracy - int8.accuracy)).toFixed(2)} points, balanced ${(100 * (f.balancedAccuracy - int8.balancedAccuracy)).toFixed(2)} points\n`,
			);
		} else if (values["checkpoint"] !== undefined) {
			throw new Error(`${ckptFile}: checkpoint not found`);
		} else {
			process.stdout.write(`no float checkpoint (${ckptFile}): float vs int8 gap not computed\n`);
		}
		return 0;
	},
};
