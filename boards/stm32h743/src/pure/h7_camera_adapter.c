/*
 * h7_camera_adapter.c: see h7_camera_adapter.h.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_camera_adapter.h"

#include <stdio.h>
#include <string.h>

int h7_camera_plan(int32_t width, int32_t height, int32_t stride, uint32_t dma_size, h7_camera_plan_t *plan,
                   char *error, size_t error_size)
{
	if (!plan) {
		snprintf(error, error_size, "camera: no plan");
		return -1;
	}
	if (!((width == 160 && height == 120) || (width == 320 && height == 240))) {
		snprintf(error, error_size, "camera: %ldx%ld is not a size of this board (160x120 or 320x240)", (long)width,
		         (long)height);
		return -1;
	}
	if (stride < width) {
		snprintf(error, error_size, "camera: stride %ld is less than the width %ld", (long)stride, (long)width);
		return -1;
	}
	uint32_t bytes = (uint32_t)width * (uint32_t)height;
	if (bytes > dma_size) {
		snprintf(error, error_size, "camera: a %ldx%ld frame needs %lu bytes, the DMA buffer has %lu", (long)width,
		         (long)height, (unsigned long)bytes, (unsigned long)dma_size);
		return -1;
	}
	plan->width = (uint16_t)width;
	plan->height = (uint16_t)height;
	plan->pitch = (uint32_t)width;
	plan->bytes = bytes;
	return 0;
}

void h7_camera_copy_rows(uint8_t *dst, int32_t stride, const uint8_t *src, uint32_t pitch, uint32_t width,
                         uint32_t height)
{
	for (uint32_t y = 0; y < height; y++)
		memcpy(dst + (size_t)y * (size_t)stride, src + (size_t)y * pitch, width);
}

int32_t h7_camera_exposure_lines(int32_t exposure_us, uint32_t line_ns)
{
	if (exposure_us < 0 || line_ns == 0)
		return -1;
	uint64_t lines = ((uint64_t)exposure_us * 1000u + line_ns / 2) / line_ns;
	if (lines < 1)
		lines = 1;
	if (lines > 65535)
		lines = 65535;
	return (int32_t)lines;
}

int32_t h7_camera_exposure_us(uint32_t lines, uint32_t line_ns)
{
	return (int32_t)(((uint64_t)lines * line_ns + 500u) / 1000u);
}
