// Binary Haar and LBP cascades ("XSHC", docs/cascade-format.md): loading and
// validation, with errors naming the file and the field. The header and the
// stage table are read here; the thousands of rects and weak classifiers are
// checked by C once (a CheckedCascade, which the scans trust) and walked here
// only when C refuses the file, to name the entry at fault. Walking them in XS
// on every boot cost more than the search.
// SPDX-License-Identifier: Apache-2.0
import { CheckedCascade } from "native/vision";
import { readFileBytes } from "vision/read";

const HEADER_SIZE = 32;
const STAGE_SIZE = 8;
const WEAK_SIZE = 16;
const RECT_SIZE = 5;
/** The header's feature_type and LBP's record sizes. */
const FEATURE_HAAR = 0;
const FEATURE_LBP = 1;
const LBP_WEAK_SIZE = 44;
const LBP_FEATURE_SIZE = 4;
/** A feature's integer sum is exact in float32 below this (docs/cascade-format.md). */
const EXACT_LIMIT = 1 << 24;
/** A weak classifier record's child flags and tree size (docs/cascade-format.md). */
const NODE_LEFT = 1 << 26;
const NODE_RIGHT = 1 << 27;
const NODE_TREE_SHIFT = 28;
/** Far more than any OpenCV cascade (frontalface_default: 25, 2,913 weak classifiers). */
export const MAX_STAGES = 1000;
export const MAX_WEAKS = 1 << 20;

export interface CascadeLoadOptions {
	/** Evaluate only the first `stages` stages (1..stage count): faster, more false positives. */
	stages?: number;
}

export class CascadeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "CascadeError";
	}
}

export class Cascade {
	/** The file's bytes as loaded (a Resource's are read-only); scans read `checked`, not these. */
	readonly data: Uint8Array;
	/** The cascade as C checked it, beside bytes JS cannot write (the Resource's, or C's copy). */
	readonly checked: CheckedCascade;
	readonly source: string;
	/** Which features the weak classifiers test (the header's feature_type). */
	readonly featureType: "haar" | "lbp";
	readonly windowWidth: number;
	readonly windowHeight: number;
	/** Stages in the file. */
	readonly totalStages: number;
	/** Stages evaluated (options.stages, default all). */
	readonly stages: number;
	readonly weakCount: number;
	/** Haar rects, or LBP features. */
	readonly rectCount: number;
	/** The stored stage thresholds, as float32. */
	readonly stageThresholds: Float32Array;

	private constructor(data: Uint8Array, source: string, options: CascadeLoadOptions) {
		const fail = (field: string, what: string): never => {
			throw new CascadeError(`${source}: ${field}: ${what}`);
		};
		// C checks every byte first (once, kept for every scan); what it accepts is only read here. A
		// cascade it refuses is walked in JS to name the entry and field at fault (a wake loads the
		// cascade once: the walk's 1.5 k bytecodes were paid on every wake before).
		let checked: CheckedCascade | undefined;
		try {
			checked = new CheckedCascade(data);
		} catch (error) {
			fault(data, (error as Error).message, fail);
		}
		const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
		const nStages = dv.getUint16(12, true);
		const thresholds = new Float32Array(nStages);
		for (let s = 0; s < nStages; s++) thresholds[s] = dv.getFloat32(HEADER_SIZE + STAGE_SIZE * s + 4, true);
		const lbp = dv.getUint16(14, true) === FEATURE_LBP;
		const ww = dv.getUint16(8, true);
		const wh = dv.getUint16(10, true);
		const nWeaks = dv.getUint32(16, true);
		const nRects = dv.getUint32(20, true);
		// Valid but absurd sizes, which C's check allows: refused at load, never met mid-scan.
		if (nStages > MAX_STAGES) fail("stage_count", `${nStages}, expected 1..${MAX_STAGES}`);
		if (nWeaks > MAX_WEAKS) fail("weak_count", `${nWeaks}, expected 1..${MAX_WEAKS}`);
		if (lbp && nRects > MAX_WEAKS) fail("rect_count", `${nRects} LBP features, expected 1..${MAX_WEAKS}`);
		if (!lbp && nRects > 3 * nWeaks) fail("rect_count", `${nRects}, expected 1..3 x weak_count`);
		const stages = options.stages ?? nStages;
		if (!Number.isInteger(stages) || stages < 1 || stages > nStages)
			throw new CascadeError(
				`${source}: options.stages: ${String(stages)}, expected an integer in 1..${nStages}`,
			);

		this.data = data;
		this.checked = checked ?? fail("data", "not checked");
		this.source = source;
		this.featureType = lbp ? "lbp" : "haar";
		this.windowWidth = ww;
		this.windowHeight = wh;
		this.totalStages = nStages;
		this.stages = stages;
		this.weakCount = nWeaks;
		this.rectCount = nRects;
		this.stageThresholds = thresholds;
	}

	/** Validates cascade bytes already in memory; `source` names them in errors. */
	static from(data: Uint8Array, source: string, options: CascadeLoadOptions = {}): Cascade {
		return new Cascade(data, source, options);
	}

	/** Reads and validates a binary cascade from the board's storage. */
	static load(path: string, options: CascadeLoadOptions = {}): Cascade {
		return new Cascade(readFileBytes(path), path, options);
	}
}

/**
 * Names what C refused in a cascade (`reason`, C's words): the header's fields, the stages, then every
 * rect and weak classifier in order; throws through `fail` with the first fault, else with C's reason.
 */
function fault(data: Uint8Array, reason: string, fail: (field: string, what: string) => never): never {
	if (data.length < HEADER_SIZE) fail("header", `${data.length} bytes, shorter than the ${HEADER_SIZE}-byte header`);
	const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const magic = String.fromCharCode(data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0);
	if (magic !== "XSHC")
		fail("magic", `"${escapeText(magic)}", expected "XSHC" (convert OpenCV XML with \`xsight cascade convert\`)`);
	const version = dv.getUint16(4, true);
	if (version !== 1) fail("version", `${version}, this reader knows 1`);
	const flags = dv.getUint16(6, true);
	if (flags !== 0) fail("flags", `0x${flags.toString(16)}, expected 0 (tilted features are not supported)`);
	const type = dv.getUint16(14, true);
	if (type !== FEATURE_HAAR && type !== FEATURE_LBP) fail("feature_type", `${type}, expected 0 (Haar) or 1 (LBP)`);
	const lbp = type === FEATURE_LBP;
	if (dv.getUint32(28, true) !== 0) fail("reserved (offset 28)", "not 0");
	const ww = dv.getUint16(8, true);
	const wh = dv.getUint16(10, true);
	if (ww < 3 || ww > 255) fail("window_w", `${ww}, expected 3..255`);
	if (wh < 3 || wh > 255) fail("window_h", `${wh}, expected 3..255`);
	const nStages = dv.getUint16(12, true);
	const nWeaks = dv.getUint32(16, true);
	const nRects = dv.getUint32(20, true);
	const total = dv.getUint32(24, true);
	if (nStages < 1 || nStages > MAX_STAGES) fail("stage_count", `${nStages}, expected 1..${MAX_STAGES}`);
	if (nWeaks < 1 || nWeaks > MAX_WEAKS) fail("weak_count", `${nWeaks}, expected 1..${MAX_WEAKS}`);
	if (lbp && (nRects < 1 || nRects > MAX_WEAKS))
		fail("rect_count", `${nRects} LBP features, expected 1..${MAX_WEAKS}`);
	if (!lbp && (nRects < 1 || nRects > 3 * nWeaks)) fail("rect_count", `${nRects}, expected 1..3 x weak_count`);
	const weaksAt = HEADER_SIZE + STAGE_SIZE * nStages;
	const rectsAt = weaksAt + (lbp ? LBP_WEAK_SIZE : WEAK_SIZE) * nWeaks;
	const end = rectsAt + (lbp ? LBP_FEATURE_SIZE : RECT_SIZE) * nRects;
	const padded = (end + 3) & ~3;
	if (total !== padded) fail("total_size", `${total}, the counts make ${padded}`);
	if (data.length < padded) fail("total_size", `${padded} bytes, the file has ${data.length} (truncated)`);
	for (let i = end; i < padded; i++) if (data[i] !== 0) fail("padding", `byte ${i} is not 0`);

	let weakSum = 0;
	for (let s = 0; s < nStages; s++) {
		const at = HEADER_SIZE + STAGE_SIZE * s;
		const n = dv.getUint16(at, true);
		if (n === 0) fail(`stage ${s} weak count`, "0");
		if (dv.getUint16(at + 2, true) !== 0) fail(`stage ${s} reserved`, "not 0");
		const thr = dv.getFloat32(at + 4, true);
		if (!Number.isFinite(thr)) fail(`stage ${s} threshold`, `${thr} is not finite`);
		weakSum += n;
	}
	// An LBP weak classifier is one record; a Haar one is a tree of records, counted in the walk below.
	if (lbp && weakSum !== nWeaks) fail("weak_count", `${nWeaks}, the stages count ${weakSum}`);

	if (lbp) {
		lbpFault(data, dv, weaksAt, nWeaks, rectsAt, nRects, ww, wh, fail);
		fail("data", reason);
	}
	const checkNode = (k: number, i: number, nodes: number): void => {
		const at = weaksAt + WEAK_SIZE * k;
		const ref = dv.getUint32(at + 12, true);
		if (i > 0 && ref >>> NODE_TREE_SHIFT !== 0)
			fail(`weak classifier ${k} node count`, "set on a node that is not its tree's first");
		const thr = dv.getFloat32(at, true);
		if (!Number.isFinite(thr)) fail(`weak classifier ${k} threshold`, `${thr} is not finite`);
		for (const [off, name, flag] of [
			[4, "left", NODE_LEFT],
			[8, "right", NODE_RIGHT],
		] as const) {
			if (ref & flag) {
				const child = dv.getUint32(at + off, true);
				if (child < 1 || child >= nodes - i)
					fail(
						`weak classifier ${k} ${name} child`,
						`${child} records on, not a later node of its ${nodes}-node tree`,
					);
			} else {
				const v = dv.getFloat32(at + off, true);
				if (!Number.isFinite(v)) fail(`weak classifier ${k} ${name} value`, `${v} is not finite`);
			}
		}
		const first = ref & 0xffffff;
		const count = (ref >>> 24) & 3;
		if (count < 1) fail(`weak classifier ${k} rect count`, `${count}, expected 1..3`);
		if (first + count > nRects)
			fail(`weak classifier ${k} rects`, `${first}..${first + count - 1} outside the ${nRects} rects`);
		// Its rects, where it refers to them (as C checks them: a rect no record refers to is never read).
		let bound = 0;
		for (let j = 0; j < count; j++) {
			const r = first + j;
			const q = rectsAt + RECT_SIZE * r;
			const x = data[q] ?? 0,
				y = data[q + 1] ?? 0,
				w = data[q + 2] ?? 0,
				h = data[q + 3] ?? 0;
			if (w === 0 || h === 0) fail(`rect ${r}`, `empty (${w}x${h})`);
			if (x + w > ww || y + h > wh) fail(`rect ${r}`, `(${x},${y} ${w}x${h}) leaves the ${ww}x${wh} window`);
			const weight = dv.getInt8(q + 4);
			if (weight === 0) fail(`rect ${r} weight`, "0");
			bound += Math.abs(weight) * w * h * 255;
		}
		if (bound > EXACT_LIMIT)
			fail(`weak classifier ${k} weights`, `|sum| can reach ${bound} > 2^24 (not exact in float32)`);
	};
	// The stages' weak classifiers in table order, each a tree of consecutive records (a stump is one).
	let k = 0;
	for (let s = 0; s < nStages; s++) {
		const trees = dv.getUint16(HEADER_SIZE + STAGE_SIZE * s, true);
		for (let t = 0; t < trees; t++) {
			if (k >= nWeaks) fail("weak_count", `${nWeaks}, the trees of stages 0..${s} need more`);
			const nodes = (dv.getUint32(weaksAt + WEAK_SIZE * k + 12, true) >>> NODE_TREE_SHIFT) + 1;
			if (nodes > nWeaks - k) fail(`weak classifier ${k} node count`, `${nodes} run past the ${nWeaks} records`);
			for (let i = 0; i < nodes; i++, k++) checkNode(k, i, nodes);
		}
	}
	if (k !== nWeaks) fail("weak_count", `${nWeaks}, the stages' trees have ${k} nodes`);
	fail("data", reason);
}

function escapeText(text: string): string {
	let out = "";
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		// No padStart: XS's word-at-a-time string length reads past short literals, which ASan reports.
		out += c >= 0x20 && c < 0x7f ? text[i] : `\\x${c < 16 ? "0" : ""}${c.toString(16)}`;
	}
	return out;
}

/** Names the first LBP weak classifier or feature C refused (the Haar walk's counterpart). */
function lbpFault(
	data: Uint8Array,
	dv: DataView,
	weaksAt: number,
	nWeaks: number,
	featuresAt: number,
	nFeatures: number,
	ww: number,
	wh: number,
	fail: (field: string, what: string) => never,
): void {
	for (let f = 0; f < nFeatures; f++) {
		const at = featuresAt + LBP_FEATURE_SIZE * f;
		const x = data[at] ?? 0,
			y = data[at + 1] ?? 0,
			w = data[at + 2] ?? 0,
			h = data[at + 3] ?? 0;
		if (w === 0 || h === 0) fail(`feature ${f}`, `empty block (${w}x${h})`);
		if (x + 3 * w > ww || y + 3 * h > wh)
			fail(`feature ${f}`, `3x3 blocks of ${w}x${h} at ${x},${y} leave the ${ww}x${wh} window`);
	}
	for (let k = 0; k < nWeaks; k++) {
		const at = weaksAt + LBP_WEAK_SIZE * k;
		const feature = dv.getUint32(at, true);
		if (feature >= nFeatures) fail(`weak classifier ${k} feature`, `${feature}, outside the ${nFeatures} features`);
		for (const [off, name] of [
			[4, "left value"],
			[8, "right value"],
		] as const) {
			const v = dv.getFloat32(at + off, true);
			if (!Number.isFinite(v)) fail(`weak classifier ${k} ${name}`, `${v} is not finite`);
		}
	}
}
