/*
 * file.c: file_board.h on the STM32H743 board, over the internal-flash
 * store h7fs: the "file" module's binding (native/file/file_xs.c) moves its
 * bytes through here. Paths are store names (h7fs_path). `make h7-xs-check`
 * compiles it with the binding against the XS headers.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>

#include "file_board.h"
#include "h7fs.h"

/* The board's mounted store (the firmware's board glue mounts it at boot). */
extern h7fs_t gH7FileStore;

static int storeName(const char *path, char out[H7FS_NAME_MAX + 1], char *error, size_t error_size)
{
	int status = h7fs_path(path, out);
	if (!status)
		return BOARD_FILE_OK;
	snprintf(error, error_size, "%s: %s", path,
	         status == H7FS_ENAMETOOLONG ? "path too long (48 bytes at most)" : "not a path in the store");
	return BOARD_FILE_BAD_PATH;
}

static int failed(int status, const char *what, char *error, size_t error_size)
{
	snprintf(error, error_size, "%s%s", what, h7fs_strerror(status));
	return BOARD_FILE_FAILED;
}

int board_file_open(const char *path, int writable, board_file_t *file, char *error, size_t error_size)
{
	char name[H7FS_NAME_MAX + 1];
	if (storeName(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	uint32_t fd;
	int status = h7fs_open(&gH7FileStore, name, writable, &fd);
	if (status) {
		snprintf(error, error_size, "cannot open %s: %s", name, h7fs_strerror(status));
		return BOARD_FILE_FAILED;
	}
	*file = (board_file_t)fd;
	return BOARD_FILE_OK;
}

/* A store descriptor holds nothing to release. */
void board_file_close(board_file_t file)
{
	(void)file;
}

int board_file_length(board_file_t file, uint32_t *length, char *error, size_t error_size)
{
	int status = h7fs_size(&gH7FileStore, (uint32_t)file, length);
	return status ? failed(status, "", error, error_size) : BOARD_FILE_OK;
}

/* Reads and writes take their position: any position is fine until then. */
int board_file_seek(board_file_t file, uint32_t position)
{
	(void)file;
	(void)position;
	return 0;
}

int board_file_read(board_file_t file, uint32_t position, void *data, uint32_t count, char *error, size_t error_size)
{
	uint32_t got = 0;
	int status = h7fs_read(&gH7FileStore, (uint32_t)file, position, data, count, &got);
	return (status || got != count) ? failed(status, "read failed: ", error, error_size) : BOARD_FILE_OK;
}

/* Each write is one atomic record in the store. */
int board_file_write(board_file_t file, uint32_t position, const void *data, uint32_t count, char *error,
                     size_t error_size)
{
	int status = h7fs_write(&gH7FileStore, (uint32_t)file, position, data, count);
	return status ? failed(status, "write failed: ", error, error_size) : BOARD_FILE_OK;
}

/* Every write is one store record, programmed and committed before write() returns (h7fs.h):
   there is nothing left to hand over. */
int board_file_flush(board_file_t file, int writable, char *error, size_t error_size)
{
	(void)file;
	(void)writable;
	(void)error;
	(void)error_size;
	return BOARD_FILE_OK;
}

int board_file_delete(const char *path, char *error, size_t error_size)
{
	char name[H7FS_NAME_MAX + 1];
	if (storeName(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return h7fs_delete(&gH7FileStore, name) == H7FS_OK;
}

int board_file_exists(const char *path, char *error, size_t error_size)
{
	char name[H7FS_NAME_MAX + 1];
	if (storeName(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return h7fs_exists(&gH7FileStore, name);
}

int board_file_rename(const char *from, const char *to, char *error, size_t error_size)
{
	char fromName[H7FS_NAME_MAX + 1], toName[H7FS_NAME_MAX + 1];
	if (storeName(from, fromName, error, error_size) || storeName(to, toName, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return h7fs_rename(&gH7FileStore, fromName, toName) == H7FS_OK;
}
