// SPDX-License-Identifier: Apache-2.0
declare module "native/vision" {
	/**
	 * An 8-bit grayscale image in C-owned memory (never in the XS heap).
	 * The object is a host buffer: `new Uint8Array(frame)` is a zero-copy view
	 * of its `byteLength` bytes, row y starting at y * stride.
	 */
	export class Frame {
		/** width, height >= 1 and <= 4096; stride (default width) >= width. Throws RangeError otherwise. */
		constructor(width: number, height: number, stride?: number);
		readonly width: number;
		readonly height: number;
		readonly stride: number;
		/** stride * height; 0 after close(). */
		readonly byteLength: number;
		/** Copies `bytes` into the frame at byte `offset` (RangeError if it does not fit). */
		write(offset: number, bytes: ArrayBufferLike | ArrayBufferView): void;
		/** Frees the pixels now; views of a closed frame throw. Idempotent. */
		close(): void;
	}

	/**
	 * Cascade data checked once by the C library (vision_cascade_check), which keeps the result beside bytes JS
	 * cannot write: a read-only host buffer's (a Resource), kept alive, or else its own copy. Scans trust it, so
	 * writing to `data` afterwards changes nothing they read. Throws a TypeError with what is wrong.
	 */
	export class CheckedCascade {
		constructor(data: ArrayBufferLike | ArrayBufferView);
	}

	/**
	 * One cascade scan (Haar or LBP, by the data's feature type) per scale of `scales` (the C scan is OpenCV's at each
	 * scale), over the ROI [x, y, w, h] of the frame. Writes candidates as
	 * [x, y, w, h] quads into `rects` and their last stage sums into `scores`
	 * (or null). stageThresholds (or null) replaces the stored ones; stats
	 * (or null) is a Float64Array(5) receiving windows, low-variance windows,
	 * stages, features and passes (added to what it holds). Returns the
	 * number of candidates, or -1 when `rects` was too small (then grow it and
	 * call again).
	 */
	export function haarScan(
		frame: Frame,
		cascade: CheckedCascade,
		stageCount: number,
		stageThresholds: Float32Array | null,
		roi: Int32Array,
		scales: Float32Array,
		step: number,
		refine: number,
		rects: Int32Array,
		scores: Float32Array | null,
		stats: Float64Array | null,
	): number;

	/**
	 * OpenCV 4.x detectMultiScale's scale list (vision_haar_scales): factors 1, f, f^2... (double) while
	 * the rounded window fits width x height, kept as float32, stopping past maxW x maxH and skipping those
	 * under minW x minH (0: no limit). Writes what fits into `scales`; returns how many there are.
	 */
	export function haarScales(
		width: number,
		height: number,
		windowW: number,
		windowH: number,
		scaleFactor: number,
		minW: number,
		minH: number,
		maxW: number,
		maxH: number,
		scales: Float32Array,
	): number;

	/**
	 * Partitions the first `count` candidates of `rects` ([x, y, w, h] quads)
	 * into classes of similar ones (mode 0: OpenCV's similarity with `eps`;
	 * 1: the intersection covers half of the smaller), transitively: writes
	 * each one's class to `labels` (classes numbered in the order of their
	 * first member) and returns the number of classes.
	 */
	export function groupLabels(
		rects: Int32Array,
		count: number,
		mode: number,
		eps: number,
		labels: Int32Array,
	): number;

	/**
	 * Each class's totals (classes as groupLabels numbered them): sums[4k..4k+3]
	 * the sums of its members' x, y, width, height, counts[k] its members,
	 * best[k] their largest score (-Infinity without one).
	 */
	export function groupTotals(
		rects: Int32Array,
		scores: Float32Array,
		count: number,
		labels: Int32Array,
		classes: number,
		sums: Float64Array,
		counts: Int32Array,
		best: Float64Array,
	): void;

	/**
	 * Crops the ROI [x, y, w, h], resizes it to width x height (interp 0 =
	 * bilinear, OpenCV's INTER_LINEAR_EXACT; 1 = area mean) and quantizes
	 * each pixel p into dst: clamp(round(p * inScale / outScale) + zeroPoint).
	 */
	export function cropQuantize(
		frame: Frame,
		roi: Int32Array,
		dst: Int8Array,
		width: number,
		height: number,
		interp: number,
		inScale: number,
		outScale: number,
		zeroPoint: number,
	): void;
}
