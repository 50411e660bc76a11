/*
 * camera.c: camera_board.h on the STM32H743 over the OV7725 driver (pure/h7_ov7725.c,
 * pure/h7_camera_adapter.c, hw/camera.c). The DCMI's DMA (DMA1, in D2) fills a frame buffer in
 * SRAM1-2 (.dma_buffer, non-cacheable by the MPU); the kept frame is then copied row by row into
 * the caller's C-owned frame (a vision Frame in the AXI SRAM heap, rows `stride` bytes apart):
 * 76.8 KB at most, well under a millisecond at 480 MHz, and the DMA never writes memory that XS
 * or the cache owns. The checks, the copy and the settle loop are h7_camera_adapter.c (host-tested).
 * As the replay camera: the app's kept exposure is where auto exposure starts, frames are read
 * under native/camera's settle policy, and captures are numbered from 0 since power-on, across
 * Standby (the number is kept in backup SRAM with the board's boot record, board.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "camera_board.h"
#include "h7_board.h"
#include "h7_camera_adapter.h"
#include "h7_memory.h"
#include "power_board.h"

#define CAPTURE_TIMEOUT_MS 1000u

static uint8_t gDmaFrame[H7_DMA_FRAME_BYTES] H7_DMA_BUFFER;
static h7_sensor_t gSensor = H7_BOARD_SENSOR;

/* Row time for the exposure unit conversion: 1568 PCLK per row (784 pixel periods of YUV422,
   the OV7725's VGA row timing) at the clock init chose (32.7 us at 60 fps from a 12 MHz XCLK).
   An estimate until measured on a board: docs/boards/stm32h743.md, bring-up checklist. */
static uint32_t lineNs(void)
{
	h7_ov7725_clock_t clock;
	return h7_ov7725_clock(gSensor.xclk_hz, gSensor.fps, &clock) ? 0 : clock.line_ns;
}
static struct {
	int hwReady, open;
	h7_camera_plan_t plan;
	h7_capture_mode_t mode;
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
	gCamera.open = 1;
	gCamera.plan.width = 0;
	board_power_camera(POWER_CAMERA_ON);
	return 0;
}

int board_camera_set_format(int32_t width, int32_t height, char *error, size_t error_size)
{
	h7_camera_plan_t plan;
	if (h7_camera_plan(width, height, width, sizeof(gDmaFrame), &plan, error, error_size))
		return -1;
	h7_video_format_t format = {H7_PIX_FMT_GREY, plan.width, plan.height, plan.pitch};
	int status = gSensor.ops->set_format(&gSensor, &format, &gCamera.mode);
	if (status) {
		snprintf(error, error_size, "camera: format %ldx%ld: %s", (long)width, (long)height, h7_video_strerror(status));
		return -1;
	}
	gCamera.plan = plan;
	return 0;
}

/* The app's kept exposure (the replay camera's start too): written before auto exposure resumes. */
void board_camera_set_exposure(int32_t exposure_us)
{
	h7_camera_start_exposure(&gSensor, exposure_us, lineNs());
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
	if (width != gCamera.plan.width || height != gCamera.plan.height) {
		snprintf(error, error_size, "camera: the frame is %ldx%ld, the format %ldx%ld", (long)width, (long)height,
		         (long)gCamera.plan.width, (long)gCamera.plan.height);
		return -1;
	}
	h7_camera_shot_t shot;
	int status = h7_camera_settle(&gSensor, &h7_dcmi_capture, NULL, &gCamera.mode, &plan, gDmaFrame, lineNs(),
	                              CAPTURE_TIMEOUT_MS, &shot);
	board_power_count("camera.frames", shot.frames);
	/* The sequence moves on even when a frame is bad, as the replay camera's. */
	capture->sequence = fwCameraSequence();
	if (status) {
		snprintf(error, error_size, "camera: frame %ld: %s", (long)shot.frames + 1, h7_video_strerror(status));
		return -1;
	}
	if (shot.bytes != plan.bytes) {
		snprintf(error, error_size, "camera: the DMA delivered %lu bytes, a %ldx%ld frame has %lu",
		         (unsigned long)shot.bytes, (long)width, (long)height, (unsigned long)plan.bytes);
		return -1;
	}
	h7_camera_copy_rows(pixels, stride, gDmaFrame, plan.pitch, plan.width, plan.height);
	capture->exposure_us = shot.exposure_us;
	capture->settle_frames = shot.frames;
	snprintf(capture->source, sizeof(capture->source), "ov7725 %ldx%ld", (long)width, (long)height);
	return 0;
}

void board_camera_standby(void)
{
	if (!gCamera.open)
		return;
	gSensor.ops->set_sleep(&gSensor, true);
	board_power_camera(POWER_CAMERA_STANDBY);
}
