/*
 * camera.c: camera_board.h on the host simulator board: a sensor that replays
 * binary PGM frames from a folder (--frames DIR), in name order, one per
 * capture, wrapping around. SPDX-License-Identifier: Apache-2.0
 *
 * A frame whose size differs from the format is scaled to it (area mean,
 * native/vision), as a sensor's binning would. Exposure is simulated: the
 * frame's mean says which exposure the scene wants (camera.h's model), and
 * the settling frames counted for energy follow from where auto-exposure
 * started. The capture sequence survives Standby boots within one run, as the
 * world goes on while the device sleeps.
 */
#include "camera.h"
#include "camera_board.h"
#include "host.h"
#include "power_board.h"
#include "vision.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_MAX_FRAMES 1024

static struct {
	const char* dir;
	char* names[HOST_MAX_FRAMES];
	int count;
	int scanned;
	uint32_t sequence;
	int32_t width, height;
	int32_t exposure_us; /* where auto-exposure starts */
} gCamera = { .exposure_us = -1 };

int hostCameraArgument(const char* arg, const char* value)
{
	if (strcmp(arg, "--frames"))
		return 0;
	gCamera.dir = value;
	return 1;
}

static int byName(const void* a, const void* b)
{
	return strcmp(*(char* const*)a, *(char* const*)b);
}

static int scan(char* error, size_t size)
{
	if (gCamera.scanned)
		return 0;
	if (!gCamera.dir) {
		snprintf(error, size, "no frames folder (the simulator's --frames DIR)");
		return -1;
	}
	DIR* dir = opendir(gCamera.dir);
	if (!dir) {
		snprintf(error, size, "frames folder %s: %s", gCamera.dir, strerror(errno));
		return -1;
	}
	struct dirent* entry;
	while ((entry = readdir(dir)) && gCamera.count < HOST_MAX_FRAMES) {
		size_t n = strlen(entry->d_name);
		if (n > 4 && !strcmp(entry->d_name + n - 4, ".pgm"))
			gCamera.names[gCamera.count++] = strdup(entry->d_name);
	}
	closedir(dir);
	if (!gCamera.count) {
		snprintf(error, size, "no .pgm frames in %s", gCamera.dir);
		return -1;
	}
	qsort(gCamera.names, (size_t)gCamera.count, sizeof(char*), byName);
	gCamera.scanned = 1;
	return 0;
}

int board_camera_open(char* error, size_t size)
{
	if (scan(error, size))
		return -1;
	board_power_camera(POWER_CAMERA_ON);
	return 0;
}

int board_camera_set_format(int32_t width, int32_t height, char* error, size_t size)
{
	if (!((width == 160 && height == 120) || (width == 320 && height == 240))) {
		snprintf(error, size, "format %dx%d: expected 160x120 (QQVGA) or 320x240 (QVGA)", (int)width, (int)height);
		return -1;
	}
	gCamera.width = width;
	gCamera.height = height;
	return 0;
}

void board_camera_set_exposure(int32_t exposure_us)
{
	gCamera.exposure_us = exposure_us;
}

int board_camera_capture(uint8_t* pixels, int32_t width, int32_t height, int32_t stride, camera_capture_t* capture, char* error, size_t size)
{
	if (!gCamera.scanned || !gCamera.width) {
		snprintf(error, size, "capture before open and set_format");
		return -1;
	}
	if (width != gCamera.width || height != gCamera.height || stride < width) {
		snprintf(error, size, "frame is %dx%d, the format %dx%d", (int)width, (int)height, (int)gCamera.width, (int)gCamera.height);
		return -1;
	}
	/* The sequence moves on even when a frame is bad: the next wake sees the next one. */
	const char* name = gCamera.names[gCamera.sequence % (uint32_t)gCamera.count];
	capture->sequence = gCamera.sequence++;
	snprintf(capture->source, sizeof(capture->source), "%s", name);
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", gCamera.dir, name);
	size_t length = 0;
	uint8_t* data = (uint8_t*)hostReadFile(path, &length);
	if (!data) {
		snprintf(error, size, "frame %s: %s", path, strerror(errno));
		return -1;
	}
	camera_pgm_header_t header;
	camera_status_t status = camera_pgm_header(data, length, &header);
	if (status != CAMERA_OK) {
		free(data);
		snprintf(error, size, "frame %s: %s", path, status == CAMERA_ERROR_TRUNCATED ? "truncated" : "not a binary 8-bit PGM");
		return -1;
	}
	vision_image_u8_t source = { data + header.offset, header.width, header.height, header.width };
	vision_status_t resized = vision_resize_area_u8(&source, NULL, pixels, width, height, stride);
	free(data);
	if (resized != VISION_OK) {
		snprintf(error, size, "frame %s: cannot scale %dx%d to %dx%d", path, (int)header.width, (int)header.height, (int)width, (int)height);
		return -1;
	}
	int32_t start = gCamera.exposure_us < 0 ? CAMERA_EXPOSURE_DEFAULT_US : gCamera.exposure_us;
	/* The replayed frame is what the settled sensor saw: the exposure it wants
	   is found from its mean as if taken at the default exposure. */
	int32_t wanted = camera_exposure_for(camera_mean_u8(pixels, width, height, stride), CAMERA_EXPOSURE_DEFAULT_US);
	capture->exposure_us = wanted;
	capture->settle_frames = camera_settle_frames(start, wanted);
	gCamera.exposure_us = wanted;
	board_power_count("camera.frames", capture->settle_frames);
	return 0;
}

void board_camera_standby(void)
{
	board_power_camera(POWER_CAMERA_STANDBY);
}
