// SPDX-License-Identifier: Apache-2.0
declare module "native/nn" {
	/**
	 * A C-owned, zero-filled, 16-byte-aligned buffer (a host buffer: view it
	 * with `new Int8Array(arena, offset, length)`, no copy). Freed when collected.
	 */
	export class Arena extends HostBuffer {
		constructor(byteLength: number);
		readonly byteLength: number;
	}
	/** True when the kernels were built with single rounding (the default), false for double rounding. */
	export const singleRounding: boolean;
	type Weights = Int8Array | Uint8Array;
	/** Each kernel reads its parameter block (int32 words, layouts in modules/nn/ops.ts) at `block` in the arena. */
	export function conv(arena: Arena, block: number, filter: Weights): void;
	export function depthwiseConv(arena: Arena, block: number, filter: Weights): void;
	export function fullyConnected(arena: Arena, block: number, weights: Weights): void;
	export function pool(arena: Arena, block: number): void;
	export function softmax(arena: Arena, block: number): void;
	export function add(arena: Arena, block: number): void;
	/** int8 -> int8 QUANTIZE. */
	export function requantize(arena: Arena, block: number): void;
	/** float32 -> int8 QUANTIZE. */
	export function quantize(arena: Arena, block: number): void;
	/** int8 -> float32 DEQUANTIZE. */
	export function dequantize(arena: Arena, block: number): void;
	/** RESHAPE into a separate buffer. */
	export function copy(arena: Arena, block: number): void;
	/** REVERSE_V2 along one axis (0..3) of [N, H, W, C], into a separate buffer. */
	export function reverse(arena: Arena, block: number): void;
	/** Copies bytes into the arena at offset (once, at load). */
	export function copyInto(arena: Arena, offset: number, bytes: Uint8Array | Int8Array): void;
	/** arm_convolve_wrapper_s8_get_buffer_size. */
	export function convScratch(
		inN: number, inH: number, inW: number, inC: number,
		fN: number, fH: number, fW: number, fC: number,
		outN: number, outH: number, outW: number, outC: number,
		strideW: number, strideH: number, padW: number, padH: number, dilW: number, dilH: number,
		inputOffset: number, outputOffset: number): number;
	/** arm_depthwise_conv_wrapper_s8_get_buffer_size. */
	export function depthwiseScratch(
		inN: number, inH: number, inW: number, inC: number,
		fN: number, fH: number, fW: number, fC: number,
		outN: number, outH: number, outW: number, outC: number,
		strideW: number, strideH: number, padW: number, padH: number, dilW: number, dilH: number,
		inputOffset: number, outputOffset: number, chMult: number): number;
	export function fullyConnectedScratch(accum: number, outChannels: number): number;
	export function avgPoolScratch(outWidth: number, channels: number): number;
	/** Model load: the index of the first scale that is not a positive finite number, or -1. */
	export function checkScales(scales: Float32Array): number;
	/**
	 * Model load: int64 zero points (pairs of int32 words, little-endian) into `out` (null: only checked);
	 * the index of the first one outside int32, else -1 when all are 0, -2 when one is not.
	 */
	export function zeroPoints(words: Int32Array, out: Int32Array | null): number;
	/**
	 * Model load: quantize.ts's convMultipliers in C, one multiplier and shift
	 * per element of `multipliers` (filterScales: one, or one per channel).
	 * RangeError unless every scale is positive finite.
	 */
	export function convMultipliers(inputScale: number, filterScales: Float32Array, outputScale: number, singleRounding: boolean,
		multipliers: Int32Array, shifts: Int32Array): void;
}
