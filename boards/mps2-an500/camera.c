/*
 * camera.c: mps2-an500's side of the replay camera
 * (boards/common/camera_replay.c), with the host simulator's semantics: the
 * frames are read from the host over semihosting.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Which frames: semihosting cannot list a folder, so the board's `--frames
 * DIR` names a folder on the host holding `frames.list`: one frame file per
 * line, in capture order, relative to DIR or absolute (blank lines and lines
 * starting with '#' skipped). `xsight run --board mps2-an500 --frames DIR`
 * (tools/boards/m7.ts) uses DIR's own frames.list when it has one and otherwise
 * writes one in a temporary folder naming DIR's *.pgm in name order, the
 * host simulator's order.
 *
 * The capture sequence lives in backup RAM next to the retained memory
 * (power.c), so it survives the system reset of a Standby wake as the host's
 * survives its Standby boots: the next wake sees the next frame. A power-on
 * starts it at 0.
 */
#include "board.h"
#include "camera_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAMERA_PATH_MAX 512
#define CAMERA_MAGIC    0x58534353u /* "XSCS" */

/* Backup RAM after power.c's header (64 bytes) and retained bytes (4 KB). */
extern uint8_t __backup_start[], __backup_end[];
typedef struct {
	uint32_t magic;
	uint32_t sequence;
	uint32_t check;
} CameraBackup;
#define gBackup ((volatile CameraBackup *)(__backup_start + 64 + 4096))

static int gBackupChecked;

static uint32_t backupCheck(uint32_t sequence)
{
	return (sequence ^ 0x9E3779B9u) * 2654435761u;
}

/* The sequence kept in backup RAM; 0 after power-on or if it does not check. */
uint32_t board_replay_sequence(void)
{
	if (!gBackupChecked) {
		_Static_assert(64 + 4096 + sizeof(CameraBackup) <= 8192, "the camera's words fit in backup RAM");
		int valid = boardPowerBoots() > 1 && gBackup->magic == CAMERA_MAGIC &&
		        gBackup->check == backupCheck(gBackup->sequence);
		if (!valid) {
			gBackup->magic = CAMERA_MAGIC;
			gBackup->sequence = 0;
			gBackup->check = backupCheck(0);
		}
		gBackupChecked = 1;
	}
	return gBackup->sequence;
}

void board_replay_set_sequence(uint32_t sequence)
{
	gBackup->sequence = sequence;
	gBackup->check = backupCheck(sequence);
}

/* fw-h743.elf's SRAM1-2 (link-h743.ld), where the H743's camera DMA puts a frame:
   the frame file is read there instead of into the heap. None in fw.elf. */
extern uint8_t __dma_buffer_start[] __attribute__((weak)), __dma_buffer_end[] __attribute__((weak));

uint8_t *board_replay_read(const char *path, size_t *length, char *error, size_t size)
{
	uint8_t *data = __dma_buffer_start;
	size_t max = __dma_buffer_start ? (size_t)(__dma_buffer_end - __dma_buffer_start) - 1 : SIZE_MAX;
	int status = boardHostReadFile(path, max, &data, length);
	if (status != BOARD_READ_OK) {
		if (status == BOARD_READ_SIZE && __dma_buffer_start)
			snprintf(error, size, "larger than the %lu-byte frame buffer", (unsigned long)max);
		else
			snprintf(error, size, "cannot read it");
		return NULL;
	}
	return data;
}

void board_replay_release(uint8_t *data)
{
	if (data != __dma_buffer_start)
		free(data);
}

/* frames.list's lines, split in place: the names point into its text, kept for the run. */
int board_replay_list(const char *dir, const char **names, int capacity, char *error, size_t size)
{
	char path[CAMERA_PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/frames.list", dir) >= sizeof(path)) {
		snprintf(error, size, "frames folder %.64s...: path too long", dir);
		return -1;
	}
	uint8_t *list = NULL;
	size_t length = 0;
	if (boardHostReadFile(path, SIZE_MAX, &list, &length) != BOARD_READ_OK) {
		snprintf(error, size,
		         "frames list %s: cannot read it (semihosting has no folder listing: the board needs frames.list)",
		         path);
		return -1;
	}
	int count = 0;
	for (char *line = (char *)list; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = 0;
		if (n && line[0] != '#') {
			if (count == capacity) {
				snprintf(error, size, "frames list %s: more than %d frames", path, capacity);
				free(list);
				return -1;
			}
			names[count++] = line;
		}
		line = next;
	}
	if (!count) {
		snprintf(error, size, "frames list %s: no frames", path);
		free(list);
		return -1;
	}
	return count;
}
