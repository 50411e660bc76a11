// Runs the nn fuzz driver (test/xs/nn-fuzz.ts) on the host board built with
// AddressSanitizer and UndefinedBehaviorSanitizer (make host-asan). Shared
// by test/nn-fuzz.test.ts (short) and `npm run fuzz` (test/fuzz-nn.ts, long).
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hostBuildPaths } from "../../tools/build/build";
import { runOnHost, type RunResult } from "../../tools/boards/host";
import { kitchenSinkModel, mirrorAveragedModel } from "../../tools/tflite/testmodels";
import { tflmModels } from "./paths";

export { asanProgram, buildAsan } from "./asan";
import { asanProgram } from "./asan";

export interface FuzzStats {
	model: string;
	variants: number;
	loaded: number;
	invoked: number;
	rejected: number;
	ms: number;
}

export interface FuzzRun {
	stats: FuzzStats[];
	bad: string[];
	result: RunResult;
	ms: number;
}

/** The real models when ../shared has them, and the generated kitchen-sink and mirror-averaged (REVERSE_V2) models always. */
export function fuzzModels(): string[] {
	const names = ["hello_world_int8.tflite", "person_detect.tflite"].filter((name) =>
		existsSync(path.join(tflmModels, name)),
	);
	return [...names, "sink.tflite", "mirror.tflite"];
}

/** `variants` of each model, then `planVariants` of each model's plan (the driver's `plan` jobs). */
export async function runFuzz(
	variants: Record<string, number>,
	seed: number,
	planVariants: Record<string, number> = {},
): Promise<FuzzRun> {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-fuzz-"));
	try {
		for (const name of new Set([...Object.keys(variants), ...Object.keys(planVariants)])) {
			if (name === "sink.tflite") writeFileSync(path.join(root, name), kitchenSinkModel(7));
			else if (name === "mirror.tflite")
				writeFileSync(path.join(root, name), mirrorAveragedModel(31, [1, 5, 7, 3]));
			else copyFileSync(path.join(tflmModels, name), path.join(root, name));
		}
		const build = { ...hostBuildPaths(), program: asanProgram };
		const start = Date.now();
		const result = await runOnHost(build, {
			main: "test/xs/nn-fuzz",
			root,
			config: {
				seed,
				fuzz: [
					...Object.entries(variants).map(([model, n]) => ({ model, variants: n })),
					...Object.entries(planVariants).map(([model, n]) => ({ model, variants: n, plan: true })),
				],
			},
			timeoutMs: 4 * 3600_000,
		});
		const stats: FuzzStats[] = [];
		const bad: string[] = [];
		for (const line of result.stdout.split("\n")) {
			if (line.startsWith("#fuzz ")) stats.push(JSON.parse(line.slice(6)) as FuzzStats);
			else if (line.startsWith("#fuzz-bad ")) bad.push(line.slice(10));
		}
		return { stats, bad, result, ms: Date.now() - start };
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}
