// App-path benchmark for the mps2-an500 board: the REAL modules the app uses,
// each step timed with the board's CMSDK ticks (40 guest instructions each
// under -icount shift=0; instructions, not cycles). mc/config `appBench`:
// { models: [{ name, path }], cascade, frames: [{ name, path, detect? }], crop }; a frame with
// `detect: "field"` is searched at the field app's settings (field/settings over mc/config app).
// Prints `#bench <name> <instructions> <what>` lines and `#bench-memory {json}`.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { settingsFrom } from "field/settings";
import { File } from "file";
import { Model } from "nn";
import { Cascade } from "vision/cascade";
import { cropInto } from "vision/crop";
import { detect, newDetectStats, type DetectOptions } from "vision/detect";
import { readPgm } from "vision/frame";
import { instructionsPerTick, ticks } from "xsight/ticks";

interface AppBench {
	models: { name: string; path: string }[];
	cascade?: string;
	frames: { name: string; path: string; detect?: "field" }[];
}

const bench = config["appBench"] as AppBench | undefined;
if (typeof bench !== "object" || bench === null || !Array.isArray(bench.models) || !Array.isArray(bench.frames))
	throw new Error("mc/config appBench: expected { models: [...], cascade, frames: [...] }");

async function timed<T>(body: () => T | Promise<T>): Promise<[T, number]> {
	const t0 = ticks();
	const result = await body();
	return [result, (ticks() - t0) * instructionsPerTick];
}

const memory: Record<string, number> = {};
let cropModel: Model | undefined;
for (const entry of bench.models) {
	// A wake's load: the plan the bench's setup made, as a device's build does.
	const [model, load] = await timed(() => Model.load(entry.path));
	if (!model.fromPlan) throw new Error(`${entry.path}: no valid plan beside it (the bench's setup makes one)`);
	trace(
		`#bench ${entry.name}-load ${load} Model.load of ${entry.path} from its ${model.persistentBytes}-byte plan (a wake's load): the model's CRC-32, the plan checked in C, no parse (${model.operators.length} ops)\n`,
	);
	// The first invoke and a second one: the kernels do not warm up, so they should agree.
	const [, first] = await timed(() => model.invoke());
	const [, second] = await timed(() => model.invoke());
	trace(
		`#bench ${entry.name}-invoke ${first} one model.invoke() through modules/nn (${model.macs} MACs, ${(first / Math.max(1, model.macs)).toFixed(2)} instructions per MAC; a second invoke: ${second})\n`,
	);
	// A first load without a plan: what every wake paid before plans.
	File.delete(`${entry.path}.plan`);
	const [fromPlan, compile] = await timed(async () => (await Model.load(entry.path)).fromPlan);
	if (fromPlan) throw new Error(`${entry.path}: loaded from a plan that was deleted`);
	trace(
		`#bench ${entry.name}-load-compile ${compile} Model.load of ${entry.path} without a plan: parse, check, plan, write the plan beside it\n`,
	);
	memory[`${entry.name}.arenaBytes`] = model.arenaBytes;
	memory[`${entry.name}.activationBytes`] = model.activationBytes;
	memory[`${entry.name}.persistentBytes`] = model.persistentBytes;
	memory[`${entry.name}.fileBytes`] = model.bytes.length;
	const input = model.input(0);
	if (input.type === "int8" && input.shape.length === 4 && input.shape[3] === 1 && (input.shape[1] ?? 0) >= 32)
		cropModel = model;
}

if (bench.cascade) {
	const [cascade, load] = await timed(() => Cascade.load(bench.cascade!));
	trace(
		`#bench cascade-load ${load} Cascade.load of ${bench.cascade}: validate ${cascade.totalStages} stages, ${cascade.weakCount} weak classifiers\n`,
	);
	for (const entry of bench.frames) {
		const frame = readPgm(entry.path);
		const stats = newDetectStats();
		const options: DetectOptions = entry.detect === "field" ? settingsFrom(config["app"]).detect : {};
		const [found, instructions] = await timed(() => detect(frame, cascade, { ...options, stats }));
		const settings = entry.detect
			? `scale ${options.scale}, minNeighbors ${options.minNeighbors}, min ${options.minSize} px, step ${options.step ?? 0}, refine ${options.refine ?? 0} (the field app's)`
			: "scale 1.1, minNeighbors 3, min 24 px";
		trace(
			`#bench haar-detect-${entry.name} ${instructions} vision detect() ${frame.width}x${frame.height}, ${settings}: ${found.length} faces, ${stats.levels} levels, ${stats.windows} windows, ${stats.features} features (${Math.round(instructions / Math.max(1, stats.features))} instructions per feature)\n`,
		);
		if (cropModel && frame.width >= 320 && !entry.detect) {
			const input = cropModel.input(0);
			// The largest face found, else a centred box: what the app crops for its CNN.
			const face = found.reduce<{ x: number; y: number; width: number; height: number } | undefined>(
				(best, r) => (!best || r.width > best.width ? r : best),
				undefined,
			) ?? { x: frame.width / 2 - 60, y: frame.height / 2 - 60, width: 120, height: 120 };
			const [, crop] = await timed(() => cropInto(frame, face, input, { margin: 0.1 }));
			trace(
				`#bench crop-quantize-96 ${crop} vision cropInto: a ${face.width}x${face.height} face (+10% margin) of the ${frame.width}x${frame.height} frame into the ${input.shape[1]}x${input.shape[2]} int8 input tensor (bilinear + quantize, zero-copy into the arena)\n`,
			);
		}
		frame.close();
	}
}
trace(`#bench-memory ${JSON.stringify(memory)}\n`);
