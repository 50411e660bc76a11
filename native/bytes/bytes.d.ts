// SPDX-License-Identifier: Apache-2.0
declare module "native/bytes" {
	/** CRC-32 (IEEE, as zlib and PNG) of the bytes, zero-copy; pass a previous result to continue. */
	export function crc32(data: ArrayBufferLike | ArrayBufferView, crc?: number): number;
	/** Counts each byte value of `data` into `bins` (cleared first), in C, zero-copy both ways. */
	export function histogram(data: ArrayBufferLike | ArrayBufferView, bins: Uint32Array): Uint32Array;
}
