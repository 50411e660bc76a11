/*
 * h7_camera_adapter.c: see h7_camera_adapter.h.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_camera_adapter.h"
#include "camera.h"

#include <stdio.h>
#include <string.h>

int h7_camera_plan(int32_t width, int32_t height, int32_t stride, uint32_t dma_size, h7_camera_plan_t *plan,
                   char *error, size_t error_size)
{
	if (!plan) {
		snprintf(error, error_size, "camera: no plan");
		return -1;
	}
	if (!camera_size_supported(width, height)) {
		snprintf(error, error_size, "camera: %ldx%ld is not a size of this board: expected " CAMERA_SIZES_TEXT,
		         (long)width, (long)height);
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

int h7_camera_start_exposure(h7_sensor_t *sensor, int32_t exposure_us, uint32_t line_ns)
{
	int32_t lines = h7_camera_exposure_lines(exposure_us, line_ns);
	if (lines < 0)
		return H7_VIDEO_OK;
	int status = sensor->ops->set_ctrl(sensor, H7_CTRL_EXPOSURE, lines);
	return status ? status : sensor->ops->set_ctrl(sensor, H7_CTRL_AUTO_EXPOSURE, 1);
}

/* The exposure the sensor takes its next frame at, in us; -1 when it cannot be read. */
static int32_t exposure_now(h7_sensor_t *sensor, uint32_t line_ns)
{
	int32_t lines = 0;
	if (sensor->ops->get_ctrl(sensor, H7_CTRL_EXPOSURE, &lines))
		return -1;
	return h7_camera_exposure_us((uint32_t)lines, line_ns);
}

int h7_camera_settle(h7_sensor_t *sensor, const h7_capture_ops_t *capture, void *ctx, const h7_capture_mode_t *mode,
                     const h7_camera_plan_t *plan, uint8_t *dma, uint32_t line_ns, uint32_t timeout_ms,
                     h7_camera_shot_t *shot)
{
	*shot = (h7_camera_shot_t){0, -1, 0};
	int status = sensor->ops->set_sleep(sensor, false);
	while (!status && shot->frames < CAMERA_SETTLE_MAX_FRAMES) {
		/* Auto exposure moves in the blanking between frames: what it holds now is what the next frame is taken at. */
		int32_t exposure = exposure_now(sensor, line_ns);
		status = capture->start(ctx, dma, plan->bytes, mode);
		if (!status)
			status = capture->wait(ctx, &shot->bytes, timeout_ms);
		if (status) {
			capture->stop(ctx);
			break;
		}
		shot->frames++;
		if (shot->bytes != plan->bytes)
			break; /* a short frame: the caller says so */
		if (exposure < 0) {
			/* Nothing to judge the frame by: keep it, and no exposure for the next wake. */
			shot->exposure_us = -1;
			break;
		}
		uint32_t mean = camera_mean_u8(dma, plan->width, plan->height, (int32_t)plan->pitch);
		shot->exposure_us = camera_exposure_for(mean, exposure);
		if (camera_frame_settled(mean, exposure))
			break;
	}
	int asleep = sensor->ops->set_sleep(sensor, true);
	return status ? status : asleep;
}
