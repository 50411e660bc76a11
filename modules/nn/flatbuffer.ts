/*
 * A lean, validating flatbuffer reader over a Uint8Array.
 *
 * Why hand-written: the device runs XS with 512 KB for everything, so the
 * generated flatbuffers runtime (and its object-per-accessor style) is too
 * heavy, and a model file arrives from outside (flash, SD card, host upload),
 * so every offset and length must be checked before it is followed.
 *
 * Every read goes through `check()`, which throws an Error naming the source
 * file and what was being read ("model.tflite: subgraph 0 tensor 3: shape: ...").
 * Nothing here copies bulk bytes: `Vector.bytes()` returns a subarray view.
 *
 * Wire format facts used (flatbuffers binary format):
 *  - all scalars little-endian; uoffset = u32 forward offset from its own
 *    position; soffset = i32, vtable position = table position - soffset;
 *  - vtable: u16 vtable byte size, u16 table object byte size, then one u16
 *    field offset per field id (0 = absent, use default);
 *  - vector / string: uoffset to a u32 element count, then the elements
 *    (strings are UTF-8 followed by a 0 byte, not counted);
 *  - union: a u8 type field (id n) followed by a uoffset-to-table (id n+1).
 */

import { decodeUtf8 } from "./utf8";

/** Throws the reader's canonical error: "<source>: <context>: <message>". */
export function fail(source: string, context: string, message: string): never {
	throw new Error(context === "" ? `${source}: ${message}` : `${source}: ${context}: ${message}`);
}

const TWO_32 = 4294967296;

export class FlatBuffer {
	readonly bytes: Uint8Array;
	readonly view: DataView;
	readonly source: string;

	constructor(bytes: Uint8Array, source: string) {
		this.bytes = bytes;
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		this.source = source;
	}

	get length(): number {
		return this.bytes.byteLength;
	}

	/** Ensures [pos, pos+size) lies inside the buffer. */
	check(pos: number, size: number, context: string, what: string): void {
		if (!(pos >= 0) || !(size >= 0) || pos + size > this.bytes.byteLength) {
			fail(
				this.source,
				context,
				`${what} at offset ${pos} (${size} bytes) runs past the end of the ${this.bytes.byteLength}-byte file`,
			);
		}
	}

	u8(pos: number, context: string): number {
		this.check(pos, 1, context, "u8");
		return this.view.getUint8(pos);
	}
	i8(pos: number, context: string): number {
		this.check(pos, 1, context, "i8");
		return this.view.getInt8(pos);
	}
	u16(pos: number, context: string): number {
		this.check(pos, 2, context, "u16");
		return this.view.getUint16(pos, true);
	}
	i32(pos: number, context: string): number {
		this.check(pos, 4, context, "i32");
		return this.view.getInt32(pos, true);
	}
	u32(pos: number, context: string): number {
		this.check(pos, 4, context, "u32");
		return this.view.getUint32(pos, true);
	}
	f32(pos: number, context: string): number {
		this.check(pos, 4, context, "f32");
		return this.view.getFloat32(pos, true);
	}
	/** Unsigned 64-bit value as a number; throws if it exceeds 2^53 (no exact double). */
	u64(pos: number, context: string): number {
		this.check(pos, 8, context, "u64");
		const lo = this.view.getUint32(pos, true);
		const hi = this.view.getUint32(pos + 4, true);
		if (hi >= 0x200000) fail(this.source, context, `64-bit value ${hi}*2^32+${lo} is too large`);
		return hi * TWO_32 + lo;
	}
	/** Signed 64-bit value as a number; throws outside ±2^53. */
	i64(pos: number, context: string): number {
		this.check(pos, 8, context, "i64");
		const lo = this.view.getUint32(pos, true);
		const hi = this.view.getInt32(pos + 4, true);
		if (hi >= 0x200000 || hi < -0x200000) fail(this.source, context, `64-bit value (high word ${hi}) is too large`);
		return hi * TWO_32 + lo;
	}

	/** Follows the uoffset stored at `pos`. */
	deref(pos: number, context: string): number {
		const target = pos + this.u32(pos, context);
		if (target >= this.bytes.byteLength) {
			fail(
				this.source,
				context,
				`offset at ${pos} points to ${target}, past the end of the ${this.bytes.byteLength}-byte file`,
			);
		}
		return target;
	}

	/** The root table (uoffset at byte 0). */
	root(context: string): Table {
		return new Table(this, this.deref(0, context), context);
	}

	/** The 4-byte file identifier at bytes 4..7, or "" if the file is too short. */
	identifier(): string {
		if (this.bytes.byteLength < 8) return "";
		let s = "";
		for (let i = 4; i < 8; i++) s += String.fromCharCode(this.bytes[i]!);
		return s;
	}
}

export class Table {
	readonly fb: FlatBuffer;
	readonly pos: number;
	readonly context: string;
	private readonly vtable: number;
	private readonly vtableSize: number;
	private readonly objectSize: number;

	constructor(fb: FlatBuffer, pos: number, context: string) {
		this.fb = fb;
		this.pos = pos;
		this.context = context;
		const vtable = pos - fb.i32(pos, context);
		if (vtable < 0 || vtable + 4 > fb.length) {
			fail(fb.source, context, `table at ${pos} has its vtable at ${vtable}, outside the ${fb.length}-byte file`);
		}
		// Inside the file (checked just above): read directly, not through checked reads.
		const vtableSize = fb.view.getUint16(vtable, true);
		const objectSize = fb.view.getUint16(vtable + 2, true);
		if (vtableSize < 4 || (vtableSize & 1) !== 0)
			fail(fb.source, context, `table at ${pos}: bad vtable size ${vtableSize}`);
		fb.check(vtable, vtableSize, context, "vtable");
		if (objectSize < 4) fail(fb.source, context, `table at ${pos}: bad object size ${objectSize}`);
		fb.check(pos, objectSize, context, "table");
		this.vtable = vtable;
		this.vtableSize = vtableSize;
		this.objectSize = objectSize;
	}

	/**
	 * Absolute position of field `id` (of `size` bytes), or 0 when absent.
	 * Checks the field lies inside the table's object, as the flatbuffers
	 * verifier does, so a field can never alias the vtable or another table.
	 */
	field(id: number, size: number): number {
		const slot = 4 + 2 * id;
		if (slot + 2 > this.vtableSize) return 0;
		const rel = this.fb.view.getUint16(this.vtable + slot, true);
		if (rel === 0) return 0;
		if (rel < 4 || rel + size > this.objectSize) {
			fail(
				this.fb.source,
				this.context,
				`field ${id} at +${rel} (${size} bytes) lies outside its ${this.objectSize}-byte table`,
			);
		}
		return this.pos + rel;
	}

	has(id: number): boolean {
		return this.field(id, 1) !== 0;
	}

	u8(id: number, def: number): number {
		const p = this.field(id, 1);
		return p === 0 ? def : this.fb.view.getUint8(p);
	}
	i8(id: number, def: number): number {
		const p = this.field(id, 1);
		return p === 0 ? def : this.fb.view.getInt8(p);
	}
	bool(id: number, def: boolean): boolean {
		const p = this.field(id, 1);
		return p === 0 ? def : this.fb.view.getUint8(p) !== 0;
	}
	i32(id: number, def: number): number {
		const p = this.field(id, 4);
		return p === 0 ? def : this.fb.view.getInt32(p, true);
	}
	u32(id: number, def: number): number {
		const p = this.field(id, 4);
		return p === 0 ? def : this.fb.view.getUint32(p, true);
	}
	f32(id: number, def: number): number {
		const p = this.field(id, 4);
		return p === 0 ? def : this.fb.view.getFloat32(p, true);
	}
	u64(id: number, def: number): number {
		const p = this.field(id, 8);
		return p === 0 ? def : this.fb.u64(p, this.context);
	}

	/** Absolute position of an inline struct of `size` bytes, or 0 when absent. */
	struct(id: number, size: number): number {
		return this.field(id, size);
	}

	/** Sub-table at field `id`, or null. `context` names it in errors. */
	table(id: number, context: string): Table | null {
		const p = this.field(id, 4);
		return p === 0 ? null : new Table(this.fb, this.fb.deref(p, context), context);
	}

	/** Vector of `elemSize`-byte elements at field `id`, or null when absent. */
	vector(id: number, elemSize: number, context: string): Vector | null {
		const p = this.field(id, 4);
		if (p === 0) return null;
		return Vector.at(this.fb, this.fb.deref(p, context), elemSize, context);
	}

	/** UTF-8 string at field `id`, or `def` when absent. */
	string(id: number, def: string, context: string): string {
		const p = this.field(id, 4);
		if (p === 0) return def;
		const v = Vector.at(this.fb, this.fb.deref(p, context), 1, context);
		return decodeUtf8(this.fb.bytes, v.start, v.length);
	}

	/** The union value table for a union whose type is field `typeId` (value at typeId+1). */
	union(typeId: number, context: string): { type: number; table: Table | null } {
		const type = this.u8(typeId, 0);
		return { type, table: type === 0 ? null : this.table(typeId + 1, context) };
	}
}

export class Vector {
	readonly fb: FlatBuffer;
	readonly start: number;
	readonly length: number;
	readonly elemSize: number;
	readonly context: string;

	private constructor(fb: FlatBuffer, start: number, length: number, elemSize: number, context: string) {
		this.fb = fb;
		this.start = start;
		this.length = length;
		this.elemSize = elemSize;
		this.context = context;
	}

	/** Reads the length prefix at `pos` and bounds-checks the whole vector. */
	static at(fb: FlatBuffer, pos: number, elemSize: number, context: string): Vector {
		const length = fb.u32(pos, context);
		const start = pos + 4;
		// Compare against the remaining bytes first so a huge count never
		// produces a huge product.
		if (length > (fb.length - start) / elemSize) {
			fail(
				fb.source,
				context,
				`vector at ${pos} claims ${length} elements of ${elemSize} bytes, but only ${fb.length - start} bytes remain`,
			);
		}
		return new Vector(fb, start, length, elemSize, context);
	}

	private index(i: number): number {
		if (!(i >= 0 && i < this.length))
			fail(this.fb.source, this.context, `index ${i} out of range (${this.length} elements)`);
		return this.start + i * this.elemSize;
	}

	u8(i: number): number {
		return this.fb.view.getUint8(this.index(i));
	}
	i32(i: number): number {
		return this.fb.view.getInt32(this.index(i), true);
	}
	u32(i: number): number {
		return this.fb.view.getUint32(this.index(i), true);
	}
	f32(i: number): number {
		return this.fb.view.getFloat32(this.index(i), true);
	}
	i64(i: number): number {
		return this.fb.i64(this.index(i), this.context);
	}
	/** Element i of a vector of tables (elements are uoffsets). */
	table(i: number, context: string): Table {
		return new Table(this.fb, this.fb.deref(this.index(i), context), context);
	}
	/** Element i of a vector of strings. */
	string(i: number, context: string): string {
		const v = Vector.at(this.fb, this.fb.deref(this.index(i), context), 1, context);
		return decodeUtf8(this.fb.bytes, v.start, v.length);
	}
	/** Position of struct element i (elemSize = struct size). */
	structAt(i: number): number {
		return this.index(i);
	}
	/** Zero-copy view of a byte vector. */
	bytes(): Uint8Array {
		return this.fb.bytes.subarray(this.start, this.start + this.length * this.elemSize);
	}
	/**
	 * The elements as a Float32Array / Int32Array view of the file, or null
	 * when the vector is not 4-byte aligned in its buffer (flatbuffers align
	 * them; a hand-made file may not). Typed arrays read in the machine's byte
	 * order, little-endian like the file on every xsight board and host. A
	 * view's element reads are the engine's own, not a method call each: a
	 * per-channel quantization vector of a few hundred values costs far less.
	 */
	f32View(): Float32Array | null {
		const at = this.fb.bytes.byteOffset + this.start;
		return (at & 3) === 0 && this.elemSize === 4 ? new Float32Array(this.fb.bytes.buffer, at, this.length) : null;
	}
	/** Int32 words of the vector (two per element of an 8-byte vector), or null as f32View. */
	i32View(): Int32Array | null {
		const at = this.fb.bytes.byteOffset + this.start;
		return (at & 3) === 0 && (this.elemSize & 3) === 0
			? new Int32Array(this.fb.bytes.buffer, at, (this.length * this.elemSize) >> 2)
			: null;
	}

	/** Small int32 vectors (shapes, operator inputs) as a plain array. */
	toI32Array(): number[] {
		const out: number[] = [];
		for (let i = 0; i < this.length; i++) out.push(this.fb.view.getInt32(this.start + 4 * i, true));
		return out;
	}
}
