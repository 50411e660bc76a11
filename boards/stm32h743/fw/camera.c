/*
 * camera.c: camera_board.h on the STM32H743 over the OV7725 driver (src/pure/h7_ov7725.c,
 * src/pure/h7_video.c, src/hw/camera.c). The DCMI's DMA (DMA1, in D2) fills a frame buffer in
 * SRAM1-2 (.dma_buffer, non-cacheable by the MPU); the kept frame is then copied row by row into
 * the caller's C-owned frame (a vision Frame in the AXI SRAM heap, rows `stride` bytes apart):
 * 76.8 KB at most, well under a millisecond at 480 MHz, and the DMA never writes memory that XS
 * or the cache owns. The checks and the copy are h7_camera_adapter.c (host-tested).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "camera_board.h"
#include "h7_board.h"
#include "h7_camera_adapter.h"
#include "h7_memory.h"
#include "power_board.h"

#define CAPTURE_TIMEOUT_MS 1000u

static uint8_t gDmaFrame[H7_DMA_FRAME_BYTES] H7_DMA_BUFFER;
/* XCLK is the HSE on MCO1; the sensor's clock is chosen for H7_BOARD_CAMERA_FPS at init. */
static h7_sensor_t gSensor = {&h7_ov7725_ops,  &h7_sccb_bus,       &h7_camera_pins, OV7725_ADDR7, 0, 0,
                              H7_BOARD_HSE_HZ, H7_BOARD_CAMERA_FPS};

/* Row time for the exposure unit conversion: 1568 PCLK per row (784 pixel periods of YUV422,
   the OV7725's VGA row timing) at the clock init chose (65.3 us at 30 fps from a 12 MHz XCLK).
   An estimate until measured on a board: docs/boards/stm32h743.md, bring-up checklist. */
static uint32_t lineNs(void)
{
	h7_ov7725_clock_t clock;
	return h7_ov7725_clock(gSensor.xclk_hz, gSensor.fps, &clock) ? 0 : clock.line_ns;
}
static h7_video_t gVideo;
static h7_video_buffer_t gBuffer = {gDmaFrame, sizeof(gDmaFrame), 0, 0};
static struct {
	int hwReady, open;
	int32_t width, height;
	int exposureKnown;
	uint32_t sequence;
} gCamera;

int board_camera_open(char *error, size_t error_size)
{
	if (!gCamera.hwReady) {
		h7_camera_hw_init();
		gCamera.hwReady = 1;
	}
	if (gCamera.open)
		return 0;
	int status = gSensor.ops->init(&gSensor);
	if (status) {
		snprintf(error, error_size, "camera: OV7725 on SCCB (I2C1 PB8/PB9, address 0x%02X): %s at register 0x%02X",
		         OV7725_ADDR7, h7_video_strerror(status), gSensor.last_reg);
		return -1;
	}
	status = h7_video_init(&gVideo, &gSensor, &h7_dcmi_capture, NULL);
	if (status) {
		snprintf(error, error_size, "camera: %s", h7_video_strerror(status));
		return -1;
	}
	gCamera.open = 1;
	gCamera.width = gCamera.height = 0;
	board_power_camera(POWER_CAMERA_ON);
	return 0;
}

int board_camera_set_format(int32_t width, int32_t height, char *error, size_t error_size)
{
	h7_camera_plan_t plan;
	if (h7_camera_plan(width, height, width, sizeof(gDmaFrame), &plan, error, error_size))
		return -1;
	h7_video_format_t format = {H7_PIX_FMT_GREY, plan.width, plan.height, 0};
	int status = h7_video_set_format(&gVideo, &format);
	if (status) {
		snprintf(error, error_size, "camera: format %ldx%ld: %s", (long)width, (long)height, h7_video_strerror(status));
		return -1;
	}
	gCamera.width = width;
	gCamera.height = height;
	return 0;
}

void board_camera_set_exposure(int32_t exposure_us)
{
	int32_t lines = h7_camera_exposure_lines(exposure_us, lineNs());
	gCamera.exposureKnown = 0;
	if (lines < 0)
		return;
	/* The kept value first, then auto exposure on again so it continues from there. */
	if (!h7_video_set_ctrl(&gVideo, H7_CTRL_EXPOSURE, lines) && !h7_video_set_ctrl(&gVideo, H7_CTRL_AUTO_EXPOSURE, 1))
		gCamera.exposureKnown = 1;
}

int board_camera_capture(uint8_t *pixels, int32_t width, int32_t height, int32_t stride, camera_capture_t *capture,
                         char *error, size_t error_size)
{
	h7_camera_plan_t plan;
	if (!gCamera.open) {
		snprintf(error, error_size, "camera: not open");
		return -1;
	}
	if (h7_camera_plan(width, height, stride, sizeof(gDmaFrame), &plan, error, error_size))
		return -1;
	if (width != gCamera.width || height != gCamera.height) {
		snprintf(error, error_size, "camera: the frame is %ldx%ld, the format %ldx%ld", (long)width, (long)height,
		         (long)gCamera.width, (long)gCamera.height);
		return -1;
	}
	int settle = gCamera.exposureKnown ? H7_CAMERA_SETTLE_WARM : H7_CAMERA_SETTLE_COLD;
	int status = h7_video_stream_start(&gVideo);
	h7_video_buffer_t *got = NULL;
	int frames = 0;
	while (!status && frames < settle) {
		status = h7_video_enqueue(&gVideo, &gBuffer);
		if (!status)
			status = h7_video_dequeue(&gVideo, &got, CAPTURE_TIMEOUT_MS);
		if (!status)
			frames++;
	}
	h7_video_stream_stop(&gVideo);
	board_power_count("camera.frames", frames);
	if (status) {
		snprintf(error, error_size, "camera: frame %d of %d: %s", frames + 1, settle, h7_video_strerror(status));
		return -1;
	}
	if (got->bytesused != plan.bytes) {
		snprintf(error, error_size, "camera: the DMA delivered %lu bytes, a %ldx%ld frame has %lu",
		         (unsigned long)got->bytesused, (long)width, (long)height, (unsigned long)plan.bytes);
		return -1;
	}
	h7_camera_copy_rows(pixels, stride, got->buffer, plan.pitch, plan.width, plan.height);
	int32_t lines = 0;
	gCamera.exposureKnown = !h7_video_get_ctrl(&gVideo, H7_CTRL_EXPOSURE, &lines);
	capture->sequence = ++gCamera.sequence;
	capture->exposure_us = gCamera.exposureKnown ? h7_camera_exposure_us((uint32_t)lines, lineNs()) : -1;
	capture->settle_frames = frames;
	snprintf(capture->source, sizeof(capture->source), "ov7725 %ldx%ld", (long)width, (long)height);
	return 0;
}

void board_camera_standby(void)
{
	if (!gCamera.open)
		return;
	h7_video_stream_stop(&gVideo);
	gSensor.ops->set_sleep(&gSensor, true);
	board_power_camera(POWER_CAMERA_STANDBY);
}
