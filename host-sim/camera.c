/*
 * camera.c: the host simulator's side of the replay camera
 * (boards/common/camera_replay.c): the frames are the .pgm files of the
 * --frames folder in name order, read with stdio. The capture sequence lives
 * in the process, so it survives Standby boots within one run.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "camera_replay.h"
#include "module_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t gSequence;

static int byName(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int board_replay_list(const char *dir, const char **names, int capacity, char *error, size_t size)
{
	DIR *folder = opendir(dir);
	if (!folder) {
		snprintf(error, size, "frames folder %s: %s", dir, strerror(errno));
		return -1;
	}
	int count = 0;
	struct dirent *entry;
	while ((entry = readdir(folder)) && count < capacity) {
		size_t n = strlen(entry->d_name);
		if (n > 4 && !strcmp(entry->d_name + n - 4, ".pgm"))
			names[count++] = strdup(entry->d_name);
	}
	closedir(folder);
	if (!count) {
		snprintf(error, size, "no .pgm frames in %s", dir);
		return -1;
	}
	qsort(names, (size_t)count, sizeof(char *), byName);
	return count;
}

uint8_t *board_replay_read(const char *path, size_t *length, char *error, size_t size)
{
	uint8_t *data = (uint8_t *)boardReadFile(path, length);
	if (!data)
		snprintf(error, size, "%s", strerror(errno));
	return data;
}

void board_replay_release(uint8_t *data)
{
	free(data);
}

uint32_t board_replay_sequence(void)
{
	return gSequence;
}

void board_replay_set_sequence(uint32_t sequence)
{
	gSequence = sequence;
}
