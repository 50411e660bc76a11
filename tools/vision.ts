// The Node side of detection on XS: lays out a temporary data root with the
// frames (decoded here to 8-bit gray, written as PGM) and the cascade, runs
// modules/vision/run-detect on the host simulator and parses its results.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { HostBuild } from "./build";
import { repoRoot } from "./build";
import { convertOpenCvXml } from "./cascade/convert";
import { encodePgm, type GrayImage } from "./image";
import { runOnHost } from "./run";

export const defaultCascade = path.join(repoRoot, "resources/cascades/frontalface.cascade");

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
	hits: number;
	score: number;
}

export interface DetectRun {
	width: number;
	height: number;
	rects: Box[];
	stats: { levels: number; windows: number; lowVariance: number; stages: number; features: number; candidates: number };
	/** Milliseconds per detection, one per timing sample. */
	times: number[];
}

export interface XsDetectOptions {
	threshold?: number;
	scale?: number;
	minSize?: number | { width: number; height: number };
	maxSize?: number | { width: number; height: number };
	roi?: { x: number; y: number; width: number; height: number };
	minNeighbors?: number;
	step?: number;
	merge?: "opencv" | "average";
}

export interface DetectOnXsOptions {
	/** XSHC file, or OpenCV XML (converted on the way). Default: frontalface. */
	cascade?: string;
	stages?: number;
	options?: XsDetectOptions;
	repeat?: number;
	samples?: number;
}

/** Runs detection on XS over each gray image; results in the same order. */
export async function detectOnXs(build: HostBuild, images: GrayImage[], run: DetectOnXsOptions = {}): Promise<DetectRun[]> {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-detect-"));
	try {
		const cascadeFile = run.cascade ?? defaultCascade;
		if (cascadeFile.endsWith(".xml")) writeFileSync(path.join(root, "cascade.bin"), convertOpenCvXml(readFileSync(cascadeFile, "utf8"), cascadeFile));
		else copyFileSync(cascadeFile, path.join(root, "cascade.bin"));
		mkdirSync(path.join(root, "frames"));
		const frames = images.map((image, i) => {
			writeFileSync(path.join(root, `frames/${i}.pgm`), encodePgm(image));
			return `/frames/${i}.pgm`;
		});
		const detect = { frames, cascade: "/cascade.bin", options: run.options ?? {}, repeat: run.repeat ?? 1, samples: run.samples ?? 0, ...(run.stages === undefined ? {} : { stages: run.stages }) };
		const result = await runOnHost(build, { main: "vision/run-detect", root, config: { ...build.manifest.config, detect }, timeoutMs: 30 * 60_000 });
		const lines = result.stdout.split("\n").filter((line) => line.startsWith("#detect "));
		if (result.status !== 0 || lines.length !== images.length) {
			// The XS error names the cascade by its place in the temporary root; name the user's file.
			const message = result.stderr.trim().replaceAll("/cascade.bin", cascadeFile).replaceAll(`${root}/`, "");
			throw new Error(message || `detection on XS ended with status ${result.status}`);
		}
		return lines.map((line) => JSON.parse(line.slice(8)) as DetectRun);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}
