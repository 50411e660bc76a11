// The results log: append-only records on the board's file system that
// survive power loss. After any power cut, opening the log finds every record
// whose append() returned and never a torn or corrupt one.
// SPDX-License-Identifier: Apache-2.0
//
// Each record is written with a single write and flushed before append()
// returns; a record cut short by a power loss fails its length or CRC check,
// and the first record that fails ends the log: open() copies the good part
// to a new file and renames it over the old one (a rename is atomic), so the
// next append never lands after garbage. Rotation by size keeps one older
// file (PATH.1): delete PATH.1, rename PATH to PATH.1, start PATH.
//
// Record (little-endian):
//   0 magic u16 "RL"  2 kind u8 (0 bytes, 1 text)  3 format u8 (1)
//   4 payload bytes u32  8 sequence u32  12 time f64 (Date.now(), ms)
//   20 payload  then CRC-32 (u32) of everything before it
import { File } from "file";
import { crc32 } from "native/bytes";
import { count } from "power";

export interface LogRecord {
	/** 1, 2, 3... in append order, continued across rotations and boots. */
	seq: number;
	/** Date.now() when appended (virtual time on the host simulator). */
	time: number;
	/** What was appended: text comes back as a string, bytes as an ArrayBuffer. */
	payload: string | ArrayBuffer;
}

export interface ResultLogOptions {
	/** Rotate when the current file would grow past this (default 64 KiB); one older file is kept. */
	maxBytes?: number;
	/** Flush to the storage before append() returns (default true). Only a test of the recovery should turn it off. */
	flush?: boolean;
	/**
	 * Write each record in pieces of this many bytes (default: in one write),
	 * as storage that programs page by page does; the power-loss test sets it
	 * small so that a kill can land inside a record.
	 */
	chunkBytes?: number;
	/**
	 * A position from a previous boot (log.position): open checks that record
	 * and reads only what follows it, instead of the whole log; anything that
	 * does not match (a rotation, another file) falls back to a full scan.
	 */
	resume?: LogPosition | undefined;
}

/** What open found: a torn or corrupt tail it cut off (bytes), as after a power loss during an append. */
export interface LogRecovery {
	droppedBytes: number;
	/** Whether open trusted options.resume and read only what follows it. */
	resumed: boolean;
}

/** Where the current file's last record is: keep it (e.g. in retained memory) to open faster next boot. */
export interface LogPosition {
	seq: number;
	start: number;
	end: number;
}

const MAGIC = 0x4c52;
const FORMAT = 1;
const HEADER = 20;
const TRAILER = 4;
const COPY_BLOCK = 4096;

interface Scan {
	records: LogRecord[] | undefined;
	lastSeq: number;
	/** Where the last good record starts (-1: none found). */
	lastStart: number;
	end: number;
	length: number;
}

function describe(value: unknown): string {
	return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Walk a log file's records from `offset` (after a record numbered
 * firstSeq - 1; firstSeq -1: any); stops at the first that fails a check.
 * Collects them when asked. With `only`, checks just one record.
 */
function scan(path: string, firstSeq: number, collect: boolean, offset = 0, only = false): Scan {
	const result: Scan = { records: collect ? [] : undefined, lastSeq: firstSeq - 1, lastStart: -1, end: offset, length: 0 };
	if (!File.exists(path)) return result;
	const file = new File(path);
	try {
		const length = file.length;
		result.length = length;
		while (offset + HEADER + TRAILER <= length && !(only && result.lastStart >= 0)) {
			file.position = offset;
			const header = new Uint8Array(file.read(ArrayBuffer, HEADER));
			const view = new DataView(header.buffer);
			if (view.getUint16(0, true) !== MAGIC || view.getUint8(3) !== FORMAT || view.getUint8(2) > 1) break;
			const size = view.getUint32(4, true);
			if (offset + HEADER + size + TRAILER > length) break;
			const seq = view.getUint32(8, true);
			if (result.lastSeq >= 0 && seq !== result.lastSeq + 1) break;
			const rest = file.read(ArrayBuffer, size + TRAILER);
			const payload = new Uint8Array(rest, 0, size);
			const stored = new DataView(rest).getUint32(size, true);
			if (crc32(payload, crc32(header)) !== stored) break;
			result.records?.push({
				seq,
				time: view.getFloat64(12, true),
				payload: view.getUint8(2) === 1 ? String.fromArrayBuffer(rest.slice(0, size)) : rest.slice(0, size),
			});
			result.lastSeq = seq;
			result.lastStart = offset;
			offset += HEADER + size + TRAILER;
		}
		result.end = offset;
	} finally {
		file.close();
	}
	return result;
}

export class ResultLog {
	readonly path: string;
	readonly maxBytes: number;
	readonly recovery: LogRecovery;
	#flush: boolean;
	#chunk: number;
	#file: File | undefined;
	#length = 0;
	#lastSeq = 0;
	#lastStart = -1;

	/** Open (or create) the log at `path`, cutting off a torn tail left by a power loss. */
	constructor(path: string, options: ResultLogOptions = {}) {
		if (typeof path !== "string" || !path) throw new TypeError(`ResultLog: path: expected a file path, got ${describe(path)}`);
		const maxBytes = options.maxBytes ?? 65536;
		if (!Number.isInteger(maxBytes) || maxBytes < 256) throw new RangeError(`ResultLog(${path}): maxBytes: expected an integer >= 256, got ${describe(maxBytes)}`);
		this.path = path;
		this.maxBytes = maxBytes;
		this.#flush = options.flush ?? true;
		const chunk = options.chunkBytes ?? Infinity;
		if (!(chunk >= 1)) throw new RangeError(`ResultLog(${path}): chunkBytes: expected a number >= 1, got ${describe(chunk)}`);
		this.#chunk = chunk;
		// A leftover of a repair cut short: the original is still whole.
		if (File.exists(`${path}.new`)) File.delete(`${path}.new`);
		const resumed = this.#resume(options.resume);
		const current = resumed ?? this.#scanAll();
		this.recovery = { droppedBytes: current.length - current.end, resumed: resumed !== undefined };
		if (current.end < current.length) this.#repair(current.end);
		this.#lastSeq = Math.max(current.lastSeq, 0);
		this.#lastStart = current.lastStart;
		this.#length = current.end;
	}

	#scanAll(): Scan {
		const older = scan(`${this.path}.1`, -1, false);
		const current = scan(this.path, older.lastSeq >= 0 ? older.lastSeq + 1 : -1, false);
		if (current.lastStart < 0) current.lastSeq = Math.max(current.lastSeq, older.lastSeq);
		return current;
	}

	/** Trust the log up to a known record, once that record checks out; read on from there. */
	#resume(position: LogPosition | undefined): Scan | undefined {
		if (position === undefined) return undefined;
		const { seq, start, end } = position;
		if (![seq, start, end].every((n) => Number.isInteger(n) && n >= 0) || end <= start) throw new RangeError(`ResultLog(${this.path}): resume: expected { seq, start, end } from log.position`);
		const known = scan(this.path, seq, false, start, true);
		if (known.lastSeq !== seq || known.lastStart !== start || known.end !== end) return undefined;
		const rest = scan(this.path, seq + 1, false, end);
		if (rest.lastStart < 0) rest.lastStart = start;
		return rest;
	}

	/** Where the last record of the current file is, for options.resume at the next open; undefined while the file is empty. */
	get position(): LogPosition | undefined {
		return this.#lastStart >= 0 ? { seq: this.#lastSeq, start: this.#lastStart, end: this.#length } : undefined;
	}

	/** The sequence number of the last record (0 when the log is empty). */
	get lastSeq(): number {
		return this.#lastSeq;
	}

	/** Bytes in the current file. */
	get length(): number {
		return this.#length;
	}

	/** Append a record; it is committed when this returns. Returns its sequence number. */
	append(payload: string | ArrayBuffer | ArrayBufferView, time: number = Date.now()): number {
		const text = typeof payload === "string";
		let bytes: Uint8Array;
		if (text) bytes = new Uint8Array(ArrayBuffer.fromString(payload));
		else if (payload instanceof ArrayBuffer) bytes = new Uint8Array(payload);
		else if (ArrayBuffer.isView(payload)) bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
		else throw new TypeError(`ResultLog(${this.path}).append: expected a string, ArrayBuffer or view, got ${describe(payload)}`);
		if (typeof time !== "number" || !Number.isFinite(time)) throw new TypeError(`ResultLog(${this.path}).append: time: expected a number, got ${describe(time)}`);
		const size = HEADER + bytes.length + TRAILER;
		if (size > this.maxBytes) throw new RangeError(`ResultLog(${this.path}).append: a ${bytes.length}-byte payload does not fit in maxBytes ${this.maxBytes}`);
		if (this.#length > 0 && this.#length + size > this.maxBytes) this.#rotate();
		const seq = this.#lastSeq + 1;
		const record = new Uint8Array(size);
		const view = new DataView(record.buffer);
		view.setUint16(0, MAGIC, true);
		view.setUint8(2, text ? 1 : 0);
		view.setUint8(3, FORMAT);
		view.setUint32(4, bytes.length, true);
		view.setUint32(8, seq, true);
		view.setFloat64(12, time, true);
		record.set(bytes, HEADER);
		view.setUint32(size - TRAILER, crc32(record.subarray(0, size - TRAILER)), true);
		const file = this.#open();
		file.position = this.#length;
		if (size <= this.#chunk) file.write(record.buffer);
		else
			for (let offset = 0; offset < size; offset += this.#chunk) {
				file.write(record.buffer.slice(offset, Math.min(size, offset + this.#chunk)));
				file.flush();
			}
		if (this.#flush) file.flush();
		count("file.bytes", size);
		count("file.flushes", this.#flush ? 1 : 0);
		this.#lastStart = this.#length;
		this.#length += size;
		this.#lastSeq = seq;
		return seq;
	}

	/** Every record still kept (the older file first), in order. */
	records(): LogRecord[] {
		this.close();
		const older = scan(`${this.path}.1`, -1, true);
		const current = scan(this.path, older.lastSeq >= 0 ? older.lastSeq + 1 : -1, true);
		return [...(older.records ?? []), ...(current.records ?? [])];
	}

	close(): void {
		this.#file?.close();
		this.#file = undefined;
	}

	#open(): File {
		this.#file ??= new File(this.path, true);
		return this.#file;
	}

	#rotate(): void {
		this.close();
		const older = `${this.path}.1`;
		if (File.exists(older)) File.delete(older);
		if (!File.rename(this.path, older)) throw new Error(`ResultLog(${this.path}): cannot rotate to ${older}`);
		this.#length = 0;
		this.#lastStart = -1;
	}

	/** Keep the first `end` bytes: copy them to PATH.new, flush, rename over PATH. */
	#repair(end: number): void {
		const temp = `${this.path}.new`;
		const from = new File(this.path);
		const to = new File(temp, true);
		try {
			for (let offset = 0; offset < end; offset += COPY_BLOCK) {
				from.position = offset;
				to.write(from.read(ArrayBuffer, Math.min(COPY_BLOCK, end - offset)));
			}
			to.flush();
		} finally {
			from.close();
			to.close();
		}
		if (!File.rename(temp, this.path)) throw new Error(`ResultLog(${this.path}): cannot replace it with ${temp}`);
	}
}
