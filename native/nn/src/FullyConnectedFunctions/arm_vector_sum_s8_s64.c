/*
 * arm_vector_sum_s8_s64.c: per row of an s8 matrix, lhs_offset * its sum, on the row's int64 bias
 * when there is one (arm_vector_sum_s8's 64-bit sibling, without a right-hand offset).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "../arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_vector_sum_s8_s64(int64_t *vector_sum_buf, const int32_t vector_cols, const int32_t vector_rows,
                                          const int8_t *vector_data, const int32_t lhs_offset, const int64_t *bias_data)
{
	if (vector_sum_buf == NULL || vector_cols < 0 || vector_rows < 0 ||
	    (vector_data == NULL && vector_cols > 0 && vector_rows > 0)) {
		return ARM_CMSIS_NN_ARG_ERROR;
	}
	for (int32_t r = 0; r < vector_rows; r++, vector_data += vector_cols) {
		int64_t sum = 0;
		for (int32_t c = 0; c < vector_cols; c++) {
			sum += vector_data[c];
		}
		vector_sum_buf[r] = (bias_data != NULL ? bias_data[r] : 0) + sum * lhs_offset;
	}
	return ARM_CMSIS_NN_SUCCESS;
}
