/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * UTF-8 to string, for the names a model and its plan carry: its own module
 * so that a load from a plan reads its names without the flatbuffer reader.
 */

/**
 * XS's String.fromArrayBuffer, which in XS 13.3 takes an offset and a length
 * too (xsString.c; the typings list only the buffer). Undefined off XS (this
 * module is also Node's, for the tools and tests).
 */
const fromArrayBuffer = (
	String as unknown as {
		fromArrayBuffer?: (buffer: ArrayBufferLike, byteOffset: number, byteLength: number) => string;
	}
).fromArrayBuffer;

/**
 * Decodes UTF-8 by hand (XS has no TextDecoder). Malformed sequences,
 * overlong forms and surrogates become U+FFFD, one per bad byte, so a
 * corrupt name can never throw or loop.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, length: number): string {
	// Fast path, in C: XS's String.fromArrayBuffer copies UTF-8 as it is (a
	// TFLite model's names are long ASCII paths; decoding them by the byte in
	// JS was over a quarter of the M7's person_detect parse). Its result is ours only when every
	// byte is ASCII and not 0: then, and only then, the string has one unit per
	// byte (a multi-byte sequence gives fewer units, a 0 byte ends its copy).
	// Anything else, or a buffer it does not take, goes the careful way below.
	if (length > 0 && fromArrayBuffer !== undefined) {
		try {
			const fast = fromArrayBuffer(bytes.buffer, bytes.byteOffset + start, length);
			if (fast.length === length) return fast;
		} catch {
			// invalid UTF-8 for XS, or not an ArrayBuffer: the careful decoder decides
		}
	}
	const end = start + length;
	const units: number[] = [];
	let out = "";
	let i = start;
	while (i < end) {
		const b0 = bytes[i]!;
		let cp = 0xfffd;
		let n = 1;
		if (b0 < 0x80) {
			cp = b0;
		} else if (b0 >= 0xc2 && b0 < 0xe0) {
			if (i + 1 < end && (bytes[i + 1]! & 0xc0) === 0x80) {
				cp = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
				n = 2;
			}
		} else if (b0 >= 0xe0 && b0 < 0xf0) {
			if (i + 2 < end && (bytes[i + 1]! & 0xc0) === 0x80 && (bytes[i + 2]! & 0xc0) === 0x80) {
				const c = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
				if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
					cp = c;
					n = 3;
				}
			}
		} else if (b0 >= 0xf0 && b0 < 0xf5) {
			if (
				i + 3 < end &&
				(bytes[i + 1]! & 0xc0) === 0x80 &&
				(bytes[i + 2]! & 0xc0) === 0x80 &&
				(bytes[i + 3]! & 0xc0) === 0x80
			) {
				const c =
					((b0 & 0x07) << 18) |
					((bytes[i + 1]! & 0x3f) << 12) |
					((bytes[i + 2]! & 0x3f) << 6) |
					(bytes[i + 3]! & 0x3f);
				if (c >= 0x10000 && c <= 0x10ffff) {
					cp = c;
					n = 4;
				}
			}
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		} else {
			units.push(cp);
		}
		i += n;
		// Flush in small chunks: every spread argument takes a slot of the XS
		// stack, which the manifest sizes at 512 slots (the fuzz test hit it
		// with a long mutated name at 1024).
		if (units.length >= 64) {
			out += String.fromCharCode(...units);
			units.length = 0;
		}
	}
	return units.length > 0 ? out + String.fromCharCode(...units) : out;
}
