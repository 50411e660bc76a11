// Face detection policy: parameters, the scale pyramid, threshold
// tuning and the grouping of raw candidates. The scan itself (integral
// images, every window of every level) is C: native/vision haarScan, which
// runs a Haar or an LBP cascade by its feature type.
//
// With threshold 0.5, step 0 and merge "opencv" the result is OpenCV 4.x
// CascadeClassifier.detectMultiScale(frame, scale, minNeighbors, 0, minSize,
// maxSize) exactly: the same scale list, the same raw candidates (the C scan
// is bit-exact) and the same groupRectangles(eps 0.2).
// SPDX-License-Identifier: Apache-2.0
import { type Frame, groupLabels, groupTotals, haarScales, haarScan } from "native/vision";
import { count } from "power";
import type { Cascade } from "vision/cascade";
import { checkDetectOptions, optionError } from "vision/options";

export interface Size {
	width: number;
	height: number;
}

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Detection extends Rect {
	/** Raw candidates merged into this one (OpenCV's neighbours). */
	hits: number;
	/**
	 * The largest last-stage sum among them (OpenCV's levelWeight): how far
	 * above the final stage's threshold the best window was.
	 */
	score: number;
}

export interface DetectOptions {
	/**
	 * 0..1, default 0.5 = the cascade's own stage thresholds (OpenCV exactly).
	 * Higher is stricter. Each stage threshold t becomes t + (2·threshold − 1)·|t|,
	 * so 1 doubles the margin a window needs and 0 halves... see docs/vision.md.
	 */
	threshold?: number;
	/** Pyramid factor between levels, > 1 (OpenCV's scaleFactor). Default 1.1. */
	scale?: number;
	/** Smallest object (pixels; a number is a square). Default: the cascade window. */
	minSize?: number | Size;
	/** Largest object; default: the frame (or ROI). */
	maxSize?: number | Size;
	/** Search only here. Partly outside: clamped to the frame. Wholly outside: RangeError. */
	roi?: Rect;
	/** Groups need more than this many raw candidates (OpenCV's minNeighbors). 0 = raw candidates. Default 3. */
	minNeighbors?: number;
	/** 0 (default): OpenCV's stepping (2 pixels below scale 2, 1 above, skip after a stage-0 reject). 1..32: fixed. */
	step?: number;
	/**
	 * 0 (default): every window of the step's grid. N >= 1 (Haar, with a step): coarse to fine, the windows
	 * 2 * step apart first and one between them only beside one of those that passed N stages; fewer windows,
	 * the faces' windows still evaluated in the frames measured (docs/vision.md), none promised.
	 */
	refine?: number;
	/** "opencv" (default): groupRectangles, eps 0.2. "average": OpenMV-style merge of overlapping candidates. */
	merge?: "opencv" | "average";
	/** Receives the work done (windows, features...) when given; power's count() gets it always. */
	stats?: DetectStats;
}

export interface DetectStats {
	levels: number;
	windows: number;
	lowVariance: number;
	stages: number;
	features: number;
	candidates: number;
}

/** Beyond this the scale is so close to 1 that the pyramid is a mistake. */
export const MAX_LEVELS = 256;
const MAX_CANDIDATES = 1 << 18;
/** groupLabels' modes: OpenCV's similarity, and the average merge's overlap. */
const GROUP_OPENCV = 0,
	GROUP_OVERLAP = 1;

function fail(option: string, message: string): never {
	optionError("detect ", option, message);
}

/** OpenCV's cvRound: nearest, halves to even. */
export function roundEven(v: number): number {
	const f = Math.floor(v);
	const d = v - f;
	if (d > 0.5) return f + 1;
	if (d < 0.5) return f;
	return f % 2 === 0 ? f : f + 1;
}

/**
 * OpenCV 4.x detectMultiScale's scale list for an image of w x h: factors
 * 1, s, s^2... (double) while the rounded window fits, each kept as float32
 * and filtered by max size (stop) and min size (skip): C's
 * vision_haar_scales, the one definition.
 */
export function pyramidScales(
	w: number,
	h: number,
	windowW: number,
	windowH: number,
	scale: number,
	min: Size | undefined,
	max: Size | undefined,
): Float32Array {
	const out = new Float32Array(MAX_LEVELS);
	const n = haarScales(
		w,
		h,
		windowW,
		windowH,
		scale,
		min?.width ?? 0,
		min?.height ?? 0,
		max?.width ?? w,
		max?.height ?? h,
		out,
	);
	if (n > MAX_LEVELS)
		fail("scale", `${scale} makes more than ${MAX_LEVELS} pyramid levels; use a larger scale or sizes`);
	return out.subarray(0, n);
}

/** Stage thresholds for `threshold` (0..1), or null for 0.5 (the stored ones). */
export function stageThresholds(cascade: Cascade, threshold: number): Float32Array | null {
	if (threshold === 0.5) return null;
	const k = 2 * threshold - 1;
	return cascade.stageThresholds.map((t) => Math.fround(t + k * Math.abs(t)));
}

const ROI_KEYS = ["x", "y", "width", "height"] as const;

/** Clamps a ROI to the frame; RangeError when nothing of it is inside (indexed loop: XS's for-of is dear). */
export function clampRoi(roi: Rect, frameW: number, frameH: number, option = "roi"): Rect {
	for (let i = 0; i < ROI_KEYS.length; i++) {
		const key = ROI_KEYS[i]!;
		const v = roi[key];
		if (typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) > 1e6)
			fail(`${option}.${key}`, `${String(v)}, expected an integer`);
	}
	if (roi.width <= 0 || roi.height <= 0) fail(option, `${roi.width}x${roi.height}: width and height must be > 0`);
	const x0 = Math.max(0, roi.x),
		y0 = Math.max(0, roi.y);
	const x1 = Math.min(frameW, roi.x + roi.width),
		y1 = Math.min(frameH, roi.y + roi.height);
	if (x1 <= x0 || y1 <= y0)
		fail(option, `(${roi.x},${roi.y} ${roi.width}x${roi.height}) is outside the ${frameW}x${frameH} frame`);
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

interface Candidates {
	rects: Int32Array;
	scores: Float32Array;
	count: number;
}

/** A scan's candidates and its work: windows, low-variance windows, stages, features, passes (haarScan's stats). */
interface Scanned extends Candidates {
	work: Float64Array;
}

/** Finds objects; see DetectOptions. A frame or ROI smaller than the cascade window finds nothing (not an error). */
export function detect(frame: Frame, cascade: Cascade, options: DetectOptions = {}): Detection[] {
	const { threshold, scale, minNeighbors, step, refine, merge, min, max } = checkDetectOptions(options);
	if (refine > 0 && cascade.featureType !== "haar")
		throw new RangeError(
			`detect refine: ${refine} is for Haar cascades; ${cascade.source} is ${cascade.featureType}`,
		);
	const roi = options.roi
		? clampRoi(options.roi, frame.width, frame.height)
		: { x: 0, y: 0, width: frame.width, height: frame.height };

	const scales = pyramidScales(roi.width, roi.height, cascade.windowWidth, cascade.windowHeight, scale, min, max);
	const raw = scan(frame, cascade, roi, scales, step, refine, stageThresholds(cascade, threshold));
	// The work, counted where it is done: the cost model's units for detect() (tools/power/profile.ts).
	count("vision.windows", raw.work[0] ?? 0);
	count("vision.features", raw.work[3] ?? 0);
	count("vision.pixels", roi.width * roi.height);
	const stats = options.stats;
	if (stats) {
		stats.levels += scales.length;
		stats.windows += raw.work[0] ?? 0;
		stats.lowVariance += raw.work[1] ?? 0;
		stats.stages += raw.work[2] ?? 0;
		stats.features += raw.work[3] ?? 0;
		stats.candidates += raw.count;
	}
	return clip(merge === "opencv" ? groupRectangles(raw, minNeighbors, 0.2) : averageMerge(raw, minNeighbors), roi);
}

/**
 * OpenCV's CascadeClassifier.detectMultiScale clips every box to the image
 * (here the ROI, scanned as if it were the image) and drops what is left
 * empty: a window that fits its level can round to a box past the edge.
 */
function clip(found: Detection[], roi: Rect): Detection[] {
	const out: Detection[] = [];
	for (const d of found) {
		const x0 = Math.max(d.x, roi.x),
			y0 = Math.max(d.y, roi.y);
		const x1 = Math.min(d.x + d.width, roi.x + roi.width),
			y1 = Math.min(d.y + d.height, roi.y + roi.height);
		if (x1 > x0 && y1 > y0) out.push({ ...d, x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
	}
	return out;
}

function scan(
	frame: Frame,
	cascade: Cascade,
	roi: Rect,
	scales: Float32Array,
	step: number,
	refine: number,
	thresholds: Float32Array | null,
): Scanned {
	const roiArray = Int32Array.of(roi.x, roi.y, roi.width, roi.height);
	const work = new Float64Array(5);
	for (let capacity = 256; ; capacity *= 4) {
		if (capacity > MAX_CANDIDATES) throw new RangeError(`detect: more than ${MAX_CANDIDATES} raw candidates`);
		const rects = new Int32Array(capacity * 4);
		const scores = new Float32Array(capacity);
		work.fill(0);
		const count = haarScan(
			frame,
			cascade.checked,
			cascade.stages,
			thresholds,
			roiArray,
			scales,
			step,
			refine,
			rects,
			scores,
			work,
		);
		if (count >= 0) return { rects, scores, count, work };
	}
}

/** Raw candidates as Detections (hits 1), for minNeighbors 0. */
function rawDetections(c: Candidates): Detection[] {
	const out: Detection[] = [];
	for (let i = 0; i < c.count; i++)
		out.push({
			x: c.rects[4 * i] ?? 0,
			y: c.rects[4 * i + 1] ?? 0,
			width: c.rects[4 * i + 2] ?? 0,
			height: c.rects[4 * i + 3] ?? 0,
			hits: 1,
			score: c.scores[i] ?? 0,
		});
	return out;
}

/** The classes of similar candidates (C: every pair is compared), numbered in order of first member. */
function partition(c: Candidates, mode: number, eps: number): { labels: Int32Array; classes: number } {
	const labels = new Int32Array(c.count);
	return { labels, classes: groupLabels(c.rects, c.count, mode, eps, labels) };
}

/**
 * OpenCV's groupRectangles(rects, groupThreshold, eps): candidates are
 * "similar" when every edge is within eps·(min widths + min heights)/2;
 * each class is averaged (rounded half to even); classes with no more than
 * groupThreshold members are dropped, and so is a class lying inside
 * another (within eps of its size) that has more than max(3, its) members.
 * groupThreshold 0 returns the candidates unchanged, as OpenCV does.
 */
export function groupRectangles(c: Candidates, groupThreshold: number, eps: number): Detection[] {
	if (groupThreshold <= 0 || c.count === 0) return rawDetections(c);
	const { labels, classes } = partition(c, GROUP_OPENCV, eps);
	const { sums, counts, best } = classTotals(c, labels, classes);
	const avg: Detection[] = [];
	for (let k = 0; k < classes; k++) {
		const n = counts[k] ?? 1;
		// OpenCV: float s = 1.f / n; cvRound(sum * s) in float.
		const s = Math.fround(1 / n);
		avg.push({
			x: roundEven(Math.fround((sums[4 * k] ?? 0) * s)),
			y: roundEven(Math.fround((sums[4 * k + 1] ?? 0) * s)),
			width: roundEven(Math.fround((sums[4 * k + 2] ?? 0) * s)),
			height: roundEven(Math.fround((sums[4 * k + 3] ?? 0) * s)),
			hits: n,
			score: best[k] ?? 0,
		});
	}
	const out: Detection[] = [];
	for (let i = 0; i < classes; i++) {
		const r1 = avg[i]!;
		const n1 = r1.hits;
		if (n1 <= groupThreshold) continue;
		let inside = false;
		for (let j = 0; j < classes && !inside; j++) {
			const r2 = avg[j]!;
			const n2 = r2.hits;
			if (j === i || n2 <= groupThreshold) continue;
			const dx = roundEven(r2.width * eps),
				dy = roundEven(r2.height * eps);
			inside =
				r1.x >= r2.x - dx &&
				r1.y >= r2.y - dy &&
				r1.x + r1.width <= r2.x + r2.width + dx &&
				r1.y + r1.height <= r2.y + r2.height + dy &&
				(n2 > Math.max(3, n1) || n1 < 3);
		}
		if (!inside) out.push(r1);
	}
	return out;
}

/** Per class of a partition: the sums of its rects' x, y, w, h, its size and its best score. */
function classTotals(
	c: Candidates,
	labels: Int32Array,
	classes: number,
): { sums: Float64Array; counts: Int32Array; best: Float64Array } {
	const sums = new Float64Array(classes * 4);
	const counts = new Int32Array(classes);
	const best = new Float64Array(classes);
	groupTotals(c.rects, c.scores, c.count, labels, classes, sums, counts, best);
	return { sums, counts, best };
}

/**
 * OpenMV-style merge by averaging: two candidates join one group
 * (transitively) when their intersection covers at least half of the
 * smaller one; each group becomes the mean of its members (rounded), kept
 * when it has more than minNeighbors members. (Joining on any overlap, as a
 * plain rectangle merge does, fuses faces that touch.)
 */
export function averageMerge(c: Candidates, minNeighbors: number): Detection[] {
	const { labels, classes } = partition(c, GROUP_OVERLAP, 0);
	const { sums, counts, best } = classTotals(c, labels, classes);
	const out: Detection[] = [];
	for (let k = 0; k < classes; k++) {
		const n = counts[k] ?? 1;
		if (n <= minNeighbors) continue;
		out.push({
			x: Math.round((sums[4 * k] ?? 0) / n),
			y: Math.round((sums[4 * k + 1] ?? 0) / n),
			width: Math.round((sums[4 * k + 2] ?? 0) / n),
			height: Math.round((sums[4 * k + 3] ?? 0) / n),
			hits: n,
			score: best[k] ?? 0,
		});
	}
	return out;
}

export function newDetectStats(): DetectStats {
	return { levels: 0, windows: 0, lowVariance: 0, stages: 0, features: 0, candidates: 0 };
}
