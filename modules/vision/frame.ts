// Frames from files: binary PGM (P5, maxval 255) read through the file
// module a chunk at a time into the C-owned frame, so no whole image is
// ever in the XS heap. Cameras fill frames in C instead.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
import { pgmHeader } from "native/camera";
import { Frame } from "native/vision";

const CHUNK = 4096;

export { Frame };

/** A zero-copy view of the frame's bytes (row y at y * stride). */
export function frameBytes(frame: Frame): Uint8Array {
	return new Uint8Array(frame as unknown as ArrayBuffer);
}

export function readPgm(path: string, stride?: number): Frame {
	const file = new File(path);
	try {
		// The header is parsed in C, by the PGM reader the boards' replay cameras use.
		const info = new Int32Array(4);
		const bad = pgmHeader(file.read(ArrayBuffer, Math.min(file.length, 512)), info);
		const width = info[0]!,
			height = info[1]!,
			maxval = info[2]!,
			start = info[3]!;
		const fail = (what: string): never => {
			throw new Error(`${path}: PGM ${what}`);
		};
		const read = (n: number) => (n < 0 ? "missing" : String(n));
		if (bad === "magic") fail("magic: expected P5 (binary graymap)");
		if (bad === "width") fail(`width: ${read(width)}, expected 1..4096`);
		if (bad === "height") fail(`height: ${read(height)}, expected 1..4096`);
		if (bad === "maxval") fail(`maxval: ${read(maxval)}, expected 255`);
		if (bad !== undefined) fail("header: no whitespace byte after maxval");
		if (file.length - start < width * height)
			fail(`data: ${file.length - start} bytes, expected ${width * height}`);
		const frame = new Frame(width, height, stride ?? width);
		const rowStride = frame.stride;
		file.position = start;
		// Whole rows per read, at most CHUNK bytes (at least one row).
		const rowsPerRead = Math.max(1, Math.floor(CHUNK / width));
		for (let y = 0; y < height; y += rowsPerRead) {
			const rows = Math.min(rowsPerRead, height - y);
			const chunk = new Uint8Array(file.read(ArrayBuffer, rows * width));
			if (rowStride === width) frame.write(y * width, chunk);
			else
				for (let r = 0; r < rows; r++)
					frame.write((y + r) * rowStride, chunk.subarray(r * width, (r + 1) * width));
		}
		return frame;
	} finally {
		file.close();
	}
}
