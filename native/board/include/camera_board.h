/*
 * camera_board.h: what a board's camera driver supplies to the "native/camera"
 * binding: a grayscale sensor that powers up, takes a format, captures one
 * frame into C-owned memory (a vision Frame's pixels) and goes to standby. The shape is
 * a small subset of Zephyr's video API (set format, capture one buffer,
 * stream stop); the STM32H743's OV7725 driver (boards/stm32h743) and the
 * PGM-replay camera of the host simulator and mps2-an500
 * (boards/common/camera_replay.c) implement it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every function returns 0 or a negative value with a message in `error`.
 * The board reports the sensor's power state to the power board
 * (board_power_camera) and the frames it read out (board_power_count
 * "camera.frames"), so energy accounting sees settling frames too.
 */
#ifndef XSIGHT_CAMERA_BOARD_H
#define XSIGHT_CAMERA_BOARD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t sequence;     /* this capture's number since power-on, from 0, across Standby */
	int32_t exposure_us;   /* the exposure the scene wants, from the kept frame: the next wake's start */
	int32_t settle_frames; /* frames read out (native/camera's settle policy), the kept one included */
	char source[64];       /* where the frame came from (a file name on the host) */
} camera_capture_t;

/* Power the sensor up (or wake it from standby) and probe it. */
int board_camera_open(char *error, size_t error_size);
/* Frame size; QQVGA 160x120 and QVGA 320x240 on every board. */
int board_camera_set_format(int32_t width, int32_t height, char *error, size_t error_size);
/* Start auto-exposure from this value (kept across Standby by the app); < 0: the sensor's default. */
void board_camera_set_exposure(int32_t exposure_us);
/* Capture one frame into C-owned `pixels` (rows `stride` bytes apart; the size must be the format's). */
int board_camera_capture(uint8_t *pixels, int32_t width, int32_t height, int32_t stride, camera_capture_t *capture,
                         char *error, size_t error_size);
/* Sensor standby (registers kept); the next open wakes it. */
void board_camera_standby(void);

#endif
