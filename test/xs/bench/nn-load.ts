// Where Model.load's time goes, for the mps2-an500 board: each stage of
// loading a .tflite timed with the board's CMSDK ticks (40 guest
// instructions each under -icount shift=0; instructions, not cycles).
// mc/config `nnLoad`: { models: [{ name, path }] }. Prints `#bench` lines.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import Resource from "Resource";
import { Model } from "nn";
import { planArena } from "nn/planner";
import { convMultipliers } from "nn/quantize";
import { convMultipliers as nativeMultipliers, singleRounding } from "native/nn";
import { readModel } from "nn/compiler";
import { instructionsPerTick, ticks } from "xsight/ticks";

const bench = config["nnLoad"] as { models: { name: string; path: string }[] } | undefined;
if (typeof bench !== "object" || bench === null || !Array.isArray(bench.models))
	throw new Error("mc/config nnLoad: expected { models: [...] }");

async function timed<T>(body: () => T | Promise<T>): Promise<[T, number]> {
	const t0 = ticks();
	const result = await body();
	return [result, (ticks() - t0) * instructionsPerTick];
}

for (const entry of bench.models) {
	const [bytes, read] = await timed(() => new Uint8Array(new Resource(entry.path)));
	trace(
		`#bench ${entry.name}-load-resource ${read} Resource of ${entry.path} (${bytes.length} bytes over semihosting) as a Uint8Array\n`,
	);
	const [m, parse] = await timed(() => readModel(bytes, entry.path));
	trace(
		`#bench ${entry.name}-load-parse ${parse} nn/tflite readModel: flatbuffer parse + validation (${m.tensors.length} tensors, ${m.operators.length} ops)\n`,
	);
	let channels = 0;
	const [, quant] = await timed(() => {
		for (const op of m.operators) {
			const filter = op.inputs[1] === undefined ? undefined : m.tensors[op.inputs[1]];
			const input = op.inputs[0] === undefined ? undefined : m.tensors[op.inputs[0]];
			const output = op.outputs[0] === undefined ? undefined : m.tensors[op.outputs[0]];
			const fq = filter?.quantization;
			if (!fq || !input?.quantization || !output?.quantization || filter.data === null) continue;
			const oc = filter.shape[op.builtinCode === 4 ? 3 : 0] ?? 1;
			channels += oc;
			// What Model.load does: C when the scales are a typed view of the file (always, on XS).
			if (fq.scale instanceof Float32Array)
				nativeMultipliers(
					input.quantization.scale[0]!,
					fq.scale,
					output.quantization.scale[0]!,
					singleRounding,
					new Int32Array(oc),
					new Int32Array(oc),
				);
			else convMultipliers(input.quantization.scale[0]!, fq.scale, output.quantization.scale[0]!, oc);
		}
	});
	trace(
		`#bench ${entry.name}-load-multipliers ${quant} per-channel multipliers as Model.load computes them (native/nn convMultipliers) for every conv/depthwise/fc (${channels} channels)\n`,
	);
	const [, plan] = await timed(() => planArena(m));
	trace(`#bench ${entry.name}-load-plan ${plan} nn/planner planArena (tensors only, no scratch)\n`);
	const [model, total] = await timed(() => Model.fromBytes(bytes, entry.path));
	trace(
		`#bench ${entry.name}-load-total ${total} Model.fromBytes: parse, prepare, plan, write (${model.operators.length} ops)\n`,
	);
}
