// Haar face search benchmark for the mps2-an500 board: the frontalface
// cascade over 8-bit gray frames the bench laid out in the data root, one
// `#bench <name> <instructions>` line each. mc/config `frames`: a list of
// { name, path, width, height, scaleFactor?, minSize? } (default 1.1 and 24 px).
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { File } from "file";
import { cropResize, haarSearch } from "xsight/kernels";
import { instructionsPerTick } from "xsight/ticks";

function read(path: string): ArrayBuffer {
	const file = new File(path);
	const bytes = file.read(ArrayBuffer);
	file.close();
	return bytes;
}

interface Frame {
	name: string;
	path: string;
	width: number;
	height: number;
	scaleFactor?: number;
	minSize?: number;
}

const frames = config["frames"] as Frame[] | undefined;
if (!Array.isArray(frames)) throw new Error("mc/config frames: expected a list of frames");
const cascade = read("/frontalface.cascade");
const pixels = new Map<Frame, ArrayBuffer>();
for (const frame of frames) {
	const gray = read(frame.path);
	pixels.set(frame, gray);
	const scaleFactor = frame.scaleFactor ?? 1.1;
	const minSize = frame.minSize ?? 24;
	const [candidates, ticks, scales, windows, stages, features] = haarSearch(
		gray,
		frame.width,
		frame.height,
		cascade,
		scaleFactor,
		minSize,
	);
	const instructions = ticks * instructionsPerTick;
	trace(
		`#bench ${frame.name} ${instructions} Haar face search, frontalface, scale ${scaleFactor}, min ${minSize} px, C scan: ${frame.width}x${frame.height}, ${candidates} candidates, ${scales} scales, ${windows} windows, ${stages} stages, ${features} features (${Math.round(instructions / features)} instructions per feature)\n`,
	);
}

// The CNN's input from a face-sized crop of the QVGA frame (a 120x120 box at its centre).
const qvga = frames.find((frame) => frame.width === 320);
if (qvga)
	trace(
		`#bench crop-resize-96 ${cropResize(pixels.get(qvga)!, 320, 240, 100, 60, 120, 120) * instructionsPerTick} 120x120 crop of QVGA to 96x96 int8 (bilinear + quantize)\n`,
	);
