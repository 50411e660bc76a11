// Frames from files: binary PGM (P5, maxval 255) read through the file
// module a chunk at a time into the C-owned frame, so no whole image is
// ever in the XS heap. Cameras fill frames in C instead.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
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
		const head = new Uint8Array(file.read(ArrayBuffer, Math.min(file.length, 512)));
		let at = 0;
		const fail = (what: string): never => {
			throw new Error(`${path}: PGM ${what}`);
		};
		const token = (): string => {
			for (;;) {
				while (at < head.length && " \t\r\n".includes(String.fromCharCode(head[at] ?? 0))) at++;
				if (head[at] === 0x23) {
					while (at < head.length && head[at] !== 0x0a) at++;
					continue;
				}
				break;
			}
			let text = "";
			while (at < head.length && !" \t\r\n#".includes(String.fromCharCode(head[at] ?? 0)))
				text += String.fromCharCode(head[at++] ?? 0);
			if (at >= head.length) fail("header: truncated");
			return text;
		};
		if (token() !== "P5") fail("magic: expected P5 (binary graymap)");
		const width = Number(token()),
			height = Number(token()),
			maxval = Number(token());
		if (!Number.isInteger(width) || width < 1 || width > 4096) fail(`width: ${width}, expected 1..4096`);
		if (!Number.isInteger(height) || height < 1 || height > 4096) fail(`height: ${height}, expected 1..4096`);
		if (maxval !== 255) fail(`maxval: ${maxval}, expected 255`);
		at++; // the single whitespace after maxval
		const start = at;
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
