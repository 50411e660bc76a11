/*
 * file.c: file_board.h on the host simulator: stdio, every path taken inside
 * the data root (--root) or, for "/state/...", the board's state folder
 * (--state), as a device's storage would be (file_path.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board_args.h"
#include "file_board.h"
#include "file_path.h"
#include "host.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* flush(): what was written is handed to the storage before this returns.
 * On the host that is the OS (no stdio buffer left), which is what survives
 * the simulator being killed; with --fsync it also waits for the disk, which
 * survives the OS crashing, at a few milliseconds a call. */
int gHostFsync = 0;

static FILE *stream(board_file_t file)
{
	return (FILE *)file;
}

/* Paths inside the data root, "/state/..." inside the state folder. */
static int hostPath(const char *path, char *out, char *error, size_t error_size)
{
	return file_path_in_root(path, gBoardDataRoot, gBoardStateRoot, out, PATH_MAX, error, error_size)
	        ? BOARD_FILE_BAD_PATH
	        : BOARD_FILE_OK;
}

int board_file_open(const char *path, int writable, board_file_t *file, char *error, size_t error_size)
{
	char name[PATH_MAX];
	if (hostPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	FILE *opened = fopen(name, writable ? "r+b" : "rb");
	if (!opened && writable && errno == ENOENT)
		opened = fopen(name, "w+b");
	if (!opened) {
		snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
		return BOARD_FILE_FAILED;
	}
	*file = (board_file_t)opened;
	return BOARD_FILE_OK;
}

void board_file_close(board_file_t file)
{
	fclose(stream(file));
}

int board_file_length(board_file_t file, uint32_t *length, char *error, size_t error_size)
{
	struct stat info;
	fflush(stream(file));
	if (fstat(fileno(stream(file)), &info)) {
		snprintf(error, error_size, "length: %s", strerror(errno));
		return BOARD_FILE_FAILED;
	}
	*length = (uint32_t)info.st_size;
	return BOARD_FILE_OK;
}

int board_file_seek(board_file_t file, uint32_t position)
{
	return fseek(stream(file), (long)position, SEEK_SET);
}

/* The stream is where the binding's position says: no seek before a read or write. */
int board_file_read(board_file_t file, uint32_t position, void *data, uint32_t count, char *error, size_t error_size)
{
	if (fread(data, 1, count, stream(file)) != count) {
		snprintf(error, error_size, "read failed: %s", strerror(errno));
		return BOARD_FILE_FAILED;
	}
	return BOARD_FILE_OK;
}

/* Each write reaches the OS at once: a simulator killed mid-run keeps it. The
   clock is saved first, so nothing on disk is dated after it. */
int board_file_write(board_file_t file, uint32_t position, const void *data, uint32_t count, char *error,
                     size_t error_size)
{
	hostPowerSaveClock();
	if (fwrite(data, 1, count, stream(file)) != count || fflush(stream(file))) {
		snprintf(error, error_size, "write failed: %s", strerror(errno));
		return BOARD_FILE_FAILED;
	}
	return BOARD_FILE_OK;
}

int board_file_flush(board_file_t file, int writable, char *error, size_t error_size)
{
	if (fflush(stream(file)) || (gHostFsync && writable && fsync(fileno(stream(file))))) {
		snprintf(error, error_size, "flush failed: %s", strerror(errno));
		return BOARD_FILE_FAILED;
	}
	return BOARD_FILE_OK;
}

int board_file_delete(const char *path, char *error, size_t error_size)
{
	char name[PATH_MAX];
	if (hostPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return remove(name) == 0;
}

int board_file_exists(const char *path, char *error, size_t error_size)
{
	char name[PATH_MAX];
	struct stat info;
	if (hostPath(path, name, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return stat(name, &info) == 0 && S_ISREG(info.st_mode);
}

int board_file_rename(const char *from, const char *to, char *error, size_t error_size)
{
	char fromName[PATH_MAX], toName[PATH_MAX];
	if (hostPath(from, fromName, error, error_size) || hostPath(to, toName, error, error_size))
		return BOARD_FILE_BAD_PATH;
	return rename(fromName, toName) == 0;
}
