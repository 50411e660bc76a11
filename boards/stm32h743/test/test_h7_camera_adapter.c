/*
 * test_h7_camera_adapter.c: the camera_board.h adapter's pure half: size and
 * stride checks, the row copy from the DMA buffer into a strided frame
 * (against a byte-by-byte reference), and the exposure unit conversion
 * (against hand calculations).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "h7_camera_adapter.h"
#include "unit.h"

UNIT_TEST(plan_accepts_the_two_sizes_and_names_bad_values)
{
	h7_camera_plan_t plan;
	char error[128];
	UNIT_EQ_INT(h7_camera_plan(160, 120, 160, 320 * 240, &plan, error, sizeof error), 0);
	UNIT_EQ_INT(plan.width, 160);
	UNIT_EQ_INT(plan.height, 120);
	UNIT_EQ_INT(plan.pitch, 160);
	UNIT_EQ_INT(plan.bytes, 19200);
	UNIT_EQ_INT(h7_camera_plan(320, 240, 336, 320 * 240, &plan, error, sizeof error), 0);
	UNIT_EQ_INT(plan.bytes, 76800);
	UNIT_EQ_INT(h7_camera_plan(640, 480, 640, 320 * 240, &plan, error, sizeof error), -1);
	UNIT_ASSERT(strstr(error, "640x480") != NULL);
	UNIT_EQ_INT(h7_camera_plan(160, 240, 160, 320 * 240, &plan, error, sizeof error), -1);
	UNIT_EQ_INT(h7_camera_plan(160, 120, 159, 320 * 240, &plan, error, sizeof error), -1);
	UNIT_ASSERT(strstr(error, "stride 159") != NULL);
	UNIT_EQ_INT(h7_camera_plan(320, 240, 320, 160 * 120, &plan, error, sizeof error), -1);
	UNIT_ASSERT(strstr(error, "76800") != NULL);
	UNIT_EQ_INT(h7_camera_plan(-160, -120, 160, 320 * 240, &plan, error, sizeof error), -1);
}

UNIT_TEST(copy_rows_honours_stride_and_leaves_padding)
{
	enum { W = 160, H = 120, STRIDE = 176 };
	static uint8_t src[W * H], dst[STRIDE * H], ref[STRIDE * H];
	for (int i = 0; i < W * H; i++)
		src[i] = (uint8_t)unit_rand();
	memset(dst, 0xA5, sizeof dst);
	memset(ref, 0xA5, sizeof ref);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			ref[y * STRIDE + x] = src[y * W + x];
	h7_camera_copy_rows(dst, STRIDE, src, W, W, H);
	UNIT_ASSERT(memcmp(dst, ref, sizeof dst) == 0);
	/* stride == width is one contiguous copy. */
	static uint8_t flat[W * H];
	h7_camera_copy_rows(flat, W, src, W, W, H);
	UNIT_ASSERT(memcmp(flat, src, sizeof flat) == 0);
}

UNIT_TEST(exposure_converts_between_us_and_lines)
{
	/* 65.3 us rows (1568 PCLK at 24 MHz): 10 ms is 153.1 -> 153 lines; 153 lines is 9996 us. */
	UNIT_EQ_INT(h7_camera_exposure_lines(10000, 65333), 153);
	UNIT_EQ_INT(h7_camera_exposure_us(153, 65333), 9996);
	UNIT_EQ_INT(h7_camera_exposure_lines(0, 65333), 1);        /* at least one line */
	UNIT_EQ_INT(h7_camera_exposure_lines(33, 65333), 1);       /* rounds to 1 */
	UNIT_EQ_INT(h7_camera_exposure_lines(98000, 65333), 1500); /* 1499.98 rounds up */
	UNIT_EQ_INT(h7_camera_exposure_lines(2000000000, 65333), 65535);
	UNIT_EQ_INT(h7_camera_exposure_lines(-1, 65333), -1);
	UNIT_EQ_INT(h7_camera_exposure_lines(1000, 0), -1);
}

int main(void)
{
	UNIT_RUN(plan_accepts_the_two_sizes_and_names_bad_values);
	UNIT_RUN(copy_rows_honours_stride_and_leaves_padding);
	UNIT_RUN(exposure_converts_between_us_and_lines);
	return unit_done();
}
