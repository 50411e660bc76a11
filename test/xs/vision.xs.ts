// native/vision and modules/vision on XS: C-owned frames, PGM input in
// chunks, cascade validation, detect() parameters and grouping, cropInto.
// The vitest side lays out the data root: cascades/frontalface.cascade and
// data/{ramp.pgm (300x29, pixel = (3x + 5y) & 255), tiny.pgm (10x8), bad.pgm}.
// SPDX-License-Identifier: Apache-2.0
import { CheckedCascade, Frame } from "native/vision";
import * as vision from "vision";
import { Cascade } from "vision/cascade";
import { cropInto, cropRect, cropTarget } from "vision/crop";
import {
	averageMerge,
	clampRoi,
	type DetectStats,
	detect,
	groupRectangles,
	newDetectStats,
	pyramidScales,
	roundEven,
} from "vision/detect";
import { frameBytes, readPgm } from "vision/frame";
import { readFileBytes } from "vision/read";
import { assert, deepEqual, equal, test, throws } from "./harness";

const CASCADE = "/cascades/frontalface.cascade";

function ramp(x: number, y: number): number {
	return (3 * x + 5 * y) & 255;
}

test("a Frame is C memory that a Uint8Array views without copying", () => {
	const frame = new Frame(7, 3, 8);
	equal(frame.width, 7, "width");
	equal(frame.height, 3, "height");
	equal(frame.stride, 8, "stride");
	equal(frame.byteLength, 24, "byteLength");
	const view = frameBytes(frame);
	equal(view.length, 24, "view length");
	equal(view[5], 0, "starts zeroed");
	frame.write(9, Uint8Array.of(1, 2, 3));
	equal(view[10], 2, "JS sees what write put there");
	view[20] = 99;
	equal(frameBytes(frame)[20], 99, "a second view sees the same bytes");
	throws(() => frame.write(22, Uint8Array.of(1, 2, 3)), /do not fit/, "write past the end");
	throws(() => frame.write(-1, Uint8Array.of(1)), /do not fit/, "negative offset");
	frame.close();
	equal(frame.byteLength, 0, "closed");
	// XS sees the host buffer's length drop to 0: old views read nothing.
	equal(view.length, 0, "a view of a closed frame is empty");
	equal(view[0], undefined, "and reads nothing");
	frame.close();
});

test("Frame sizes are checked", () => {
	throws(() => new Frame(0, 10), /width/, "zero width");
	throws(() => new Frame(10, -1), /height/, "negative height");
	throws(() => new Frame(10, 10, 9), /stride/, "stride < width");
	throws(() => new Frame(5000, 10), /width/, "too wide");
	throws(() => new Frame(1.5, 10), /width/, "fraction");
});

test("readPgm fills the frame a chunk at a time, with any stride", () => {
	for (const stride of [undefined, 303]) {
		const frame = readPgm("/data/ramp.pgm", stride);
		equal(frame.width, 300, "width");
		equal(frame.height, 29, "height");
		const bytes = frameBytes(frame);
		let bad = 0;
		for (let y = 0; y < 29; y++)
			for (let x = 0; x < 300; x++) if (bytes[y * frame.stride + x] !== ramp(x, y)) bad++;
		equal(bad, 0, `pixels differing (stride ${String(stride)})`);
		frame.close();
	}
});

test("bad PGM files are errors naming the file and field", () => {
	throws(() => readPgm("/data/bad.pgm"), /bad\.pgm: PGM data/, "short data");
	throws(() => readPgm("/cascades/frontalface.cascade"), /frontalface\.cascade: PGM magic/, "not a PGM");
	throws(() => readPgm("/data/wide.pgm"), /wide\.pgm: PGM width: 5000, expected 1\.\.4096$/, "too wide");
	throws(() => readPgm("/data/deep.pgm"), /deep\.pgm: PGM maxval: 65535, expected 255$/, "16-bit");
	throws(() => readPgm("/data/short.pgm"), /short\.pgm: PGM height: missing, expected 1\.\.4096$/, "cut short");
});

test("Cascade.load reads frontalface: 24x24, 25 stages, 2913 weak classifiers", () => {
	const c = Cascade.load(CASCADE);
	equal(c.windowWidth, 24, "window width");
	equal(c.windowHeight, 24, "window height");
	equal(c.totalStages, 25, "stages");
	equal(c.stages, 25, "stages used");
	equal(c.weakCount, 2913, "weak classifiers");
	equal(c.stageThresholds[0], Math.fround(-5.0425500869750977), "stage 0 threshold");
	new CheckedCascade(c.data); // C agrees it is valid: no TypeError
	equal(Cascade.load(CASCADE, { stages: 3 }).stages, 3, "stages option");
	throws(() => Cascade.load(CASCADE, { stages: 0 }), /frontalface\.cascade: options\.stages: 0/, "0 stages");
	throws(() => Cascade.load(CASCADE, { stages: 26 }), /options\.stages: 26/, "too many stages");
	throws(() => Cascade.load(CASCADE, { stages: 2.5 }), /options\.stages/, "fractional stages");
	throws(() => Cascade.load("/cascades/missing.cascade"), /missing\.cascade/, "missing file");
});

/** frontalface's first two weak classifiers as one tree: the first's right leaf becomes the second (a node one record on). */
function joinFirstTwo(dv: DataView): void {
	const at = 32 + 8 * 25;
	dv.setUint16(32, dv.getUint16(32, true) - 1, true);
	dv.setUint32(at + 12, dv.getUint32(at + 12, true) | (1 << 28) | (1 << 27), true);
	dv.setUint32(at + 8, 1, true);
}

/** Every stage as long as a u16 allows and every weak classifier's rects past the table: a scan that
 * read these bytes would read far outside them (and a scan that checked them again would throw). */
function damageCascade(view: Uint8Array, stages: number, weaks: number): void {
	const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
	for (let s = 0; s < stages; s++) dv.setUint16(32 + 8 * s, 0xffff, true);
	for (let k = 0; k < weaks; k++) dv.setUint32(32 + 8 * stages + 16 * k + 12, 0x03ffffff, true);
}

function scanRamp(cascade: Cascade, frame: Frame): DetectStats {
	const stats = newDetectStats();
	detect(frame, cascade, { scale: 1.1, minNeighbors: 0, step: 1, stats });
	return stats;
}

// Its own test, before the next: in the H743's heap the copies (80 KB each: here a Frame and its C
// copy, there a JS copy and its C copy) and the scan's scratch (120 KB, the cascade's feature table)
// fit one test after the other, a collection freeing the first test's (Frame, CheckedCascade and the
// scratch collect when C memory runs out), and this one first, before XS has grown its heap for a
// JS copy.
test("a cascade in a Frame's bytes (a host buffer JS writes) is copied by the check too, not shared", () => {
	const frame = readPgm("/data/ramp.pgm");
	const c = Cascade.load(CASCADE);
	const before = scanRamp(c, frame);
	assert(before.features > 0, "the ramp's windows reach the features");
	const host = new Frame(4096, Math.ceil(c.data.length / 4096));
	host.write(0, readFileBytes(CASCADE));
	const inFrame = Cascade.from(frameBytes(host), "frame.cascade");
	damageCascade(frameBytes(host), c.totalStages, c.weakCount);
	// Closed, the Frame's bytes are gone: the checked copy is what the scan reads.
	host.close();
	deepEqual(scanRamp(inFrame, frame), before, "the same from a Frame's bytes");
	frame.close();
});

test("a cascade is checked once, at load: writing its bytes from JS changes nothing a scan reads", () => {
	const bytes = readFileBytes(CASCADE).slice();
	const c = Cascade.from(bytes, "copy.cascade");
	const frame = readPgm("/data/ramp.pgm");
	const before = scanRamp(c, frame);
	assert(before.features > 0, "the ramp's windows reach the features");
	damageCascade(bytes, c.totalStages, c.weakCount);
	deepEqual(scanRamp(c, frame), before, "the same candidates and work");
	// A Resource's bytes, which C shares instead of copying, are read-only: a write changes nothing.
	const loaded = Cascade.load(CASCADE);
	const first = loaded.data[32];
	try {
		loaded.data[32] = 0xff;
	} catch (error) {
		assert(error instanceof TypeError, `a TypeError (${String(error)})`);
	}
	equal(loaded.data[32], first, "the Resource's byte is unchanged");
	frame.close();
});

test("a damaged cascade is rejected naming the file and the field, by TS and by C", () => {
	const good = readFileBytes(CASCADE);
	const cases: [string, (b: Uint8Array, dv: DataView) => void, RegExp][] = [
		["magic", (b) => (b[0] = 0x58 + 1), /x\.cascade: magic/],
		["version", (_, dv) => dv.setUint16(4, 2, true), /version: 2/],
		["window", (_, dv) => dv.setUint16(8, 2, true), /window_w: 2/],
		["stage count", (_, dv) => dv.setUint16(12, 0, true), /stage_count: 0/],
		["total", (_, dv) => dv.setUint32(24, dv.getUint32(24, true) + 4, true), /total_size/],
		[
			"stage weaks",
			(_, dv) => dv.setUint16(32, 10, true),
			/weak_count: 2913, the trees of stages 0\.\.24 need more/,
		],
		["stage threshold", (_, dv) => dv.setFloat32(36, NaN, true), /stage 0 threshold: NaN/],
		["weak leaf", (_, dv) => dv.setFloat32(32 + 8 * 25 + 4, Infinity, true), /weak classifier 0 left value/],
		["rect count", (_, dv) => dv.setUint32(32 + 8 * 25 + 12, 0, true), /weak classifier 0 rect count: 0/],
		// Trees (docs/cascade-format.md): bit 26/27 a left/right child node, bits 28-31 of a tree's first node its nodes - 1.
		[
			"child flag on a stump",
			(_, dv) => dv.setUint32(32 + 8 * 25 + 12, dv.getUint32(32 + 8 * 25 + 12, true) | (1 << 26), true),
			/weak classifier 0 left child: \d+ records on, not a later node of its 1-node tree/,
		],
		// Weak classifiers 0 and 1 made one tree (stage 0: 8 weak classifiers, so the records still add up)...
		[
			"child not a later node",
			(_, dv) => {
				joinFirstTwo(dv);
				dv.setUint32(32 + 8 * 25 + 8, 2, true);
			},
			/weak classifier 0 right child: 2 records on, not a later node of its 2-node tree/,
		],
		[
			"node count on a later node",
			(_, dv) => {
				for (const k of [0, 1])
					dv.setUint32(
						32 + 8 * 25 + 16 * k + 12,
						dv.getUint32(32 + 8 * 25 + 16 * k + 12, true) | (1 << 28),
						true,
					);
			},
			/weak classifier 1 node count: set on a node that is not its tree's first/,
		],
		[
			"tree past the table",
			(_, dv) =>
				dv.setUint32(
					32 + 8 * 25 + 16 * 2912 + 12,
					dv.getUint32(32 + 8 * 25 + 16 * 2912 + 12, true) | (3 << 28),
					true,
				),
			/weak classifier 2912 node count: 4 run past the 2913 records/,
		],
		[
			"rect offset",
			(_, dv) => dv.setUint32(32 + 8 * 25 + 12, (2 << 24) | 0xfffff0, true),
			/weak classifier 0 rects/,
		],
		["rect outside", (b) => (b[32 + 8 * 25 + 16 * 2913] = 20), /rect 0: \(20,4 12x9\) leaves the 24x24 window/],
		["rect weight", (b) => (b[32 + 8 * 25 + 16 * 2913 + 4] = 0), /rect 0 weight: 0/],
	];
	for (const [what, damage, pattern] of cases) {
		const bytes = good.slice();
		damage(bytes, new DataView(bytes.buffer));
		throws(() => Cascade.from(bytes, "x.cascade"), pattern, what);
		throws(() => new CheckedCascade(bytes), undefined, `C rejects it too (${what})`);
	}
	// ...which loads when its right child is the next record.
	const tree = good.slice();
	joinFirstTwo(new DataView(tree.buffer));
	equal(Cascade.from(tree, "tree.cascade").weakCount, 2913, "a tree of the first two records loads");
	new CheckedCascade(tree); // C accepts it too
	throws(
		() => Cascade.from(good.subarray(0, 1000), "cut.cascade"),
		/cut\.cascade: total_size: \d+ bytes, the file has 1000/,
		"truncated",
	);
	throws(() => Cascade.from(good.subarray(0, 10), "cut.cascade"), /cut\.cascade: header/, "shorter than the header");
});

/**
 * A 6x6 LBP cascade (docs/cascade-format.md, feature_type 1) of `stages`
 * one-stump stages: feature 0 (1x1 blocks at 0,0) or 1 (2x2 at 0,0); a stump
 * adds 1 when the code's bit is set in its subset, -1 otherwise; thresholds 0.
 */
function lbpCascade(stages: number, subset: number): Uint8Array {
	const total = 32 + 8 * stages + 44 * stages + 4 * 2;
	const b = new Uint8Array(total);
	const dv = new DataView(b.buffer);
	b.set([0x58, 0x53, 0x48, 0x43]);
	dv.setUint16(4, 1, true);
	dv.setUint16(8, 6, true);
	dv.setUint16(10, 6, true);
	dv.setUint16(12, stages, true);
	dv.setUint16(14, 1, true);
	dv.setUint32(16, stages, true);
	dv.setUint32(20, 2, true);
	dv.setUint32(24, total, true);
	for (let s = 0; s < stages; s++) {
		dv.setUint16(32 + 8 * s, 1, true);
		const w = 32 + 8 * stages + 44 * s;
		dv.setUint32(w, s % 2, true);
		dv.setFloat32(w + 4, 1, true);
		dv.setFloat32(w + 8, -1, true);
		for (let i = 0; i < 8; i++) dv.setUint32(w + 12 + 4 * i, subset, true);
	}
	b.set([0, 0, 1, 1, 0, 0, 2, 2], 32 + 52 * stages);
	return b;
}

test("an LBP cascade loads, scans through detect() and is refused naming the field when damaged", () => {
	const good = lbpCascade(2, 0xffffffff);
	const c = Cascade.from(good, "lbp.cascade");
	equal(c.featureType, "lbp", "feature type");
	equal(c.windowWidth, 6, "window");
	equal(c.rectCount, 2, "features");
	equal(Cascade.load(CASCADE).featureType, "haar", "frontalface is Haar");
	// Every subset bit set: every window passes both stages (LBP has no variance test, a flat frame too).
	const frame = new Frame(20, 12);
	const stats = newDetectStats();
	const all = detect(frame, c, { scale: 1.5, minNeighbors: 0, step: 1, stats });
	equal(all.length, 15 * 7 + 8 * 3, "a candidate per position of both levels (15x7 at 1, 8x3 at 1.5)");
	equal(stats.lowVariance, 0, "no window rejected as flat");
	equal(stats.features, 2 * all.length, "two stumps per window");
	// No subset bit set: stage 0 rejects every window.
	deepEqual(
		detect(frame, Cascade.from(lbpCascade(2, 0), "none.cascade"), { minNeighbors: 0 }),
		[],
		"no bit, no candidate",
	);
	frame.close();

	const weaks = 32 + 8 * 2,
		features = weaks + 44 * 2;
	const cases: [string, (b: Uint8Array, dv: DataView) => void, RegExp][] = [
		[
			"feature type",
			(_, dv) => dv.setUint16(14, 2, true),
			/lbp\.cascade: feature_type: 2, expected 0 \(Haar\) or 1 \(LBP\)/,
		],
		// A stage counting one stump more than the table holds: LBP's records are one a weak classifier (no trees).
		["stage weaks", (_, dv) => dv.setUint16(32, 2, true), /lbp\.cascade: weak_count: 2, the stages count 3/],
		[
			"feature index",
			(_, dv) => dv.setUint32(weaks + 44, 2, true),
			/lbp\.cascade: weak classifier 1 feature: 2, outside the 2 features/,
		],
		["leaf", (_, dv) => dv.setFloat32(weaks + 8, NaN, true), /weak classifier 0 right value: NaN is not finite/],
		[
			"block outside",
			(b) => (b[features + 4] = 1),
			/lbp\.cascade: feature 1: 3x3 blocks of 2x2 at 1,0 leave the 6x6 window/,
		],
		["empty block", (b) => (b[features + 3] = 0), /feature 0: empty block \(1x0\)/],
		["Haar records", (_, dv) => dv.setUint16(14, 0, true), /total_size/],
	];
	for (const [what, damage, pattern] of cases) {
		const bytes = good.slice();
		damage(bytes, new DataView(bytes.buffer));
		throws(() => Cascade.from(bytes, "lbp.cascade"), pattern, what);
		throws(() => new CheckedCascade(bytes), undefined, `C rejects it too (${what})`);
	}
});

// One stage past the limit: a 10,000-stage cascade is 520 KB, more than the H743's whole heap to build.
test("an absurd but valid cascade is refused at load, not mid-scan: 1,001 stages", () => {
	const absurd = lbpCascade(1001, 0xffffffff);
	new CheckedCascade(absurd); // valid to C
	throws(
		() => Cascade.from(absurd, "absurd.cascade"),
		/absurd\.cascade: stage_count: 1001, expected 1\.\.1000/,
		"refused by the loader",
	);
});

test("the pyramid is OpenCV's: float scales while the rounded window fits", () => {
	const s = pyramidScales(160, 120, 24, 24, 1.1, undefined, undefined);
	equal(s[0], 1, "first");
	equal(s[1], Math.fround(1.1), "second, float");
	// 24 * 1.1^k <= 120: k <= 16 (24 * 1.1^16 = 110.3; 1.1^17 -> 121.3 > 120).
	equal(s.length, 17, "levels");
	// Windows round(24 * 1.1^k): 24 26 29 | 32 35 39 43 47 51 57 | 62: seven within 30..60.
	equal(
		pyramidScales(160, 120, 24, 24, 1.1, { width: 30, height: 30 }, { width: 60, height: 60 }).length,
		7,
		"min 30 and max 60",
	);
	equal(pyramidScales(20, 120, 24, 24, 1.1, undefined, undefined).length, 0, "narrower than the window");
	equal(roundEven(2.5), 2, "half to even");
	equal(roundEven(3.5), 4, "half to even up");
	equal(roundEven(-0.5), 0, "negative half");
});

test("detect validates its options", () => {
	const frame = new Frame(64, 48);
	const c = Cascade.load(CASCADE);
	throws(() => detect(frame, c, { scale: 1 }), /scale: 1/, "scale 1");
	throws(() => detect(frame, c, { scale: 0.5 }), /scale: 0\.5/, "scale < 1");
	throws(() => detect(frame, c, { scale: NaN }), /scale/, "scale NaN");
	throws(() => detect(frame, c, { threshold: 1.5 }), /threshold/, "threshold > 1");
	throws(() => detect(frame, c, { minSize: 0 }), /minSize\.width: 0/, "zero min size");
	throws(() => detect(frame, c, { maxSize: { width: -3, height: 10 } }), /maxSize\.width: -3/, "negative max size");
	throws(() => detect(frame, c, { minSize: 40, maxSize: 30 }), /larger than maxSize/, "min > max");
	throws(() => detect(frame, c, { minNeighbors: -1 }), /minNeighbors/, "negative minNeighbors");
	throws(() => detect(frame, c, { step: 100 }), /step/, "step");
	throws(
		() => detect(frame, c, { roi: { x: 100, y: 0, width: 10, height: 10 } }),
		/outside the 64x48 frame/,
		"roi outside",
	);
	throws(() => detect(frame, c, { roi: { x: 0, y: 0, width: 0, height: 10 } }), /must be > 0/, "empty roi");
	throws(() => detect(frame, c, { scale: 1.0001 }), /more than 256 pyramid levels/, "absurd pyramid");
	throws(() => detect(frame, c, { merge: "max" as "opencv" }), /merge/, "merge");
	deepEqual(
		clampRoi({ x: -10, y: 40, width: 30, height: 30 }, 64, 48),
		{ x: 0, y: 40, width: 20, height: 8 },
		"partly outside: clamped",
	);
	deepEqual(detect(new Frame(20, 20), c), [], "a frame smaller than the window finds nothing");
	deepEqual(
		detect(frame, c, { roi: { x: 60, y: 0, width: 30, height: 48 } }),
		[],
		"a clamped roi narrower than the window finds nothing",
	);
	frame.close();
});

test("detect scans every window of a flat frame and counts the work", () => {
	const frame = new Frame(64, 48);
	const stats = newDetectStats();
	deepEqual(detect(frame, Cascade.load(CASCADE), { stats }), [], "nothing in a flat frame");
	// A flat window has zero variance: all rejected before stage 0, no features.
	assert(stats.windows > 0, "windows visited");
	equal(stats.lowVariance, stats.windows, "all flat");
	equal(stats.features, 0, "no features evaluated");
	frame.close();
});

test("groupRectangles is OpenCV's: eps 0.2 similarity, float averages, drops small and nested groups", () => {
	const quads = [
		[10, 10, 24, 24],
		[11, 10, 24, 24],
		[10, 12, 24, 24],
		[12, 11, 24, 24], // group A: 4
		[100, 100, 30, 30],
		[101, 101, 30, 30], // group B: 2
		[12, 12, 12, 12],
		[12, 13, 12, 12],
		[13, 12, 12, 12], // group C inside A: 3
	];
	const rects = Int32Array.from(quads.flat());
	const scores = Float32Array.from(quads.map((_, i) => i / 10));
	const out = groupRectangles({ rects, scores, count: quads.length }, 1, 0.2);
	// A: sums 45, 43, 96, 96 over 4 -> 11.25, 10.75, 24, 24 -> 11, 11, 24, 24.
	// B: 201/2 = 100.5 -> 100 (half to even), 30, 30. C: 37/3 = 12.33 -> 12, 37/3 -> 12, 12, 12;
	// C lies inside A (within 0.2 x 24 = 5), A has 4 > max(3, 3) members: C is dropped.
	deepEqual(
		out,
		[
			{ x: 11, y: 11, width: 24, height: 24, hits: 4, score: Math.fround(0.3) },
			{ x: 100, y: 100, width: 30, height: 30, hits: 2, score: Math.fround(0.5) },
		],
		"groups",
	);
	equal(
		groupRectangles({ rects, scores, count: quads.length }, 2, 0.2).length,
		1,
		"minNeighbors 2 keeps only A (C is nested)",
	);
	equal(groupRectangles({ rects, scores, count: quads.length }, 0, 0.2).length, 9, "minNeighbors 0: raw");
});

test("averageMerge joins candidates that overlap by half of the smaller, transitively, and averages them", () => {
	const quads = [
		[0, 0, 20, 20],
		[10, 0, 20, 20],
		[20, 0, 20, 20], // a chain: each covers exactly half of the next
		[100, 0, 20, 20],
		[111, 0, 20, 20], // 9 of 20 columns shared: under half, apart
		[100, 50, 20, 20],
		[100, 50, 10, 10], // the small one wholly inside: joined
	];
	const rects = Int32Array.from(quads.flat());
	const scores = Float32Array.from(quads.map((_, i) => i));
	deepEqual(
		averageMerge({ rects, scores, count: quads.length }, 0),
		[
			{ x: 10, y: 0, width: 20, height: 20, hits: 3, score: 2 },
			{ x: 100, y: 0, width: 20, height: 20, hits: 1, score: 3 },
			{ x: 111, y: 0, width: 20, height: 20, hits: 1, score: 4 },
			{ x: 100, y: 50, width: 15, height: 15, hits: 2, score: 6 },
		],
		"groups",
	);
	deepEqual(
		averageMerge({ rects, scores, count: quads.length }, 1).map((d) => d.hits),
		[3, 2],
		"more than minNeighbors 1",
	);
});

function naiveQuantize(p: number, pixelScale: number, scale: number, zp: number): number {
	const v = Math.fround(Math.fround(p * Math.fround(pixelScale)) / Math.fround(scale));
	const r = v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
	return Math.max(-128, Math.min(127, r + zp));
}

test("cropInto maps pixel p to p - 128 for scale 1/255, zero point -128, zero-copy into the tensor", () => {
	const frame = new Frame(16, 16);
	const bytes = frameBytes(frame);
	for (let i = 0; i < 256; i++) bytes[i] = i;
	const data = new Int8Array(256);
	const tensor = { shape: [1, 16, 16, 1] as const, scale: 1 / 255, zeroPoint: -128, data };
	deepEqual(
		cropInto(frame, { x: 0, y: 0, width: 16, height: 16 }, tensor),
		{ x: 0, y: 0, width: 16, height: 16 },
		"rect cropped",
	);
	let bad = 0;
	for (let i = 0; i < 256; i++) if (data[i] !== i - 128) bad++;
	equal(bad, 0, "p - 128");
	cropInto(
		frame,
		{ x: 0, y: 0, width: 16, height: 16 },
		{ shape: [1, 16, 16, 1], scale: 0.02, zeroPoint: 3, data },
		{ pixelScale: 1 / 255 },
	);
	for (let i = 0; i < 256; i++) if (data[i] !== naiveQuantize(i, 1 / 255, 0.02, 3)) bad++;
	equal(bad, 0, "other scales as TFLite's QUANTIZE");
	frame.close();
});

test("cropInto area-resizes a 2x2 block mean and clamps a margin at the frame edge", () => {
	const frame = new Frame(8, 8);
	const bytes = frameBytes(frame);
	for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bytes[y * 8 + x] = 10 * x + y;
	const data = new Int8Array(16);
	const tensor = { shape: [1, 4, 4, 1], scale: 1, zeroPoint: -128, data };
	cropInto(frame, { x: 0, y: 0, width: 8, height: 8 }, tensor, { resize: "area", pixelScale: 1 });
	// Block (bx, by) holds 10x + y for x in {2bx, 2bx+1}, y in {2by, 2by+1}: mean 20bx + 5 + 2by + 0.5 -> rounds half up.
	let bad = 0;
	for (let by = 0; by < 4; by++)
		for (let bx = 0; bx < 4; bx++) if (data[by * 4 + bx] !== 20 * bx + 2 * by + 6 - 128) bad++;
	equal(bad, 0, "block means");
	deepEqual(
		cropRect(frame, { x: 1, y: 2, width: 4, height: 4 }, 0.5),
		{ x: 0, y: 0, width: 7, height: 8 },
		"margin 0.5 grown by 2 then clamped",
	);
	deepEqual(
		cropRect(frame, { x: 0, y: 0, width: 8, height: 8 }, -0.25, 0.25),
		{ x: 2, y: 4, width: 4, height: 4 },
		"margin -0.25 shrinks by 2, offsetY 0.25 moves down by 2",
	);
	deepEqual(
		cropRect(frame, { x: 2, y: 2, width: 4, height: 4 }, 0, 1),
		{ x: 2, y: 6, width: 4, height: 2 },
		"moved down by its height then clamped",
	);
	throws(
		() => cropRect(frame, { x: 0, y: 0, width: 8, height: 8 }, -0.5),
		/margin: -0.5, expected -0.45..4/,
		"margin too small",
	);
	throws(
		() => cropRect(frame, { x: 0, y: 0, width: 8, height: 8 }, 0, 1.5),
		/offsetY: 1.5, expected -1..1/,
		"offsetY too large",
	);
	throws(
		() =>
			cropInto(
				frame,
				{ x: 1, y: 1, width: 2, height: 2 },
				{ shape: [1, 4, 4, 3], scale: 1, zeroPoint: 0, data: new Int8Array(48) },
			),
		/expected \[1, height, width, 1\]/,
		"3 channels",
	);
	throws(
		() =>
			cropInto(frame, { x: 1, y: 1, width: 2, height: 2 }, { shape: [1, 4, 4, 1], scale: 0, zeroPoint: 0, data }),
		/scale: 0/,
		"zero scale",
	);
	throws(
		() =>
			cropInto(
				frame,
				{ x: 1, y: 1, width: 2, height: 2 },
				{ shape: [1, 4, 4, 1], scale: 1, zeroPoint: 0, data: new Int8Array(15) },
			),
		/Int8Array of 16/,
		"wrong data size",
	);
	throws(
		() => cropInto(frame, { x: 20, y: 1, width: 2, height: 2 }, tensor),
		/outside the 8x8 frame/,
		"rect outside",
	);
	frame.close();
});

test("cropInto writes into a tensor whose data is a view of C memory", () => {
	const frame = new Frame(4, 4);
	frameBytes(frame).fill(200);
	const arena = new Frame(64, 1); // any C-owned buffer: a second frame stands in for an NN arena
	const data = new Int8Array(arena as unknown as ArrayBuffer, 16, 4);
	cropInto(
		frame,
		{ x: 0, y: 0, width: 4, height: 4 },
		{ shape: [1, 2, 2, 1], scale: 1 / 255, zeroPoint: -128, data },
	);
	deepEqual(
		Array.from(frameBytes(arena).subarray(15, 21)),
		[0, 72, 72, 72, 72, 0],
		"bytes 16..19 of the C buffer are 200 - 128",
	);
	frame.close();
	arena.close();
});

test("the native functions reject what is not a Frame or is closed", () => {
	const c = Cascade.load(CASCADE);
	throws(() => detect({ width: 30, height: 30 } as unknown as Frame, c), undefined, "a plain object");
	const frame = new Frame(30, 30);
	frame.close();
	throws(() => detect(frame, c), /closed/, "a closed frame");
});

test("the vision front module (modules/vision.ts) is its parts' API, not a copy: what the field app imports", () => {
	equal(vision.Cascade, Cascade, "Cascade");
	equal(vision.detect, detect, "detect");
	equal(vision.newDetectStats, newDetectStats, "newDetectStats");
	equal(vision.cropInto, cropInto, "cropInto");
	equal(vision.cropTarget, cropTarget, "cropTarget");
	deepEqual(
		Object.keys(vision).sort(),
		["Cascade", "cropInto", "cropTarget", "detect", "newDetectStats"],
		"its exports",
	);
});
