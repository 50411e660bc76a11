// The flatbuffer reader on hand-built buffers: well-formed reads, then each
// kind of corruption it must catch, with the source name in the message.
import { Builder } from "flatbuffers";
import { describe, expect, test } from "vitest";
import { FlatBuffer, Table, Vector } from "../modules/nn/flatbuffer";
import { decodeUtf8 } from "../modules/nn/utf8";

/** Root table: 0 int32 = -7, 1 string, 2 [int32], 3 struct {int32 a, int32 b}, 4/5 union -> table {0: int8 = 5}, 6 u64. */
function sample(text = "héllo 😀", u64 = 2n ** 40n + 3n): Uint8Array {
	const b = new Builder(64);
	const s = b.createString(text);
	b.startVector(4, 3, 4);
	for (const v of [3, 2, 1]) b.addInt32(v);
	const vec = b.endVector();
	b.startObject(1);
	b.addFieldInt8(0, 5, 0);
	const sub = b.endObject();
	b.startObject(7);
	b.addFieldInt32(0, -7, 0);
	b.addFieldOffset(1, s, 0);
	b.addFieldOffset(2, vec, 0);
	b.prep(4, 8);
	b.writeInt32(20);
	b.writeInt32(10); // written back to front: a = 10, b = 20
	b.addFieldStruct(3, b.offset(), 0);
	b.addFieldInt8(4, 1, 0);
	b.addFieldOffset(5, sub, 0);
	b.addFieldInt64(6, u64, 0n);
	const root = b.endObject();
	b.finish(root, "TEST");
	return b.asUint8Array().slice();
}

describe("well-formed reads", () => {
	test("scalars, strings, vectors, structs, unions, defaults", () => {
		const fb = new FlatBuffer(sample(), "t.bin");
		expect(fb.identifier()).toBe("TEST");
		const t = fb.root("root");
		expect(t.i32(0, 0)).toBe(-7);
		expect(t.string(1, "", "name")).toBe("héllo 😀");
		const v = t.vector(2, 4, "vec")!;
		expect(v.length).toBe(3);
		expect(v.toI32Array()).toEqual([1, 2, 3]);
		const sp = t.struct(3, 8);
		expect(fb.i32(sp, "s")).toBe(10);
		expect(fb.i32(sp + 4, "s")).toBe(20);
		const u = t.union(4, "u");
		expect(u.type).toBe(1);
		expect(u.table!.i8(0, 0)).toBe(5);
		expect(t.u64(6, 0)).toBe(2 ** 40 + 3);
		// Absent fields give defaults, including ids past the vtable's end.
		expect(t.i32(40, 123)).toBe(123);
		expect(t.table(41, "x")).toBeNull();
		expect(t.vector(42, 4, "x")).toBeNull();
		expect(t.string(43, "dflt", "x")).toBe("dflt");
	});

	test("byte vectors are views, not copies", () => {
		const bytes = sample();
		const v = new FlatBuffer(bytes, "t.bin").root("r").vector(2, 4, "v")!;
		expect(v.bytes().buffer).toBe(bytes.buffer);
		expect(v.bytes().byteLength).toBe(12);
	});

	test("works on a view with a non-zero byteOffset", () => {
		const inner = sample();
		const outer = new Uint8Array(inner.length + 13);
		outer.set(inner, 13);
		const t = new FlatBuffer(outer.subarray(13), "off.bin").root("r");
		expect(t.string(1, "", "s")).toBe("héllo 😀");
	});
});

describe("corruption is caught with context", () => {
	test("every truncation of the sample throws Error naming the file, or reads fine", () => {
		const full = sample();
		for (let n = 0; n < full.length; n++) {
			const fb = new FlatBuffer(full.subarray(0, n), "cut.bin");
			try {
				const t = fb.root("root");
				t.string(1, "", "name");
				t.vector(2, 4, "vec")?.toI32Array();
				t.union(4, "u").table?.i8(0, 0);
				t.u64(6, 0);
			} catch (e) {
				expect(e).toBeInstanceOf(Error);
				expect((e as Error).message.startsWith("cut.bin: ")).toBe(true);
			}
		}
	});

	test("root offset past the end", () => {
		const bytes = sample();
		new DataView(bytes.buffer).setUint32(0, 1 << 30, true);
		expect(() => new FlatBuffer(bytes, "r.bin").root("model")).toThrow(
			/^r\.bin: model: offset at 0 points to \d+, past the end of the \d+-byte file$/,
		);
	});

	test("vtable outside the file", () => {
		const bytes = sample();
		const dv = new DataView(bytes.buffer);
		const root = dv.getUint32(0, true);
		dv.setInt32(root, -100000, true);
		expect(() => new FlatBuffer(bytes, "v.bin").root("model")).toThrow(
			/v\.bin: model: table at \d+ has its vtable at \d+, outside/,
		);
	});

	test("field offset outside its table", () => {
		const bytes = sample();
		const dv = new DataView(bytes.buffer);
		const root = dv.getUint32(0, true);
		const vt = root - dv.getInt32(root, true);
		dv.setUint16(vt + 4, 0xfff0, true); // field 0
		const t = new FlatBuffer(bytes, "f.bin").root("model");
		expect(() => t.i32(0, 0)).toThrow(
			/f\.bin: model: field 0 at \+65520 \(4 bytes\) lies outside its \d+-byte table/,
		);
	});

	test("vector length larger than the file", () => {
		const bytes = sample();
		const fb = new FlatBuffer(bytes, "l.bin");
		const t = fb.root("m");
		const v = t.vector(2, 4, "vec")!;
		new DataView(bytes.buffer).setUint32(v.start - 4, 0xffffffff, true);
		expect(() => t.vector(2, 4, "subgraph 0 tensors")).toThrow(
			/l\.bin: subgraph 0 tensors: vector at \d+ claims 4294967295 elements of 4 bytes/,
		);
		expect(() => v.i32(3)).toThrow(/index 3 out of range \(3 elements\)/);
	});

	test("u64 beyond 2^53", () => {
		const t = new FlatBuffer(sample("x", 2n ** 60n), "u.bin").root("buffer 3");
		expect(() => t.u64(6, 0)).toThrow(/^u\.bin: buffer 3: 64-bit value .* is too large$/);
	});

	test("Table and Vector reject bad vtable sizes", () => {
		const bytes = sample();
		const dv = new DataView(bytes.buffer);
		const root = dv.getUint32(0, true);
		const vt = root - dv.getInt32(root, true);
		dv.setUint16(vt, 3, true);
		expect(() => new Table(new FlatBuffer(bytes, "s.bin"), root, "t")).toThrow(/bad vtable size 3/);
		expect(() => Vector.at(new FlatBuffer(new Uint8Array(2), "z.bin"), 0, 4, "v")).toThrow(
			/z\.bin: v: u32 at offset 0/,
		);
	});
});

describe("UTF-8 decoding by hand", () => {
	const dec = (a: number[]) => decodeUtf8(new Uint8Array(a), 0, a.length);
	test("valid 1-4 byte sequences", () => {
		const s = "aé€😀";
		expect(dec(Array.from(new TextEncoder().encode(s)))).toBe(s);
	});
	test("malformed input becomes U+FFFD, never throws", () => {
		expect(dec([0xff, 0x41, 0xc3])).toBe("\ufffdA\ufffd"); // invalid lead, truncated pair
		expect(dec([0xc0, 0x80])).toBe("\ufffd\ufffd"); // overlong NUL
		expect(dec([0xed, 0xa0, 0x80])).toBe("\ufffd\ufffd\ufffd"); // encoded surrogate
		expect(dec([0xf4, 0x90, 0x80, 0x80])).toBe("\ufffd\ufffd\ufffd\ufffd"); // > U+10FFFF
		expect(dec([0xe2, 0x82])).toBe("\ufffd\ufffd"); // truncated 3-byte
	});
	test("long strings (chunked flush)", () => {
		const s = "ab€".repeat(2000);
		expect(dec(Array.from(new TextEncoder().encode(s)))).toBe(s);
	});
});
