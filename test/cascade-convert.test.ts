// SPDX-License-Identifier: Apache-2.0
//
// The OpenCV XML -> XSHC converter (tools/cascade/convert.ts) against the
// cascades Debian's opencv-data installs, plus hand-written XML for the old
// layout and for every rejection path.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { CascadeError, convertOpenCvXml } from "../tools/cascade/convert.js";
import { repoRoot, sharedRoot } from "./support/paths";

const DIR = "/usr/share/opencv4/haarcascades";
const DEFAULT = `${DIR}/haarcascade_frontalface_default.xml`;
const OLD = `${DIR}/haarcascade_licence_plate_rus_16stages.xml`;

interface Parsed {
	width: number;
	height: number;
	stages: { count: number; threshold: number }[];
	weaks: {
		threshold: number;
		left: number;
		right: number;
		rectOffset: number;
		rectCount: number;
		tree?: { nodes: number; leftNode?: number; rightNode?: number };
	}[];
	rects: { x: number; y: number; w: number; h: number; weight: number }[];
	total: number;
}

/** A reader written from docs/cascade-format.md, independent of the encoder. */
function parse(bin: Uint8Array): Parsed {
	const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
	expect(String.fromCharCode(...bin.subarray(0, 4))).toBe("XSHC");
	expect(dv.getUint16(4, true)).toBe(1);
	const nStages = dv.getUint16(12, true);
	const nWeaks = dv.getUint32(16, true);
	const nRects = dv.getUint32(20, true);
	const stages = Array.from({ length: nStages }, (_, i) => ({
		count: dv.getUint16(32 + 8 * i, true),
		threshold: dv.getFloat32(32 + 8 * i + 4, true),
	}));
	const wAt = 32 + 8 * nStages;
	const weaks = Array.from({ length: nWeaks }, (_, i) => {
		const ref = dv.getUint32(wAt + 16 * i + 12, true);
		// Bits 26/27: the left/right child is a node, that many records on (in place of the leaf); 28-31: a tree's nodes - 1.
		const leftNode = ref & (1 << 26) ? dv.getUint32(wAt + 16 * i + 4, true) : undefined;
		const rightNode = ref & (1 << 27) ? dv.getUint32(wAt + 16 * i + 8, true) : undefined;
		return {
			threshold: dv.getFloat32(wAt + 16 * i, true),
			left: leftNode === undefined ? dv.getFloat32(wAt + 16 * i + 4, true) : NaN,
			right: rightNode === undefined ? dv.getFloat32(wAt + 16 * i + 8, true) : NaN,
			rectOffset: ref & 0xffffff,
			rectCount: (ref >>> 24) & 3,
			...(ref >>> 26
				? {
						tree: {
							nodes: (ref >>> 28) + 1,
							...(leftNode === undefined ? {} : { leftNode }),
							...(rightNode === undefined ? {} : { rightNode }),
						},
					}
				: {}),
		};
	});
	const rAt = wAt + 16 * nWeaks;
	const rects = Array.from({ length: nRects }, (_, i) => ({
		x: dv.getUint8(rAt + 5 * i),
		y: dv.getUint8(rAt + 5 * i + 1),
		w: dv.getUint8(rAt + 5 * i + 2),
		h: dv.getUint8(rAt + 5 * i + 3),
		weight: dv.getInt8(rAt + 5 * i + 4),
	}));
	return {
		width: dv.getUint16(8, true),
		height: dv.getUint16(10, true),
		stages,
		weaks,
		rects,
		total: dv.getUint32(24, true),
	};
}

const f32 = Math.fround;

describe.skipIf(!existsSync(DEFAULT))(
	`frontalface_default (${existsSync(DEFAULT) ? DEFAULT : "missing: apt-get install opencv-data"})`,
	() => {
		const xml = existsSync(DEFAULT) ? readFileSync(DEFAULT, "utf8") : "";
		const bin = existsSync(DEFAULT) ? convertOpenCvXml(xml, DEFAULT) : new Uint8Array();
		const c = parse(bin);

		it("has the counts OpenCV documents", () => {
			expect(c.width).toBe(24);
			expect(c.height).toBe(24);
			expect(c.stages.length).toBe(25);
			expect(c.weaks.length).toBe(2913);
			expect(c.stages.reduce((n, s) => n + s.count, 0)).toBe(2913);
			expect(c.total).toBe(bin.length);
			expect(bin.length % 4).toBe(0);
			expect(c.stages[0]?.count).toBe(9);
		});

		it("keeps values as OpenCV's float32 casts of the XML", () => {
			expect(c.stages[0]?.threshold).toBe(f32(-5.0425500869750977));
			expect(c.weaks[0]).toMatchObject({
				threshold: f32(-3.1511999666690826e-2),
				left: f32(2.0875380039215088),
				right: f32(-2.217210054397583),
			});
			expect(c.weaks[5]).toMatchObject({
				threshold: f32(9.9371001124382019e-2),
				left: f32(5.5751299858093262e-1),
				right: f32(-1.8743000030517578),
			});
			// Feature 0 is "6 4 12 9 -1." and "6 7 12 3 3."; feature 1 "6 4 12 7 -1." and "10 4 4 7 3.".
			const w0 = c.weaks[0];
			expect(w0?.rectCount).toBe(2);
			expect(c.rects.slice(w0?.rectOffset ?? 0, (w0?.rectOffset ?? 0) + 2)).toEqual([
				{ x: 6, y: 4, w: 12, h: 9, weight: -1 },
				{ x: 6, y: 7, w: 12, h: 3, weight: 3 },
			]);
			const w1 = c.weaks[1];
			expect(c.rects[(w1?.rectOffset ?? 0) + 1]).toEqual({ x: 10, y: 4, w: 4, h: 7, weight: 3 });
		});

		it("matches every stage threshold, weak classifier and rect of the XML", () => {
			// Pull the numbers straight out of the text, independently of the converter's XML reader.
			const stageThr = [...xml.matchAll(/<stageThreshold>([^<]+)<\/stageThreshold>/g)].map((m) =>
				f32(Number(m[1])),
			);
			expect(c.stages.map((s) => s.threshold)).toEqual(stageThr);
			const nodes = [
				...xml.matchAll(/<internalNodes>\s*([^<]+)<\/internalNodes>\s*<leafValues>\s*([^<]+)<\/leafValues>/g),
			];
			expect(nodes.length).toBe(2913);
			const featureRects = [...xml.matchAll(/<rects>([\s\S]*?)<\/rects>/g)].map((m) =>
				[...(m[1] ?? "").matchAll(/<_>\s*([^<]+)<\/_>/g)].map((r) =>
					(r[1] ?? "").trim().split(/\s+/).map(Number),
				),
			);
			nodes.forEach((m, i) => {
				const [, , feature = -1, thr = NaN] = (m[1] ?? "").trim().split(/\s+/).map(Number);
				const [left = NaN, right = NaN] = (m[2] ?? "").trim().split(/\s+/).map(Number);
				const w = c.weaks[i];
				expect(w).toMatchObject({ threshold: f32(thr), left: f32(left), right: f32(right) });
				const want = (featureRects[feature] ?? []).map(([x, y, ww, h, weight]) => ({ x, y, w: ww, h, weight }));
				expect(c.rects.slice(w?.rectOffset ?? 0, (w?.rectOffset ?? 0) + (w?.rectCount ?? 0))).toEqual(want);
			});
		});

		it("is what resources/cascades/frontalface.cascade holds", () => {
			const committed = new URL("../resources/cascades/frontalface.cascade", import.meta.url);
			expect(existsSync(committed)).toBe(true);
			expect(Buffer.from(readFileSync(committed)).equals(Buffer.from(bin))).toBe(true);
		});
	},
);

describe.skipIf(!existsSync(OLD))(`old-format file (${existsSync(OLD) ? OLD : "missing"})`, () => {
	it("converts haarcascade_licence_plate_rus_16stages.xml", () => {
		const xml = readFileSync(OLD, "utf8");
		const c = parse(convertOpenCvXml(xml, OLD));
		expect([c.width, c.height]).toEqual([64, 16]);
		expect(c.stages.length).toBe(16);
		expect(c.weaks.length).toBe((xml.match(/<!-- tree \d+ -->/g) ?? []).length);
		expect(c.stages[0]?.threshold).toBe(f32(-2.0683259963989258));
		expect(c.weaks[0]).toMatchObject({
			threshold: f32(1.6915600746870041e-2),
			left: f32(-9.5547717809677124e-1),
			right: f32(8.9129137992858887e-1),
		});
		expect(c.rects.slice(0, 2)).toEqual([
			{ x: 32, y: 2, w: 8, h: 6, weight: -1 },
			{ x: 32, y: 4, w: 8, h: 2, weight: 3 },
		]);
	});
});

const oldXml = (tree: string, extra = ""): string => `<?xml version="1.0"?>
<opencv_storage>
<tiny_test type_id="opencv-haar-classifier">
  <size>8 6</size>
  <stages>
    <_>
      <!-- stage 0 -->
      <trees>
        <_>
          ${tree}
        </_>
        <_>
          <_>
            <feature><rects><_>0 0 8 6 -1.</_><_>4 0 4 6 2.</_></rects><tilted>0</tilted></feature>
            <threshold>-0.25</threshold><left_val>0.5</left_val><right_val>-0.75</right_val></_></_></trees>
      <stage_threshold>-1.5</stage_threshold>
      <parent>-1</parent>
      <next>-1</next>${extra}</_>
  </stages></tiny_test>
</opencv_storage>`;

const stump = `<_>
            <feature><rects><_>0 0 8 3 -1.</_><_>0 3 8 3 1.</_><_>2 1 4 2 2.</_></rects><tilted>0</tilted></feature>
            <threshold>1.25e-01</threshold><left_val>-1</left_val><right_val>1.5</right_val></_>`;

/** A current-layout cascade of one stage holding one weak classifier: `nodes` and `leaves` as OpenCV writes them. */
function treeXml(nodes: string, leaves: string): string {
	return `<?xml version="1.0"?>
<opencv_storage>
<cascade type_id="opencv-cascade-classifier">
  <stageType>BOOST</stageType><featureType>HAAR</featureType><height>6</height><width>8</width>
  <stageNum>1</stageNum>
  <stages>
    <_>
      <maxWeakCount>1</maxWeakCount>
      <stageThreshold>-1.5</stageThreshold>
      <weakClassifiers>
        <_>
          <internalNodes>
            ${nodes}</internalNodes>
          <leafValues>
            ${leaves}</leafValues></_></weakClassifiers></_></stages>
  <features>
    <_><rects><_>0 0 8 3 -1.</_><_>0 3 8 3 1.</_></rects></_>
    <_><rects><_>0 0 8 6 -1.</_><_>2 1 4 2 2.</_></rects></_></features></cascade>
</opencv_storage>
`;
}

describe("tree weak classifiers (current layout)", () => {
	it("converts a tree of two nodes: the root's right child is node 1, one record on", () => {
		const c = parse(convertOpenCvXml(treeXml("0 1 0 1.25e-01 -1 -2 1 -2.5e-01", "0.5 -1 2"), "tree.xml"));
		expect([c.stages.length, c.stages[0]?.count, c.weaks.length, c.rects.length]).toEqual([1, 1, 2, 4]);
		expect(c.weaks[0]).toEqual({
			threshold: f32(0.125),
			left: 0.5,
			right: NaN,
			rectOffset: 0,
			rectCount: 2,
			tree: { nodes: 2, rightNode: 1 },
		});
		expect(c.weaks[1]).toEqual({ threshold: -0.25, left: -1, right: 2, rectOffset: 2, rectCount: 2 });
		// Children either way round, leaves in any order.
		const d = parse(convertOpenCvXml(treeXml("1 -2 1 1.25e-01 0 -1 0 -2.5e-01", "0.5 -1 2"), "tree.xml"));
		expect(d.weaks[0]).toEqual({
			threshold: f32(0.125),
			left: NaN,
			right: 2,
			rectOffset: 2,
			rectCount: 2,
			tree: { nodes: 2, leftNode: 1 },
		});
		expect(d.weaks[1]).toEqual({ threshold: -0.25, left: 0.5, right: -1, rectOffset: 0, rectCount: 2 });
	});

	// The element's own line: <internalNodes> opens on line 12 of treeXml, <leafValues> on 14.
	const at =
		/tree\.xml:(12: <opencv_storage\/cascade\/stages\/_\[0\]\/weakClassifiers\/_\[0\]\/internalNodes|14: <opencv_storage\/cascade\/stages\/_\[0\]\/weakClassifiers\/_\[0\]\/leafValues)>: /;
	const rejects: [string, string, string, RegExp][] = [
		[
			"a node index past the tree",
			"0 2 0 1.25e-01 -1 -2 1 -2.5e-01",
			"0.5 -1 2",
			/node 0 right child: node index 2 is not in 1\.\.1/,
		],
		[
			"a node that is its own child (a loop)",
			"0 1 0 1.25e-01 1 -2 1 -2.5e-01",
			"0.5 -1 2",
			/node 1 left child: node index 1 is not in 2\.\.1/,
		],
		[
			"a leaf index past the leaves",
			"0 1 0 1.25e-01 -3 -2 1 -2.5e-01",
			"0.5 -1 2",
			/node 1 left child: leaf index 3 is not in 0\.\.2/,
		],
		[
			"fewer leaves than nodes + 1",
			"0 1 0 1.25e-01 -1 -2 1 -2.5e-01",
			"0.5 -1",
			/a tree of 2 nodes has 3 leaf values, found 2/,
		],
		["more leaves than nodes + 1", "0 -1 0 1.25e-01", "0.5 -1 2", /a tree of 1 node has 2 leaf values, found 3/],
		[
			"a node cut short",
			"0 1 0 1.25e-01 -1 -2 1",
			"0.5 -1 2",
			/expected "left right featureIdx threshold" per node, found 7 numbers/,
		],
		[
			"a featureIdx past the features",
			"0 1 5 1.25e-01 -1 -2 1 -2.5e-01",
			"0.5 -1 2",
			/node 0 featureIdx 5 is not in 0\.\.1/,
		],
		["a fractional child", "0 1.5 0 1.25e-01 -1 -2 1 -2.5e-01", "0.5 -1 2", /node 0 right 1\.5 is not an integer/],
	];
	it.each(rejects)("rejects %s, naming the line and the field", (_name, nodes, leaves, message) => {
		const xml = treeXml(nodes, leaves);
		expect(() => convertOpenCvXml(xml, "tree.xml")).toThrow(CascadeError);
		expect(() => convertOpenCvXml(xml, "tree.xml")).toThrow(at);
		expect(() => convertOpenCvXml(xml, "tree.xml")).toThrow(message);
	});
});

describe("hand-written XML", () => {
	it("converts an old-format cascade", () => {
		const c = parse(convertOpenCvXml(oldXml(stump), "tiny.xml"));
		expect([c.width, c.height, c.stages.length, c.weaks.length, c.rects.length]).toEqual([8, 6, 1, 2, 5]);
		expect(c.stages[0]).toEqual({ count: 2, threshold: -1.5 });
		expect(c.weaks[0]).toEqual({ threshold: f32(0.125), left: -1, right: 1.5, rectOffset: 0, rectCount: 3 });
		expect(c.weaks[1]).toEqual({ threshold: -0.25, left: 0.5, right: -0.75, rectOffset: 3, rectCount: 2 });
		expect(c.rects[2]).toEqual({ x: 2, y: 1, w: 4, h: 2, weight: 2 });
	});

	const rejects: [string, string, RegExp][] = [
		[
			"tilted features",
			oldXml(stump.replace("<tilted>0", "<tilted>1")),
			/tiny\.xml:\d+: <.*\/feature\/tilted>: tilted/,
		],
		["non-integer weights", oldXml(stump.replace("2.</_>", "0.5</_>")), /rects\/_\[2\]>: weight 0.5/],
		["rects outside the window", oldXml(stump.replace("2 1 4 2", "6 1 4 2")), /rect 6,1 4x2 leaves the 8x6 window/],
		[
			"trees deeper than a stump",
			oldXml(stump.replace("<left_val>-1</left_val>", "<left_node>1</left_node>")),
			/only stumps/,
		],
		[
			"a missing field",
			oldXml(stump.replace("<threshold>1.25e-01</threshold>", "")),
			/trees\/_\[0\]\/_\[0\]>: missing <threshold>/,
		],
		["a malformed number", oldXml(stump.replace("1.25e-01", "1.2.5")), /threshold>: "1.2.5" is not a number/],
		[
			"tree-shaped stage chains",
			oldXml(stump).replace("<parent>-1", "<parent>3"),
			/parent>: parent 3: only a linear chain/,
		],
		["duplicated fields", oldXml(stump, "<parent>3</parent>"), /more than one <parent>/],
		["malformed XML", oldXml(stump).replace("</trees>", "</tree>"), /closing tag <\/tree> does not match <trees>/],
		[
			"other documents",
			'<opencv_storage><x type_id="opencv-matrix"/></opencv_storage>',
			/type_id "opencv-matrix" is not an OpenCV cascade/,
		],
		[
			"HOG cascades",
			'<opencv_storage><cascade type_id="opencv-cascade-classifier"><stageType>BOOST</stageType><featureType>HOG</featureType></cascade></opencv_storage>',
			/featureType>: feature type HOG is not supported \(only HAAR and LBP\)/,
		],
	];
	it.each(rejects)("rejects %s, naming the element", (_name, xml, message) => {
		expect(() => convertOpenCvXml(xml, "tiny.xml")).toThrow(CascadeError);
		expect(() => convertOpenCvXml(xml, "tiny.xml")).toThrow(message);
	});
});

// ---------------------------------------------------------------------------
// LBP cascades (feature_type 1): the three OpenCV face cascades, read back by
// a parser written from docs/cascade-format.md, and every rejection path.

const LBP_DIR = "/usr/share/opencv4/lbpcascades";

interface ParsedLbp {
	width: number;
	height: number;
	stages: { count: number; threshold: number }[];
	weaks: { feature: number; left: number; right: number; subset: number[] }[];
	features: number[][];
	total: number;
}

function parseLbp(bin: Uint8Array): ParsedLbp {
	const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
	expect(String.fromCharCode(...bin.subarray(0, 4))).toBe("XSHC");
	expect(dv.getUint16(14, true)).toBe(1);
	const nStages = dv.getUint16(12, true),
		nWeaks = dv.getUint32(16, true),
		nFeatures = dv.getUint32(20, true);
	const stages = Array.from({ length: nStages }, (_, i) => ({
		count: dv.getUint16(32 + 8 * i, true),
		threshold: dv.getFloat32(32 + 8 * i + 4, true),
	}));
	const wAt = 32 + 8 * nStages;
	const weaks = Array.from({ length: nWeaks }, (_, i) => ({
		feature: dv.getUint32(wAt + 44 * i, true),
		left: dv.getFloat32(wAt + 44 * i + 4, true),
		right: dv.getFloat32(wAt + 44 * i + 8, true),
		subset: Array.from({ length: 8 }, (_, j) => dv.getInt32(wAt + 44 * i + 12 + 4 * j, true)),
	}));
	const fAt = wAt + 44 * nWeaks;
	const features = Array.from({ length: nFeatures }, (_, i) => [...bin.subarray(fAt + 4 * i, fAt + 4 * i + 4)]);
	return {
		width: dv.getUint16(8, true),
		height: dv.getUint16(10, true),
		stages,
		weaks,
		features,
		total: dv.getUint32(24, true),
	};
}

describe.skipIf(!existsSync(LBP_DIR))("LBP cascades", () => {
	it.each([
		["lbpcascade_frontalface.xml", 24, 24, 20],
		["lbpcascade_frontalface_improved.xml", 45, 45, 19],
		["lbpcascade_profileface.xml", 20, 34, 16],
	])("converts %s: every stage, stump, subset and feature of the XML", (file, width, height, stageCount) => {
		const xml = readFileSync(`${LBP_DIR}/${file}`, "utf8");
		const bin = convertOpenCvXml(xml, file);
		const c = parseLbp(bin);
		expect([c.width, c.height, c.stages.length, c.total, bin.length % 4]).toEqual([
			width,
			height,
			stageCount,
			bin.length,
			0,
		]);
		// The numbers straight out of the text, independently of the converter's XML reader.
		expect(c.stages.map((s) => s.threshold)).toEqual(
			[...xml.matchAll(/<stageThreshold>([^<]+)<\/stageThreshold>/g)].map((m) => f32(Number(m[1]))),
		);
		expect(c.stages.map((s) => s.count)).toEqual(
			[...xml.matchAll(/<maxWeakCount>(\d+)<\/maxWeakCount>\s*<stageThreshold>/g)].map((m) => Number(m[1])),
		);
		const nodes = [
			...xml.matchAll(/<internalNodes>\s*([^<]+)<\/internalNodes>\s*<leafValues>\s*([^<]+)<\/leafValues>/g),
		];
		expect(c.weaks.length).toBe(nodes.length);
		nodes.forEach((m, i) => {
			const [, , feature, ...subset] = (m[1] ?? "").trim().split(/\s+/).map(Number);
			const [left = NaN, right = NaN] = (m[2] ?? "").trim().split(/\s+/).map(Number);
			expect(c.weaks[i]).toEqual({ feature, left: f32(left), right: f32(right), subset });
		});
		const rects = [...xml.matchAll(/<rect>\s*([^<]+)<\/rect>/g)].map((m) =>
			(m[1] ?? "").trim().split(/\s+/).map(Number),
		);
		expect(c.features).toEqual(rects);
	});

	const lbpXml = (
		o: { type?: string; cat?: string; nodes?: string; rect?: string; leaves?: string } = {},
	): string => `<?xml version="1.0"?>
<opencv_storage>
<cascade type_id="opencv-cascade-classifier">
  <stageType>BOOST</stageType>
  ${o.type ?? "<featureType>LBP</featureType>"}
  <height>9</height>
  <width>12</width>
  <featureParams><maxCatCount>${o.cat ?? "256"}</maxCatCount></featureParams>
  <stageNum>1</stageNum>
  <stages>
    <_>
      <maxWeakCount>2</maxWeakCount>
      <stageThreshold>-0.5</stageThreshold>
      <weakClassifiers>
        <_><internalNodes>0 -1 1 -1 0 5 7 -2147483648 2147483647 0 1</internalNodes><leafValues>-0.25 0.75</leafValues></_>
        <_><internalNodes>${o.nodes ?? "0 -1 0 1 2 3 4 5 6 7 8"}</internalNodes><leafValues>${o.leaves ?? "0.5 -1"}</leafValues></_></weakClassifiers></_></stages>
  <features>
    <_><rect>0 0 4 3</rect></_>
    <_><rect>${o.rect ?? "3 3 3 2"}</rect></_></features></cascade>
</opencv_storage>`;

	it("converts a hand-written one: subset words as two's complement, features kept in order", () => {
		const c = parseLbp(convertOpenCvXml(lbpXml(), "tiny.xml"));
		expect([c.width, c.height]).toEqual([12, 9]);
		expect(c.stages).toEqual([{ count: 2, threshold: -0.5 }]);
		expect(c.weaks[0]).toEqual({
			feature: 1,
			left: -0.25,
			right: 0.75,
			subset: [-1, 0, 5, 7, -2147483648, 2147483647, 0, 1],
		});
		expect(c.weaks[1]).toEqual({ feature: 0, left: 0.5, right: -1, subset: [1, 2, 3, 4, 5, 6, 7, 8] });
		expect(c.features).toEqual([
			[0, 0, 4, 3],
			[3, 3, 3, 2],
		]);
	});

	const lbpRejects: [string, string, RegExp][] = [
		[
			"a missing featureType",
			lbpXml({ type: "" }),
			/tiny\.xml:3: <opencv_storage\/cascade>: missing <featureType>/,
		],
		[
			"a subset of 7 words",
			lbpXml({ nodes: "0 -1 0 1 2 3 4 5 6 7" }),
			/tiny\.xml:16: <.*weakClassifiers\/_\[1\]\/internalNodes>: .*found 10 numbers \(7 subset words\)/,
		],
		[
			"a subset of 9 words",
			lbpXml({ nodes: "0 -1 0 1 2 3 4 5 6 7 8 9" }),
			/internalNodes>: .*found 12 numbers \(9 subset words\)/,
		],
		[
			"a featureIdx past the features",
			lbpXml({ nodes: "0 -1 2 1 2 3 4 5 6 7 8" }),
			/tiny\.xml:16: <.*internalNodes>: featureIdx 2 is not in 0\.\.1/,
		],
		[
			"a subset word past 32 bits",
			lbpXml({ nodes: "0 -1 0 1 2 3 4 5 6 7 4294967296" }),
			/internalNodes>: subset word 7 4294967296 is not a 32-bit integer/,
		],
		[
			"blocks leaving the window",
			lbpXml({ rect: "4 3 3 2" }),
			/tiny\.xml:19: <.*features\/_\[1\]\/rect>: 3x3 blocks of 3x2 at 4,3 leave the 12x9 window/,
		],
		["an empty block", lbpXml({ rect: "0 0 0 2" }), /features\/_\[1\]\/rect>: empty block 0x2/],
		[
			"a rect of 5 numbers",
			lbpXml({ rect: "0 0 1 1 -1" }),
			/rect>: an LBP rect is "x y width height", found 5 numbers/,
		],
		[
			"categories other than 256",
			lbpXml({ cat: "0" }),
			/featureParams\/maxCatCount>: maxCatCount 0, LBP codes have 256 categories/,
		],
		["one leaf", lbpXml({ leaves: "0.5" }), /leafValues>: a stump has 2 leaf values, found 1/],
	];
	it.each(lbpRejects)("rejects %s, naming the line and field", (_name, xml, message) => {
		expect(() => convertOpenCvXml(xml, "tiny.xml")).toThrow(CascadeError);
		expect(() => convertOpenCvXml(xml, "tiny.xml")).toThrow(message);
	});
});

// ---------------------------------------------------------------------------
// The C evaluator against OpenCV itself (opencv-js, OpenCV 4.5 in WASM).
// native/vision/test/test_haar_opencv (built by `make native-tests`) prints
// its per-window results, raw candidates and resize hashes; the same inputs go
// through cv.CascadeClassifier / cv.resize here. Skipped when the binary, the
// shared LFW crops or the XML are missing.

const DUMPER = `${repoRoot}/build/host/tests/vision/test/test_haar_opencv`;
const LFW = `${sharedRoot}/images/faces/misc/lfw_subset_200x25x25_u8.bin`;
const oracleMissing = [DUMPER, LFW, DEFAULT].find((p) => !existsSync(p));

interface CvMat {
	data: Uint8Array;
	delete(): void;
}
interface CvVector<T> {
	size(): number;
	get(i: number): T;
	delete(): void;
}
interface CvRect {
	x: number;
	y: number;
	width: number;
	height: number;
}
interface Cv {
	Mat: new (rows?: number, cols?: number, type?: number) => CvMat;
	Size: new (w: number, h: number) => object;
	RectVector: new () => CvVector<CvRect>;
	IntVector: new () => CvVector<number>;
	DoubleVector: new () => CvVector<number>;
	CascadeClassifier: new () => {
		load(path: string): boolean;
		detectMultiScale(img: CvMat, out: CvVector<CvRect>, scaleFactor: number, minNeighbors: number): void;
		detectMultiScale3(
			img: CvMat,
			out: CvVector<CvRect>,
			levels: CvVector<number>,
			weights: CvVector<number>,
			scaleFactor: number,
			minNeighbors: number,
			flags: number,
			minSize: object,
			maxSize: object,
			outputRejectLevels: boolean,
		): void;
		delete(): void;
	};
	resize(src: CvMat, dst: CvMat, size: object, fx: number, fy: number, interpolation: number): void;
	FS_createDataFile(dir: string, name: string, data: Uint8Array, read: boolean, write: boolean, own: boolean): void;
	CV_8UC1: number;
	INTER_LINEAR_EXACT: number;
	onRuntimeInitialized?: () => void;
}

/**
 * The module object is a thenable: awaiting it (or resolving a promise with
 * it) makes Node spin forever. Resolve with nothing and hand it out separately.
 */
let cvModule: Cv | undefined;
function loadCv(): Promise<void> {
	const mod = createRequire(import.meta.url)("@techstark/opencv-js") as Cv;
	return new Promise<void>((resolve) => {
		cvModule = mod;
		if ((mod as unknown as { calledRun?: boolean }).calledRun === true) resolve();
		else mod.onRuntimeInitialized = () => resolve();
	});
}

/** The frontalface XML cut down to its first k stages. */
function truncatedXml(xml: string, k: number): string {
	const start = xml.indexOf("<stages>") + "<stages>".length;
	const end = xml.indexOf("</stages>");
	const stages = xml
		.slice(start, end)
		.split(/(?=\n {4}<_>\n {6}<maxWeakCount>)/)
		.filter((b) => b.includes("<maxWeakCount>"));
	expect(stages.length).toBe(25);
	return `${xml.slice(0, start) + stages.slice(0, k).join("")}\n  ${xml.slice(end)}`.replace(
		/<stageNum>\d+<\/stageNum>/,
		`<stageNum>${k}</stageNum>`,
	);
}

describe.skipIf(oracleMissing !== undefined)(
	`C evaluator vs opencv-js (${oracleMissing === undefined ? "ready" : `missing ${oracleMissing}`})`,
	() => {
		const N = 200,
			S = 25,
			COLS = 20,
			MW = COLS * S,
			MH = (N / COLS) * S;

		function dump(): string[] {
			const r = spawnSync(DUMPER, [], {
				cwd: repoRoot,
				env: { ...process.env, XSIGHT_SHARED: sharedRoot },
				encoding: "utf8",
				maxBuffer: 1 << 26,
			});
			expect(r.status).toBe(0);
			expect(r.stdout).not.toMatch(/# SKIP|not ok/);
			return r.stdout.split("\n");
		}

		it("gives OpenCV's stage, level weight, raw candidates and resizes", { timeout: 120_000 }, async () => {
			await loadCv();
			const cv = cvModule;
			if (cv === undefined) throw new Error("opencv-js did not load");
			const lines = dump();
			const crops = readFileSync(LFW);
			const mosaic = new Uint8Array(MW * MH);
			for (let i = 0; i < N; i++)
				for (let y = 0; y < S; y++)
					mosaic.set(
						crops.subarray(i * S * S + y * S, i * S * S + y * S + S),
						(Math.floor(i / COLS) * S + y) * MW + (i % COLS) * S,
					);
			const xml = readFileSync(DEFAULT, "utf8");
			const mat = (w: number, h: number, px: Uint8Array): CvMat => {
				const m = new cv.Mat(h, w, cv.CV_8UC1);
				m.data.set(px);
				return m;
			};

			// Per window: with the first k stages, OpenCV accepts a crop iff our evaluator passed >= k stages.
			const windows = lines.filter((l) => l.startsWith("# window ")).map((l) => l.split(" "));
			expect(windows.length).toBe(N);
			const cropMats = Array.from({ length: N }, (_, i) => mat(S, S, crops.subarray(i * S * S, (i + 1) * S * S)));
			for (let k = 1; k <= 25; k++) {
				const name = `ff_${k}.xml`;
				cv.FS_createDataFile("/", name, new TextEncoder().encode(truncatedXml(xml, k)), true, false, false);
				const cc = new cv.CascadeClassifier();
				expect(cc.load(name)).toBe(true);
				for (let i = 0; i < N; i++) {
					const rects: CvVector<CvRect> = new cv.RectVector();
					const levels: CvVector<number> = new cv.IntVector();
					const weights: CvVector<number> = new cv.DoubleVector();
					cc.detectMultiScale3(
						cropMats[i] as CvMat,
						rects,
						levels,
						weights,
						1.1,
						0,
						0,
						new cv.Size(0, 0),
						new cv.Size(0, 0),
						true,
					);
					const passed = Number(windows[i]?.[3]);
					const flat = windows[i]?.[4] === "1";
					// OpenCV's reject-level output treats runAt's -1 ("flat window, no stage run")
					// like "rejected at stage 1", which with k = 1 stage means "passed everything".
					// So k = 1 also shows exactly which windows OpenCV skips as flat (std dev <= 10).
					expect([i, k, rects.size() > 0]).toEqual([i, k, passed >= k || (k === 1 && flat)]);
					// A crop that passes all 25 stages has OpenCV's level weight: the last stage's double sum, bit for bit.
					if (k === 25 && rects.size() > 0) expect(Number(windows[i]?.[5])).toBe(weights.get(0));
					rects.delete();
					levels.delete();
					weights.delete();
				}
				cc.delete();
			}
			for (const m of cropMats) m.delete();

			// Whole pyramid: detectMultiScale(1.1, minNeighbors 0) returns the raw candidates.
			const full = new cv.CascadeClassifier();
			cv.FS_createDataFile("/", "ff_full.xml", new TextEncoder().encode(xml), true, false, false);
			expect(full.load("ff_full.xml")).toBe(true);
			const m = mat(MW, MH, mosaic);
			const rects = new cv.RectVector();
			full.detectMultiScale(m, rects, 1.1, 0);
			const theirs = Array.from({ length: rects.size() }, (_, i) => {
				const r = rects.get(i);
				return `${r.x} ${r.y} ${r.width} ${r.height}`;
			}).sort();
			const ours = lines
				.filter((l) => l.startsWith("# cand "))
				.map((l) => l.slice(7))
				.sort();
			expect(ours.length).toBeGreaterThan(100);
			expect(ours).toEqual(theirs);
			rects.delete();
			full.delete();

			// INTER_LINEAR_EXACT, including 1-pixel and enlarging sizes.
			const resizes = lines
				.filter((l) => l.startsWith("# resize "))
				.map((l) => l.split(" ").slice(2).map(Number));
			expect(resizes.length).toBeGreaterThan(5);
			for (const [w = 0, h = 0, hash = 0] of resizes) {
				const d = new cv.Mat();
				cv.resize(m, d, new cv.Size(w, h), 0, 0, cv.INTER_LINEAR_EXACT);
				let x = 2166136261;
				for (const v of d.data) x = Math.imul((x ^ v) >>> 0, 16777619) >>> 0;
				expect([w, h, x]).toEqual([w, h, hash]);
				d.delete();
			}
			m.delete();
		});
	},
);
