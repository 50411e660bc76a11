// xsight detect and xsight cascade, run as a user runs them.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { PNG } from "pngjs";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { encodePgm } from "../tools/support/image";
import { sharedRoot } from "./support/paths";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
	});
}

const photo = path.join(sharedRoot, "images/faces/dlib/2008_001322.jpg");
const XML = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
const LBP_XML = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml";
const temp = mkdtempSync(path.join(tmpdir(), "xsight-vision-cli-"));

describe("xsight detect", () => {
	test("--help describes the options", () => {
		const r = xsight("detect", "--help");
		expect(r.status).toBe(0);
		expect(r.stdout).toContain("usage: xsight detect --image FILE");
		expect(r.stdout).toContain("--min-neighbors");
		expect(xsight("--help").stdout).toMatch(/^\s+detect\s+find faces/m);
	});

	test.skipIf(!existsSync(photo))("prints boxes as JSON and draws them", { timeout: 60_000 }, () => {
		const out = path.join(temp, "boxes.png");
		const r = xsight(
			"detect",
			"--image",
			photo,
			"--json",
			"--min-size",
			"20",
			"--min-neighbors",
			"5",
			"--draw",
			out,
		);
		expect(r.status, r.stderr).toBe(0);
		const result = JSON.parse(r.stdout) as {
			width: number;
			boxes: { x: number; y: number; width: number; height: number; hits: number }[];
		};
		expect(result.width).toBe(500);
		expect(result.boxes.map((b) => [b.x, b.y, b.width, b.height]).sort()).toEqual(
			[
				[225, 206, 75, 75],
				[97, 148, 91, 91],
			].sort(),
		);
		expect(result.boxes.every((b) => b.hits > 5)).toBe(true);
		const png = PNG.sync.read(readFileSync(out));
		const at = (x: number, y: number) =>
			Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));
		expect(at(225, 230)).toEqual([255, 0, 0]); // on the left edge of the first box
		expect(at(260, 240)[0]).toBe(at(260, 240)[1]); // inside: gray
	});

	test("bad input is a clear error", () => {
		const pgm = path.join(temp, "flat.pgm");
		writeFileSync(pgm, encodePgm({ width: 40, height: 30, data: new Uint8Array(1200) }));
		let r = xsight("detect");
		expect(r.status).toBe(64);
		expect(r.stderr).toContain("--image FILE is required");
		r = xsight("detect", "--image", path.join(temp, "nope.png"));
		expect(r.stderr).toContain("nope.png: no such file");
		// Checked on XS by modules/vision, reported by the CLI as the flag the user gave, without a stack.
		r = xsight("detect", "--image", pgm, "--scale", "0.9");
		expect(r.status).toBe(64);
		expect(r.stderr).toBe(
			"xsight detect: --scale 0.9: detect scale: 0.9, expected a number > 1 and <= 16 (the factor between pyramid levels)\n",
		);
		r = xsight("detect", "--image", pgm, "--min-size", "100", "--max-size", "50");
		expect(r.status).toBe(64);
		expect(r.stderr).toBe("xsight detect: --min-size 100: detect minSize: 100x100 is larger than maxSize 50x50\n");
		r = xsight("detect", "--image", pgm, "--min-size", "0");
		expect(r.status).toBe(64);
		expect(r.stderr).toBe(
			"xsight detect: --min-size 0: detect minSize.width: 0, expected an integer in 1..65535\n",
		);
		r = xsight("detect", "--image", pgm, "--stages", "0");
		expect(r.status).toBe(64);
		expect(r.stderr).toBe("xsight detect: --stages 0: 0, expected an integer in 1..25\n");
		r = xsight("detect", "--image", pgm, "--cascade", pgm);
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/^xsight detect: .*flat\.pgm: magic[^\n]*\n$/);
		r = xsight("detect", "--image", pgm, "--roi", "1,2,3");
		expect(r.stderr).toContain("--roi 1,2,3: expected X,Y,W,H");
	});

	test("a missing --cascade or --draw folder is refused before the run: no temporary path, no boxes before the error", () => {
		const pgm = path.join(temp, "flat.pgm");
		writeFileSync(pgm, encodePgm({ width: 40, height: 30, data: new Uint8Array(1200) }));
		let r = xsight("detect", "--image", pgm, "--cascade", path.join(temp, "none.cascade"));
		expect(r.status).toBe(1);
		expect(r.stderr).toBe(`xsight detect: --cascade ${path.join(temp, "none.cascade")}: no such file\n`);
		r = xsight("detect", "--image", pgm, "--draw", "/nonexistent/boxes.png");
		expect(r.status).toBe(1);
		expect(r.stderr).toBe("xsight detect: --draw /nonexistent/boxes.png: no such folder /nonexistent\n");
		expect(r.stdout).toBe("");
	});

	test("an image too large for XS is refused from its header, naming the user's file; a cut PNG says so", () => {
		const png = Buffer.from(PNG.sync.write(new PNG({ width: 1, height: 1 })));
		png.writeUInt32BE(5000, 16);
		png.writeUInt32BE(5000, 20);
		png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
		const big = path.join(temp, "claims-5000.png");
		writeFileSync(big, png);
		let r = xsight("detect", "--image", big);
		expect(r.status).toBe(1);
		expect(r.stderr).toBe(`xsight detect: ${big}: PNG size 5000x5000: at most 4096x4096\n`);
		const cut = path.join(temp, "cut.png");
		writeFileSync(cut, PNG.sync.write(new PNG({ width: 40, height: 30 })).subarray(0, 62));
		r = xsight("detect", "--image", cut);
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(
			/^xsight detect: .*cut\.png: PNG: truncated: 62 bytes, chunk IDAT at byte 33 needs \d+\n$/,
		);
	});
});

describe("xsight cascade", () => {
	test.skipIf(!existsSync(XML))("convert writes the committed frontalface.cascade", () => {
		const out = path.join(temp, "ff.cascade");
		const r = xsight("cascade", "convert", XML, out);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain("Haar, 24x24 window, 25 stages, 2913 weak classifiers");
		expect(
			readFileSync(out).equals(readFileSync(path.join(repoRoot, "resources/cascades/frontalface.cascade"))),
		).toBe(true);
	});

	test.skipIf(!existsSync(LBP_XML))(
		"convert writes an LBP cascade that xsight detect uses, and names a bad LBP field's line",
		() => {
			const out = path.join(temp, "lbp.cascade");
			let r = xsight("cascade", "convert", LBP_XML, out);
			expect(r.status, r.stderr).toBe(0);
			expect(r.stdout).toMatch(
				/lbp\.cascade: LBP, 24x24 window, 20 stages, \d+ weak classifiers, 136 features, \d+ bytes/,
			);
			r = xsight(
				"detect",
				"--image",
				path.join(repoRoot, "resources/frames/01-smile.pgm"),
				"--cascade",
				out,
				"--json",
			);
			expect(r.status, r.stderr).toBe(0);
			expect((JSON.parse(r.stdout) as { boxes: unknown[] }).boxes.length).toBe(1);
			const bad = path.join(temp, "bad-lbp.xml");
			writeFileSync(bad, readFileSync(LBP_XML, "utf8").replace("<featureType>LBP</featureType>", ""));
			r = xsight("cascade", "convert", bad, path.join(temp, "bad-lbp.cascade"));
			expect(r.status).toBe(1);
			expect(r.stderr).toMatch(/bad-lbp\.xml:7: <opencv_storage\/cascade>: missing <featureType>/);
		},
	);

	test("usage errors and bad XML", () => {
		expect(xsight("cascade", "--help").stdout).toContain("usage: xsight cascade convert IN.xml OUT.cascade");
		let r = xsight("cascade", "flip");
		expect(r.status).toBe(64);
		expect(r.stderr).toContain("expected: convert IN.xml OUT.cascade");
		const bad = path.join(temp, "bad.xml");
		writeFileSync(bad, '<opencv_storage><x type_id="opencv-matrix"/></opencv_storage>');
		r = xsight("cascade", "convert", bad, path.join(temp, "bad.cascade"));
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/bad\.xml:1: .*not an OpenCV cascade/);
		r = xsight("cascade", "convert", path.join(temp, "none.xml"), path.join(temp, "none.cascade"));
		expect(r.status).toBe(1);
		expect(r.stderr).toBe(`xsight cascade: ${path.join(temp, "none.xml")}: no such file\n`);
	});
});
