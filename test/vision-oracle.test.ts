// Face detection on XS (modules/vision + native/vision) against OpenCV 4.5's
// CascadeClassifier.detectMultiScale (opencv-js), both fed the identical gray
// bytes (tools/support/image.ts): ground-truth recall/precision on the dlib photos,
// no detections on the negatives, the faces of misc/, the LFW crops as a
// window-level check, and tools/support/image.ts luma against cvtColor.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jpeg from "jpeg-js";
import { beforeAll, describe, expect, test } from "vitest";
import { hostBuildPaths } from "../tools/build/build";
import { luma, readGrayImage, type GrayImage } from "../tools/support/image";
import { detectOnXs, type Box, type DetectRun } from "../tools/boards/host-detect";
import { iou, matches, readTruth } from "./support/face-truth";
import {
	classifier,
	classifierFromFile,
	cvGray,
	detectMultiScale,
	loadOpenCv,
	type CvRect,
} from "./support/opencv-oracle";
import { sharedRoot } from "./support/paths";

const XML = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
const FACES = path.join(sharedRoot, "images/faces");
const LFW = path.join(FACES, "misc/lfw_subset_200x25x25_u8.bin");
const missing = [XML, path.join(FACES, "dlib/training.xml")].find((p) => !existsSync(p));
/** OpenCV-equivalent settings of the reference result in ../shared/notes/oracles.md. */
const SETTINGS = { scale: 1.1, minNeighbors: 5, minSize: 20 };

const key = (r: CvRect) => `${r.x},${r.y},${r.width},${r.height}`;
const boxes = (run: DetectRun | undefined): CvRect[] =>
	(run?.rects ?? []).map((b: Box) => ({ x: b.x, y: b.y, width: b.width, height: b.height }));

describe.skipIf(missing !== undefined)(
	`detection on XS vs OpenCV (${missing === undefined ? "ready" : `missing ${missing}`})`,
	() => {
		const truth = missing ? [] : readTruth(FACES);
		const negatives = missing
			? []
			: readdirSync(path.join(FACES, "negatives"))
					.filter((f) => /\.(jpe?g|png)$/.test(f))
					.sort();
		// misc/ has no README in this copy of ../shared; the faces each photo holds, counted by eye:
		const miscFaces: Record<string, number> = {
			"227943776_1.jpg": 1,
			"230501201_1.jpg": 1,
			"astronaut.png": 1,
			"messi5.jpg": 1,
			"tracking_faces.jpg": 3,
		};
		const files = [
			...truth.map((t) => `dlib/${t.file}`),
			...negatives.map((f) => `negatives/${f}`),
			...Object.keys(miscFaces).map((f) => `misc/${f}`),
		];
		const images = new Map<string, GrayImage>();
		const ours = new Map<string, DetectRun>();
		const theirs = new Map<string, CvRect[]>();

		beforeAll(async () => {
			for (const f of files) images.set(f, readGrayImage(path.join(FACES, f)));
			const runs = await detectOnXs(hostBuildPaths(), [...images.values()], { options: SETTINGS });
			files.forEach((f, i) => ours.set(f, runs[i]!));
			await loadOpenCv();
			const c = classifierFromFile(XML);
			for (const f of files) theirs.set(f, detectMultiScale(c, images.get(f)!, SETTINGS));
		}, 300_000);

		test("dlib photos: recall and precision at least OpenCV's (IoU >= 0.4)", () => {
			let faces = 0,
				oursFound = 0,
				oursMatched = 0,
				cvFound = 0,
				cvMatched = 0;
			const lines = ["image                 faces | ours: found matched | OpenCV: found matched"];
			for (const t of truth) {
				const o = boxes(ours.get(`dlib/${t.file}`)),
					c = theirs.get(`dlib/${t.file}`) ?? [];
				const mo = matches(o, t.boxes),
					mc = matches(c, t.boxes);
				faces += t.boxes.length;
				oursFound += o.length;
				oursMatched += mo;
				cvFound += c.length;
				cvMatched += mc;
				lines.push(
					`${t.file.padEnd(21)} ${String(t.boxes.length).padStart(5)} | ${String(o.length).padStart(11)} ${String(mo).padStart(7)} | ${String(c.length).padStart(13)} ${String(mc).padStart(7)}`,
				);
			}
			const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);
			lines.push(
				`recall    ours ${pct(oursMatched, faces)} (${oursMatched}/${faces})   OpenCV ${pct(cvMatched, faces)} (${cvMatched}/${faces})`,
			);
			lines.push(
				`precision ours ${pct(oursMatched, oursFound)} (${oursMatched}/${oursFound})   OpenCV ${pct(cvMatched, cvFound)} (${cvMatched}/${cvFound})`,
			);
			console.log(`detectMultiScale(scale 1.1, minNeighbors 5, minSize 20):\n${lines.join("\n")}`);
			expect(oursMatched).toBeGreaterThanOrEqual(cvMatched);
			expect(oursMatched * cvFound).toBeGreaterThanOrEqual(cvMatched * oursFound);
			expect(oursMatched).toBeGreaterThan(0);
		});

		test("every photo: the same boxes as OpenCV", () => {
			for (const f of files)
				expect(boxes(ours.get(f)).map(key).sort(), f).toEqual((theirs.get(f) ?? []).map(key).sort());
		});

		test("negatives: no detections", () => {
			for (const f of negatives) expect(boxes(ours.get(`negatives/${f}`)), f).toEqual([]);
		});

		test("misc: one box per face", () => {
			for (const [f, n] of Object.entries(miscFaces)) expect(boxes(ours.get(`misc/${f}`)).length, f).toBe(n);
		});
	},
);

// frontalface_alt2's weak classifiers are trees of two nodes (docs/cascade-format.md).
const ALT2 = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";
const missingAlt2 = [ALT2, path.join(FACES, "dlib/training.xml")].find((p) => !existsSync(p));

describe.skipIf(missingAlt2 !== undefined)(
	`tree cascade (frontalface_alt2) on XS vs OpenCV (${missingAlt2 === undefined ? "ready" : `missing ${missingAlt2}`})`,
	() => {
		const files = missingAlt2
			? []
			: ["dlib", "negatives", "misc"].flatMap((dir) =>
					readdirSync(path.join(FACES, dir))
						.filter((f) => /\.(jpe?g|png)$/.test(f))
						.sort()
						.map((f) => `${dir}/${f}`),
				);
		const images = files.map((f) => readGrayImage(path.join(FACES, f)));
		const cv: Map<string, CvRect[]>[] = [];
		const xs: DetectRun[][] = [];
		const runs = [{ ...SETTINGS, minNeighbors: 0 }, SETTINGS];

		beforeAll(async () => {
			await loadOpenCv();
			const c = classifierFromFile(ALT2);
			for (const options of runs) {
				xs.push(await detectOnXs(hostBuildPaths(), images, { cascade: ALT2, options }));
				cv.push(new Map(files.map((f, i) => [f, detectMultiScale(c, images[i]!, options)])));
			}
		}, 600_000);

		test("every photo: the same raw candidates (minNeighbors 0) and the same grouped boxes as OpenCV", () => {
			runs.forEach((options, r) => {
				let candidates = 0;
				files.forEach((f, i) => {
					expect(boxes(xs[r]![i]).map(key).sort(), `${f} minNeighbors ${options.minNeighbors}`).toEqual(
						(cv[r]!.get(f) ?? []).map(key).sort(),
					);
					candidates += xs[r]![i]!.rects.length;
				});
				if (options.minNeighbors === 0) expect(candidates).toBeGreaterThan(1000);
			});
		});

		test("trees of three nodes, a child two records on: the same raw candidates as OpenCV", {
			timeout: 300_000,
		}, async () => {
			const xml = deeperTrees(readFileSync(ALT2, "utf8"));
			const file = path.join(mkdtempSync(path.join(tmpdir(), "xsight-trees-")), "alt2-3-nodes.xml");
			writeFileSync(file, xml);
			const photos = ["dlib/2008_001322.jpg", "misc/messi5.jpg", "misc/tracking_faces.jpg"];
			const some = photos.map((f) => images[files.indexOf(f)]!);
			const options = { ...SETTINGS, minNeighbors: 0 };
			const runs = await detectOnXs(hostBuildPaths(), some, { cascade: file, options });
			const c = classifier("alt2-3-nodes", xml);
			let candidates = 0;
			photos.forEach((f, i) => {
				expect(boxes(runs[i]).map(key).sort(), f).toEqual(
					detectMultiScale(c, some[i]!, options).map(key).sort(),
				);
				candidates += runs[i]!.rects.length;
			});
			expect(candidates).toBeGreaterThan(1000);
		});
	},
);

/**
 * alt2 with every tree grown to three nodes: the root's leaf child becomes a new node 2 (two records on,
 * while the root's other child is node 1), testing the root's feature again at a threshold half-way
 * nearer 0, with the old leaf before it and a new leaf (1.1 times it) past it. No shipped upright cascade
 * has trees past two nodes; OpenCV walks this one as it walks any.
 */
function deeperTrees(xml: string): string {
	return xml.replace(
		/<internalNodes>\s*([^<]+)<\/internalNodes>\s*<leafValues>\s*([^<]+)<\/leafValues>/g,
		(_all, nodes: string, leaves: string) => {
			const n = nodes.trim().split(/\s+/).map(Number),
				l = leaves.trim().split(/\s+/).map(Number);
			if (n.length !== 8 || l.length !== 3)
				throw new Error(`expected alt2's 2-node trees, found ${n.length / 4} nodes`);
			const side = n[0]! <= 0 ? 0 : 1; // the root's leaf child: left (feature < threshold) or right
			const leaf = -n[side]!,
				t = n[3]!;
			n[side] = 2;
			// Left of node 2 the old leaf, right the new: the feature values past the root's threshold by under half of it go one way.
			n.push(-leaf, -3, n[2]!, side === 0 ? t - Math.abs(t) / 2 : t + Math.abs(t) / 2);
			l.push(l[leaf]! * 1.1);
			return `<internalNodes>${n.join(" ")}</internalNodes><leafValues>${l.join(" ")}</leafValues>`;
		},
	);
}

describe.skipIf(!existsSync(LFW) || !existsSync(XML))("LFW crops: window-level decisions equal OpenCV's", () => {
	test("100 faces then 100 non-faces, 25x25: one window each, all stages and the first 1, 3 and 10", {
		timeout: 120_000,
	}, async () => {
		const bytes = readFileSync(LFW);
		const crops: GrayImage[] = Array.from({ length: 200 }, (_, i) => ({
			width: 25,
			height: 25,
			data: new Uint8Array(bytes.subarray(625 * i, 625 * (i + 1))),
		}));
		await loadOpenCv();
		const xml = readFileSync(XML, "utf8");
		for (const stages of [25, 1, 3, 10]) {
			// A 25x25 crop has one level and one 24x24 window at (0, 0): minNeighbors 0 returns it iff it passes.
			const runs = await detectOnXs(hostBuildPaths(), crops, {
				stages,
				options: { scale: 1.1, minNeighbors: 0 },
			});
			const c = classifier(`ff${stages}`, truncatedXml(xml, stages));
			const want = crops.map((crop) => detectMultiScale(c, crop, { scale: 1.1, minNeighbors: 0 }).length);
			const got = runs.map((r) => r.rects.length);
			expect(got, `${stages} stages`).toEqual(want);
			if (stages === 25) {
				const faces = got.slice(0, 100).filter((n) => n > 0).length,
					others = got.slice(100).filter((n) => n > 0).length;
				console.log(
					`LFW 25x25 crops, all 25 stages: ${faces}/100 faces pass, ${others}/100 non-faces pass (OpenCV: the same crops)`,
				);
				expect(faces).toBeGreaterThan(others);
			}
		}
	});
});

describe.skipIf(!existsSync(LFW) || !existsSync(XML))(
	"LFW crops at high contrast: window-level decisions equal OpenCV's",
	() => {
		test("200 crops stretched 4x about their mean, most windows' nf (area * sqsum - sum^2) at or over 2^31: the first 1, 3 and 25 stages", {
			timeout: 120_000,
		}, async () => {
			const bytes = readFileSync(LFW);
			const crops: GrayImage[] = Array.from({ length: 200 }, (_, i) => {
				const src = bytes.subarray(625 * i, 625 * (i + 1));
				const mean = src.reduce((a, v) => a + v, 0) / src.length;
				return {
					width: 25,
					height: 25,
					data: Uint8Array.from(src, (v) => Math.max(0, Math.min(255, Math.round(128 + 4 * (v - mean))))),
				};
			});
			// The scan's nf over the 24x24 window shrunk by a pixel: its high word and bit 31 are what the conversion to double must keep.
			const nf = (c: GrayImage) => {
				let sum = 0,
					sq = 0;
				for (let y = 1; y < 23; y++)
					for (let x = 1; x < 23; x++) {
						const v = c.data[y * 25 + x]!;
						sum += v;
						sq += v * v;
					}
				return 484 * sq - sum * sum;
			};
			expect(crops.filter((c) => nf(c) >= 2 ** 31).length).toBeGreaterThan(100);
			await loadOpenCv();
			const xml = readFileSync(XML, "utf8");
			for (const stages of [25, 1, 3]) {
				const runs = await detectOnXs(hostBuildPaths(), crops, {
					stages,
					options: { scale: 1.1, minNeighbors: 0 },
				});
				const c = classifier(`ffhc${stages}`, truncatedXml(xml, stages));
				const want = crops.map((crop) => detectMultiScale(c, crop, { scale: 1.1, minNeighbors: 0 }).length);
				expect(
					runs.map((r) => r.rects.length),
					`${stages} stages`,
				).toEqual(want);
				if (stages === 1) expect(want.filter((n) => n > 0).length).toBeGreaterThan(0);
			}
		});
	},
);

/** The frontalface XML cut down to its first k stages (OpenCV reads stageNum and the list). */
function truncatedXml(xml: string, k: number): string {
	const start = xml.indexOf("<stages>") + "<stages>".length;
	const end = xml.indexOf("</stages>");
	const stages = xml
		.slice(start, end)
		.split(/(?=\n {4}<_>\n {6}<maxWeakCount>)/)
		.filter((b) => b.includes("<maxWeakCount>"));
	if (stages.length !== 25) throw new Error(`expected 25 stages in ${XML}, found ${stages.length}`);
	return `${xml.slice(0, start) + stages.slice(0, k).join("")}\n  ${xml.slice(end)}`.replace(
		/<stageNum>\d+<\/stageNum>/,
		`<stageNum>${k}</stageNum>`,
	);
}

describe("tools/support/image.ts luma vs OpenCV cvtColor(RGBA2GRAY)", () => {
	test("every byte equal, on a JPEG's pixels and on all 2^24 colours sampled", { timeout: 60_000 }, async () => {
		await loadOpenCv();
		const photo = path.join(FACES, "misc/messi5.jpg");
		const sources: { name: string; rgba: Uint8Array; width: number; height: number }[] = [];
		if (existsSync(photo)) {
			const img = jpeg.decode(readFileSync(photo), { useTArray: true, formatAsRGBA: true });
			sources.push({ name: "messi5.jpg", rgba: img.data, width: img.width, height: img.height });
		}
		// Every 7th colour of the RGB cube (2.4 M pixels), alpha varying.
		const n = Math.floor(2 ** 24 / 7);
		const rgba = new Uint8Array(4 * n);
		for (let i = 0; i < n; i++) {
			const c = 7 * i;
			rgba.set([c >> 16, (c >> 8) & 255, c & 255, i & 255], 4 * i);
		}
		sources.push({ name: "colour cube", rgba, width: 1024, height: Math.floor(n / 1024) });
		for (const s of sources) {
			const want = cvGray(s.rgba.subarray(0, 4 * s.width * s.height), s.width, s.height);
			let bad = 0;
			for (let i = 0; i < s.width * s.height; i++)
				if (luma(s.rgba[4 * i]!, s.rgba[4 * i + 1]!, s.rgba[4 * i + 2]!) !== want[i]) bad++;
			expect(bad, s.name).toBe(0);
		}
	});
});

describe.skipIf(missing !== undefined)("raw candidates, ROI, threshold and average merge on a photo", () => {
	test("2008_001322.jpg", { timeout: 120_000 }, async () => {
		const photo = readGrayImage(path.join(FACES, "dlib/2008_001322.jpg"));
		const roi = { x: 180, y: 150, width: 160, height: 140 };
		const crop: GrayImage = { width: roi.width, height: roi.height, data: new Uint8Array(roi.width * roi.height) };
		for (let y = 0; y < roi.height; y++)
			crop.data.set(
				photo.data.subarray((roi.y + y) * photo.width + roi.x, (roi.y + y) * photo.width + roi.x + roi.width),
				y * roi.width,
			);
		const build = hostBuildPaths();
		const run = async (options: Parameters<typeof detectOnXs>[2]) =>
			boxes((await detectOnXs(build, [photo], options))[0]);
		await loadOpenCv();
		const c = classifierFromFile(XML);

		// minNeighbors 0: OpenCV returns its raw candidates, ungrouped; ours must be the same multiset.
		const raw = await run({ options: { scale: 1.1, minNeighbors: 0 } });
		expect(raw.map(key).sort()).toEqual(
			detectMultiScale(c, photo, { scale: 1.1, minNeighbors: 0 }).map(key).sort(),
		);
		expect(raw.length).toBeGreaterThan(50);

		// A ROI is scanned as if it were the image, and the boxes moved back.
		const inRoi = await run({ options: { scale: 1.1, minNeighbors: 3, roi } });
		const cvCrop = detectMultiScale(c, crop, { scale: 1.1, minNeighbors: 3 }).map((r) => ({
			...r,
			x: r.x + roi.x,
			y: r.y + roi.y,
		}));
		expect(inRoi.map(key).sort()).toEqual(cvCrop.map(key).sort());
		expect(inRoi.length).toBe(1);

		// threshold: higher is stricter, so the raw candidates shrink monotonically.
		const strict = await run({ options: { scale: 1.1, minNeighbors: 0, threshold: 0.6 } });
		const loose = await run({ options: { scale: 1.1, minNeighbors: 0, threshold: 0.4 } });
		console.log(`raw candidates at threshold 0.4 / 0.5 / 0.6: ${loose.length} / ${raw.length} / ${strict.length}`);
		expect(strict.length).toBeLessThan(raw.length);
		expect(loose.length).toBeGreaterThan(raw.length);
		const rawKeys = new Set(raw.map(key));
		expect(strict.every((r) => rawKeys.has(key(r)))).toBe(true);

		// average merge: one box per face OpenCV groups, overlapping it.
		const avg = await run({ options: { scale: 1.1, minNeighbors: 3, merge: "average" } });
		const grouped = detectMultiScale(c, photo, { scale: 1.1, minNeighbors: 3 });
		expect(avg.length).toBe(grouped.length);
		for (const g of grouped) expect(Math.max(...avg.map((a) => iou(a, g))), key(g)).toBeGreaterThan(0.5);
	});
});
