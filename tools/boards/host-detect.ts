// The Node side of detection on XS: lays out a temporary data root with the
// frames (decoded here to 8-bit gray, written as PGM) and the cascade, runs
// modules/tools/run-detect on the host simulator (or, given the firmware, on
// the mps2-an500 board in QEMU) and parses its results.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { HostBuild } from "../build/build";
import { repoRoot } from "../build/build";
import { convertOpenCvXml } from "../cascade/convert";
import { encodePgm, type GrayImage } from "../support/image";
import { runOnM7, type FirmwareBuild } from "./m7";
import { runOnHost, type RunOptions } from "./host";
import { makeTemp, removeTemp } from "../support/temp";

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
	stats: {
		levels: number;
		windows: number;
		lowVariance: number;
		stages: number;
		features: number;
		candidates: number;
	};
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
	refine?: number;
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
export async function detectOnXs(
	build: HostBuild | FirmwareBuild,
	images: GrayImage[],
	run: DetectOnXsOptions = {},
): Promise<DetectRun[]> {
	return (await detectOnXsWithHeap(build, images, run)).runs;
}

/** detectOnXs, also reporting the XS heap (bytes in use at the end, and the peak) of the whole run. */
export async function detectOnXsWithHeap(
	build: HostBuild | FirmwareBuild,
	images: GrayImage[],
	run: DetectOnXsOptions = {},
): Promise<{ runs: DetectRun[]; heap?: { used: number; peak: number } }> {
	const root = makeTemp("detect");
	try {
		const cascadeFile = run.cascade ?? defaultCascade;
		if (cascadeFile.endsWith(".xml"))
			writeFileSync(
				path.join(root, "cascade.bin"),
				convertOpenCvXml(readFileSync(cascadeFile, "utf8"), cascadeFile),
			);
		else copyFileSync(cascadeFile, path.join(root, "cascade.bin"));
		mkdirSync(path.join(root, "frames"));
		const frames = images.map((image, i) => {
			writeFileSync(path.join(root, `frames/${i}.pgm`), encodePgm(image));
			return `/frames/${i}.pgm`;
		});
		const detect = {
			frames,
			cascade: "/cascade.bin",
			options: run.options ?? {},
			repeat: run.repeat ?? 1,
			samples: run.samples ?? 0,
			...(run.stages === undefined ? {} : { stages: run.stages }),
		};
		const options: RunOptions = {
			main: "tools/run-detect",
			root,
			config: { ...build.manifest.config, detect },
			stats: true,
			timeoutMs: 30 * 60_000,
		};
		const result = "elf" in build ? await runOnM7(build, options) : await runOnHost(build, options);
		const lines = result.stdout.split("\n").filter((line) => line.startsWith("#detect "));
		if (result.status !== 0 || lines.length !== images.length) {
			// The XS error names the cascade by its place in the temporary root; name the user's file.
			const message = result.stderr.trim().replaceAll("/cascade.bin", cascadeFile).replaceAll(`${root}/`, "");
			throw new Error(message || `detection on XS ended with status ${result.status}`);
		}
		const runs = lines.map((line) => JSON.parse(line.slice(8)) as DetectRun);
		const st = result.stats;
		return st
			? {
					runs,
					heap: {
						used: st.chunks + st.slots * st.slotSize,
						peak: st.peakChunks + st.peakSlots * st.slotSize,
					},
				}
			: { runs };
	} finally {
		removeTemp(root);
	}
}

/** Area-average resize of a gray image (each output pixel the mean of the source area it covers). */
export function resizeGray(src: GrayImage, width: number, height: number): GrayImage {
	const data = new Uint8Array(width * height);
	const fx = src.width / width,
		fy = src.height / height;
	for (let y = 0; y < height; y++) {
		const y0 = y * fy,
			y1 = (y + 1) * fy;
		for (let x = 0; x < width; x++) {
			const x0 = x * fx,
				x1 = (x + 1) * fx;
			let sum = 0,
				area = 0;
			for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
				const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
				for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
					const w = wy * (Math.min(x1, sx + 1) - Math.max(x0, sx));
					sum += w * (src.data[sy * src.width + sx] ?? 0);
					area += w;
				}
			}
			data[y * width + x] = Math.round(sum / area);
		}
	}
	return { width, height, data };
}
