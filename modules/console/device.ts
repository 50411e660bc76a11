// The board's end of the console protocol (docs/console-protocol.md): frames over the console
// UART (native/console). Every wake announces itself with a "w" frame (what `xsight monitor`
// prints); a wake that a held line starts (a byte arrived: the host is sending) answers commands
// until the host says "Q" or goes quiet (console/session, imported only then).
// SPDX-License-Identifier: Apache-2.0
import { Deframer, encodeFrame, type Frame, type Received } from "console/frame";
import { crc32, histogram } from "native/bytes";
import { pending, read, write } from "native/console";

// The receiver on from the wake's start (imported with main): a byte the host sends while the app
// works is latched by the wake's end (QEMU's UART takes none while its receiver is off).
pending();

// A frame's byte counts, in C, into bins kept for every frame of the wake.
const bins = new Uint32Array(256);
const byteCounts = (data: Uint8Array) => histogram(data, bins);

/** Sends one frame; false on a board without a console UART. */
export function send(type: string, id: number, payload: Uint8Array): boolean {
	return write(encodeFrame({ type, id, payload }, crc32, byteCounts));
}

export function sendJson(type: string, id: number, value: unknown): boolean {
	return send(type, id, new Uint8Array(ArrayBuffer.fromString(JSON.stringify(value))));
}

export function parseJson(frame: Frame): unknown {
	return JSON.parse(String.fromArrayBuffer(frame.payload.buffer as ArrayBuffer));
}

/**
 * The wake's record (its JSON, as the app already made it for its log), and the first boot's time
 * the wake times count from: the frame's payload is JSON.stringify({ record, start }), written out.
 */
export function announce(recordJson: string, start: number): void {
	send("w", 0, new Uint8Array(ArrayBuffer.fromString(`{"record":${recordJson},"start":${start}}`)));
}

/** Whether the host is holding the line: a byte came in during this wake. */
export function asked(): boolean {
	return pending();
}

/** Frames as they arrive, each read waiting at most `timeoutMs`. */
export class Receiver {
	#deframer = new Deframer(crc32);
	#buffer = new Uint8Array(256);
	#queue: Received[] = [];

	/** The next frame or garbled frame, or undefined when nothing came for `timeoutMs`. */
	next(timeoutMs: number): Received | undefined {
		while (this.#queue.length === 0) {
			const got = read(this.#buffer, timeoutMs);
			if (got === 0) return undefined;
			this.#queue = this.#deframer.push(this.#buffer.subarray(0, got));
			this.#deframer.takeText();
		}
		return this.#queue.shift();
	}
}
