// Makes the simulator's built-in camera frames (resources/frames/*.pgm): QVGA 8-bit gray cuts of
// photos the project may redistribute (resources/frames/NOTICE names each source and licence).
// Run once by hand when the list changes:
//   npx tsx tools/samples/frames.ts SOURCE_DIR
// SOURCE_DIR holds the photos (in this workplace: ../shared/images/faces).
// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../build/build";
import { encodePgm, readGrayImage, type GrayImage } from "../support/image";

const WIDTH = 320;
const HEIGHT = 240;

interface Sample {
	out: string;
	source: string;
	/** The part of the source to keep, 4:3, in source pixels. */
	crop: { x: number; y: number; width: number; height: number };
}

const samples: Sample[] = [
	{ out: "01-smile.pgm", source: "misc/227943776_1.jpg", crop: { x: 0, y: 20, width: 434, height: 325 } },
	{ out: "02-neutral.pgm", source: "misc/230501201_1.jpg", crop: { x: 0, y: 170, width: 584, height: 438 } },
	{ out: "03-astronaut.pgm", source: "misc/astronaut.png", crop: { x: 0, y: 0, width: 512, height: 384 } },
	{ out: "04-empty.pgm", source: "negatives/fruits.jpg", crop: { x: 0, y: 48, width: 512, height: 384 } },
];

/** Area (box-mean) downscale of a crop, in float, rounded half up: what a sensor's binning does. */
function cut(image: GrayImage, crop: Sample["crop"]): GrayImage {
	const data = new Uint8Array(WIDTH * HEIGHT);
	const fx = crop.width / WIDTH;
	const fy = crop.height / HEIGHT;
	for (let y = 0; y < HEIGHT; y++) {
		for (let x = 0; x < WIDTH; x++) {
			const x0 = crop.x + x * fx;
			const y0 = crop.y + y * fy;
			let sum = 0;
			let area = 0;
			for (let sy = Math.floor(y0); sy < Math.ceil(y0 + fy); sy++) {
				const wy = Math.min(sy + 1, y0 + fy) - Math.max(sy, y0);
				for (let sx = Math.floor(x0); sx < Math.ceil(x0 + fx); sx++) {
					const wx = Math.min(sx + 1, x0 + fx) - Math.max(sx, x0);
					sum += wx * wy * image.data[sy * image.width + sx]!;
					area += wx * wy;
				}
			}
			data[y * WIDTH + x] = Math.floor(sum / area + 0.5);
		}
	}
	return { width: WIDTH, height: HEIGHT, data };
}

const sourceDir = process.argv[2];
if (!sourceDir) {
	process.stderr.write("usage: npx tsx tools/samples/frames.ts SOURCE_DIR\n");
	process.exit(64);
}
const outDir = path.join(repoRoot, "resources/frames");
mkdirSync(outDir, { recursive: true });
for (const sample of samples) {
	const image = readGrayImage(path.join(sourceDir, sample.source));
	const { x, y, width, height } = sample.crop;
	if (x + width > image.width || y + height > image.height)
		throw new Error(
			`${sample.source}: crop ${width}x${height}+${x}+${y} leaves the ${image.width}x${image.height} image`,
		);
	writeFileSync(path.join(outDir, sample.out), encodePgm(cut(image, sample.crop)));
	process.stderr.write(`${sample.out} <- ${sample.source}\n`);
}
