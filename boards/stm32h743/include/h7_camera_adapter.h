/*
 * h7_camera_adapter.h: the hardware-independent half of camera_board.h on the
 * STM32H743 (camera.c): which frame sizes the OV7725 path serves, how a
 * DMA frame (rows `pitch` bytes apart in SRAM1-2) lands in the caller's frame
 * (rows `stride` bytes apart in the AXI SRAM heap), and the exposure unit
 * conversion between the app (microseconds) and the sensor (line periods), and one capture
 * under native/camera's settle policy, the one every board's camera follows.
 * Pure C, host-tested (test/test_h7_camera_adapter.c, test/test_h7_camera.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_CAMERA_ADAPTER_H
#define XSIGHT_H7_CAMERA_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "h7_sensor.h"

typedef struct {
	uint16_t width, height; /* the sensor format (QQVGA or QVGA) */
	uint32_t pitch;         /* bytes per row in the DMA buffer */
	uint32_t bytes;         /* bytes the DMA writes for one frame */
} h7_camera_plan_t;

/* Checks a request from the binding against what the board serves: QQVGA 160x120 or QVGA
 * 320x240 grayscale, a caller stride >= width, and a frame that fits the board's DMA buffer
 * (dma_size bytes). 0, or -1 with a message naming the bad value in error. */
int h7_camera_plan(int32_t width, int32_t height, int32_t stride, uint32_t dma_size, h7_camera_plan_t *plan,
                   char *error, size_t error_size);

/* Copies width x height pixels from src (rows pitch bytes apart) to dst (rows stride bytes
 * apart); the stride - width bytes after each dst row are left as they were. */
void h7_camera_copy_rows(uint8_t *dst, int32_t stride, const uint8_t *src, uint32_t pitch, uint32_t width,
                         uint32_t height);

/* Exposure in sensor line periods for exposure_us with rows line_ns long: rounded to the
 * nearest line, clamped to 1..65535 (the OV7725's AEC registers, 16 bits). -1 when
 * exposure_us < 0 (none given: the sensor's auto exposure starts from its default). */
int32_t h7_camera_exposure_lines(int32_t exposure_us, uint32_t line_ns);
/* And back: line periods to microseconds, rounded. */
int32_t h7_camera_exposure_us(uint32_t lines, uint32_t line_ns);

/* The exposure the app kept (exposure_us, from its retained memory; < 0: none) written to the
 * sensor, then auto exposure on again so that it continues from there. H7_VIDEO_OK when nothing
 * was kept (the sensor's default) or the value was written. */
int h7_camera_start_exposure(h7_sensor_t *sensor, int32_t exposure_us, uint32_t line_ns);

typedef struct {
	int32_t frames;      /* read out, the kept one included */
	int32_t exposure_us; /* what the scene wants, from the kept frame (the next wake starts there) */
	uint32_t bytes;      /* what the backend delivered for the kept frame */
} h7_camera_shot_t;

/* One capture: the sensor out of soft sleep, frames read into dma (plan->bytes, mode) until one
 * is settled (camera_frame_settled on its mean and the exposure it was taken at) or
 * CAMERA_SETTLE_MAX_FRAMES were read, each within timeout_ms, then the sensor in soft sleep again.
 * H7_VIDEO_OK, or the first failure (shot->frames says how many frames came before it). */
int h7_camera_settle(h7_sensor_t *sensor, const h7_capture_ops_t *capture, void *ctx, const h7_capture_mode_t *mode,
                     const h7_camera_plan_t *plan, uint8_t *dma, uint32_t line_ns, uint32_t timeout_ms,
                     h7_camera_shot_t *shot);

#endif
