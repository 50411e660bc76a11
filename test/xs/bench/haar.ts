// Haar face search benchmark for the mps2-an500 board: the frontalface
// cascade over 8-bit gray frames the bench laid out in the data root, one
// `#bench <name> <instructions>` line each. mc/config `frames`: a list of
// { name, path, width, height }.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { File } from "file";
import { haarSearch } from "xsight/kernels";
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
}

const frames = config["frames"] as Frame[] | undefined;
if (!Array.isArray(frames)) throw new Error("mc/config frames: expected a list of frames");
const cascade = read("/frontalface.cascade");
for (const frame of frames) {
	const [candidates, ticks] = haarSearch(read(frame.path), frame.width, frame.height, cascade, 1.1, 24);
	trace(`#bench ${frame.name} ${ticks * instructionsPerTick} candidates=${candidates}\n`);
}
