/*
 * file.c: file_board.h on mps2-an500: semihosting, every path taken inside
 * the data root (--root) on the host or, for "/state/...", the state folder
 * (--state), as on the host simulator (file_path.h), so the same TypeScript
 * runs on both.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "board_args.h"
#include "file_board.h"
#include "file_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_PATH_MAX 256

/* Paths inside the data root, "/state/..." inside the state folder. */
static int boardPath(const char *path, char *out, char *error, size_t error_size)
{
	return file_path_in_root(path, gBoardDataRoot, gBoardStateRoot, out, FILE_PATH_MAX, error, error_size)
	        ? BOARD_FILE_BAD_PATH
	        : BOARD_FILE_OK;
}

int board_file_open(const char *path, int writable, board_file_t *file, char *error, size_t error_size)
{
	char name[FILE_PATH_MAX];
	if (boardPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	if (writable)
		boardStoreForget(name);
	int handle = boardHostOpen(name, writable ? SH_MODE_RPLUSB : SH_MODE_RB);
	if (handle < 0 && writable)
		handle = boardHostOpen(name, SH_MODE_WPLUSB);
	if (handle < 0) {
		snprintf(error, error_size, "cannot open %s: host errno %d", path, semihost(SYS_ERRNO, NULL));
		return BOARD_FILE_FAILED;
	}
	*file = handle;
	return BOARD_FILE_OK;
}

void board_file_close(board_file_t file)
{
	int handle = (int)file;
	semihost(SYS_CLOSE, &handle);
}

int board_file_length(board_file_t file, uint32_t *length, char *error, size_t error_size)
{
	int handle = (int)file;
	int size = semihost(SYS_FLEN, &handle);
	if (size < 0) {
		snprintf(error, error_size, "length: host errno %d", semihost(SYS_ERRNO, NULL));
		return BOARD_FILE_FAILED;
	}
	*length = (uint32_t)size;
	return BOARD_FILE_OK;
}

/* Within the file only: semihosting cannot extend a file by seeking. */
int board_file_seek(board_file_t file, uint32_t position)
{
	int handle = (int)file;
	int block[2] = {handle, (int)position};
	int size = semihost(SYS_FLEN, &handle);
	return size < 0 || position > (uint32_t)size || semihost(SYS_SEEK, block) != 0;
}

/* The handle is where the binding's position says: SYS_READ and SYS_WRITE
   move it on, a seek sets it. Both return the count of bytes NOT moved. */
int board_file_read(board_file_t file, uint32_t position, void *data, uint32_t count, char *error, size_t error_size)
{
	int block[3] = {(int)file, (int)data, (int)count};
	if (count && semihost(SYS_READ, block) != 0) {
		snprintf(error, error_size, "read failed");
		return BOARD_FILE_FAILED;
	}
	return BOARD_FILE_OK;
}

int board_file_write(board_file_t file, uint32_t position, const void *data, uint32_t count, char *error,
                     size_t error_size)
{
	int block[3] = {(int)file, (int)data, (int)count};
	if (count && semihost(SYS_WRITE, block) != 0) {
		snprintf(error, error_size, "write failed");
		return BOARD_FILE_FAILED;
	}
	return BOARD_FILE_OK;
}

/* SYS_WRITE is a write(2) on the host before it returns: nothing is buffered here. */
int board_file_flush(board_file_t file, int writable, char *error, size_t error_size)
{
	return BOARD_FILE_OK;
}

int board_file_delete(const char *path, char *error, size_t error_size)
{
	char name[FILE_PATH_MAX];
	if (boardPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	boardStoreForget(name);
	int block[2] = {(int)name, (int)strlen(name)};
	return semihost(SYS_REMOVE, block) == 0;
}

/* Semihosting has no stat: a file exists when it opens for reading. */
int board_file_exists(const char *path, char *error, size_t error_size)
{
	char name[FILE_PATH_MAX];
	if (boardPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	int handle = boardHostOpen(name, SH_MODE_RB);
	if (handle >= 0)
		semihost(SYS_CLOSE, &handle);
	return handle >= 0;
}

int board_file_rename(const char *from, const char *to, char *error, size_t error_size)
{
	char fromName[FILE_PATH_MAX], toName[FILE_PATH_MAX];
	if (boardPath(from, fromName, error, error_size) || boardPath(to, toName, error, error_size))
		return BOARD_FILE_BAD_PATH;
	boardStoreForget(fromName);
	boardStoreForget(toName);
	int block[4] = {(int)fromName, (int)strlen(fromName), (int)toName, (int)strlen(toName)};
	return semihost(SYS_RENAME, block) == 0;
}
