// LBP cascades on XS (native/vision/src/lbp.c through vision detect())
// against OpenCV 4.5's detectMultiScale (opencv-js) on the identical gray
// bytes: raw candidates (minNeighbors 0) and grouped boxes of OpenCV's three
// LBP face cascades on the photos of ../shared and the built-in frames, a
// ROI, and recall/precision on the labelled dlib photos; and the same boxes
// from the mps2-an500 firmware (Cortex-M7 in QEMU) when its tools are there.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { hostBuildPaths } from "../tools/build/build";
import { readGrayImage, type GrayImage } from "../tools/support/image";
import { buildM7, missingM7Tools } from "../tools/boards/m7";
import { detectOnXs, type DetectRun, type XsDetectOptions } from "../tools/boards/host-detect";
import { matches, readTruth } from "./support/face-truth";
import {
	classifierFromFile,
	detectMultiScale,
	loadOpenCv,
	type CvDetectOptions,
	type CvRect,
} from "./support/opencv-oracle";
import { repoRoot, sharedRoot } from "./support/paths";

const LBP = "/usr/share/opencv4/lbpcascades";
const CASCADES = [
	"lbpcascade_frontalface.xml",
	"lbpcascade_frontalface_improved.xml",
	"lbpcascade_profileface.xml",
].map((f) => path.join(LBP, f));
const FRONTAL = CASCADES[0]!;
const FACES = path.join(sharedRoot, "images/faces");
const FRAMES = path.join(repoRoot, "resources/frames");
const missing = [...CASCADES, path.join(FACES, "dlib/training.xml")].find((p) => !existsSync(p));

const key = (r: CvRect) => `${r.x},${r.y},${r.width},${r.height}`;
const keys = (rects: CvRect[] | undefined) => (rects ?? []).map(key).sort();
const boxes = (run: DetectRun | undefined): CvRect[] =>
	(run?.rects ?? []).map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height }));

describe.skipIf(missing !== undefined)(
	`LBP cascades on XS vs OpenCV (${missing === undefined ? "ready" : `missing ${missing}`})`,
	() => {
		const truth = missing ? [] : readTruth(FACES);
		const files = missing
			? []
			: [
					...truth.map((t) => `dlib/${t.file}`),
					...readdirSync(path.join(FACES, "negatives"))
						.filter((f) => /\.(jpe?g|png)$/.test(f))
						.sort()
						.map((f) => `negatives/${f}`),
					...readdirSync(path.join(FACES, "misc"))
						.filter((f) => /\.(jpe?g|png)$/.test(f))
						.sort()
						.map((f) => `misc/${f}`),
				];
		const frames = missing
			? []
			: readdirSync(FRAMES)
					.filter((f) => f.endsWith(".pgm"))
					.sort();
		const images = new Map<string, GrayImage>();
		const build = hostBuildPaths();

		beforeAll(async () => {
			for (const f of files) images.set(f, readGrayImage(path.join(FACES, f)));
			for (const f of frames) images.set(`frames/${f}`, readGrayImage(path.join(FRAMES, f)));
			await loadOpenCv();
		}, 60_000);

		/** Both detectors over `names` with the same settings: [ours, OpenCV's] boxes per image. */
		async function both(
			cascade: string,
			names: string[],
			options: CvDetectOptions & XsDetectOptions,
		): Promise<[CvRect[], CvRect[]][]> {
			const runs = await detectOnXs(
				build,
				names.map((n) => images.get(n)!),
				{ cascade, options },
			);
			const c = classifierFromFile(cascade);
			return names.map((n, i) => [boxes(runs[i]), detectMultiScale(c, images.get(n)!, options)]);
		}

		for (const cascade of CASCADES) {
			test(`${path.basename(cascade)}: every photo and frame, raw candidates and grouped boxes equal OpenCV's`, {
				timeout: 300_000,
			}, async () => {
				const names = [...images.keys()];
				let raw = 0;
				for (const [options, label] of [
					[{ scale: 1.1, minNeighbors: 0 }, "raw, scale 1.1"],
					[{ scale: 1.1, minNeighbors: 3 }, "grouped, scale 1.1"],
					[{ scale: 1.25, minNeighbors: 3, minSize: 40 }, "the field app's pyramid"],
				] as const) {
					const results = await both(cascade, names, options);
					results.forEach(([ours, theirs], i) =>
						expect(keys(ours), `${names[i]}: ${label}`).toEqual(keys(theirs)),
					);
					if (options.minNeighbors === 0) raw = results.reduce((n, [ours]) => n + ours.length, 0);
				}
				console.log(
					`${path.basename(cascade)}: ${raw} raw candidates over ${names.length} images, all OpenCV's`,
				);
				expect(raw).toBeGreaterThan(50);
			});
		}

		test("a ROI is scanned as if it were the image (lbpcascade_frontalface)", { timeout: 120_000 }, async () => {
			const photo = images.get("dlib/2008_001322.jpg")!;
			const roi = { x: 180, y: 150, width: 160, height: 140 };
			const crop: GrayImage = {
				width: roi.width,
				height: roi.height,
				data: new Uint8Array(roi.width * roi.height),
			};
			for (let y = 0; y < roi.height; y++)
				crop.data.set(
					photo.data.subarray(
						(roi.y + y) * photo.width + roi.x,
						(roi.y + y) * photo.width + roi.x + roi.width,
					),
					y * roi.width,
				);
			const [run] = await detectOnXs(build, [photo], {
				cascade: FRONTAL,
				options: { scale: 1.1, minNeighbors: 0, roi },
			});
			const cv = detectMultiScale(classifierFromFile(FRONTAL), crop, { scale: 1.1, minNeighbors: 0 }).map(
				(r) => ({ ...r, x: r.x + roi.x, y: r.y + roi.y }),
			);
			expect(keys(boxes(run))).toEqual(keys(cv));
			expect(cv.length).toBeGreaterThan(3);
		});

		test("dlib photos: recall and precision of each LBP cascade equal OpenCV's (IoU >= 0.4)", {
			timeout: 120_000,
		}, async () => {
			const settings = { scale: 1.1, minNeighbors: 5, minSize: 20 };
			const names = truth.map((t) => `dlib/${t.file}`);
			const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);
			const lines = [`detectMultiScale(scale 1.1, minNeighbors 5, minSize 20) on ${names.length} dlib photos:`];
			for (const cascade of CASCADES) {
				const results = await both(cascade, names, settings);
				let faces = 0,
					oursFound = 0,
					oursMatched = 0,
					cvFound = 0,
					cvMatched = 0;
				truth.forEach((t, i) => {
					const [ours, theirs] = results[i]!;
					faces += t.boxes.length;
					oursFound += ours.length;
					oursMatched += matches(ours, t.boxes);
					cvFound += theirs.length;
					cvMatched += matches(theirs, t.boxes);
				});
				lines.push(
					`${path.basename(cascade).padEnd(36)} recall ours ${pct(oursMatched, faces)} (${oursMatched}/${faces}) OpenCV ${pct(cvMatched, faces)}   precision ours ${pct(oursMatched, oursFound)} (${oursMatched}/${oursFound}) OpenCV ${pct(cvMatched, cvFound)}`,
				);
				expect([oursFound, oursMatched], path.basename(cascade)).toEqual([cvFound, cvMatched]);
				if (cascade === FRONTAL) expect(oursMatched).toBeGreaterThan(0);
			}
			console.log(lines.join("\n"));
		});
	},
);

const m7Missing = missingM7Tools();
describe.skipIf(missing !== undefined || m7Missing.length > 0)(
	`LBP cascades on the mps2-an500 board vs OpenCV (${m7Missing.length ? `needs ${m7Missing.join(", ")}` : (missing ?? "ready")})`,
	() => {
		test("the built-in frames and two photos: every cascade's raw candidates, and the field app's pyramid, equal OpenCV's", {
			timeout: 900_000,
		}, async () => {
			const firmware = buildM7({ quiet: true });
			const names = [
				...readdirSync(FRAMES)
					.filter((f) => f.endsWith(".pgm"))
					.sort()
					.map((f) => path.join(FRAMES, f)),
				path.join(FACES, "dlib/2008_001322.jpg"),
				path.join(FACES, "misc/messi5.jpg"),
			];
			const images = names.map((f) => readGrayImage(f));
			await loadOpenCv();
			let raw = 0;
			for (const cascade of CASCADES) {
				for (const options of [
					{ scale: 1.1, minNeighbors: 0 },
					{ scale: 1.25, minNeighbors: 3, minSize: 40 },
				]) {
					const runs = await detectOnXs(firmware, images, { cascade, options });
					const c = classifierFromFile(cascade);
					images.forEach((image, i) =>
						expect(
							keys(boxes(runs[i])),
							`${path.basename(cascade)} ${path.basename(names[i]!)} ${JSON.stringify(options)}`,
						).toEqual(keys(detectMultiScale(c, image, options))),
					);
					if (options.minNeighbors === 0) raw += runs.reduce((n, r) => n + r.rects.length, 0);
				}
			}
			console.log(
				`mps2-an500: ${raw} raw LBP candidates over ${images.length} images and ${CASCADES.length} cascades, all OpenCV's`,
			);
			expect(raw).toBeGreaterThan(50);
		});
	},
);
