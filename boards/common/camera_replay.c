/*
 * camera_replay.c: camera_board.h for the boards that replay PGM frames from
 * a folder of the host (camera_replay.h): the host simulator over stdio,
 * mps2-an500 over semihosting. SPDX-License-Identifier: Apache-2.0
 */
#include "camera.h"
#include "camera_board.h"
#include "camera_replay.h"
#include "power_board.h"
#include "vision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAMERA_PATH_MAX 1024

static struct {
	const char *dir; /* --frames DIR */
	const char *names[CAMERA_REPLAY_MAX_FRAMES];
	int count;
	int listed;
	int32_t width, height;
	int32_t exposure_us; /* where auto-exposure starts */
} gCamera = {.exposure_us = -1};

int boardReplayArgument(const char *arg, const char *value)
{
	if (strcmp(arg, "--frames"))
		return 0;
	gCamera.dir = value;
	return 1;
}

int board_camera_open(char *error, size_t size)
{
	if (!gCamera.listed) {
		if (!gCamera.dir) {
			snprintf(error, size, "no frames folder (the board's --frames DIR)");
			return -1;
		}
		int count = board_replay_list(gCamera.dir, gCamera.names, CAMERA_REPLAY_MAX_FRAMES, error, size);
		if (count < 0)
			return -1;
		gCamera.count = count;
		gCamera.listed = 1;
	}
	/* The sensor's set-up, charged as the OV7725 board's driver does it (camera.h), the sensor on. */
	board_power_camera(POWER_CAMERA_ON);
	board_power_count("camera.waits", CAMERA_OPEN_WAIT_US);
	board_power_count("camera.sccb.clocks", CAMERA_SCCB_OPEN_CLOCKS);
	return 0;
}

int board_camera_set_format(int32_t width, int32_t height, char *error, size_t size)
{
	if (!camera_size_supported(width, height)) {
		snprintf(error, size, "format %dx%d: expected " CAMERA_SIZES_TEXT, (int)width, (int)height);
		return -1;
	}
	gCamera.width = width;
	gCamera.height = height;
	board_power_count("camera.sccb.clocks", CAMERA_SCCB_FORMAT_CLOCKS);
	return 0;
}

void board_camera_set_exposure(int32_t exposure_us)
{
	gCamera.exposure_us = exposure_us;
	/* Only a kept exposure is written to a sensor; without one it starts from its own. */
	if (exposure_us >= 0)
		board_power_count("camera.sccb.clocks", CAMERA_SCCB_EXPOSURE_CLOCKS);
}

int board_camera_capture(uint8_t *pixels, int32_t width, int32_t height, int32_t stride, camera_capture_t *capture,
                         char *error, size_t size)
{
	if (!gCamera.listed || !gCamera.count || !gCamera.width) {
		snprintf(error, size, "capture before open and set_format");
		return -1;
	}
	if (width != gCamera.width || height != gCamera.height || stride < width) {
		snprintf(error, size, "frame is %dx%d, the format %dx%d", (int)width, (int)height, (int)gCamera.width,
		         (int)gCamera.height);
		return -1;
	}
	/* The sequence moves on even when a frame is bad: the next wake sees the next one. */
	uint32_t sequence = board_replay_sequence();
	const char *name = gCamera.names[sequence % (uint32_t)gCamera.count];
	board_replay_set_sequence(sequence + 1);
	capture->sequence = sequence;
	/* The source is the file's name, whatever folder it is in; errors name the
	 * frame by it too (the folder is the board's, e.g. a simulator's copy). */
	const char *base = strrchr(name, '/');
	snprintf(capture->source, sizeof(capture->source), "%s", base ? base + 1 : name);
	char path[CAMERA_PATH_MAX];
	int written = (name[0] == '/') ? snprintf(path, sizeof(path), "%s", name)
	                               : snprintf(path, sizeof(path), "%s/%s", gCamera.dir, name);
	if (written < 0 || (size_t)written >= sizeof(path)) {
		snprintf(error, size, "frame %s: path too long", capture->source);
		return -1;
	}
	char why[96] = "";
	size_t length = 0;
	uint8_t *data = board_replay_read(path, &length, why, sizeof(why));
	if (!data) {
		snprintf(error, size, "frame %s: %s", capture->source, why);
		return -1;
	}
	camera_pgm_header_t header;
	camera_status_t status = camera_pgm_header(data, length, &header);
	if (status != CAMERA_OK) {
		board_replay_release(data);
		snprintf(error, size, "frame %s: %s", capture->source,
		         status == CAMERA_ERROR_TRUNCATED ? "truncated" : "not a binary 8-bit PGM");
		return -1;
	}
	vision_image_u8_t source = {data + header.offset, header.width, header.height, header.width};
	vision_status_t resized = vision_resize_area_u8(&source, NULL, pixels, width, height, stride);
	board_replay_release(data);
	if (resized != VISION_OK) {
		snprintf(error, size, "frame %s: cannot scale %dx%d to %dx%d", capture->source, (int)header.width,
		         (int)header.height, (int)width, (int)height);
		return -1;
	}
	int32_t start = gCamera.exposure_us < 0 ? CAMERA_EXPOSURE_DEFAULT_US : gCamera.exposure_us;
	/* The replayed frame is what the settled sensor saw: the exposure it wants
	   is found from its mean as if taken at the default exposure. */
	int32_t wanted = camera_exposure_for(camera_mean_u8(pixels, width, height, stride), CAMERA_EXPOSURE_DEFAULT_US);
	capture->exposure_us = wanted;
	capture->settle_frames = camera_settle_frames(start, wanted);
	gCamera.exposure_us = wanted;
	/* A capture waits for the sensor's next frame to start (camera.syncs), then reads frames. */
	board_power_count("camera.syncs", 1);
	board_power_count("camera.sccb.clocks",
	                  CAMERA_SCCB_CAPTURE_CLOCKS + (double)CAMERA_SCCB_FRAME_CLOCKS * capture->settle_frames);
	board_power_count("camera.frames", capture->settle_frames);
	return 0;
}

void board_camera_standby(void)
{
	board_power_camera(POWER_CAMERA_STANDBY);
}
