/*
 * arm_softmax_s8.c: s8 softmax with TFLite's fixed-point algorithm (gemmlowp exp and reciprocal).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Written from the published algorithm: differences to the row maximum are
 * scaled to Q5.26, exponentiated (xs_nn_exp_on_negative_values), summed in
 * Q12.19, inverted (xs_nn_one_over_one_plus_x_for_x_in_0_1) and scaled to
 * 1/256 units. The fixed-point primitives live in arm_nnsupportfunctions.h,
 * where test_softmax.c checks them directly: a one-ulp error inside them
 * rarely shows in an 8-bit output.
 */
#include "../arm_nnsupportfunctions.h"

#define ACCUM_INT_BITS 12 /* Q12.19 accumulator: room for 4095 values of at most 1.0 */
#define MAX_ROW_SIZE   4095

static int32_t exp_of_diff(int32_t diff, int32_t mult, int32_t shift)
{
	/* SRDHM(diff << shift, mult): TFLite's MultiplyByQuantizedMultiplierGreaterThanOne. */
	return xs_nn_exp_on_negative_values(xs_nn_doubling_high_mult(xs_nn_sat_shl(diff, shift), mult));
}

/*
 * Both outputs: int8 (probability * 2^8 - 128, out_bits 8) or int16 (probability * 2^16 - 32768,
 * out_bits 16, arm_softmax_s8_s16), written through out8 or out16.
 */
void xs_nn_softmax_s8(const int8_t *input, const int32_t num_rows, const int32_t row_size, const int32_t mult,
                      const int32_t shift, const int32_t diff_min, const int32_t out_bits, int8_t *out8, int16_t *out16)
{
	if (input == NULL || (out8 == NULL && out16 == NULL) || num_rows <= 0 || row_size <= 0 || row_size > MAX_ROW_SIZE ||
	    shift < 0 || shift > 31) {
		return;
	}
	const int32_t out_min = out_bits == 16 ? INT16_MIN : XS_NN_Q7_MIN,
	              out_max = out_bits == 16 ? INT16_MAX : XS_NN_Q7_MAX;

	for (int32_t row = 0; row < num_rows; row++) {
		const int8_t *in = input + row * row_size;

		int32_t max = in[0];
		for (int32_t i = 1; i < row_size; i++) {
			if (in[i] > max) {
				max = in[i];
			}
		}

		/* The maximum contributes exp(0), so sum >= 2^19 > 0 and has a leading one. */
		int32_t sum = 0;
		for (int32_t i = 0; i < row_size; i++) {
			const int32_t diff = in[i] - max;
			if (diff >= diff_min) {
				/* Q0.31 -> Q12.19 */
				sum += xs_nn_divide_by_pow2(exp_of_diff(diff, mult, shift), ACCUM_INT_BITS);
			}
		}

		/* sum = 2^(12 - headroom) * (1 + x): invert 1 + x and fold the power of two into the final shift. */
		const int32_t headroom = xs_nn_clz((uint32_t)sum);
		const int32_t x = (int32_t)(((uint32_t)sum << headroom) - 0x80000000u);
		const int32_t scale = xs_nn_one_over_one_plus_x_for_x_in_0_1(x);
		/* Output is probability * 2^out_bits in Q0.31 scaled by 2^(bits): 31 - out_bits plus the bits above one. */
		const int32_t bits = (ACCUM_INT_BITS - headroom) + 31 - out_bits;

		for (int32_t i = 0; i < row_size; i++) {
			const int32_t diff = in[i] - max;
			int32_t value = out_min;
			if (diff >= diff_min) {
				const int32_t p = xs_nn_doubling_high_mult(scale, exp_of_diff(diff, mult, shift));
				/* bits > 31 once sum >= 2^28 (512 or more values close to the maximum):
                   p < 2^31, so p / 2^bits < 1/2 rounds to 0. TFLite shifts by >= 32 there (undefined). */
				const int32_t q = bits > 31 ? 0 : xs_nn_divide_by_pow2(p, bits);
				value = xs_nn_clamp(q + out_min, out_min, out_max);
			}
			if (out16 != NULL)
				out16[row * row_size + i] = (int16_t)value;
			else
				out8[row * row_size + i] = (int8_t)value;
		}
	}
}

void arm_softmax_s8(const int8_t *input, const int32_t num_rows, const int32_t row_size, const int32_t mult,
                    const int32_t shift, const int32_t diff_min, int8_t *output)
{
	xs_nn_softmax_s8(input, num_rows, row_size, mult, shift, diff_min, 8, output, NULL);
}
