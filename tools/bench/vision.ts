// xsight bench vision: face detection per frame on the host simulator (XS +
// the C scan), Haar and LBP frontalface, at QQVGA and QVGA, with the work done
// per frame, and OpenCV.js's detectMultiScale on the same frame with the same
// cascade's XML, timed in the same run. Frames are photos from
// ../shared/images/faces (area-resized) or, without them, a synthetic textured frame.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build/build";
import { readGrayImage, type GrayImage } from "../support/image";
import { classifierFromFile, detectMultiScale, loadOpenCv } from "../support/opencv";
import { defaultCascade, detectOnXsWithHeap, resizeGray } from "../boards/host-detect";
import type { BenchSuite } from "./suite";

const shared = process.env["XSIGHT_SHARED"] ?? path.resolve(repoRoot, "../shared");
const PHOTO = path.join(shared, "images/faces/dlib/2008_001322.jpg");

function synthetic(width: number, height: number): GrayImage {
	const data = new Uint8Array(width * height);
	let s = 1;
	for (let i = 0; i < data.length; i++) {
		s = (Math.imul(s, 1103515245) + 12345) >>> 0;
		data[i] = (((i % width) * 255) / width + (s >>> 27)) & 255;
	}
	return { width, height, data };
}

function median(values: number[]): number {
	const v = [...values].sort((a, b) => a - b);
	const m = v.length >> 1;
	return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

const SIZES = [
	{ name: "QQVGA", width: 160, height: 120, repeat: 20 },
	{ name: "QVGA", width: 320, height: 240, repeat: 5 },
];
/** The cascades compared: xsight's file (an XML is converted on the way) and the XML OpenCV.js loads. */
const CASCADES = [
	{
		name: "Haar frontalface",
		cascade: defaultCascade,
		xml: "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml",
	},
	{
		name: "LBP frontalface",
		cascade: "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml",
		xml: "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml",
	},
];
const CONFIGS = [
	{ name: "scale 1.1 (OpenCV default)", options: { scale: 1.1, minNeighbors: 3 } },
	{ name: "scale 1.25, minSize 30", options: { scale: 1.25, minNeighbors: 3, minSize: 30 } },
];

export const vision: BenchSuite = {
	summary:
		"Haar and LBP face detection per frame on the host (QQVGA, QVGA) beside OpenCV.js: time, windows, features",
	async run({ runs, json }) {
		const build = await buildHost();
		const source = existsSync(PHOTO) ? readGrayImage(PHOTO) : undefined;
		const rows = [];
		// Without opencv-data: the committed Haar cascade only, and no OpenCV.js column.
		const cascades = CASCADES.filter((c) => existsSync(c.cascade));
		const opencv = cascades.every((c) => existsSync(c.xml));
		if (opencv) await loadOpenCv();
		for (const size of SIZES) {
			const frame = source ? resizeGray(source, size.width, size.height) : synthetic(size.width, size.height);
			for (const cascade of cascades)
				for (const config of CONFIGS) {
					const {
						runs: [r],
						heap,
					} = await detectOnXsWithHeap(build, [frame], {
						cascade: cascade.cascade,
						options: config.options,
						samples: runs,
						repeat: size.repeat,
					});
					if (!r) throw new Error("no result from XS");
					const msPerFrame = median(r.times);
					const openCvMs = opencv
						? timeOpenCv(cascade.xml, frame, config.options, runs, size.repeat)
						: undefined;
					rows.push({
						frame: `${size.name} ${size.width}x${size.height}`,
						cascade: cascade.name,
						config: config.name,
						msPerFrame,
						openCvMsPerFrame: openCvMs ?? null,
						ratio: openCvMs ? msPerFrame / openCvMs : null,
						levels: r.stats.levels,
						windows: r.stats.windows,
						flatWindows: r.stats.lowVariance,
						stages: r.stats.stages,
						features: r.stats.features,
						candidates: r.stats.candidates,
						faces: r.rects.length,
						xsHeapPeak: heap?.peak ?? 0,
					});
				}
		}
		const sourceName = source ? path.relative(repoRoot, PHOTO) : "synthetic texture (../shared absent)";
		if (json) {
			process.stdout.write(
				`${JSON.stringify({ suite: "vision", source: sourceName, runs, rows }, null, "\t")}\n`,
			);
			return;
		}
		process.stdout.write(`vision: detect() on XS (host simulator), frames from ${sourceName}, median of ${runs}\n`);
		const head = [
			"frame",
			"cascade",
			"settings",
			"ms/frame",
			"OpenCV.js ms",
			"ratio",
			"levels",
			"windows",
			"flat",
			"stages",
			"features",
			"raw",
			"faces",
			"XS heap peak",
		];
		const table = rows.map((r) =>
			[
				r.frame,
				r.cascade,
				r.config,
				r.msPerFrame.toFixed(2),
				r.openCvMsPerFrame?.toFixed(2) ?? "-",
				r.ratio?.toFixed(2) ?? "-",
				r.levels,
				r.windows,
				r.flatWindows,
				r.stages,
				r.features,
				r.candidates,
				r.faces,
				r.xsHeapPeak,
			].map(String),
		);
		const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
		for (const row of [head, ...table])
			process.stdout.write(
				`${row.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}\n`,
			);
		process.stdout.write(
			"(OpenCV.js ms: detectMultiScale of opencv-js (WASM, one thread) on the same gray frame and settings, the cascade's XML, in this run; ratio: ours / OpenCV.js;\n windows: positions evaluated; flat: rejected by the variance test before stage 0 (Haar only); features: weak classifiers evaluated;\n XS heap peak: bytes, the whole run including the cascade file; frames and scan scratch are C memory, not counted)\n",
		);
	},
};

/** OpenCV.js's detectMultiScale on `frame`: the median over `samples` of `repeat` calls, ms a call. */
function timeOpenCv(
	xml: string,
	frame: GrayImage,
	options: { scale: number; minNeighbors: number; minSize?: number },
	samples: number,
	repeat: number,
): number {
	const classifier = classifierFromFile(xml);
	const times: number[] = [];
	for (let s = 0; s < samples; s++) {
		const t0 = performance.now();
		for (let i = 0; i < repeat; i++) detectMultiScale(classifier, frame, options);
		times.push((performance.now() - t0) / repeat);
	}
	return median(times);
}
