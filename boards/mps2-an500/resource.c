/*
 * resource.c: resource_board.h on mps2-an500: a read-only file of the data
 * root (--root) on the host, read over semihosting into C-owned memory once.
 * A production board points into its flash instead (the STM32H743 does).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "board_args.h"
#include "file_path.h"
#include "resource_board.h"

#include <stdio.h>
#include <stdlib.h>

#define RESOURCE_PATH_MAX 256
/* Larger than the board's RAM can hold next to XS: refused with a message. */
#define RESOURCE_MAX (2 * 1024 * 1024)

/* Resource names are paths inside the data root. */
static int resourcePath(const char* path, char* out, char* error, size_t error_size)
{
	return file_path_in_root(path, gBoardDataRoot, NULL, out, RESOURCE_PATH_MAX, error, error_size) ? BOARD_RESOURCE_BAD_PATH : BOARD_RESOURCE_OK;
}

int board_resource_map(const char* path, void** data, size_t* size, char* error, size_t error_size)
{
	char name[RESOURCE_PATH_MAX];
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	uint8_t* bytes = NULL;
	switch (boardHostReadFile(name, RESOURCE_MAX, &bytes, size)) {
	case BOARD_READ_OK:
		*data = bytes;
		return BOARD_RESOURCE_OK;
	case BOARD_READ_OPEN:
		snprintf(error, error_size, "cannot open %s: host errno %d", path, semihost(SYS_ERRNO, NULL));
		break;
	case BOARD_READ_SIZE:
		snprintf(error, error_size, "%s is not a file of at most %d bytes", path, RESOURCE_MAX);
		break;
	case BOARD_READ_MEMORY:
		snprintf(error, error_size, "out of memory for %s", path);
		break;
	default:
		snprintf(error, error_size, "cannot read %s", path);
		break;
	}
	return BOARD_RESOURCE_FAILED;
}

void board_resource_unmap(void* data)
{
	free(data);
}

int board_resource_exists(const char* path, char* error, size_t error_size)
{
	char name[RESOURCE_PATH_MAX];
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	int handle = boardHostOpen(name, SH_MODE_RB);
	int exists = handle >= 0 && semihost(SYS_FLEN, &handle) >= 0;
	if (handle >= 0)
		semihost(SYS_CLOSE, &handle);
	return exists;
}
