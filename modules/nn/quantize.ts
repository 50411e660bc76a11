/*
 * Quantization parameter math for int8 kernels, computed exactly as TFLite
 * (tensorflow/lite/kernels/internal/quantization_util.cc and the TFLM
 * kernels' Prepare functions) computes it, so the C kernels get the same
 * int32 multipliers and shifts that TFLite/TFLM would.
 *
 * Runs in prepare() on XS: plain double arithmetic with Math only. Every
 * step below is exact in IEEE double (scaling by powers of two, a single
 * multiply/divide where TFLite does the same in double), and rounding is
 * done by hand because TfLiteRound (std::round) rounds halves away from
 * zero while Math.round rounds them towards +infinity.
 */

export interface QuantizedMultiplier {
	/** Q0.31 significand in [2^30, 2^31), or 0. */
	multiplier: number;
	/** Power-of-two exponent: real ≈ multiplier * 2^(shift - 31). Positive = left shift. */
	shift: number;
}

export interface QuantizeOptions {
	/**
	 * Mirror TFLite built with TFLITE_SINGLE_ROUNDING (CMSIS-NN's
	 * CMSIS_NN_USE_SINGLE_ROUNDING semantics): shifts saturate at 30, and
	 * softmax's multiplier cap is 2^30 - 1 instead of 2^31 - 1. Default false
	 * (TFLM's default double rounding build).
	 */
	singleRounding?: boolean;
}

const TWO_31 = 2147483648;

/** std::round: nearest integer, halves away from zero. Exact for |x| < 2^52. */
export function roundHalfAwayFromZero(x: number): number {
	const a = Math.abs(x);
	const f = Math.floor(a);
	const r = a - f >= 0.5 ? f + 1 : f; // a - f is exact below 2^52
	return x < 0 ? -r : r;
}

/**
 * std::frexp for finite non-zero x: x = mantissa * 2^exponent with
 * |mantissa| in [0.5, 1). Multiplying by powers of two is exact, so the
 * mantissa carries every bit of x (the two-step scaling avoids overflowing
 * 2^±1023 for extreme inputs).
 */
export function frexp(x: number): { mantissa: number; exponent: number } {
	if (x === 0 || !Number.isFinite(x)) return { mantissa: x, exponent: 0 };
	const mantissa = frexpMantissa(x);
	return { mantissa, exponent: frexpExponent };
}

/**
 * frexp without its result object, for the per-channel loops of a model load
 * (every object there is garbage the XS heap collects): returns the mantissa
 * of finite non-zero x and leaves the exponent in `frexpExponent`.
 */
let frexpExponent = 0;
// A normal double's exponent and mantissa are its bits: read and set them
// through a view instead of log2 and scaling loops (exact either way).
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
bits[0] = 1;
const HIGH = words[1] === 0x3ff00000 ? 1 : 0; // the word with sign and exponent
function frexpMantissa(x: number): number {
	bits[0] = x;
	const high = words[HIGH]!;
	const biased = (high >>> 20) & 0x7ff;
	if (biased !== 0 && biased !== 0x7ff) {
		frexpExponent = biased - 1022;
		words[HIGH] = ((high & 0x800fffff) | 0x3fe00000) >>> 0;
		return bits[0]!;
	}
	// Subnormals: scale by powers of two.
	let e = Math.floor(Math.log2(Math.abs(x))) + 1;
	let m = scalePow2(x, -e);
	// log2 may be off by one near powers of two; correct exactly.
	while (Math.abs(m) >= 1) {
		m /= 2;
		e += 1;
	}
	while (Math.abs(m) < 0.5) {
		m *= 2;
		e -= 1;
	}
	frexpExponent = e;
	return m;
}

/**
 * Exact 2^n for integer n in the normal range, built by multiplying exact
 * powers of two, so it does not depend on the engine's pow() being exact.
 */
export function pow2(n: number): number {
	let r = 1;
	let k = n;
	while (k >= 30) {
		r *= 1073741824;
		k -= 30;
	}
	while (k <= -30) {
		r /= 1073741824;
		k += 30;
	}
	return k >= 0 ? r * (1 << k) : r / (1 << -k);
}

function scalePow2(x: number, n: number): number {
	// 2^n itself must be representable: split large |n| in two steps.
	if (n > 1000 || n < -1000) {
		const h = Math.trunc(n / 2);
		return x * pow2(h) * pow2(n - h);
	}
	return x * pow2(n);
}

/**
 * TFLite's QuantizeMultiplier: real = multiplier * 2^(shift-31), with the
 * significand rounded to 31 bits. Rounding up to exactly 2^31 halves the
 * significand and bumps the shift; multipliers below about 2^-31 (shift
 * < -31) flush to (0, 0), as TFLite does.
 */
export function quantizeMultiplier(real: number, options?: QuantizeOptions): QuantizedMultiplier {
	const multiplier = quantizeMultiplierCore(real, options?.singleRounding === true);
	return { multiplier, shift: quantizedShift };
}

/** quantizeMultiplier without its result object: returns the multiplier, leaves the shift in `quantizedShift`. */
let quantizedShift = 0;
function quantizeMultiplierCore(real: number, singleRounding: boolean): number {
	if (!Number.isFinite(real)) throw new Error(`quantizeMultiplier: ${real} is not finite`);
	if (real === 0) {
		quantizedShift = 0;
		return 0;
	}
	const mantissa = frexpMantissa(real);
	let shift = frexpExponent;
	let q = roundHalfAwayFromZero(mantissa * TWO_31);
	if (q === TWO_31 || q === -TWO_31) {
		q /= 2;
		shift += 1;
	}
	if (shift < -31) {
		shift = 0;
		q = 0;
	}
	if (singleRounding && shift > 30) {
		shift = 30;
		q = TWO_31 - 1;
	}
	quantizedShift = shift;
	return q;
}

/** QuantizeMultiplierGreaterThanOne: requires real > 1; the shift is a left shift >= 0. */
export function quantizeMultiplierGreaterThanOne(real: number, options?: QuantizeOptions): QuantizedMultiplier {
	if (!(real > 1)) throw new Error(`quantizeMultiplierGreaterThanOne: ${real} is not > 1`);
	const r = quantizeMultiplier(real, options);
	if (r.shift < 0) throw new Error(`quantizeMultiplierGreaterThanOne: ${real} gave shift ${r.shift}`);
	return r;
}

/** QuantizeMultiplierSmallerThanOneExp: requires 0 < real < 1; shift <= 0. */
export function quantizeMultiplierSmallerThanOneExp(real: number, options?: QuantizeOptions): QuantizedMultiplier {
	if (!(real > 0 && real < 1)) throw new Error(`quantizeMultiplierSmallerThanOneExp: ${real} is not in (0, 1)`);
	const r = quantizeMultiplier(real, options);
	if (r.shift > 0) throw new Error(`quantizeMultiplierSmallerThanOneExp: ${real} gave shift ${r.shift}`);
	return r;
}

export interface PerChannelMultipliers {
	multipliers: Int32Array;
	shifts: Int32Array;
}

/**
 * Per-channel requantization for CONV_2D / DEPTHWISE_CONV_2D /
 * FULLY_CONNECTED (TFLite's PopulateConvolutionQuantizationParams):
 * effective scale = double(input_scale) * double(filter_scale[c]) /
 * double(output_scale), in that order. A single filter scale is broadcast
 * to all `channels` (per-tensor weights).
 */
export function convMultipliers(
	inputScale: number,
	filterScales: ArrayLike<number>,
	outputScale: number,
	channels: number,
	options?: QuantizeOptions,
): PerChannelMultipliers {
	if (filterScales.length !== 1 && filterScales.length !== channels) {
		throw new Error(`convMultipliers: ${filterScales.length} filter scales for ${channels} output channels`);
	}
	if (!(outputScale > 0)) throw new Error(`convMultipliers: output scale ${outputScale} is not positive`);
	const multipliers = new Int32Array(channels);
	const shifts = new Int32Array(channels);
	const singleRounding = options?.singleRounding === true;
	for (let c = 0; c < channels; c++) {
		const fs = filterScales.length === 1 ? filterScales[0]! : filterScales[c]!;
		multipliers[c] = quantizeMultiplierCore((inputScale * fs) / outputScale, singleRounding);
		shifts[c] = quantizedShift;
	}
	return { multipliers, shifts };
}

/** The effective real scales themselves (for tests and diagnostics). */
export function effectiveScales(inputScale: number, filterScales: ArrayLike<number>, outputScale: number): number[] {
	return Array.from(filterScales, (fs) => (inputScale * fs) / outputScale);
}

export type FusedActivation = "NONE" | "RELU" | "RELU_N1_TO_1" | "RELU6";

/**
 * CalculateActivationRangeQuantized for an int8 output: the clamp bounds in
 * the output's quantized domain. TFLite quantizes the bound in float32
 * (zero_point + round(float(f) / float(scale))), hence Math.fround.
 */
export function activationRangeInt8(
	activation: FusedActivation,
	outputScale: number,
	outputZeroPoint: number,
): { min: number; max: number } {
	const qmin = -128;
	const qmax = 127;
	const quantize = (f: number): number =>
		outputZeroPoint + roundHalfAwayFromZero(Math.fround(f / Math.fround(outputScale)));
	switch (activation) {
		case "RELU":
			return { min: Math.max(qmin, quantize(0)), max: qmax };
		case "RELU6":
			return { min: Math.max(qmin, quantize(0)), max: Math.min(qmax, quantize(6)) };
		case "RELU_N1_TO_1":
			return { min: Math.max(qmin, quantize(-1)), max: Math.min(qmax, quantize(1)) };
		default:
			return { min: qmin, max: qmax };
	}
}

/** Integer bits of the scaled input difference in TFLite's int8 softmax. */
export const SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5;

/**
 * PreprocessSoftmaxScaling: input_beta_multiplier/left shift for
 * beta * input_scale in Q(inputIntegerBits).(31 - inputIntegerBits),
 * capped so the multiplier fits.
 */
export function preprocessSoftmaxScaling(
	beta: number,
	inputScale: number,
	inputIntegerBits: number,
	options?: QuantizeOptions,
): QuantizedMultiplier {
	const maxReal = options?.singleRounding === true ? 1073741824 - 1 : TWO_31 - 1;
	const real = Math.min(beta * inputScale * pow2(31 - inputIntegerBits), maxReal);
	return quantizeMultiplierGreaterThanOne(real, options);
}

/** CalculateInputRadius: the largest input difference that still matters, floored. */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
	const maxInputRescaled =
		((pow2(inputIntegerBits) - 1) * pow2(totalSignedBits - inputIntegerBits)) / pow2(inputLeftShift);
	return Math.floor(maxInputRescaled);
}

export interface SoftmaxParams {
	inputMultiplier: number;
	inputLeftShift: number;
	/** Differences from the row max below this contribute zero. */
	diffMin: number;
}

/** TFLM's int8 SOFTMAX Prepare: multiplier, left shift and diff_min. */
export function softmaxParams(beta: number, inputScale: number, options?: QuantizeOptions): SoftmaxParams {
	const q = preprocessSoftmaxScaling(beta, inputScale, SOFTMAX_SCALED_DIFF_INTEGER_BITS, options);
	return {
		inputMultiplier: q.multiplier,
		inputLeftShift: q.shift,
		diffMin: 0 - calculateInputRadius(SOFTMAX_SCALED_DIFF_INTEGER_BITS, q.shift), // 0 - x: never -0
	};
}

export interface QuantParams {
	scale: number;
	zeroPoint: number;
}

export interface AddParams {
	leftShift: number;
	input1Offset: number;
	input2Offset: number;
	outputOffset: number;
	input1Multiplier: number;
	input1Shift: number;
	input2Multiplier: number;
	input2Shift: number;
	outputMultiplier: number;
	outputShift: number;
	activationMin: number;
	activationMax: number;
}

/**
 * TFLM's int8 ADD Prepare: both inputs are rescaled to a common scale of
 * twice the larger input scale with 20 bits of headroom (left_shift = 20),
 * added, then rescaled to the output.
 */
export function addParams(
	input1: QuantParams,
	input2: QuantParams,
	output: QuantParams,
	activation: FusedActivation,
	options?: QuantizeOptions,
): AddParams {
	const leftShift = 20;
	const twiceMaxInputScale = 2 * Math.max(input1.scale, input2.scale);
	const m1 = quantizeMultiplierSmallerThanOneExp(input1.scale / twiceMaxInputScale, options);
	const m2 = quantizeMultiplierSmallerThanOneExp(input2.scale / twiceMaxInputScale, options);
	const mo = quantizeMultiplierSmallerThanOneExp(twiceMaxInputScale / (pow2(leftShift) * output.scale), options);
	const range = activationRangeInt8(activation, output.scale, output.zeroPoint);
	return {
		leftShift,
		input1Offset: -input1.zeroPoint,
		input2Offset: -input2.zeroPoint,
		outputOffset: output.zeroPoint,
		input1Multiplier: m1.multiplier,
		input1Shift: m1.shift,
		input2Multiplier: m2.multiplier,
		input2Shift: m2.shift,
		outputMultiplier: mo.multiplier,
		outputShift: mo.shift,
		activationMin: range.min,
		activationMax: range.max,
	};
}
