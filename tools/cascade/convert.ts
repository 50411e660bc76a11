// SPDX-License-Identifier: Apache-2.0
//
// OpenCV Haar and LBP cascade XML -> xsight binary cascade ("XSHC", docs/cascade-format.md).
//
// Reads both XML layouts OpenCV ships: the current one
// (<cascade type_id="opencv-cascade-classifier">, stages/weakClassifiers with
// internalNodes/leafValues plus a shared features table) and the old one
// (<name type_id="opencv-haar-classifier">, stages/trees with an inline
// feature per node). Only what xsight's evaluator reproduces exactly is
// accepted: BOOST stages of trees (stumps, or up to 16 nodes in the current
// layout) over upright HAAR features with integer weights, and (current layout
// only) BOOST stages of LBP stumps with 256-category subsets. Everything else is rejected with the element at fault, so a
// cascade never converts into something that silently evaluates differently.
//
// Command line: `xsight cascade convert IN.xml OUT.cascade` (tools/commands/cascade.ts).

import { parseXml, type XmlElement } from "./xml.js";

export const CASCADE_MAGIC = "XSHC";
export const CASCADE_VERSION = 1;
export const HEADER_SIZE = 32;
export const STAGE_SIZE = 8;
export const WEAK_SIZE = 16;
export const RECT_SIZE = 5;
/** Header feature_type (offset 14). */
export const FEATURE_HAAR = 0;
export const FEATURE_LBP = 1;
/** An LBP stump: feature index, two leaves, 8 x 32 subset bits. */
export const LBP_WEAK_SIZE = 44;
/** An LBP feature: the x, y, w, h of the top-left block of its 3x3 blocks. */
export const LBP_FEATURE_SIZE = 4;
/** OpenCV's LBP codes are 8 bits: 256 categories, 8 words of subset bits. */
const LBP_CATEGORIES = 256;
const LBP_SUBSET_WORDS = LBP_CATEGORIES / 32;
/** Feature sums stay exact in float32 up to this magnitude (see docs/cascade-format.md). */
export const EXACT_FEATURE_LIMIT = 1 << 24;
/** A weak classifier record's flags (docs/cascade-format.md): its left/right child is a node; bits 28-31 of a tree's first: its nodes - 1. */
export const NODE_LEFT = 1 << 26;
export const NODE_RIGHT = 1 << 27;
export const NODE_TREE_SHIFT = 28;
/** Nodes a tree may have: its count is 4 bits. */
export const MAX_TREE_NODES = 16;

export class CascadeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "CascadeError";
	}
}

interface Rect {
	x: number;
	y: number;
	w: number;
	h: number;
	weight: number;
}

/** A tree node's child: a leaf value, or a later node of the same tree (its index in the tree). */
type Child = { leaf: number } | { node: number };

interface Node {
	threshold: number;
	left: Child;
	right: Child;
	/** Index into the rect list of the feature this node tests. */
	feature: number;
}

/** A weak classifier: a tree whose first node is its root (a stump is one node with two leaves). */
interface Weak {
	nodes: Node[];
}

interface Stage {
	threshold: number;
	weaks: Weak[];
}

interface Cascade {
	width: number;
	height: number;
	stages: Stage[];
	features: Rect[][];
}

interface LbpWeak {
	feature: number;
	/** Added when the code's bit is set in subset. */
	left: number;
	right: number;
	/** 8 words, OpenCV's int32 subset values as stored (two's complement). */
	subset: number[];
}

interface LbpCascade {
	width: number;
	height: number;
	stages: { threshold: number; weaks: LbpWeak[] }[];
	/** x, y, w, h of the top-left one of 3x3 blocks. */
	features: { x: number; y: number; w: number; h: number }[];
}

/** Where an element sits, with `_` list items numbered, for error messages. */
class Ctx {
	constructor(
		readonly source: string,
		readonly el: XmlElement,
		readonly where: string,
	) {}

	fail(message: string): never {
		throw new CascadeError(`${this.source}:${this.el.line}: <${this.where}>: ${message}`);
	}

	optChild(name: string): Ctx | undefined {
		const found = this.el.children.filter((c) => c.name === name);
		if (found.length > 1) this.fail(`more than one <${name}>`);
		const c = found[0];
		return c === undefined ? undefined : new Ctx(this.source, c, `${this.where}/${name}`);
	}

	child(name: string): Ctx {
		return this.optChild(name) ?? this.fail(`missing <${name}>`);
	}

	/** The `_` items of a FileStorage sequence. */
	items(): Ctx[] {
		return this.el.children.map((c, i) => {
			if (c.name !== "_") new Ctx(this.source, c, `${this.where}/${c.name}`).fail(`expected a sequence item <_>`);
			return new Ctx(this.source, c, `${this.where}/_[${i}]`);
		});
	}

	numbers(): number[] {
		const t = this.el.text.trim();
		if (t === "") return [];
		return t.split(/\s+/).map((tok) => {
			// Number() alone would accept "" or "0x10"; FileStorage writes plain decimal reals.
			if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok)) this.fail(`"${tok}" is not a number`);
			return Number(tok);
		});
	}

	number(): number {
		const n = this.numbers();
		if (n.length !== 1) this.fail(`expected one number, found ${n.length}`);
		return n[0] ?? 0;
	}

	int(): number {
		const v = this.number();
		if (!Number.isInteger(v)) this.fail(`expected an integer, found ${v}`);
		return v;
	}

	string(): string {
		return this.el.text.trim();
	}
}

/**
 * OpenCV reads every real with strtod (a correctly rounded double) and then
 * casts it to float; Number() is the same correctly rounded double, so
 * Math.fround gives bit-identical float32 values.
 */
function toF32(ctx: Ctx, v: number, field: string): number {
	const f = Math.fround(v);
	if (!Number.isFinite(f)) ctx.fail(`${field} ${v} is not a finite float32`);
	return f;
}

function readRects(ctx: Ctx, width: number, height: number): Rect[] {
	const tilted = ctx.optChild("tilted");
	if (tilted !== undefined && tilted.int() !== 0) {
		tilted.fail("tilted (45 degree) features are not supported by xsight's evaluator");
	}
	const items = ctx.child("rects").items();
	if (items.length < 1 || items.length > 3)
		ctx.child("rects").fail(`a feature has 1 to 3 rects, found ${items.length}`);
	const rects = items.map((r) => {
		const v = r.numbers();
		if (v.length !== 5) r.fail(`a rect is "x y width height weight", found ${v.length} numbers`);
		const [x = 0, y = 0, w = 0, h = 0, weight = 0] = v;
		for (const [name, n] of [
			["x", x],
			["y", y],
			["width", w],
			["height", h],
		] as const) {
			if (!Number.isInteger(n) || n < 0 || n > 255) r.fail(`${name} ${n} is not an integer in 0..255`);
		}
		if (w === 0 || h === 0) r.fail(`empty rect ${w}x${h}`);
		if (x + w > width || y + h > height) r.fail(`rect ${x},${y} ${w}x${h} leaves the ${width}x${height} window`);
		// Integer weights keep OpenCV's float feature sum exact, which is what lets
		// the C evaluator sum in int32 and still match bit for bit.
		if (!Number.isInteger(weight) || weight < -128 || weight > 127 || weight === 0) {
			r.fail(`weight ${weight} is not a non-zero integer in -128..127`);
		}
		return { x, y, w, h, weight };
	});
	const bound = rects.reduce((s, r) => s + Math.abs(r.weight) * r.w * r.h * 255, 0);
	if (bound > EXACT_FEATURE_LIMIT) ctx.fail(`feature sum bound ${bound} exceeds 2^24, float32 would round it`);
	return rects;
}

function readWindowSize(ctx: Ctx, width: number, height: number): void {
	for (const [name, v] of [
		["width", width],
		["height", height],
	] as const) {
		// At least 3: OpenCV normalises by the window shrunk by one pixel on every side.
		if (!Number.isInteger(v) || v < 3 || v > 255) ctx.fail(`window ${name} ${v} is not in 3..255`);
	}
}

/** The current layout's feature type: OpenCV refuses a cascade without one, and so do we. */
function featureType(root: Ctx): "HAAR" | "LBP" {
	const stageType = root.optChild("stageType")?.string() ?? "BOOST";
	if (stageType !== "BOOST") root.child("stageType").fail(`stage type ${stageType} is not supported (only BOOST)`);
	const type = root.child("featureType");
	const name = type.string();
	if (name === "HAAR" || name === "LBP") return name;
	return type.fail(`feature type ${name} is not supported (only HAAR and LBP)`);
}

function readNewFormat(root: Ctx): Cascade {
	const width = root.child("width").int();
	const height = root.child("height").int();
	readWindowSize(root, width, height);
	const maxCat = root.optChild("featureParams")?.optChild("maxCatCount");
	if (maxCat !== undefined && maxCat.int() !== 0) maxCat.fail("categorical (LBP-style) splits are not supported");

	const featureCtxs = root.child("features").items();
	const features = featureCtxs.map((f) => readRects(f, width, height));
	const used = new Set<number>();

	const stagesCtx = root.child("stages");
	const stages = stagesCtx.items().map((s): Stage => {
		const threshold = toF32(s, s.child("stageThreshold").number(), "stageThreshold");
		const wcs = s.child("weakClassifiers");
		const weaks = wcs.items().map((w): Weak => {
			const nodesCtx = w.child("internalNodes");
			const values = nodesCtx.numbers();
			if (values.length === 0 || values.length % 4 !== 0) {
				nodesCtx.fail(`expected "left right featureIdx threshold" per node, found ${values.length} numbers`);
			}
			const count = values.length / 4;
			if (count > MAX_TREE_NODES)
				nodesCtx.fail(`a tree of ${count} nodes; at most ${MAX_TREE_NODES} are supported`);
			const leavesCtx = w.child("leafValues");
			const leaves = leavesCtx.numbers();
			// OpenCV numbers a tree's leaves 0..nodes, so a tree of n nodes has n + 1.
			if (leaves.length !== count + 1)
				leavesCtx.fail(
					`a tree of ${count} node${count === 1 ? "" : "s"} has ${count + 1} leaf values, found ${leaves.length}`,
				);
			const nodes = Array.from({ length: count }, (_, i): Node => {
				const [l = 0, r = 0, feature = 0, thr = 0] = values.slice(4 * i, 4 * i + 4);
				const child = (v: number, side: string): Child => {
					if (!Number.isInteger(v)) nodesCtx.fail(`node ${i} ${side} ${v} is not an integer`);
					// > 0: a node of this tree, after this one (OpenCV walks until a leaf, so a loop would never end);
					// <= 0: leaf -v.
					if (v > 0) {
						if (v <= i || v >= count)
							nodesCtx.fail(`node ${i} ${side} child: node index ${v} is not in ${i + 1}..${count - 1}`);
						return { node: v };
					}
					if (-v > count) nodesCtx.fail(`node ${i} ${side} child: leaf index ${-v} is not in 0..${count}`);
					return { leaf: toF32(leavesCtx, leaves[-v] ?? 0, `leaf ${-v}`) };
				};
				if (!Number.isInteger(feature) || feature < 0 || feature >= features.length) {
					nodesCtx.fail(`node ${i} featureIdx ${feature} is not in 0..${features.length - 1}`);
				}
				used.add(feature);
				return {
					threshold: toF32(nodesCtx, thr, "threshold"),
					left: child(l, "left"),
					right: child(r, "right"),
					feature,
				};
			});
			return { nodes };
		});
		if (weaks.length === 0) wcs.fail("a stage without weak classifiers");
		const declared = s.optChild("maxWeakCount");
		if (declared !== undefined && declared.int() !== weaks.length) {
			declared.fail(`maxWeakCount ${declared.int()} but ${weaks.length} weak classifiers`);
		}
		return { threshold, weaks };
	});
	const stageNum = root.optChild("stageNum");
	if (stageNum !== undefined && stageNum.int() !== stages.length) {
		stageNum.fail(`stageNum ${stageNum.int()} but ${stages.length} stages`);
	}
	// Features no node uses are dropped from the binary; indices are remapped.
	const order = [...used].sort((a, b) => a - b);
	const remap = new Map(order.map((f, i) => [f, i]));
	for (const s of stages) for (const w of s.weaks) for (const n of w.nodes) n.feature = remap.get(n.feature) ?? 0;
	return { width, height, stages, features: order.map((f) => features[f] ?? []) };
}

function readOldFormat(root: Ctx): Cascade {
	const sizeCtx = root.child("size");
	const size = sizeCtx.numbers();
	if (size.length !== 2) sizeCtx.fail(`expected "width height", found ${size.length} numbers`);
	const [width = 0, height = 0] = size;
	readWindowSize(sizeCtx, width, height);
	const features: Rect[][] = [];
	const stageCtxs = root.child("stages").items();
	const stages = stageCtxs.map((s, si): Stage => {
		// Old files can describe a tree of stages; xsight (like OpenCV 4) runs a chain.
		const parent = s.optChild("parent");
		if (parent !== undefined && parent.int() !== si - 1)
			parent.fail(`parent ${parent.int()}: only a linear chain of stages is supported`);
		const next = s.optChild("next");
		if (next !== undefined && next.int() !== -1)
			next.fail(`next ${next.int()}: only a linear chain of stages is supported`);
		const trees = s.child("trees");
		const weaks = trees.items().map((t): Weak => {
			const nodes = t.items();
			if (nodes.length !== 1) t.fail(`a tree of ${nodes.length} nodes; only stumps (one node) are supported`);
			const n = nodes[0] ?? t.fail("an empty tree");
			if (n.optChild("left_node") !== undefined || n.optChild("right_node") !== undefined) {
				n.fail("a node with child nodes; only stumps are supported");
			}
			features.push(readRects(n.child("feature"), width, height));
			const node: Node = {
				threshold: toF32(n, n.child("threshold").number(), "threshold"),
				left: { leaf: toF32(n, n.child("left_val").number(), "left_val") },
				right: { leaf: toF32(n, n.child("right_val").number(), "right_val") },
				feature: features.length - 1,
			};
			return { nodes: [node] };
		});
		if (weaks.length === 0) trees.fail("a stage without trees");
		return { threshold: toF32(s, s.child("stage_threshold").number(), "stage_threshold"), weaks };
	});
	return { width, height, stages, features };
}

function encode(c: Cascade, source: string): Uint8Array {
	const rectOffsets: number[] = [];
	let rectCount = 0;
	for (const f of c.features) {
		rectOffsets.push(rectCount);
		rectCount += f.length;
	}
	if (rectCount >= 1 << 24) throw new CascadeError(`${source}: ${rectCount} rects, at most 2^24-1`);
	const weakCount = c.stages.reduce((n, s) => n + s.weaks.reduce((m, w) => m + w.nodes.length, 0), 0);
	const { out, dv } = encodeHead(
		c,
		source,
		FEATURE_HAAR,
		weakCount,
		rectCount,
		WEAK_SIZE * weakCount + RECT_SIZE * rectCount,
	);
	const rectsAt = HEADER_SIZE + STAGE_SIZE * c.stages.length + WEAK_SIZE * weakCount;

	let w = HEADER_SIZE + STAGE_SIZE * c.stages.length;
	for (const s of c.stages) {
		for (const k of s.weaks) {
			k.nodes.forEach((node, i) => {
				const rects = c.features[node.feature] ?? [];
				let ref =
					(rectOffsets[node.feature] ?? 0) |
					(rects.length << 24) |
					(i === 0 ? (k.nodes.length - 1) << NODE_TREE_SHIFT : 0);
				dv.setFloat32(w, node.threshold, true);
				// A child node in place of a leaf: its distance in records, flagged in the ref.
				for (const [at, child, flag] of [
					[w + 4, node.left, NODE_LEFT],
					[w + 8, node.right, NODE_RIGHT],
				] as const) {
					if ("leaf" in child) dv.setFloat32(at, child.leaf, true);
					else {
						dv.setUint32(at, child.node - i, true);
						ref |= flag;
					}
				}
				dv.setUint32(w + 12, ref >>> 0, true);
				w += WEAK_SIZE;
			});
		}
	}
	let r = rectsAt;
	for (const f of c.features) {
		for (const rect of f) {
			out[r] = rect.x;
			out[r + 1] = rect.y;
			out[r + 2] = rect.w;
			out[r + 3] = rect.h;
			dv.setInt8(r + 4, rect.weight);
			r += RECT_SIZE;
		}
	}
	return out;
}

function readLbp(root: Ctx): LbpCascade {
	const width = root.child("width").int();
	const height = root.child("height").int();
	readWindowSize(root, width, height);
	const maxCat = root.child("featureParams").child("maxCatCount");
	if (maxCat.int() !== LBP_CATEGORIES)
		maxCat.fail(`maxCatCount ${maxCat.int()}, LBP codes have ${LBP_CATEGORIES} categories`);

	const features = root
		.child("features")
		.items()
		.map((f) => {
			const rect = f.child("rect");
			const v = rect.numbers();
			if (v.length !== 4) rect.fail(`an LBP rect is "x y width height", found ${v.length} numbers`);
			const [x = 0, y = 0, w = 0, h = 0] = v;
			for (const [name, n] of [
				["x", x],
				["y", y],
				["width", w],
				["height", h],
			] as const) {
				if (!Number.isInteger(n) || n < 0 || n > 255) rect.fail(`${name} ${n} is not an integer in 0..255`);
			}
			if (w === 0 || h === 0) rect.fail(`empty block ${w}x${h}`);
			// The feature reads 3x3 blocks of w x h from (x, y).
			if (x + 3 * w > width || y + 3 * h > height)
				rect.fail(`3x3 blocks of ${w}x${h} at ${x},${y} leave the ${width}x${height} window`);
			return { x, y, w, h };
		});
	if (features.length === 0) root.child("features").fail("no features");

	const stages = root
		.child("stages")
		.items()
		.map((s) => {
			const threshold = toF32(s, s.child("stageThreshold").number(), "stageThreshold");
			const wcs = s.child("weakClassifiers");
			const weaks = wcs.items().map((w): LbpWeak => {
				const nodesCtx = w.child("internalNodes");
				const nodes = nodesCtx.numbers();
				if (nodes.length !== 3 + LBP_SUBSET_WORDS) {
					nodesCtx.fail(
						`expected "left right featureIdx" and ${LBP_SUBSET_WORDS} subset words, found ${nodes.length} numbers (${nodes.length - 3} subset words)`,
					);
				}
				const [l = 0, r = 0, feature = 0] = nodes;
				if (l !== 0 || r !== -1)
					nodesCtx.fail(`stump children ${l} ${r}, expected 0 -1 (only stumps are supported)`);
				if (!Number.isInteger(feature) || feature < 0 || feature >= features.length) {
					nodesCtx.fail(`featureIdx ${feature} is not in 0..${features.length - 1}`);
				}
				const subset = nodes.slice(3);
				subset.forEach((word, i) => {
					if (!Number.isInteger(word) || word < -(2 ** 31) || word >= 2 ** 31)
						nodesCtx.fail(`subset word ${i} ${word} is not a 32-bit integer`);
				});
				const leavesCtx = w.child("leafValues");
				const leaves = leavesCtx.numbers();
				if (leaves.length !== 2) leavesCtx.fail(`a stump has 2 leaf values, found ${leaves.length}`);
				return {
					feature,
					left: toF32(leavesCtx, leaves[0] ?? 0, "left leaf"),
					right: toF32(leavesCtx, leaves[1] ?? 0, "right leaf"),
					subset,
				};
			});
			if (weaks.length === 0) wcs.fail("a stage without weak classifiers");
			const declared = s.optChild("maxWeakCount");
			if (declared !== undefined && declared.int() !== weaks.length) {
				declared.fail(`maxWeakCount ${declared.int()} but ${weaks.length} weak classifiers`);
			}
			return { threshold, weaks };
		});
	const stageNum = root.optChild("stageNum");
	if (stageNum !== undefined && stageNum.int() !== stages.length) {
		stageNum.fail(`stageNum ${stageNum.int()} but ${stages.length} stages`);
	}
	return { width, height, stages, features };
}

/** The header and stage table every feature type shares; returns the buffer and its view. */
function encodeHead(
	c: { width: number; height: number; stages: { threshold: number; weaks: unknown[] }[] },
	source: string,
	type: number,
	weakCount: number,
	rectCount: number,
	tables: number,
): { out: Uint8Array; dv: DataView } {
	if (c.stages.length === 0) throw new CascadeError(`${source}: no stages`);
	if (c.stages.length > 0xffff) throw new CascadeError(`${source}: ${c.stages.length} stages, at most 65535`);
	for (const s of c.stages) {
		if (s.weaks.length > 0xffff)
			throw new CascadeError(`${source}: a stage of ${s.weaks.length} weak classifiers, at most 65535`);
	}
	const total = (HEADER_SIZE + STAGE_SIZE * c.stages.length + tables + 3) & ~3;
	const out = new Uint8Array(total);
	const dv = new DataView(out.buffer);
	for (let i = 0; i < 4; i++) out[i] = CASCADE_MAGIC.charCodeAt(i);
	dv.setUint16(4, CASCADE_VERSION, true);
	dv.setUint16(6, 0, true);
	dv.setUint16(8, c.width, true);
	dv.setUint16(10, c.height, true);
	dv.setUint16(12, c.stages.length, true);
	dv.setUint16(14, type, true);
	dv.setUint32(16, weakCount, true);
	dv.setUint32(20, rectCount, true);
	dv.setUint32(24, total, true);
	c.stages.forEach((s, i) => {
		dv.setUint16(HEADER_SIZE + STAGE_SIZE * i, s.weaks.length, true);
		dv.setFloat32(HEADER_SIZE + STAGE_SIZE * i + 4, s.threshold, true);
	});
	return { out, dv };
}

function encodeLbp(c: LbpCascade, source: string): Uint8Array {
	const weakCount = c.stages.reduce((n, s) => n + s.weaks.length, 0);
	const { out, dv } = encodeHead(
		c,
		source,
		FEATURE_LBP,
		weakCount,
		c.features.length,
		LBP_WEAK_SIZE * weakCount + LBP_FEATURE_SIZE * c.features.length,
	);
	let w = HEADER_SIZE + STAGE_SIZE * c.stages.length;
	for (const s of c.stages) {
		for (const k of s.weaks) {
			dv.setUint32(w, k.feature, true);
			dv.setFloat32(w + 4, k.left, true);
			dv.setFloat32(w + 8, k.right, true);
			k.subset.forEach((word, i) => dv.setInt32(w + 12 + 4 * i, word, true));
			w += LBP_WEAK_SIZE;
		}
	}
	for (const f of c.features) {
		out.set([f.x, f.y, f.w, f.h], w);
		w += LBP_FEATURE_SIZE;
	}
	return out;
}

/**
 * Converts an OpenCV Haar cascade (current or old XML layout) or LBP cascade to the xsight
 * binary format. `source` names the input in error messages.
 * Throws CascadeError naming the element and field at fault.
 */
export function convertOpenCvXml(xmlText: string, source: string): Uint8Array {
	let doc: XmlElement;
	try {
		doc = parseXml(xmlText, source);
	} catch (e) {
		throw new CascadeError(e instanceof Error ? e.message : String(e));
	}
	if (doc.name !== "opencv_storage") {
		throw new CascadeError(`${source}:${doc.line}: root element <${doc.name}>, expected <opencv_storage>`);
	}
	const top = doc.children[0];
	if (top === undefined) throw new CascadeError(`${source}:${doc.line}: <opencv_storage> is empty`);
	const ctx = new Ctx(source, top, `opencv_storage/${top.name}`);
	const typeId = top.attrs.get("type_id");
	if (typeId === "opencv-haar-classifier") return encode(readOldFormat(ctx), source);
	// Some current-format files (frontalcatface) omit type_id on <cascade>.
	if (typeId === "opencv-cascade-classifier" || (typeId === undefined && top.name === "cascade")) {
		return featureType(ctx) === "LBP" ? encodeLbp(readLbp(ctx), source) : encode(readNewFormat(ctx), source);
	}
	return ctx.fail(
		`type_id "${typeId ?? ""}" is not an OpenCV cascade (expected opencv-cascade-classifier or opencv-haar-classifier)`,
	);
}
