// Host image decoding (tools/support/image.ts): every format lands on the same grayscale bytes.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, test } from "vitest";
import {
	decodeBmp,
	decodeGray,
	decodeJpeg,
	decodePgm,
	decodePng,
	encodePgm,
	luma,
	readGrayImage,
} from "../tools/support/image";
import { sharedRoot } from "./support/paths";

const personBmp = path.join(sharedRoot, "images/tflm/person.bmp");

function rgbPixels(width: number, height: number): Uint8Array {
	const rgba = new Uint8Array(width * height * 4);
	for (let i = 0; i < width * height; i++)
		rgba.set([(i * 37) & 255, (i * 101 + 7) & 255, (i * 13 + 200) & 255, 255], 4 * i);
	return rgba;
}

/** A 24-bit BMP, bottom-up rows padded to 4 bytes, as most writers produce. */
function bmp24(width: number, height: number, rgba: Uint8Array): Uint8Array {
	const stride = Math.ceil((width * 3) / 4) * 4;
	const out = new Uint8Array(54 + stride * height);
	const view = new DataView(out.buffer);
	out.set([0x42, 0x4d]);
	view.setUint32(2, out.length, true);
	view.setUint32(10, 54, true);
	view.setUint32(14, 40, true);
	view.setInt32(18, width, true);
	view.setInt32(22, height, true);
	view.setUint16(26, 1, true);
	view.setUint16(28, 24, true);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const p = 54 + (height - 1 - y) * stride + 3 * x;
			const q = 4 * (y * width + x);
			out.set([rgba[q + 2]!, rgba[q + 1]!, rgba[q]!], p);
		}
	return out;
}

describe("host image decoding", () => {
	test("luma is OpenCV's fixed-point BT.601", () => {
		expect([luma(0, 0, 0), luma(255, 255, 255), luma(255, 0, 0), luma(0, 255, 0), luma(0, 0, 255)]).toEqual([
			0, 255, 76, 150, 29,
		]);
	});

	test("PGM, BMP and PNG of the same pixels decode to the same gray bytes", () => {
		const [width, height] = [7, 5];
		const rgba = rgbPixels(width, height);
		const expected = new Uint8Array(width * height).map((_, i) =>
			luma(rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!),
		);
		const png = new PNG({ width, height });
		png.data.set(rgba);
		const fromPng = decodeGray(new Uint8Array(PNG.sync.write(png)), "t.png");
		const fromBmp = decodeGray(bmp24(width, height, rgba), "t.bmp");
		const fromPgm = decodeGray(encodePgm({ width, height, data: expected }), "t.pgm");
		for (const image of [fromPng, fromBmp, fromPgm]) {
			expect([image.width, image.height]).toEqual([width, height]);
			expect(Array.from(image.data)).toEqual(Array.from(expected));
		}
	});

	test("a lossless-quality JPEG of a flat gray decodes to that gray", () => {
		const rgba = new Uint8Array(16 * 16 * 4).fill(90);
		const encoded = jpeg.encode({ width: 16, height: 16, data: rgba }, 100);
		const image = decodeGray(new Uint8Array(encoded.data), "flat.jpg");
		expect(image.data.every((v) => Math.abs(v - 90) <= 1)).toBe(true);
	});

	test("PGM with comments and a 16-bit maxval", () => {
		const header = new TextEncoder().encode("P5\n# made by a test\n2 1\n65535\n");
		const bytes = new Uint8Array(header.length + 4);
		bytes.set(header);
		bytes.set([0xff, 0xff, 0x80, 0x00], header.length);
		expect(Array.from(decodePgm(bytes).data)).toEqual([255, 128]);
	});

	test.skipIf(!existsSync(personBmp))("TFLite Micro's person.bmp: 96x96 palette BMP, rows turned top-down", () => {
		const image = readGrayImage(personBmp);
		expect([image.width, image.height]).toEqual([96, 96]);
		const raw = readFileSync(personBmp);
		const offset = raw.readUInt32LE(10);
		// Its palette is the identity gray ramp, so the bottom stored row is our top row.
		expect(Array.from(image.data.subarray(0, 96))).toEqual(
			Array.from(raw.subarray(offset + 95 * 96, offset + 96 * 96)),
		);
	});

	test("bad input names the file and what is wrong", () => {
		expect(() => decodeGray(new Uint8Array([1, 2, 3]), "x.dat")).toThrow(/x\.dat: unknown image format/);
		expect(() => decodePgm(new TextEncoder().encode("P5\n4 4\n255\nab"), "short.pgm")).toThrow(
			/short\.pgm: PGM data: 2 bytes, expected 16/,
		);
		const truncated = bmp24(8, 8, rgbPixels(8, 8)).subarray(0, 100);
		expect(() => decodeBmp(truncated, "cut.bmp")).toThrow(/cut\.bmp: BMP pixel data: truncated/);
		expect(() => readGrayImage("/nonexistent/face.png")).toThrow(/face\.png: no such file/);
	});

	test("a header claiming more than 4096 a side is refused before any pixel is decoded", () => {
		// A real 1x1 PNG whose IHDR (CRC fixed up) claims 5000x5000, as a small file can.
		const png = new PNG({ width: 1, height: 1 });
		const big = Buffer.from(PNG.sync.write(png));
		big.writeUInt32BE(5000, 16);
		big.writeUInt32BE(5000, 20);
		big.writeUInt32BE(crc32(big.subarray(12, 29)), 29);
		expect(() => decodePng(big, "big.png")).toThrow(/^big\.png: PNG size 5000x5000: at most 4096x4096$/);
		// A JPEG's SOF0 frame header: height, then width.
		const encoded = Buffer.from(jpeg.encode({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) }, 90).data);
		const sof = encoded.indexOf(Buffer.from([0xff, 0xc0]));
		encoded.writeUInt16BE(4000, sof + 5);
		encoded.writeUInt16BE(6000, sof + 7);
		expect(() => decodeJpeg(encoded, "wide.jpg")).toThrow(/^wide\.jpg: JPEG size 6000x4000: at most 4096x4096$/);
		const bmp = bmp24(1, 1, rgbPixels(1, 1));
		new DataView(bmp.buffer).setInt32(22, -5000, true);
		expect(() => decodeBmp(bmp, "tall.bmp")).toThrow(/^tall\.bmp: BMP size 1x5000: at most 4096x4096$/);
		expect(() => decodePgm(new TextEncoder().encode("P5\n20000 20000\n255\n"), "huge.pgm")).toThrow(
			/^huge\.pgm: PGM size 20000x20000: at most 4096x4096$/,
		);
	});

	test("a PNG cut short says so, and where", () => {
		const png = new PNG({ width: 40, height: 30 });
		const whole = PNG.sync.write(png);
		expect(() => decodePng(whole.subarray(0, 62), "half.png")).toThrow(
			/^half\.png: PNG: truncated: 62 bytes, chunk IDAT at byte 33 needs \d+$/,
		);
		expect(() => decodePng(whole.subarray(0, whole.length - 12), "no-end.png")).toThrow(
			/^no-end\.png: PNG: truncated: \d+ bytes, the file ends before its IEND chunk$/,
		);
	});
});
