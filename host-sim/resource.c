/*
 * resource.c: resource_board.h on the host simulator: a read-only file of
 * the data root (--root) loaded into C-owned memory, as a device shows a
 * resource in flash. Models and cascades load through it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board_args.h"
#include "file_path.h"
#include "host.h"
#include "resource_board.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Larger resources are refused: no device has that much flash. */
#define RESOURCE_MAX (64 * 1024 * 1024)

/* Resource names are paths inside the data root. */
static int resourcePath(const char *path, char *out, char *error, size_t error_size)
{
	return file_path_in_root(path, gBoardDataRoot, NULL, out, PATH_MAX, error, error_size) ? BOARD_RESOURCE_BAD_PATH
	                                                                                       : BOARD_RESOURCE_OK;
}

int board_resource_map(const char *path, void **data, size_t *size, char *error, size_t error_size)
{
	char name[PATH_MAX];
	struct stat info;
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	FILE *file = fopen(name, "rb");
	if (!file) {
		snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
		return BOARD_RESOURCE_FAILED;
	}
	if (fstat(fileno(file), &info) || !S_ISREG(info.st_mode) || info.st_size > RESOURCE_MAX) {
		fclose(file);
		snprintf(error, error_size, "%s is not a regular file of at most %d bytes", path, RESOURCE_MAX);
		return BOARD_RESOURCE_FAILED;
	}
	size_t length = (size_t)info.st_size;
	/* At least one byte, so an empty resource still has an address. */
	void *bytes = malloc(length ? length : 1);
	if (!bytes || fread(bytes, 1, length, file) != length) {
		snprintf(error, error_size, bytes ? "cannot read %s" : "out of memory for %s", path);
		free(bytes);
		fclose(file);
		return BOARD_RESOURCE_FAILED;
	}
	fclose(file);
	*data = bytes;
	*size = length;
	return BOARD_RESOURCE_OK;
}

void board_resource_unmap(void *data)
{
	free(data);
}

int board_resource_exists(const char *path, char *error, size_t error_size)
{
	char name[PATH_MAX];
	struct stat info;
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	return stat(name, &info) == 0 && S_ISREG(info.st_mode);
}
