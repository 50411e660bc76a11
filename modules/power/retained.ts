// The retained store: a small typed key/value store in the memory that
// survives Standby (backup SRAM on the H7, a file in the state folder on the
// host simulator), with preference-like get/set.
// SPDX-License-Identifier: Apache-2.0
//
// That memory keeps whatever was last in it, including half a write when
// power failed, or another firmware's layout. So the store carries a magic,
// a format, the app's schema version and a CRC-32; anything that does not
// check out is reported (status) and reset to empty, never trusted.
//
// Layout (little-endian):
//   0 magic u32 "XSRT"   4 format u16   6 app version u16
//   8 payload bytes u16  10 entries u16  12 CRC-32 of bytes 0..11 + payload
//   16 payload: per entry  key bytes u8, key (UTF-8), type u8, value
//      type 0 false, 1 true, 2 number (f64), 3 string (u16 length + UTF-8), 4 bytes (u16 length + bytes)
import { crc32, histogram } from "native/bytes";
import * as board from "native/power";

export type RetainedValue = boolean | number | string | ArrayBuffer;
/** What the store held at boot: "ok", "empty" (never written), "corrupt" (bad magic, checksum or layout) or "incompatible" (another format or app version). */
export type RetainedStatus = "ok" | "empty" | "corrupt" | "incompatible";

const MAGIC = 0x54525358; // "XSRT"
const FORMAT = 1;
const HEADER = 16;
const MAX_KEY = 32;

function utf8(text: string): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(text));
}

export class RetainedStore {
	#values = new Map<string, RetainedValue>();
	#version = 0;
	#status: RetainedStatus;
	readonly capacity: number;

	constructor() {
		this.capacity = board.retainedSize() - HEADER;
		this.#status = this.#load(new Uint8Array(board.readRetained()));
		if (this.#status !== "ok") {
			this.#values.clear();
			this.#version = 0;
			// Reset it now, so the next boot does not report the same damage again.
			if (this.#status !== "empty") this.#commit();
		}
	}

	/** Why the store is what it is at boot. Anything but "ok" means it was reset to empty. */
	get status(): RetainedStatus {
		return this.#status;
	}

	/** The app schema version the store holds (0 until set by require()). */
	get version(): number {
		return this.#version;
	}

	/**
	 * Require the app's schema version: a store written with another version is
	 * cleared (status "incompatible") and stamped with this one. Returns whether
	 * the store was kept.
	 */
	require(version: number): boolean {
		if (!Number.isInteger(version) || version < 1 || version > 0xffff)
			throw new RangeError(`retained.require: version: expected an integer 1..65535, got ${version}`);
		if (this.#version === version) return true;
		const kept = this.#version === 0 && this.#values.size === 0;
		if (!kept) this.#status = "incompatible";
		this.#values.clear();
		this.#version = version;
		this.#commit();
		return kept;
	}

	get(key: string): RetainedValue | undefined {
		return this.#values.get(key);
	}

	number(key: string, fallback: number): number {
		const value = this.#values.get(key);
		return typeof value === "number" ? value : fallback;
	}

	string(key: string, fallback: string): string {
		const value = this.#values.get(key);
		return typeof value === "string" ? value : fallback;
	}

	boolean(key: string, fallback: boolean): boolean {
		const value = this.#values.get(key);
		return typeof value === "boolean" ? value : fallback;
	}

	has(key: string): boolean {
		return this.#values.has(key);
	}

	keys(): string[] {
		return [...this.#values.keys()];
	}

	/** Store a value; committed to the retained memory when this returns. Throws when it does not fit (nothing changes). */
	set(key: string, value: RetainedValue): void {
		this.#store([[key, value]], "retained.set");
	}

	/**
	 * Store several values with one write of the retained memory (the field app
	 * writes its wake's state once, not once per value): all are checked first,
	 * and committed together when this returns; a wrong one or a store that
	 * does not fit throws and nothing changes.
	 */
	update(values: Record<string, RetainedValue>): void {
		if (typeof values !== "object" || values === null)
			throw new TypeError(`retained.update: expected an object of keys and values, got ${String(values)}`);
		this.#store(Object.entries(values), "retained.update");
	}

	// Indexed loops and forEach, not for-of with destructuring: XS runs the iterator protocol for each
	// (the array's, then the pair's), about 100 bytecodes an entry, and a wake writes the store once.
	#store(entries: [string, RetainedValue][], where: string): void {
		for (let i = 0; i < entries.length; i++) {
			const entry = entries[i]!;
			const key = entry[0],
				value = entry[1];
			// A key of at most MAX_KEY / 3 UTF-16 units fits in MAX_KEY bytes of UTF-8 without encoding it.
			if (
				typeof key !== "string" ||
				key.length === 0 ||
				(key.length * 3 > MAX_KEY && ArrayBuffer.fromString(key).byteLength > MAX_KEY)
			)
				throw new TypeError(
					`${where}: key: expected 1 to ${MAX_KEY} bytes of text, got ${JSON.stringify(key)}`,
				);
			const ok =
				typeof value === "boolean" ||
				typeof value === "string" ||
				value instanceof ArrayBuffer ||
				(typeof value === "number" && !Number.isNaN(value));
			if (!ok) throw new TypeError(`${where}(${key}): expected a boolean, number, string or ArrayBuffer`);
		}
		// Copied by forEach: new Map(map) goes through the iterator protocol for each entry.
		const before = new Map<string, RetainedValue>();
		this.#values.forEach((v, k) => before.set(k, v));
		for (let i = 0; i < entries.length; i++) {
			const value = entries[i]![1];
			this.#values.set(entries[i]![0], value instanceof ArrayBuffer ? value.slice(0) : value);
		}
		try {
			this.#commit();
		} catch (error) {
			this.#values = before;
			throw error;
		}
	}

	delete(key: string): boolean {
		const had = this.#values.delete(key);
		if (had) this.#commit();
		return had;
	}

	/** Empty the store (keeps the app version). */
	clear(): void {
		this.#values.clear();
		this.#commit();
	}

	// Sized first, then written in place: a wake writes the store once, and the small arrays a part
	// each made were garbage a collection had to find (on the M7 the wake's last one landed here).
	#encode(): Uint8Array {
		const names: Uint8Array[] = [];
		const data: (Uint8Array | null)[] = [];
		let length = 0;
		this.#values.forEach((value, key) => {
			const name = utf8(key);
			let bytes: Uint8Array | null = null;
			length += 2 + name.length;
			if (typeof value === "number") length += 8;
			else if (typeof value !== "boolean") {
				bytes = typeof value === "string" ? utf8(value) : new Uint8Array(value);
				if (bytes.length > 0xffff)
					throw new RangeError(`retained.set(${key}): ${bytes.length} bytes is too long`);
				length += 2 + bytes.length;
			}
			names.push(name);
			data.push(bytes);
		});
		if (length > this.capacity)
			throw new RangeError(
				`retained: ${length} bytes do not fit in the ${this.capacity} bytes that survive Standby`,
			);
		const out = new Uint8Array(HEADER + length);
		const view = new DataView(out.buffer);
		view.setUint32(0, MAGIC, true);
		view.setUint16(4, FORMAT, true);
		view.setUint16(6, this.#version, true);
		view.setUint16(8, length, true);
		view.setUint16(10, this.#values.size, true);
		let offset = HEADER;
		let i = 0;
		this.#values.forEach((value) => {
			const name = names[i]!;
			out[offset++] = name.length;
			out.set(name, offset);
			offset += name.length;
			if (typeof value === "boolean") out[offset++] = value ? 1 : 0;
			else if (typeof value === "number") {
				out[offset++] = 2;
				view.setFloat64(offset, value, true);
				offset += 8;
			} else {
				const bytes = data[i]!;
				out[offset++] = typeof value === "string" ? 3 : 4;
				view.setUint16(offset, bytes.length, true);
				out.set(bytes, offset + 2);
				offset += 2 + bytes.length;
			}
			i++;
		});
		view.setUint32(12, crc32(out.subarray(HEADER), crc32(out.subarray(0, 12))), true);
		return out;
	}

	#commit(): void {
		board.writeRetained(this.#encode());
	}

	#load(bytes: Uint8Array): RetainedStatus {
		const view = new DataView(bytes.buffer);
		const magic = view.getUint32(0, true);
		// Counted in C: a byte at a time in JS is 4 M instructions on the M7, at every power-on.
		if (magic === 0 && histogram(bytes, new Uint32Array(256))[0] === bytes.length) return "empty";
		if (magic !== MAGIC) return "corrupt";
		const length = view.getUint16(8, true);
		if (HEADER + length > bytes.length) return "corrupt";
		if (crc32(bytes.subarray(HEADER, HEADER + length), crc32(bytes.subarray(0, 12))) !== view.getUint32(12, true))
			return "corrupt";
		if (view.getUint16(4, true) !== FORMAT) return "incompatible";
		this.#version = view.getUint16(6, true);
		const count = view.getUint16(10, true);
		let offset = HEADER;
		const end = HEADER + length;
		const need = (n: number) => {
			if (offset + n > end) throw new RangeError("truncated");
		};
		try {
			for (let i = 0; i < count; i++) {
				need(1);
				const keyLength = bytes[offset++] ?? 0;
				need(keyLength + 1);
				const key = String.fromArrayBuffer(bytes.slice(offset, offset + keyLength).buffer);
				offset += keyLength;
				const type = bytes[offset++];
				if (type === 0 || type === 1) this.#values.set(key, type === 1);
				else if (type === 2) {
					need(8);
					this.#values.set(key, view.getFloat64(offset, true));
					offset += 8;
				} else if (type === 3 || type === 4) {
					need(2);
					const n = view.getUint16(offset, true);
					offset += 2;
					need(n);
					const data = bytes.slice(offset, offset + n).buffer;
					this.#values.set(key, type === 3 ? String.fromArrayBuffer(data) : data);
					offset += n;
				} else return "corrupt";
			}
		} catch {
			return "corrupt";
		}
		if (offset !== end) return "corrupt";
		return "ok";
	}
}

/** The board's retained store, loaded (and checked) when first imported. */
export const retained = new RetainedStore();
