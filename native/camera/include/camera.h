/*
 * camera.h: the parts of a camera driver that are pure computation, shared by
 * every board: reading a binary PGM frame's header (the host and QEMU boards'
 * cameras replay PGM files), and the exposure-settling policy that decides how
 * many frames a sensor needs after a wake (every board's camera: one policy). No XS, no allocation, no I/O.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_CAMERA_H
#define XSIGHT_CAMERA_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	CAMERA_OK = 0,
	CAMERA_ERROR_ARGUMENT = -1,
	CAMERA_ERROR_FORMAT = -2,    /* not a binary 8-bit PGM */
	CAMERA_ERROR_TRUNCATED = -3, /* fewer pixel bytes than the header promises */
} camera_status_t;

#define CAMERA_PGM_MAX_SIDE 4096

typedef struct {
	int32_t width;  /* -1 when the header has no number there */
	int32_t height; /* -1 when the header has no number there */
	int32_t maxval; /* -1 when the header has no number there */
	size_t offset;  /* of the first pixel byte */
} camera_pgm_header_t;

/* Parses a binary PGM's header, "P5 <w> <h> 255" (with # comments) and one whitespace byte, from
 * its first `size` bytes: sides 1..CAMERA_PGM_MAX_SIDE, 8-bit pixels. On CAMERA_ERROR_FORMAT
 * `*field` (when given) names what is wrong: "magic", "width", "height", "maxval" or "header"
 * (no byte after maxval), and the numbers read so far are in `header`. The one PGM reader of
 * every board and of modules/vision's readPgm (through native/camera's pgmHeader). */
camera_status_t camera_pgm_parse(const uint8_t *data, size_t size, camera_pgm_header_t *header, const char **field);

/* camera_pgm_parse, then checks that w*h pixel bytes follow within `size`. */
camera_status_t camera_pgm_header(const uint8_t *data, size_t size, camera_pgm_header_t *header);

/* The frame sizes every board's camera serves (modules/camera.ts's FRAME_SIZES asks for no
 * other): QQVGA 160x120 and QVGA 320x240. */
#define CAMERA_SIZES_TEXT "160x120 (QQVGA) or 320x240 (QVGA)"
int camera_size_supported(int32_t width, int32_t height);

/* Mean of a frame's pixels, rounded down. */
uint32_t camera_mean_u8(const uint8_t *pixels, int32_t width, int32_t height, int32_t stride);

/*
 * Exposure. An auto-exposure loop drives the frame mean to a target (128 of
 * 255); each frame it can move exposure by a bounded factor, so the frames it
 * needs grow with how far the starting exposure is from the one the scene
 * wants. Starting from a value kept across Standby (retained memory) usually
 * needs one frame instead of a cold start's ramp from the sensor's default.
 */
#define CAMERA_EXPOSURE_MIN_US     100
#define CAMERA_EXPOSURE_MAX_US     66000 /* one frame time at 15 fps */
#define CAMERA_EXPOSURE_DEFAULT_US 10000
#define CAMERA_TARGET_MEAN         128
/* The exposure that would bring a frame of `mean`, taken at `exposure_us`, to the target. */
int32_t camera_exposure_for(uint32_t mean, int32_t exposure_us);
/* Frames the loop needs to go from `from_us` to `to_us` when each frame may
 * change exposure by at most 2x, the frame kept included:
 * 1 + max(0, ceil(log2(ratio)) - 1), so a ratio within 2x costs no extra frame. */
int32_t camera_settle_frames(int32_t from_us, int32_t to_us);
/* The settle policy every camera follows: a frame of `mean` taken at `exposure_us` is the one
 * kept when the exposure it asks for is within the loop's one-frame step of its own
 * (camera_settle_frames(exposure_us, camera_exposure_for(...)) == 1). A frame at a rail (mean 0
 * or 255) says only "too dark" or "too bright", never settled. The replay camera counts
 * camera_settle_frames(start, wanted) frames, which is what this rule gives a sensor whose
 * exposure moves 2x a frame; a sensor reads frames until one is settled, at most
 * CAMERA_SETTLE_MAX_FRAMES (camera_settle_frames across the whole exposure range). */
int camera_frame_settled(uint32_t mean, int32_t exposure_us);
#define CAMERA_SETTLE_MAX_FRAMES 10

/*
 * What a wake's sensor set-up costs on the bus, as the STM32H743's OV7725 driver does it
 * (boards/stm32h743/pure/h7_ov7725.c and h7_camera_adapter.c; test_h7_camera holds the driver to
 * these numbers): SCCB clock periods, a byte 9 (8 bits and the ACK) and a START and a STOP one
 * each, and the fixed waits; standby after a capture costs none (the sensor is in soft sleep already).
 * The replay camera counts the same (power counters camera.sccb.clocks and camera.waits) so that
 * the simulator charges the set-up the firmware does.
 */
#define CAMERA_SCCB_OPEN_CLOCKS     254  /* ID probe, defaults, clock */
#define CAMERA_SCCB_FORMAT_CLOCKS   261  /* the QVGA window and output size */
#define CAMERA_SCCB_EXPOSURE_CLOCKS 116  /* a kept exposure written, auto exposure on from there */
#define CAMERA_SCCB_CAPTURE_CLOCKS  29   /* back to soft sleep after a capture (its start needs none) */
#define CAMERA_SCCB_FRAME_CLOCKS    80   /* the exposure read before each frame */
#define CAMERA_OPEN_WAIT_US         2000 /* RESETB low 1 ms, then 1 ms of settling (tS:RESET) */

#endif
