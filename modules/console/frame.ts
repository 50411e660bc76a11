// The console protocol's framing (docs/console-protocol.md): a frame is SOF, the escaped body
// (type, id, payload, CRC-32 of those, little-endian), EOF; neither marker, the escape, XON nor
// XOFF appears inside it. Text the board prints between frames
// is left alone, and a frame cut short, with a bad escape or a bad CRC is reported, never
// delivered. The same module runs on XS (the board) and in Node (the xsight tools); each passes
// its own CRC-32 (IEEE, as zlib), so this file imports nothing.
// SPDX-License-Identifier: Apache-2.0

export const SOF = 0xc0;
export const EOF = 0xc1;
export const ESC = 0xdb;
/**
 * Never sent as they are inside a frame, but as ESC and the byte with bit 5 flipped: the markers,
 * the escape, and XON and XOFF, at which a terminal with software flow control on (a
 * pseudo-terminal's default, until the host sets it raw) would stop its output.
 */
const ESCAPED = [SOF, EOF, ESC, 0x11, 0x13];
const needsEscape = (byte: number) => byte === SOF || byte === EOF || byte === ESC || byte === 0x11 || byte === 0x13;
/** Type and id, before the payload. */
const HEAD = 3;
/** The largest payload either side sends or takes, bytes. */
export const MAX_PAYLOAD = 4096;

export type Crc32 = (data: Uint8Array, crc?: number) => number;
/** The count of each byte value of `data`, 256 of them (native/bytes histogram on a board). */
export type ByteCounts = (data: Uint8Array) => Uint32Array;

export interface Frame {
	/** One ASCII letter: the command, or its answer (docs/console-protocol.md). */
	type: string;
	/** The request's number, echoed by its answer (0..65535, little-endian). */
	id: number;
	payload: Uint8Array;
}

/**
 * SOF, the escaped type, id, payload and CRC, EOF. A board passes `byteCounts` too: the search for
 * the bytes to escape then looks only for those the frame holds, as many as it holds, and is
 * skipped when it holds none (a JSON payload never does; its CRC and id rarely).
 */
export function encodeFrame(frame: Frame, crc32: Crc32, byteCounts?: ByteCounts): Uint8Array {
	if (frame.payload.length > MAX_PAYLOAD)
		throw new RangeError(`console frame: payload of ${frame.payload.length} bytes, at most ${MAX_PAYLOAD}`);
	const body = new Uint8Array(frame.payload.length + HEAD + 4);
	body[0] = frame.type.charCodeAt(0);
	body[1] = frame.id & 0xff;
	body[2] = (frame.id >> 8) & 0xff;
	body.set(frame.payload, HEAD);
	const crc = crc32(body.subarray(0, body.length - 4));
	new DataView(body.buffer).setUint32(body.length - 4, crc, true);
	// The bytes to escape are found with indexOf and the runs between them copied whole: a loop over
	// every byte costs about 4,000 instructions a byte on XS on the M7, and indexOf about 550 (0.55 M
	// for a wake's 200-byte record frame, five searches), so a board counts them first in C.
	const counts = byteCounts?.(body);
	const at: number[] = [];
	for (let b = 0; b < ESCAPED.length; b++) {
		const byte = ESCAPED[b]!;
		let left = counts ? (counts[byte] ?? 0) : body.length;
		for (let i = left > 0 ? body.indexOf(byte) : -1; i >= 0; i = --left > 0 ? body.indexOf(byte, i + 1) : -1)
			at.push(i);
	}
	at.sort((x, y) => x - y);
	const out = new Uint8Array(body.length + at.length + 2);
	out[0] = SOF;
	let from = 0;
	let to = 1;
	for (let k = 0; k < at.length; k++) {
		const i = at[k]!;
		out.set(body.subarray(from, i), to);
		to += i - from;
		out[to++] = ESC;
		out[to++] = body[i]! ^ 0x20;
		from = i + 1;
	}
	out.set(body.subarray(from), to);
	out[out.length - 1] = EOF;
	return out;
}

/** What a Deframer found: a frame, or why bytes that began one were dropped. */
export type Received = { frame: Frame } | { garbled: string };

/**
 * Frames out of a byte stream however it is cut: push() what arrived, get back the frames it
 * completed and, for each frame that was not intact, why. Bytes outside frames are text, kept
 * for whoever wants them (the board's console) with takeText().
 */
export class Deframer {
	#crc32: Crc32;
	#body = new Uint8Array(MAX_PAYLOAD + HEAD + 4);
	#length = -1; // -1: outside a frame
	#escaped = false;
	#broken = "";
	#text: number[] = [];

	constructor(crc32: Crc32) {
		this.#crc32 = crc32;
	}

	push(bytes: Uint8Array): Received[] {
		const found: Received[] = [];
		for (const byte of bytes) {
			if (byte === SOF) {
				if (this.#length >= 0) found.push({ garbled: "a frame cut short by the next" });
				this.#length = 0;
				this.#escaped = false;
				this.#broken = "";
			} else if (this.#length < 0) {
				this.#text.push(byte);
			} else if (byte === EOF) {
				found.push(this.#end());
				this.#length = -1;
			} else if (this.#broken) {
				// skipped up to the frame's end
			} else if (this.#escaped) {
				this.#escaped = false;
				if (needsEscape(byte ^ 0x20)) this.#add(byte ^ 0x20);
				else this.#broken = `a bad escape 0x${byte.toString(16)}`;
			} else if (byte === ESC) this.#escaped = true;
			else this.#add(byte);
		}
		return found;
	}

	/** The bytes outside frames since the last call, as text. */
	takeText(): string {
		const text = String.fromCharCode(...this.#text);
		this.#text = [];
		return text;
	}

	#add(byte: number): void {
		if (this.#length === this.#body.length) this.#broken = `longer than ${MAX_PAYLOAD} bytes of payload`;
		else this.#body[this.#length++] = byte;
	}

	#end(): Received {
		if (this.#broken) return { garbled: this.#broken };
		if (this.#escaped) return { garbled: "an escape at its end" };
		if (this.#length < HEAD + 4) return { garbled: `${this.#length} bytes, too short` };
		const body = this.#body.subarray(0, this.#length);
		const crc = new DataView(body.buffer, body.byteOffset).getUint32(body.length - 4, true);
		if (this.#crc32(body.subarray(0, body.length - 4)) !== crc) return { garbled: "a bad CRC" };
		return {
			frame: {
				type: String.fromCharCode(body[0]!),
				id: body[1]! | (body[2]! << 8),
				payload: body.slice(HEAD, body.length - 4),
			},
		};
	}
}
