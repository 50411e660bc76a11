// The results log: append-only records on the board's file system that
// survive power loss. After any power cut, opening the log finds every record
// whose append() returned and never a torn or corrupt one.
// SPDX-License-Identifier: Apache-2.0
//
// Each record is written with a single write and flushed before append()
// returns. Reading walks the records; one that fails a check (magic, format,
// length inside the file, CRC) is skipped: the walk searches forward for the
// next record that passes them all with a later sequence number, so a bit
// flipped in one record costs that record only, and is reported (recovery).
// Bad bytes after the current file's last intact record are a torn tail, as a
// power loss during append() leaves: an open for appending copies the good
// part to a new file and renames it over the old one (a rename is atomic), so
// the next append never lands after garbage; nothing else is ever cut, and a
// read-only open writes nothing. Rotation by size keeps one older file
// (PATH.1): delete PATH.1, rename PATH to PATH.1, start PATH.
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
	/** Open only to read (records()): nothing is written, not even a torn tail cut; append() throws. */
	readOnly?: boolean;
}

/** What open found (as far as it read: with a resume, only what follows the position). */
export interface LogRecovery {
	/** Bad bytes after the current file's last intact record, as a power loss during an append leaves them: cut unless read-only. */
	droppedBytes: number;
	/** Bad bytes between intact records, in either file: skipped and left in place. */
	skippedBytes: number;
	/** Sequence numbers missing between the intact records read: records lost to corruption. */
	skippedRecords: number;
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
	/** The highest sequence number read (or the one the scan was to follow). */
	lastSeq: number;
	/** The last record read (undefined: none). */
	last: LogPosition | undefined;
	/** Where the last intact record ends: what follows is the tail. */
	end: number;
	length: number;
	skippedBytes: number;
	skippedRecords: number;
}

/** A record whose header checks out and whose length fits in the file; intact when its CRC does too. */
interface Found {
	seq: number;
	time: number;
	text: boolean;
	/** The payload, then the CRC. */
	rest: ArrayBuffer;
	size: number;
	end: number;
	intact: boolean;
}

function describe(value: unknown): string {
	return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function readAt(file: File, offset: number, length: number): Found | undefined {
	if (offset + HEADER + TRAILER > length) return undefined;
	file.position = offset;
	const header = new Uint8Array(file.read(ArrayBuffer, HEADER));
	const view = new DataView(header.buffer);
	if (view.getUint16(0, true) !== MAGIC || view.getUint8(3) !== FORMAT || view.getUint8(2) > 1) return undefined;
	const size = view.getUint32(4, true);
	const end = offset + HEADER + size + TRAILER;
	if (end > length) return undefined;
	const rest = file.read(ArrayBuffer, size + TRAILER);
	const intact = crc32(new Uint8Array(rest, 0, size), crc32(header)) === new DataView(rest).getUint32(size, true);
	return {
		seq: view.getUint32(8, true),
		time: view.getFloat64(12, true),
		text: view.getUint8(2) === 1,
		rest,
		size,
		end,
		intact,
	};
}

/** The next offset from `from` where a record's magic is, or `length`. */
function nextMagic(file: File, from: number, length: number): number {
	const first = MAGIC & 0xff;
	for (let at = from; at + HEADER + TRAILER <= length; at += COPY_BLOCK) {
		file.position = at;
		// One byte more than the step, so a magic across two blocks is seen.
		const block = new Uint8Array(file.read(ArrayBuffer, Math.min(COPY_BLOCK + 1, length - at)));
		for (let i = block.indexOf(first); i >= 0 && i + 1 < block.length; i = block.indexOf(first, i + 1))
			if (block[i + 1] === MAGIC >> 8) return at + i;
	}
	return length;
}

/**
 * Walk a log file's intact records from `offset`, taking those numbered
 * after `after` (0: any) in increasing order; bad bytes are skipped up to the
 * next such record. An intact record with an older number is skipped but
 * counts as intact (it is never cut). Collects the records when asked.
 */
function scan(path: string, after: number, collect: boolean): Scan {
	if (!File.exists(path))
		return {
			records: collect ? [] : undefined,
			lastSeq: after,
			last: undefined,
			end: 0,
			length: 0,
			skippedBytes: 0,
			skippedRecords: 0,
		};
	const file = new File(path);
	try {
		return scanFile(file, after, collect, 0);
	} finally {
		file.close();
	}
}

/** scan() on a file already open, from `offset`. */
function scanFile(file: File, after: number, collect: boolean, offset: number): Scan {
	const length = file.length;
	const result: Scan = {
		records: collect ? [] : undefined,
		lastSeq: after,
		last: undefined,
		end: offset,
		length,
		skippedBytes: 0,
		skippedRecords: 0,
	};
	while (offset + HEADER + TRAILER <= length) {
		const found = readAt(file, offset, length);
		if (!found?.intact) {
			offset = nextMagic(file, offset + 1, length);
			continue;
		}
		result.skippedBytes += offset - result.end;
		if (found.seq > result.lastSeq) {
			if (result.lastSeq > 0) result.skippedRecords += found.seq - result.lastSeq - 1;
			if (result.records) {
				const payload = found.rest.slice(0, found.size);
				result.records.push({
					seq: found.seq,
					time: found.time,
					payload: found.text ? String.fromArrayBuffer(payload) : payload,
				});
			}
			result.lastSeq = found.seq;
			result.last = { seq: found.seq, start: offset, end: found.end };
		} else result.skippedBytes += found.end - offset;
		result.end = offset = found.end;
	}
	return result;
}

/** The sequence number a complete record at the start of the tail claims, when it is the next one: it was written whole, so it is spent. */
function spentSeq(path: string, current: Scan): number {
	if (current.end === current.length) return current.lastSeq;
	const file = new File(path);
	try {
		const torn = readAt(file, current.end, current.length);
		return torn?.seq === current.lastSeq + 1 ? torn.seq : current.lastSeq;
	} finally {
		file.close();
	}
}

/** Both files, the older first; the current file's records follow the older file's. */
function scanLog(path: string, collect: boolean): { older: Scan; current: Scan } {
	const older = scan(`${path}.1`, 0, collect);
	return { older, current: scan(path, older.lastSeq, collect) };
}

export class ResultLog {
	readonly path: string;
	readonly maxBytes: number;
	readonly recovery: LogRecovery;
	readonly readOnly: boolean;
	#flush: boolean;
	#chunk: number;
	#file: File | undefined;
	#length = 0;
	#lastSeq = 0;
	#last: LogPosition | undefined;

	/** Open (or create) the log at `path`; unless read-only, cut off a torn tail left by a power loss. */
	constructor(path: string, options: ResultLogOptions = {}) {
		if (typeof path !== "string" || !path)
			throw new TypeError(`ResultLog: path: expected a file path, got ${describe(path)}`);
		const maxBytes = options.maxBytes ?? 65536;
		if (!Number.isInteger(maxBytes) || maxBytes < 256)
			throw new RangeError(`ResultLog(${path}): maxBytes: expected an integer >= 256, got ${describe(maxBytes)}`);
		this.path = path;
		this.maxBytes = maxBytes;
		this.readOnly = options.readOnly === true;
		this.#flush = options.flush ?? true;
		const chunk = options.chunkBytes ?? Infinity;
		if (!(chunk >= 1))
			throw new RangeError(`ResultLog(${path}): chunkBytes: expected a number >= 1, got ${describe(chunk)}`);
		this.#chunk = chunk;
		// A leftover of a repair cut short: the original is still whole.
		if (!this.readOnly && File.exists(`${path}.new`)) File.delete(`${path}.new`);
		const resumed = this.#resume(options.resume);
		let current = resumed;
		let skippedBytes = 0;
		let skippedRecords = 0;
		if (!current) {
			const both = scanLog(path, false);
			current = both.current;
			// The older file is never appended to again: bad bytes at its end are corruption too.
			skippedBytes = both.older.skippedBytes + both.older.length - both.older.end;
			skippedRecords = both.older.skippedRecords;
		}
		this.recovery = {
			droppedBytes: current.length - current.end,
			skippedBytes: skippedBytes + current.skippedBytes,
			skippedRecords: skippedRecords + current.skippedRecords,
			resumed: resumed !== undefined,
		};
		// Never a number already given out: not the kept position's, nor a whole record's in the tail.
		this.#lastSeq = Math.max(spentSeq(path, current), options.resume?.seq ?? 0);
		if (current.end < current.length && !this.readOnly) this.#repair(current.end);
		this.#last = current.last;
		this.#length = current.end;
	}

	/** Trust the log up to a known record, once that record checks out; read on from there. */
	#resume(position: LogPosition | undefined): Scan | undefined {
		if (position === undefined) return undefined;
		const { seq, start, end } = position;
		if (![seq, start, end].every((n) => Number.isInteger(n) && n >= 0) || end <= start)
			throw new RangeError(`ResultLog(${this.path}): resume: expected { seq, start, end } from log.position`);
		if (!File.exists(this.path)) return undefined;
		// One open for the check and what follows: this runs at every boot.
		const file = new File(this.path);
		try {
			const known = readAt(file, start, file.length);
			if (!known?.intact || known.seq !== seq || known.end !== end) return undefined;
			const rest = scanFile(file, seq, false, end);
			rest.last ??= { seq, start, end };
			return rest;
		} finally {
			file.close();
		}
	}

	/** Where the last record of the current file is, for options.resume at the next open; undefined while the file is empty. */
	get position(): LogPosition | undefined {
		return this.#last && { ...this.#last };
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
		if (this.readOnly) throw new Error(`ResultLog(${this.path}).append: the log was opened read-only`);
		const text = typeof payload === "string";
		let bytes: Uint8Array;
		if (text) bytes = new Uint8Array(ArrayBuffer.fromString(payload));
		else if (payload instanceof ArrayBuffer) bytes = new Uint8Array(payload);
		else if (ArrayBuffer.isView(payload))
			bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
		else
			throw new TypeError(
				`ResultLog(${this.path}).append: expected a string, ArrayBuffer or view, got ${describe(payload)}`,
			);
		if (typeof time !== "number" || !Number.isFinite(time))
			throw new TypeError(`ResultLog(${this.path}).append: time: expected a number, got ${describe(time)}`);
		const size = HEADER + bytes.length + TRAILER;
		if (size > this.maxBytes)
			throw new RangeError(
				`ResultLog(${this.path}).append: a ${bytes.length}-byte payload does not fit in maxBytes ${this.maxBytes}`,
			);
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
		this.#last = { seq, start: this.#length, end: this.#length + size };
		this.#length += size;
		this.#lastSeq = seq;
		return seq;
	}

	/** Every intact record still kept (the older file first), in order. */
	records(): LogRecord[] {
		this.close();
		const { older, current } = scanLog(this.path, true);
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
		this.#last = undefined;
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
