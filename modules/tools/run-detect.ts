// Entry module for detection runs driven from the host (xsight detect, the
// oracle tests, xsight bench vision): mc/config names the frames (PGM files
// on the data root), the cascade and the detect options; each result is one
// "#detect {json}" line on stdout. `repeat` times detection per frame.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { Cascade } from "vision/cascade";
import { detect, newDetectStats, type DetectOptions } from "vision/detect";
import { readPgm } from "vision/frame";

interface RunConfig {
	frames: string[];
	cascade: string;
	stages?: number;
	options?: DetectOptions;
	/** Detections per timing sample (Date.now() is in ms, so batch fast runs). */
	repeat?: number;
	/** Timing samples per frame (0: no timing). */
	samples?: number;
}

const run = config["detect"] as RunConfig | undefined;
if (typeof run !== "object" || run === null || !Array.isArray(run.frames) || typeof run.cascade !== "string")
	throw new Error("mc/config detect: expected { frames: string[], cascade: string, options? }");
const cascade = Cascade.load(run.cascade, run.stages === undefined ? {} : { stages: run.stages });
const repeat = run.repeat ?? 1;
const samples = run.samples ?? 0;
for (const path of run.frames) {
	const frame = readPgm(path);
	const stats = newDetectStats();
	const rects = detect(frame, cascade, { ...run.options, stats });
	const times: number[] = [];
	for (let s = 0; s < samples; s++) {
		const t0 = Date.now();
		for (let i = 0; i < repeat; i++) detect(frame, cascade, run.options ?? {});
		times.push((Date.now() - t0) / repeat);
	}
	trace(
		`#detect ${JSON.stringify({ frame: path, width: frame.width, height: frame.height, rects, stats, times })}\n`,
	);
	frame.close();
}
