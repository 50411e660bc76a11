// Zero-copy between JS and C: C reads what JS wrote and JS reads what C
// wrote, on buffers of 64 KB and more, through views at an offset too.
import { crc32, histogram } from "native/bytes";
import { equal, test, throws } from "./harness";

// CRC-32 computed bit by bit in JS: the definition, independent of the C table.
function crc32Reference(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) {
		crc ^= bytes[i] ?? 0;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pattern(length: number, seed: number): Uint8Array {
	const bytes = new Uint8Array(length);
	let x = seed;
	for (let i = 0; i < length; i++) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		bytes[i] = x >>> 16;
	}
	return bytes;
}

test("C reads what JS wrote into a 64 KB buffer", () => {
	const bytes = pattern(65536, 7);
	equal(crc32(bytes), crc32Reference(bytes), "crc32");
	bytes[40000] = (bytes[40000] ?? 0) ^ 0xff;
	equal(crc32(bytes), crc32Reference(bytes), "crc32 after JS changed one byte");
	equal(crc32(bytes.buffer), crc32Reference(bytes), "crc32 of the ArrayBuffer");
});

test("C reads a view at an offset without copying", () => {
	const bytes = pattern(70000, 3);
	const view = bytes.subarray(1234, 1234 + 65536);
	equal(crc32(view), crc32Reference(view), "crc32 of the view");
	equal(crc32(new DataView(bytes.buffer, 1234, 65536)), crc32Reference(view), "crc32 of a DataView");
});

test("JS reads what C wrote into a Uint32Array", () => {
	const bytes = pattern(100000, 11);
	const bins = new Uint32Array(256).fill(0xdeadbeef);
	const returned = histogram(bytes, bins);
	equal(returned, bins, "histogram returns its bins");
	const expected = new Uint32Array(256);
	for (const value of bytes) expected[value] = (expected[value] ?? 0) + 1;
	for (let value = 0; value < 256; value++) equal(bins[value], expected[value], `bin ${value}`);
});

test("C writes into a Uint32Array view at an offset", () => {
	const words = new Uint32Array(256 + 4).fill(7);
	const bins = words.subarray(2, 258);
	histogram(new Uint8Array(65536).fill(9), bins);
	equal(bins[9], 65536, "bin 9");
	equal(words[0], 7, "word before the view untouched");
	equal(words[259], 7, "word after the view untouched");
});

test("bad buffers are refused with a clear error", () => {
	throws(() => histogram(new Uint8Array(4), new Uint32Array(255)), /Uint32Array of 256/, "short bins");
	throws(() => crc32("text" as unknown as Uint8Array), /crc32 data/, "a string");
});
