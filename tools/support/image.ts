// Host image input: PGM, BMP, PNG and JPEG files decoded to 8-bit grayscale, top row first, for
// the CLI and the tests. The XS side only ever receives these raw grayscale bytes.
//
// Colour becomes gray with OpenCV's fixed-point BT.601 luma, so a frame we build is byte for byte
// the frame OpenCV's cvtColor(RGB2GRAY) builds from the same pixels (OpenCV 4's 8-bit path uses
// 15 fractional bits; the 14-bit constants of older releases differ on ~0.3% of colours — measured
// against opencv-js in test/vision-oracle.test.ts):
//   Y = (9798 R + 19235 G + 3735 B + 16384) >> 15
// Alpha is ignored. 16-bit samples keep their high byte.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { readUserFile } from "./files";

export interface GrayImage {
	width: number;
	height: number;
	/** width * height bytes, row-major, top row first. */
	data: Uint8Array;
}

export function luma(r: number, g: number, b: number): number {
	return (9798 * r + 19235 * g + 3735 * b + 16384) >> 15;
}

function fail(file: string, what: string): never {
	throw new Error(`${file}: ${what}`);
}

/** The largest side XS reads a frame at (modules/vision/frame.ts, native/camera). */
export const MAX_SIDE = 4096;

/** Checked from the header, before any pixel is decoded: a few bytes can claim gigabytes. */
function checkSize(file: string, format: string, width: number, height: number): void {
	if (width > MAX_SIDE || height > MAX_SIDE)
		fail(file, `${format} size ${width}x${height}: at most ${MAX_SIDE}x${MAX_SIDE}`);
}

/** Binary PGM (P5), maxval up to 65535; comments allowed in the header. */
export function decodePgm(bytes: Uint8Array, file = "image.pgm"): GrayImage {
	let at = 0;
	const token = (): string => {
		for (;;) {
			while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
			if (bytes[at] !== 0x23) break; // '#': comment to end of line
			while (at < bytes.length && bytes[at] !== 0x0a) at++;
		}
		const start = at;
		while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]!))) at++;
		return String.fromCharCode(...bytes.subarray(start, at));
	};
	const magic = token();
	if (magic !== "P5") fail(file, `not a binary PGM (magic "${magic.slice(0, 2)}", expected "P5")`);
	const [width, height, maxval] = [token(), token(), token()].map(Number) as [number, number, number];
	if (!(Number.isInteger(width) && width > 0)) fail(file, `PGM width: expected a positive integer`);
	if (!(Number.isInteger(height) && height > 0)) fail(file, `PGM height: expected a positive integer`);
	if (!(Number.isInteger(maxval) && maxval > 0 && maxval < 65536)) fail(file, `PGM maxval: expected 1..65535`);
	checkSize(file, "PGM", width, height);
	at++; // the single whitespace byte after maxval
	const sampleBytes = maxval > 255 ? 2 : 1;
	const need = width * height * sampleBytes;
	if (bytes.length - at < need)
		fail(file, `PGM data: ${bytes.length - at} bytes, expected ${need} for ${width}x${height}`);
	const data = new Uint8Array(width * height);
	for (let i = 0; i < data.length; i++) {
		const sample = sampleBytes === 2 ? (bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]! : bytes[at + i]!;
		data[i] = maxval === 255 ? sample : Math.round((sample * 255) / maxval);
	}
	return { width, height, data };
}

/** Uncompressed BMP: 8-bit palette, 24-bit or 32-bit; bottom-up or top-down rows. */
export function decodeBmp(bytes: Uint8Array, file = "image.bmp"): GrayImage {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail(file, 'not a BMP (no "BM" header)');
	const dataOffset = view.getUint32(10, true);
	const headerSize = view.getUint32(14, true);
	if (headerSize < 40) fail(file, `BMP header size ${headerSize}: only BITMAPINFOHEADER (40) or later is read`);
	const width = view.getInt32(18, true);
	const rawHeight = view.getInt32(22, true);
	const bits = view.getUint16(28, true);
	const compression = view.getUint32(30, true);
	if (width <= 0 || rawHeight === 0) fail(file, `BMP size ${width}x${rawHeight}: expected positive dimensions`);
	checkSize(file, "BMP", width, Math.abs(rawHeight));
	if (![8, 24, 32].includes(bits)) fail(file, `BMP bit depth ${bits}: expected 8, 24 or 32`);
	if (compression !== 0 && !(compression === 3 && bits === 32))
		fail(file, `BMP compression ${compression}: only uncompressed BMPs are read`);
	const height = Math.abs(rawHeight);
	const topDown = rawHeight < 0;
	const stride = Math.ceil((width * bits) / 32) * 4;
	if (dataOffset + stride * height > bytes.length)
		fail(file, `BMP pixel data: truncated (${bytes.length} bytes, need ${dataOffset + stride * height})`);
	let palette: Uint8Array | undefined;
	if (bits === 8) {
		const colours = view.getUint32(46, true) || 256;
		const paletteAt = 14 + headerSize;
		if (paletteAt + colours * 4 > dataOffset)
			fail(file, `BMP palette: ${colours} colours do not fit before the pixel data`);
		palette = new Uint8Array(256);
		for (let i = 0; i < colours; i++) {
			const p = paletteAt + 4 * i;
			palette[i] = luma(bytes[p + 2]!, bytes[p + 1]!, bytes[p]!);
		}
	}
	const data = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		const row = dataOffset + stride * (topDown ? y : height - 1 - y);
		for (let x = 0; x < width; x++) {
			if (palette) data[y * width + x] = palette[bytes[row + x]!]!;
			else {
				const p = row + x * (bits / 8);
				data[y * width + x] = luma(bytes[p + 2]!, bytes[p + 1]!, bytes[p]!);
			}
		}
	}
	return { width, height, data };
}

/**
 * Walks the PNG's chunks up to IEND before pngjs decodes anything: the size comes from IHDR, and a
 * file cut short is named as such (pngjs would only say that its stream ended).
 */
function checkPngChunks(bytes: Uint8Array, file: string): void {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	for (let at = 8; ; ) {
		if (at + 8 > bytes.length)
			fail(file, `PNG: truncated: ${bytes.length} bytes, the file ends before its IEND chunk`);
		const length = view.getUint32(at);
		const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
		if (at === 8) {
			if (type !== "IHDR" || length !== 13 || at + 16 > bytes.length) fail(file, "PNG: no IHDR chunk first");
			checkSize(file, "PNG", view.getUint32(at + 8), view.getUint32(at + 12));
		}
		if (at + 12 + length > bytes.length)
			fail(file, `PNG: truncated: ${bytes.length} bytes, chunk ${type} at byte ${at} needs ${12 + length}`);
		if (type === "IEND") return;
		at += 12 + length;
	}
}

export function decodePng(bytes: Uint8Array, file = "image.png"): GrayImage {
	checkPngChunks(bytes, file);
	let png;
	try {
		png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
	} catch (error) {
		fail(file, `PNG: ${(error as Error).message}`);
	}
	// pngjs always hands back 8-bit RGBA.
	const data = new Uint8Array(png.width * png.height);
	for (let i = 0; i < data.length; i++) data[i] = luma(png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!);
	return { width: png.width, height: png.height, data };
}

/** The frame size from the JPEG's SOF segment, read before jpeg-js decodes (or allocates) anything; undefined when there is none before the scan (jpeg-js then says what is wrong). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
	for (let at = 2; at + 4 <= bytes.length; ) {
		if (bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1]!;
		// Fill bytes, and the markers that carry no length (TEM, RSTn).
		if (marker === 0xff) at += 1;
		else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) at += 2;
		else if (marker === 0xda || marker === 0xd9) return undefined;
		else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			// SOFn: length, precision, then height and width.
			if (at + 9 > bytes.length) return undefined;
			return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]! };
		} else at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
	}
	return undefined;
}

export function decodeJpeg(bytes: Uint8Array, file = "image.jpg"): GrayImage {
	const size = jpegSize(bytes);
	if (size) checkSize(file, "JPEG", size.width, size.height);
	let image;
	try {
		image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
	} catch (error) {
		fail(file, `JPEG: ${(error as Error).message}`);
	}
	const data = new Uint8Array(image.width * image.height);
	for (let i = 0; i < data.length; i++)
		data[i] = luma(image.data[4 * i]!, image.data[4 * i + 1]!, image.data[4 * i + 2]!);
	return { width: image.width, height: image.height, data };
}

/** Decode by content (magic bytes), not by extension; the error names the file. */
export function decodeGray(bytes: Uint8Array, file: string): GrayImage {
	if (bytes[0] === 0x50 && bytes[1] === 0x35) return decodePgm(bytes, file);
	if (bytes[0] === 0x42 && bytes[1] === 0x4d) return decodeBmp(bytes, file);
	if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return decodePng(bytes, file);
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes, file);
	return fail(
		file,
		`unknown image format (expected PGM P5, BMP, PNG or JPEG; ${path.extname(file) || "no extension"})`,
	);
}

export function readGrayImage(file: string): GrayImage {
	const bytes = readUserFile(file);
	return decodeGray(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** Binary PGM (P5, maxval 255), e.g. for frames handed to the simulator. */
export function encodePgm(image: GrayImage): Uint8Array {
	const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
	const out = new Uint8Array(header.length + image.data.length);
	out.set(header);
	out.set(image.data, header.length);
	return out;
}
