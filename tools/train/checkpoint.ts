// The float checkpoint written next to every trained model (<name>.float.json): architecture,
// weights and how it was trained, so `xsight quantize` and `xsight eval` can rebuild the float net.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import { writeWhole } from "../support/files";
import { Net, type NetSpec } from "./net";
import type { PresetName } from "./presets";
import type { Scores, TrainOptions } from "./trainer";

export const CHECKPOINT_FORMAT = "xsight-float-model/1";

export interface Checkpoint {
	format: typeof CHECKPOINT_FORMAT;
	preset: PresetName;
	spec: NetSpec;
	weights: Record<string, number[]>;
	/** Added to the last layer's second bias (two-class models; see tuneDecisionShift). */
	decisionShift?: number;
	training: {
		command: string;
		date: string;
		seconds: number;
		epochs: number;
		bestEpoch: number;
		trainSamples: number;
		val: Scores;
		seed: number;
		/** Optimiser and augmentation settings used. */
		options: Omit<TrainOptions, "progress">;
	};
}

export function writeCheckpoint(file: string, c: Checkpoint): void {
	writeWhole(file, `${JSON.stringify(c)}\n`);
}

export function readCheckpoint(file: string): Checkpoint {
	let c: Checkpoint;
	try {
		c = JSON.parse(readFileSync(file, "utf8")) as Checkpoint;
	} catch (error) {
		throw new Error(`${file}: not a readable checkpoint (${(error as Error).message})`);
	}
	if (c.format !== CHECKPOINT_FORMAT)
		throw new Error(`${file}: format is ${JSON.stringify(c.format)}, expected "${CHECKPOINT_FORMAT}"`);
	if (c.preset !== "smile" && c.preset !== "mnist")
		throw new Error(`${file}: preset ${JSON.stringify(c.preset)} is not smile or mnist`);
	return c;
}

/** Rebuilds the float net of a checkpoint (with its decision shift unless `raw`). */
export function netOf(c: Checkpoint, source: string, raw = false): Net {
	const net = new Net(c.spec, () => 0.5);
	net.importWeights(c.weights, source);
	if (!raw && c.decisionShift !== undefined) net.layers.at(-1)!.params[1]!.value[1]! += c.decisionShift;
	return net;
}
