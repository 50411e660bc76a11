/*
 * camera.c: camera_board.h on mps2-an500 (QEMU's Cortex-M7): a sensor that
 * replays binary PGM frames from the host over semihosting, one per capture,
 * wrapping around, with the host simulator's semantics (host-sim/camera.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Which frames: semihosting cannot list a folder, so the board's `--frames
 * DIR` names a folder on the host holding `frames.list`: one frame file per
 * line, in capture order, relative to DIR or absolute (blank lines and lines
 * starting with '#' skipped). `xsight run --board mps2-an500 --frames DIR`
 * (tools/m7.ts) uses DIR's own frames.list when it has one and otherwise
 * writes one in a temporary folder naming DIR's *.pgm in name order, the
 * host simulator's order.
 *
 * A frame whose size differs from the format is scaled to it (area mean,
 * native/vision), as a sensor's binning would; exposure is simulated from
 * the frame's mean (camera.h). The capture sequence lives in backup RAM next
 * to the retained memory (power.c), so it survives the system reset of a
 * Standby wake as the host's survives its Standby boots: the next wake sees
 * the next frame. A power-on starts it at 0.
 */
#include "board.h"
#include "camera.h"
#include "camera_board.h"
#include "power_board.h"
#include "vision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAMERA_MAX_FRAMES 1024
#define CAMERA_PATH_MAX 512
#define CAMERA_MAGIC 0x58534353u /* "XSCS" */

/* Backup RAM after power.c's header (64 bytes) and retained bytes (4 KB). */
extern uint8_t __backup_start[], __backup_end[];
typedef struct {
	uint32_t magic;
	uint32_t sequence;
	uint32_t check;
} CameraBackup;
#define gBackup ((volatile CameraBackup*)(__backup_start + 64 + 4096))

static struct {
	const char* dir;    /* --frames DIR on the host */
	char* list;         /* frames.list's text, names split in place */
	const char* names[CAMERA_MAX_FRAMES];
	int count;
	int loaded;
	int backupChecked;
	int32_t width, height;
	int32_t exposure_us; /* where auto-exposure starts */
} gCamera = { .exposure_us = -1 };

static uint32_t backupCheck(uint32_t sequence)
{
	return (sequence ^ 0x9E3779B9u) * 2654435761u;
}

/* The sequence kept in backup RAM; 0 after power-on or if it does not check. */
static uint32_t sequenceGet(void)
{
	if (!gCamera.backupChecked) {
		_Static_assert(64 + 4096 + sizeof(CameraBackup) <= 8192, "the camera's words fit in backup RAM");
		int valid = boardPowerBoots() > 1 && gBackup->magic == CAMERA_MAGIC && gBackup->check == backupCheck(gBackup->sequence);
		if (!valid) {
			gBackup->magic = CAMERA_MAGIC;
			gBackup->sequence = 0;
			gBackup->check = backupCheck(0);
		}
		gCamera.backupChecked = 1;
	}
	return gBackup->sequence;
}

static void sequenceSet(uint32_t sequence)
{
	gBackup->sequence = sequence;
	gBackup->check = backupCheck(sequence);
}

int boardCameraArgument(const char* arg, const char* value)
{
	if (strcmp(arg, "--frames"))
		return 0;
	gCamera.dir = value;
	return 1;
}

/* A host file's bytes (malloc, NUL added); NULL when it cannot be read. */
static uint8_t* readHost(const char* path, size_t* length)
{
	int block[3] = { (int)path, SH_MODE_RB, (int)strlen(path) };
	int handle = semihost(SYS_OPEN, block);
	if (handle < 0)
		return NULL;
	int size = semihost(SYS_FLEN, &handle);
	uint8_t* data = (size >= 0) ? malloc((size_t)size + 1) : NULL;
	if (data) {
		int read[3] = { handle, (int)data, size };
		/* SYS_READ returns the count of bytes NOT read. */
		if (size && semihost(SYS_READ, read) != 0) {
			free(data);
			data = NULL;
		}
		else {
			data[size] = 0;
			*length = (size_t)size;
		}
	}
	semihost(SYS_CLOSE, &handle);
	return data;
}

static int loadList(char* error, size_t size)
{
	if (gCamera.loaded)
		return 0;
	if (!gCamera.dir) {
		snprintf(error, size, "no frames folder (the board's --frames DIR)");
		return -1;
	}
	char path[CAMERA_PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/frames.list", gCamera.dir) >= sizeof(path)) {
		snprintf(error, size, "frames folder %.64s...: path too long", gCamera.dir);
		return -1;
	}
	size_t length = 0;
	gCamera.list = (char*)readHost(path, &length);
	if (!gCamera.list) {
		snprintf(error, size, "frames list %s: cannot read it (semihosting has no folder listing: the board needs frames.list)", path);
		return -1;
	}
	for (char* line = gCamera.list; line && *line;) {
		char* next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = 0;
		if (n && line[0] != '#') {
			if (gCamera.count == CAMERA_MAX_FRAMES) {
				snprintf(error, size, "frames list %s: more than %d frames", path, CAMERA_MAX_FRAMES);
				return -1;
			}
			gCamera.names[gCamera.count++] = line;
		}
		line = next;
	}
	if (!gCamera.count) {
		snprintf(error, size, "frames list %s: no frames", path);
		return -1;
	}
	gCamera.loaded = 1;
	return 0;
}

int board_camera_open(char* error, size_t size)
{
	if (loadList(error, size))
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
	if (!gCamera.loaded || !gCamera.width) {
		snprintf(error, size, "capture before open and set_format");
		return -1;
	}
	if (width != gCamera.width || height != gCamera.height || stride < width) {
		snprintf(error, size, "frame is %dx%d, the format %dx%d", (int)width, (int)height, (int)gCamera.width, (int)gCamera.height);
		return -1;
	}
	/* The sequence moves on even when a frame is bad: the next wake sees the next one. */
	uint32_t sequence = sequenceGet();
	const char* name = gCamera.names[sequence % (uint32_t)gCamera.count];
	sequenceSet(sequence + 1);
	capture->sequence = sequence;
	/* The source is the file's name, as on the host, whatever folder it is in. */
	const char* base = strrchr(name, '/');
	snprintf(capture->source, sizeof(capture->source), "%s", base ? base + 1 : name);
	char path[CAMERA_PATH_MAX];
	int written = (name[0] == '/') ? snprintf(path, sizeof(path), "%s", name) : snprintf(path, sizeof(path), "%s/%s", gCamera.dir, name);
	if (written < 0 || (size_t)written >= sizeof(path)) {
		snprintf(error, size, "frame %s: path too long", capture->source);
		return -1;
	}
	size_t length = 0;
	uint8_t* data = readHost(path, &length);
	if (!data) {
		snprintf(error, size, "frame %s: cannot read it", path);
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
	/* The replayed frame is what the settled sensor saw: the exposure it
	   wants is found from its mean as if taken at the default exposure. */
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
