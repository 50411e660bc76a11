// xsight detect: face detection (a Haar or LBP cascade) on the XS engine, over an image file.
// SPDX-License-Identifier: Apache-2.0
import { statSync, writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { buildHost } from "../build/build";
import { readGrayImage, type GrayImage } from "../support/image";
import { xsException } from "../boards/host";
import { defaultCascade, detectOnXs, type Box, type XsDetectOptions } from "../boards/host-detect";
import { checkWritable, UsageError, type Command } from "./command";

function num(values: Record<string, unknown>, key: string): number | undefined {
	const text = values[key] as string | undefined;
	if (text === undefined) return undefined;
	const v = Number(text);
	if (text.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--${key} ${text}: expected a number`);
	return v;
}

function sizeOpt(values: Record<string, unknown>, key: string): number | { width: number; height: number } | undefined {
	const text = values[key] as string | undefined;
	if (text === undefined) return undefined;
	const m = /^(\d+)(?:x(\d+))?$/.exec(text);
	if (!m) throw new UsageError(`--${key} ${text}: expected N or WxH`);
	return m[2] === undefined ? Number(m[1]) : { width: Number(m[1]), height: Number(m[2]) };
}

/** detect()'s options (modules/vision/detect.ts checks them, on XS) as the command line spells them. */
const OPTIONS: Record<string, string> = {
	threshold: "threshold",
	scale: "scale",
	minNeighbors: "min-neighbors",
	step: "step",
	refine: "refine",
	merge: "merge",
	minSize: "min-size",
	maxSize: "max-size",
	roi: "roi",
};

/** An error of the run on XS as the user's: a refused option names the flag (a bad command line), a bad cascade its file; no stack. */
function userError(error: Error, values: Record<string, unknown>): Error {
	const exception = xsException(error.message);
	if (exception === undefined) return error;
	const option = OPTIONS[/^RangeError: detect (\w+)[.:]/.exec(exception)?.[1] ?? ""];
	if (option !== undefined)
		return new UsageError(`--${option} ${String(values[option])}: ${exception.replace(/^RangeError: /, "")}`);
	const stages = /^CascadeError: .*: options\.stages: (.*)$/.exec(exception)?.[1];
	if (stages !== undefined) return new UsageError(`--stages ${String(values["stages"])}: ${stages}`);
	return new Error(exception.replace(/^\w*Error: /, ""));
}

/** Gray image -> RGBA PNG with a 2-pixel red box per detection. */
export function drawBoxes(image: GrayImage, boxes: readonly Box[]): Buffer {
	const png = new PNG({ width: image.width, height: image.height });
	for (let i = 0; i < image.width * image.height; i++) {
		const g = image.data[i] ?? 0;
		png.data[4 * i] = g;
		png.data[4 * i + 1] = g;
		png.data[4 * i + 2] = g;
		png.data[4 * i + 3] = 255;
	}
	const put = (x: number, y: number) => {
		if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
		const o = 4 * (y * image.width + x);
		png.data[o] = 255;
		png.data[o + 1] = 0;
		png.data[o + 2] = 0;
	};
	for (const b of boxes) {
		for (let t = 0; t < 2; t++) {
			for (let x = b.x; x < b.x + b.width; x++) {
				put(x, b.y + t);
				put(x, b.y + b.height - 1 - t);
			}
			for (let y = b.y; y < b.y + b.height; y++) {
				put(b.x + t, y);
				put(b.x + b.width - 1 - t, y);
			}
		}
	}
	return PNG.sync.write(png);
}

export const detectCommand: Command = {
	summary: "find faces in an image with a Haar or LBP cascade, on the XS engine",
	usage: `usage: xsight detect --image FILE [options]
Decodes the image (PGM, BMP, PNG, JPEG) to 8-bit gray on this computer
(OpenCV's luma), then runs the detector (modules/vision, C scan) on the XS
engine and prints one line per box: x y width height hits score.
  --image FILE          the picture to search (required)
  --cascade FILE        binary cascade (.cascade) or OpenCV XML (.xml, converted on the fly)
                        (default: resources/cascades/frontalface.cascade)
  --stages N            evaluate only the first N stages of the cascade
  --scale F             pyramid factor between levels, > 1 (default 1.1)
  --min-neighbors N     a box needs more than N raw hits (default 3; 0 = raw candidates)
  --min-size N|WxH      smallest face in pixels (default: the cascade window)
  --max-size N|WxH      largest face (default: the image)
  --threshold T         0..1; 0.5 (default) = the cascade's stage thresholds, higher = stricter
  --step N              0 (default) = OpenCV's window stepping; N = every N pixels
  --refine N            with --step: windows 2 x step apart first, the rest only beside
                        one that passed N stages (Haar; default 0 = every window)
  --merge M             opencv (default: groupRectangles) or average (OpenMV-style)
  --roi X,Y,W,H         search only this rectangle (clamped to the image)
  --json                print JSON instead of text
  --draw OUT.png        write the image with the boxes drawn in red
  -h, --help            this text`,
	options: {
		image: { type: "string" },
		cascade: { type: "string" },
		stages: { type: "string" },
		scale: { type: "string" },
		"min-neighbors": { type: "string" },
		"min-size": { type: "string" },
		"max-size": { type: "string" },
		threshold: { type: "string" },
		step: { type: "string" },
		refine: { type: "string" },
		merge: { type: "string" },
		roi: { type: "string" },
		json: { type: "boolean" },
		draw: { type: "string" },
	},
	async run(values) {
		const file = values["image"] as string | undefined;
		if (file === undefined) throw new UsageError("--image FILE is required (see --help)");
		const image = readGrayImage(file);
		const options: XsDetectOptions = {};
		const scale = num(values, "scale");
		if (scale !== undefined) options.scale = scale;
		const minNeighbors = num(values, "min-neighbors");
		if (minNeighbors !== undefined) options.minNeighbors = minNeighbors;
		const threshold = num(values, "threshold");
		if (threshold !== undefined) options.threshold = threshold;
		const step = num(values, "step");
		if (step !== undefined) options.step = step;
		const refine = num(values, "refine");
		if (refine !== undefined) options.refine = refine;
		const minSize = sizeOpt(values, "min-size");
		if (minSize !== undefined) options.minSize = minSize;
		const maxSize = sizeOpt(values, "max-size");
		if (maxSize !== undefined) options.maxSize = maxSize;
		const merge = values["merge"] as string | undefined;
		if (merge !== undefined) {
			if (merge !== "opencv" && merge !== "average")
				throw new UsageError(`--merge ${merge}: expected opencv or average`);
			options.merge = merge;
		}
		const roi = values["roi"] as string | undefined;
		if (roi !== undefined) {
			const parts = roi.split(",").map(Number);
			if (parts.length !== 4 || parts.some((v) => !Number.isInteger(v)))
				throw new UsageError(`--roi ${roi}: expected X,Y,W,H (integers)`);
			const [x = 0, y = 0, width = 0, height = 0] = parts;
			options.roi = { x, y, width, height };
		}
		const stages = num(values, "stages");
		const cascade = (values["cascade"] as string | undefined) ?? defaultCascade;
		if (!statSync(cascade, { throwIfNoEntry: false })?.isFile())
			throw new Error(`--cascade ${cascade}: no such file`);
		const draw = values["draw"] as string | undefined;
		if (draw !== undefined) checkWritable("--draw", draw);
		const build = await buildHost();
		let result;
		try {
			[result] = await detectOnXs(build, [image], {
				cascade,
				options,
				...(stages === undefined ? {} : { stages }),
			});
		} catch (error) {
			throw userError(error as Error, values);
		}
		const boxes = result?.rects ?? [];
		if (values["json"] === true) {
			process.stdout.write(
				`${JSON.stringify({ image: file, width: image.width, height: image.height, boxes, stats: result?.stats }, null, "\t")}\n`,
			);
		} else {
			process.stdout.write(
				`# ${file}: ${image.width}x${image.height}, ${boxes.length} box${boxes.length === 1 ? "" : "es"} (x y width height hits score)\n`,
			);
			for (const b of boxes)
				process.stdout.write(`${b.x} ${b.y} ${b.width} ${b.height} ${b.hits} ${b.score.toFixed(3)}\n`);
		}
		if (draw !== undefined) writeFileSync(draw, drawBoxes(image, boxes));
		return 0;
	},
};
