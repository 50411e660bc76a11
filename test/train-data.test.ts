// Training data loading and the train/quantize/eval commands' help and bad-input errors.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jpeg from "jpeg-js";
import { afterAll, describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { resizeGray } from "../tools/boards/host-detect";
import { decodeGrayJpeg, loadImageFolders, loadMnist, rgbToGray, splitOf } from "../tools/train/data";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
	});
}

const tmp = mkdtempSync(path.join(tmpdir(), "xsight-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A 64x64 RGB JPEG of one colour (quality 100, so the decoded colour is close to it). */
function solidJpeg(r: number, g: number, b: number): Buffer {
	const data = Buffer.alloc(64 * 64 * 4);
	for (let i = 0; i < 64 * 64; i++) data.set([r, g, b, 255], i * 4);
	return jpeg.encode({ data, width: 64, height: 64 }, 100).data;
}

function folders(name: string, files: Record<string, Record<string, Buffer>>): string {
	const root = path.join(tmp, name);
	for (const [cls, entries] of Object.entries(files)) {
		mkdirSync(path.join(root, cls), { recursive: true });
		for (const [file, bytes] of Object.entries(entries)) writeFileSync(path.join(root, cls, file), bytes);
	}
	return root;
}

describe("training data", () => {
	test("OpenCV's fixed-point BT.601 gray and the area-averaging shrink", () => {
		expect(rgbToGray(255, 0, 0)).toBe(76); // (255 * 4899 + 8192) >> 14
		expect(rgbToGray(0, 255, 0)).toBe(150);
		expect(rgbToGray(0, 0, 255)).toBe(29);
		expect(rgbToGray(255, 255, 255)).toBe(255);
		// A whole factor is the rounded box average: (1 + 2 + 3 + 5) / 4 = 2.75 -> 3, (10 + 10 + 11 + 11) / 4 = 10.5 -> 11
		expect(
			Array.from(resizeGray({ width: 4, height: 2, data: Uint8Array.of(1, 2, 10, 10, 3, 5, 11, 11) }, 2, 1).data),
		).toEqual([3, 11]);
		// 4 -> 3 (as 64 -> 48): each output pixel covers 4/3 of a source pixel, the shared one split by area:
		// (0 + 60/3) * 3/4 = 15, (60 * 2/3 + 120 * 2/3) * 3/4 = 90, (120/3 + 240) * 3/4 = 210
		expect(
			Array.from(resizeGray({ width: 4, height: 1, data: Uint8Array.of(0, 60, 120, 240) }, 3, 1).data),
		).toEqual([15, 90, 210]);
	});

	test("crops larger than the input are area-averaged down to it, also by a fraction (64 -> 48)", () => {
		// Left half dark, right half light: a 48-pixel row has 24 of each, no blurred column
		// between them (the edge falls on a whole output pixel), except what JPEG itself blurs.
		const data = Buffer.alloc(64 * 64 * 4);
		for (let i = 0; i < 64 * 64; i++) data.set(i % 64 < 32 ? [40, 40, 40, 255] : [200, 200, 200, 255], i * 4);
		const halves = jpeg.encode({ data, width: 64, height: 64 }, 100).data;
		const root = folders("halves", { negatives: { "1.jpg": halves }, positives: { "2.jpg": halves } });
		const loaded = loadImageFolders(root, { labels: ["negatives", "positives"], size: 48, onBadImage: "fail" });
		expect(loaded.data.height).toBe(48);
		const image = loaded.data.images[0]!;
		expect(image).toHaveLength(48 * 48);
		const decoded = decodeGrayJpeg(halves, "halves.jpg");
		expect(Array.from(image)).toEqual(
			Array.from(resizeGray({ width: 64, height: 64, data: decoded.pixels }, 48, 48).data),
		);
		const row = Array.from(image.subarray(24 * 48, 25 * 48));
		expect(row.slice(0, 20).every((v) => Math.abs(v - 40) <= 3)).toBe(true);
		expect(row.slice(28).every((v) => Math.abs(v - 200) <= 3)).toBe(true);
		// Not square: named, never stretched.
		const wide = jpeg.encode({ data: Buffer.alloc(64 * 48 * 4, 128), width: 64, height: 48 }, 100).data;
		const oblong = folders("oblong", { negatives: { "1.jpg": wide }, positives: { "2.jpg": halves } });
		expect(() =>
			loadImageFolders(oblong, { labels: ["negatives", "positives"], size: 48, onBadImage: "fail" }),
		).toThrow(/negatives\/1\.jpg: image is 64x48, expected a square of at least 48/);
		// Smaller than the input: named, never upscaled.
		expect(() =>
			loadImageFolders(root, { labels: ["negatives", "positives"], size: 96, onBadImage: "fail" }),
		).toThrow(/negatives\/1\.jpg: image is 64x64, expected a square of at least 96/);
	});

	test("JPEG decoding gives gray pixels; RGB goes through BT.601", () => {
		const img = decodeGrayJpeg(solidJpeg(200, 100, 50), "solid.jpg");
		expect(img.width).toBe(64);
		expect(Math.abs(img.pixels[2000]! - rgbToGray(200, 100, 50))).toBeLessThanOrEqual(2);
		expect(() => decodeGrayJpeg(new Uint8Array([1, 2, 3]), "junk.jpg")).toThrow(/junk\.jpg: not a readable JPEG/);
	});

	test("MNIST: the canonical 60,000 / 10,000 IDX files", () => {
		const test10k = loadMnist("test");
		expect(test10k.images).toHaveLength(10000);
		expect(test10k.images[0]).toHaveLength(784);
		// The first test digits of MNIST are 7, 2, 1, 0, 4.
		expect(test10k.targets.slice(0, 5)).toEqual([7, 2, 1, 0, 4]);
	});

	test("the split depends only on class and file name", () => {
		expect(splitOf("/a/b/positives/10.jpg")).toBe(splitOf("/elsewhere/positives/10.jpg"));
		const names = Array.from({ length: 2000 }, (_, i) => `negatives/${i}.jpg`);
		const tests = names.filter((n) => splitOf(n) === "test").length;
		const vals = names.filter((n) => splitOf(n) === "val").length;
		expect(tests).toBeGreaterThan(150);
		expect(tests).toBeLessThan(250);
		expect(vals).toBeGreaterThan(150);
		expect(vals).toBeLessThan(250);
	});

	test("bad folders and images: clear errors, or skipped with a count", () => {
		const good = solidJpeg(128, 128, 128);
		expect(() =>
			loadImageFolders(path.join(tmp, "nope"), {
				labels: ["negatives", "positives"],
				size: 32,
				onBadImage: "skip",
			}),
		).toThrow(/nope: data folder not found/);
		const noClass = folders("noclass", { negatives: { "1.jpg": good } });
		expect(() =>
			loadImageFolders(noClass, { labels: ["negatives", "positives"], size: 32, onBadImage: "skip" }),
		).toThrow(/class folder "positives" not found/);
		const empty = folders("empty", { negatives: { "1.jpg": good }, positives: {} });
		expect(() =>
			loadImageFolders(empty, { labels: ["negatives", "positives"], size: 32, onBadImage: "skip" }),
		).toThrow(/positives: class "positives" has no readable \.jpg images/);
		const broken = folders("broken", {
			negatives: { "1.jpg": good, "2.jpg": Buffer.from("not a jpeg") },
			positives: { "3.jpg": good },
		});
		const loaded = loadImageFolders(broken, { labels: ["negatives", "positives"], size: 32, onBadImage: "skip" });
		expect(loaded.data.images).toHaveLength(2);
		expect(loaded.data.images[0]).toHaveLength(32 * 32);
		expect(loaded.skipped.map((s) => path.basename(s.path))).toEqual(["2.jpg"]);
		expect(() =>
			loadImageFolders(broken, { labels: ["negatives", "positives"], size: 32, onBadImage: "fail" }),
		).toThrow(/negatives\/2\.jpg: not a readable JPEG/);
	});
});

describe("xsight train / quantize / eval", () => {
	test("--help on each command", () => {
		for (const [cmd, text] of [
			["train", "usage: xsight train <smile|mnist>"],
			["quantize", "usage: xsight quantize --checkpoint"],
			["eval", "usage: xsight eval --model"],
		] as const) {
			const r = xsight(cmd, "--help");
			expect(r.status, cmd).toBe(0);
			expect(r.stdout).toContain(text);
		}
		expect(xsight("--help").stdout).toMatch(/^\s+train\s+train the smile classifier/m);
	});

	test("bad arguments and data are reported before any training starts", () => {
		let r = xsight("train", "--out", "x.tflite");
		expect(r.status).toBe(64);
		expect(r.stderr).toContain("expected one model name, smile or mnist");
		r = xsight("train", "smile", "--data", path.join(tmp, "missing"), "--out", path.join(tmp, "s.tflite"));
		expect(r.status).toBe(1);
		expect(r.stderr).toContain("missing: data folder not found");
		const broken = folders("cli-broken", {
			negatives: { "1.jpg": solidJpeg(9, 9, 9), "bad.jpg": Buffer.from("xx") },
			positives: { "2.jpg": solidJpeg(9, 9, 9) },
		});
		r = xsight("train", "smile", "--data", broken, "--out", path.join(tmp, "s.tflite"), "--on-bad-image", "fail");
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(path.join(broken, "negatives", "bad.jpg"));
		r = xsight("train", "mnist", "--out", path.join(tmp, "m.tflite"), "--epochs", "zero");
		expect(r.stderr).toContain('--epochs must be a positive integer, got "zero"');
		// --spec: the file and the field are named, before any data is read.
		const spec = (name: string, text: string) => {
			const file = path.join(tmp, name);
			writeFileSync(file, text);
			return xsight(
				"train",
				"smile",
				"--data",
				path.join(tmp, "missing"),
				"--out",
				path.join(tmp, "s.tflite"),
				"--spec",
				file,
			);
		};
		r = xsight(
			"train",
			"smile",
			"--data",
			broken,
			"--out",
			path.join(tmp, "s.tflite"),
			"--spec",
			path.join(tmp, "none.json"),
		);
		expect(r.stderr).toContain("none.json: spec file not found");
		expect(spec("syntax.json", "{").stderr).toMatch(/syntax\.json: not JSON/);
		expect(spec("key.json", '{"layer": []}').stderr).toContain('key.json: unknown key "layer"');
		expect(spec("input.json", '{"input": [64, 32, 1]}').stderr).toContain('input.json: "input" must be square');
		expect(spec("opt.json", '{"options": {"augment": {"shift": -1}}}').stderr).toContain(
			"opt.json: options.augment.shift has a bad value -1",
		);
		expect(spec("mirror.json", '{"mirrorAverage": "yes"}').stderr).toContain(
			'mirror.json: "mirrorAverage" must be true or false, got "yes"',
		);
		expect(spec("smooth.json", '{"options": {"labelSmoothing": 1}}').stderr).toContain(
			"smooth.json: options.labelSmoothing has a bad value 1",
		);
		r = spec(
			"kernel.json",
			'{"layers": [{"type": "conv", "filters": 8, "kernel": 2, "padding": "SAME", "activation": "RELU"}]}',
		);
		expect(r.status).toBe(1);
		expect(r.stderr).toContain("kernel.json: conv0: kernel 2 must be odd");
		r = xsight("eval", "--model", path.join(tmp, "none.tflite"));
		expect(r.status).toBe(1);
		expect(r.stderr).toContain("none.tflite: model not found");
		r = xsight("quantize", "--checkpoint", path.join(tmp, "none.float.json"), "--out", path.join(tmp, "q.tflite"));
		expect(r.stderr).toContain("none.float.json: checkpoint not found");
	});
});
