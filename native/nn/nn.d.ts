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
	/**
	 * A model's plan (docs/model-plan.md), bound to the model's bytes: the
	 * constructor checks the header (RangeError "nn: plan: <why>" when it is of
	 * another model, format version or kernel build, torn or corrupt) and keeps
	 * a copy; prepare() checks every step against the model, the plan's constants
	 * and the arena (the same RangeError when one points outside them). The steps
	 * point into `model` and the arena: the plan keeps both alive while it is kept.
	 */
	export class Plan {
		constructor(model: HostBuffer, plan: ArrayBufferLike | ArrayBufferView);
		/** The arena bytes prepare() needs (from the checked header). */
		readonly arenaBytes: number;
		prepare(arena: Arena): void;
		/** Runs every step (invoke): one host call, nothing checked again. */
		run(): void;
	}
	/** The kernels' build bits a plan records (1: single rounding, 2: DSP paths). */
	export const planBuild: number;
	/** arm_convolve_wrapper_s8_get_buffer_size. */
	export function convScratch(
		inN: number,
		inH: number,
		inW: number,
		inC: number,
		fN: number,
		fH: number,
		fW: number,
		fC: number,
		outN: number,
		outH: number,
		outW: number,
		outC: number,
		strideW: number,
		strideH: number,
		padW: number,
		padH: number,
		dilW: number,
		dilH: number,
		inputOffset: number,
		outputOffset: number,
	): number;
	/** arm_depthwise_conv_wrapper_s8_get_buffer_size. */
	export function depthwiseScratch(
		inN: number,
		inH: number,
		inW: number,
		inC: number,
		fN: number,
		fH: number,
		fW: number,
		fC: number,
		outN: number,
		outH: number,
		outW: number,
		outC: number,
		strideW: number,
		strideH: number,
		padW: number,
		padH: number,
		dilW: number,
		dilH: number,
		inputOffset: number,
		outputOffset: number,
		chMult: number,
	): number;
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
	export function convMultipliers(
		inputScale: number,
		filterScales: Float32Array,
		outputScale: number,
		singleRounding: boolean,
		multipliers: Int32Array,
		shifts: Int32Array,
	): void;
}
