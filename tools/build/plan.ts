// Model plans made ahead (docs/model-plan.md), so that a device never
// compiles a model on a wake: each model is loaded on XS by Model.load, which
// compiles it and writes its plan, on the board whose kernels will run it:
// the host simulator for "host", QEMU's Cortex-M7 (mps2-an500) for the
// Cortex-M7 boards, whose kernels (DSP paths, rounding) the STM32H743 shares.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "./build";
import { readManifest } from "./manifest";
import { h7Board } from "../boards/h7";
import { buildM7, m7Board, runOnM7 } from "../boards/m7";
import { runOnHost, xsException } from "../boards/host";
import { makeTemp, removeTemp } from "../support/temp";

/** The boards a plan can be made for (a function: tools/boards/h7.ts imports this file too). */
export function planBoards(): string[] {
	return ["host", m7Board, h7Board];
}

/** A model's plan could not be made: the XS run's message, naming the user's file. */
export class PlanError extends Error {
	constructor(message: string, readonly status: number) {
		super(message);
	}
}

/** The plan of each model file for `board`'s kernels, in the order given. */
export async function makePlans(models: string[], board: string): Promise<Uint8Array[]> {
	if (!planBoards().includes(board)) throw new Error(`no board "${board}" (expected ${planBoards().join(", ")})`);
	const firmware = board !== "host" ? buildM7({ quiet: true }) : null;
	const host = firmware === null ? await buildHost() : null;
	const config = (firmware ?? host)!.manifest.config;
	const root = makeTemp("plan");
	try {
		const plans: Uint8Array[] = [];
		for (const [i, model] of models.entries()) {
			const name = `model-${i}.tflite`;
			copyFileSync(model, path.join(root, name));
			const run = { main: "tools/plan", root, config: { ...config, model: name }, timeoutMs: 300_000 };
			const result = firmware !== null ? await runOnM7(firmware, run) : await runOnHost(host!, run);
			if (result.status !== 0 || !result.stdout.includes("#plan ")) {
				// The model's own errors name it (Model.load's "<path>: ..."): the user's path, not the copy's.
				const why = (xsException(result.stderr) ?? (result.stderr || result.stdout).trim()).replaceAll(name, model);
				throw new PlanError(why.includes(model) ? why : `${model}: ${why}`, result.status === 0 ? 1 : result.status);
			}
			plans.push(new Uint8Array(readFileSync(path.join(root, `${name}.plan`))));
		}
		return plans;
	} finally {
		removeTemp(root);
	}
}

/**
 * What a built device holds in its store, in `dir`: the app's cascades and its
 * model (manifest.json config.app) from resources/, and the model's plan for
 * `board`'s kernels beside it (none when `board` is null: the device compiles it
 * at its first face wake). The paths, relative to `dir`.
 */
export async function prepareStore(dir: string, board: string | null): Promise<string[]> {
	const model = (readManifest(path.join(repoRoot, "manifest.json")).config["app"] as { model?: unknown } | undefined)?.model;
	if (typeof model !== "string") throw new Error("manifest.json config.app.model: expected the model's path");
	for (const part of ["cascades", model]) cpSync(path.join(repoRoot, "resources", part), path.join(dir, part), { recursive: true });
	if (board === null) return ["cascades", model];
	const [plan] = await makePlans([path.join(repoRoot, "resources", model)], board);
	writeFileSync(path.join(dir, `${model}.plan`), plan!);
	return ["cascades", model, `${model}.plan`];
}
