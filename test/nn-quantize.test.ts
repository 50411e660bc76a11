// Expected values are worked out by hand from TFLite's definitions
// (quantization_util.cc), not taken from the code under test.
import { describe, expect, test } from "vitest";
import {
	activationRangeInt8,
	addParams,
	calculateInputRadius,
	convMultipliers,
	frexp,
	quantizeMultiplier,
	quantizeMultiplierGreaterThanOne,
	quantizeMultiplierSmallerThanOneExp,
	roundHalfAwayFromZero,
	softmaxParams,
} from "../modules/nn/quantize";

const P30 = 2 ** 30;
const P31 = 2 ** 31;

describe("frexp and rounding", () => {
	test("frexp splits into [0.5, 1) and an exponent", () => {
		expect(frexp(1)).toEqual({ mantissa: 0.5, exponent: 1 });
		expect(frexp(0.5)).toEqual({ mantissa: 0.5, exponent: 0 });
		expect(frexp(3)).toEqual({ mantissa: 0.75, exponent: 2 });
		expect(frexp(-0.375)).toEqual({ mantissa: -0.75, exponent: -1 });
		expect(frexp(2 ** -1060)).toEqual({ mantissa: 0.5, exponent: -1059 }); // subnormal
		expect(frexp(2 ** 1023 * 1.5)).toEqual({ mantissa: 0.75, exponent: 1024 });
	});
	test("halves round away from zero (std::round), unlike Math.round", () => {
		expect(roundHalfAwayFromZero(2.5)).toBe(3);
		expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
		expect(roundHalfAwayFromZero(0.49999999999999994)).toBe(0);
		expect(roundHalfAwayFromZero(-0.4)).toBe(-0);
	});
});

describe("quantizeMultiplier", () => {
	test("exact powers of two", () => {
		expect(quantizeMultiplier(0.5)).toEqual({ multiplier: P30, shift: 0 });
		expect(quantizeMultiplier(1.0)).toEqual({ multiplier: P30, shift: 1 });
		expect(quantizeMultiplier(0.25)).toEqual({ multiplier: P30, shift: -1 });
		expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: P30, shift: 41 });
	});
	test("common values", () => {
		expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
		// 0.1 = 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4
		expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
		expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
	});
	test("rounding up to 2^31 renormalizes", () => {
		// mantissa 1 - 2^-33: * 2^31 = 2^31 - 0.25, rounds to 2^31 -> (2^30, shift + 1)
		expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: P30, shift: 1 });
		// mantissa 1 - 2^-31: exactly 2^31 - 1, stays
		expect(quantizeMultiplier(1 - 2 ** -31)).toEqual({ multiplier: P31 - 1, shift: 0 });
	});
	test("a half ulp of the significand rounds away from zero for both signs", () => {
		const m = 0.5 + 2 ** -32; // * 2^31 = 2^30 + 0.5
		expect(quantizeMultiplier(m)).toEqual({ multiplier: P30 + 1, shift: 0 });
		expect(quantizeMultiplier(-m)).toEqual({ multiplier: -(P30 + 1), shift: 0 });
	});
	test("tiny multipliers: 2^-31 and 2^-32 survive, 2^-33 flushes to zero", () => {
		expect(quantizeMultiplier(2 ** -31)).toEqual({ multiplier: P30, shift: -30 });
		expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: P30, shift: -31 });
		expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
		expect(quantizeMultiplier(1e-300)).toEqual({ multiplier: 0, shift: 0 });
	});
	test("single rounding saturates shifts above 30", () => {
		expect(quantizeMultiplier(2 ** 40, { singleRounding: true })).toEqual({ multiplier: P31 - 1, shift: 30 });
		expect(quantizeMultiplier(2 ** 29, { singleRounding: true })).toEqual({ multiplier: P30, shift: 30 });
	});
	test("range-checked variants throw like TFLITE_CHECK", () => {
		expect(() => quantizeMultiplierGreaterThanOne(1)).toThrow(Error);
		expect(quantizeMultiplierGreaterThanOne(3)).toEqual({ multiplier: 1610612736, shift: 2 });
		expect(() => quantizeMultiplierSmallerThanOneExp(1)).toThrow(Error);
		expect(() => quantizeMultiplierSmallerThanOneExp(0)).toThrow(Error);
		expect(quantizeMultiplierSmallerThanOneExp(0.375)).toEqual({ multiplier: 1610612736, shift: -1 });
		expect(() => quantizeMultiplier(Infinity)).toThrow(Error);
	});
});

describe("conv per-channel multipliers", () => {
	test("input*filter[c]/output, per channel and broadcast", () => {
		// 0.5*0.5/0.25 = 1, 0.5*0.25/0.25 = 0.5, 0.5*(1/3)/0.25 = 2/3
		const r = convMultipliers(0.5, [0.5, 0.25, 1 / 3], 0.25, 3);
		expect(Array.from(r.multipliers)).toEqual([P30, P30, 1431655765]);
		expect(Array.from(r.shifts)).toEqual([1, 0, 0]);
		const b = convMultipliers(0.5, [0.25], 0.25, 2);
		expect(Array.from(b.multipliers)).toEqual([P30, P30]);
		expect(Array.from(b.shifts)).toEqual([0, 0]);
		expect(() => convMultipliers(0.5, [1, 2], 0.25, 3)).toThrow(/2 filter scales for 3/);
	});
});

describe("activation ranges (int8)", () => {
	test("NONE is the full int8 range", () => {
		expect(activationRangeInt8("NONE", 0.1, 7)).toEqual({ min: -128, max: 127 });
	});
	test("RELU clamps at the zero point", () => {
		expect(activationRangeInt8("RELU", 0.05, 10)).toEqual({ min: 10, max: 127 });
	});
	test("RELU6 clamps at zero and 6.0", () => {
		expect(activationRangeInt8("RELU6", 0.1, -100)).toEqual({ min: -100, max: -40 });
		expect(activationRangeInt8("RELU6", 0.05, 10)).toEqual({ min: 10, max: 127 });
		expect(activationRangeInt8("RELU6", 6 / 255, -128)).toEqual({ min: -128, max: 127 });
	});
	test("RELU_N1_TO_1", () => {
		expect(activationRangeInt8("RELU_N1_TO_1", 1 / 64, 0)).toEqual({ min: -64, max: 64 });
		expect(activationRangeInt8("RELU_N1_TO_1", 1 / 128, 0)).toEqual({ min: -128, max: 127 });
	});
});

describe("softmax (int8, kScaledDiffIntegerBits = 5)", () => {
	test("beta*scale*2^26 quantized, diff_min = -floor(31*2^26/2^shift)", () => {
		// 1 * 1/16 * 2^26 = 2^22 -> (2^30, 23); 31*2^26/2^23 = 248
		expect(softmaxParams(1, 1 / 16)).toEqual({ inputMultiplier: P30, inputLeftShift: 23, diffMin: -248 });
		// 0.1 * 2^26 = 0.8 * 2^23
		expect(softmaxParams(1, 0.1)).toEqual({ inputMultiplier: 1717986918, inputLeftShift: 23, diffMin: -248 });
	});
	test("large beta*scale is capped at 2^31-1 (2^30-1 with single rounding)", () => {
		expect(softmaxParams(1, 100)).toEqual({ inputMultiplier: P31 - 1, inputLeftShift: 31, diffMin: 0 });
		expect(softmaxParams(1, 100, { singleRounding: true })).toEqual({
			inputMultiplier: P31 - 2,
			inputLeftShift: 30,
			diffMin: -1,
		});
	});
	test("calculateInputRadius", () => {
		expect(calculateInputRadius(5, 23)).toBe(248);
		expect(calculateInputRadius(5, 20)).toBe(1984);
		expect(calculateInputRadius(4, 20, 15)).toBe(0);
	});
});

describe("ADD params", () => {
	test("left_shift 20, inputs rescaled to twice the larger input scale", () => {
		const p = addParams(
			{ scale: 0.5, zeroPoint: 1 },
			{ scale: 0.25, zeroPoint: -2 },
			{ scale: 1, zeroPoint: 3 },
			"NONE",
		);
		expect(p).toEqual({
			leftShift: 20,
			input1Offset: -1,
			input2Offset: 2,
			outputOffset: 3,
			input1Multiplier: P30,
			input1Shift: 0, // 0.5
			input2Multiplier: P30,
			input2Shift: -1, // 0.25
			outputMultiplier: P30,
			outputShift: -19, // 1 / 2^20
			activationMin: -128,
			activationMax: 127,
		});
	});
	test("output multiplier >= 1 is rejected, as TFLite's CHECK would", () => {
		expect(() =>
			addParams(
				{ scale: 1, zeroPoint: 0 },
				{ scale: 1, zeroPoint: 0 },
				{ scale: 2 ** -25, zeroPoint: 0 },
				"NONE",
			),
		).toThrow(Error);
	});
});
