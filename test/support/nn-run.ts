// Runs models on XS through modules/tools/infer (the module behind
// `xsight infer`): model and inputs go into a temporary data root, every
// inference's outputs come back as one #infer line each.
// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunResult } from "../../tools/boards/host";
import { runXs } from "./xs";

export interface XsInference {
	raw: number[][];
	values: number[][];
}

export interface XsModelInfo {
	arenaBytes: number;
	weightBytes: number;
	macs: number;
	singleRounding: boolean;
	inputs: { name: string; type: string; shape: number[]; scale: number; zeroPoint: number }[];
	outputs: { name: string; type: string; shape: number[]; scale: number; zeroPoint: number }[];
}

export interface XsInferRun {
	inferences: XsInference[];
	model?: XsModelInfo;
	result: RunResult;
}

/** Runs `model` once per input (all inputs in one XS run). Inputs are the raw bytes of input 0. */
export async function inferOnXs(
	model: Uint8Array,
	inputs: ArrayBufferView[],
	config: Record<string, unknown> = {},
): Promise<XsInferRun> {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-nn-"));
	try {
		writeFileSync(path.join(root, "model.tflite"), model);
		const total = inputs.reduce((n, v) => n + v.byteLength, 0);
		const all = new Uint8Array(total);
		let at = 0;
		for (const v of inputs) {
			all.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
			at += v.byteLength;
		}
		writeFileSync(path.join(root, "input.bin"), all);
		const result = await runXs("tools/infer", {
			root,
			config: { model: "model.tflite", input: "input.bin", pixels: "raw", batch: inputs.length, ...config },
		});
		const inferences: XsInference[] = [];
		let info: XsModelInfo | undefined;
		for (const line of result.stdout.split("\n")) {
			if (line.startsWith("#infer ")) inferences.push(JSON.parse(line.slice(7)) as XsInference);
			else if (line.startsWith("#model ")) info = JSON.parse(line.slice(7)) as XsModelInfo;
		}
		return info ? { inferences, model: info, result } : { inferences, result };
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}
