/*
 * file.c: the "file" module on mps2-an500: Moddable's File over semihosting,
 * every path taken inside the data root (--root) on the host, as the host
 * simulator does (host-sim/file.c), so the same TypeScript runs on both.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "xs_binding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_PATH_MAX 256

typedef struct {
	int handle;
	int writable;
	long position;
} BoardFile;

static void boardPath(xsMachine* the, xsSlot* slot, char* out, size_t size)
{
	const char* path = xsmcToString(*slot);
	const char* p = path;
	while (*p) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0) && (p == path || p[-1] == '/'))
			xsURIError("file: %s: \"..\" is not allowed in a path", path);
		p++;
	}
	while (*path == '/')
		path++;
	if (!*path)
		xsURIError("file: empty path");
	/* "/state/..." is the board's writable state folder (--state), as on
	   the host simulator; the rest is the data root. */
	const char* root = gBoardDataRoot;
	if (gBoardStateRoot && !strncmp(path, "state/", 6)) {
		root = gBoardStateRoot;
		path += 6;
	}
	int n = snprintf(out, size, "%s/%s", root, path);
	if (n < 0 || (size_t)n >= size)
		xsURIError("file: path too long");
}

static int boardOpen(const char* path, int mode)
{
	int block[3] = { (int)path, mode, (int)strlen(path) };
	return semihost(SYS_OPEN, block);
}

static BoardFile* boardFile(xsMachine* the)
{
	BoardFile* file = xsmcGetHostData(xsThis);
	if (!file || file->handle < 0)
		xsUnknownError("file: closed");
	return file;
}

static long boardLength(BoardFile* file)
{
	return semihost(SYS_FLEN, &file->handle);
}

void xs_file_destructor(void* data)
{
	BoardFile* file = data;
	if (file) {
		if (file->handle >= 0)
			semihost(SYS_CLOSE, &file->handle);
		free(file);
	}
}

void xs_file(xsMachine* the)
{
	char path[FILE_PATH_MAX];
	int writable = (xsmcArgc > 1) && xsmcTest(xsArg(1));
	boardPath(the, &xsArg(0), path, sizeof(path));
	int handle = boardOpen(path, writable ? SH_MODE_RPLUSB : SH_MODE_RB);
	if (handle < 0 && writable)
		handle = boardOpen(path, SH_MODE_WPLUSB);
	if (handle < 0)
		xsUnknownError("file: cannot open %s: host errno %d", xsmcToString(xsArg(0)), semihost(SYS_ERRNO, NULL));
	BoardFile* file = calloc(1, sizeof(BoardFile));
	if (!file) {
		semihost(SYS_CLOSE, &handle);
		xsUnknownError("file: out of memory");
	}
	file->handle = handle;
	file->writable = writable;
	xsmcSetHostData(xsThis, file);
}

void xs_file_close(xsMachine* the)
{
	BoardFile* file = xsmcGetHostData(xsThis);
	xs_file_destructor(file);
	xsmcSetHostData(xsThis, NULL);
}

void xs_file_get_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)boardLength(boardFile(the)));
}

void xs_file_get_position(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)boardFile(the)->position);
}

void xs_file_set_position(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	xsIntegerValue position = xsmcToInteger(xsArg(0));
	int block[2] = { file->handle, (int)position };
	if (position < 0 || position > boardLength(file) || semihost(SYS_SEEK, block) != 0)
		xsRangeError("file: bad position %d", (int)position);
	file->position = position;
}

static void boardRead(xsMachine* the, BoardFile* file, void* data, long count)
{
	int block[3] = { file->handle, (int)data, (int)count };
	if (count && semihost(SYS_READ, block) != 0)
		xsUnknownError("file: read failed");
	file->position += count;
}

/* read(String | ArrayBuffer, count = rest of file) */
void xs_file_read(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	long rest = boardLength(file) - file->position;
	long count = rest;
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		count = xsmcToInteger(xsArg(1));
		if (count < 0 || count > rest)
			xsRangeError("file: cannot read %ld bytes, %ld left", count, rest);
	}
	xsmcVars(1);
	xsmcGet(xsVar(0), xsGlobal, xsID("String"));
	if (xsBindingIsSame(the, &xsArg(0), &xsVar(0))) {
		xsResult = xsStringBuffer(NULL, (xsIntegerValue)count);
		boardRead(the, file, xsmcToString(xsResult), count);
	}
	else {
		xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)count);
		boardRead(the, file, xsmcToArrayBuffer(xsResult), count);
	}
}

/* write(value, ...values): strings as UTF-8, buffers as their bytes */
void xs_file_write(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	if (!file->writable)
		xsUnknownError("file: opened for reading only");
	for (int i = 0; i < xsmcArgc; i++) {
		const void* data;
		size_t length;
		if (xsmcTypeOf(xsArg(i)) == xsStringType) {
			data = xsmcToString(xsArg(i));
			length = strlen(data);
		}
		else
			data = xsBindingBytes(the, &xsArg(i), &length, 0, "file write");
		int block[3] = { file->handle, (int)data, (int)length };
		if (length && semihost(SYS_WRITE, block) != 0)
			xsUnknownError("file: write failed");
		file->position += (long)length;
	}
}

void xs_file_delete(xsMachine* the)
{
	char path[FILE_PATH_MAX];
	boardPath(the, &xsArg(0), path, sizeof(path));
	int block[2] = { (int)path, (int)strlen(path) };
	xsmcSetBoolean(xsResult, semihost(SYS_REMOVE, block) == 0);
}

void xs_file_exists(xsMachine* the)
{
	char path[FILE_PATH_MAX];
	boardPath(the, &xsArg(0), path, sizeof(path));
	/* Semihosting has no stat: a file exists when it opens for reading. */
	int handle = boardOpen(path, SH_MODE_RB);
	if (handle >= 0)
		semihost(SYS_CLOSE, &handle);
	xsmcSetBoolean(xsResult, handle >= 0);
}

void xs_file_rename(xsMachine* the)
{
	char from[FILE_PATH_MAX], to[FILE_PATH_MAX];
	boardPath(the, &xsArg(0), from, sizeof(from));
	boardPath(the, &xsArg(1), to, sizeof(to));
	int block[4] = { (int)from, (int)strlen(from), (int)to, (int)strlen(to) };
	xsmcSetBoolean(xsResult, semihost(SYS_RENAME, block) == 0);
}

/* flush(): semihosting's SYS_WRITE is a write(2) on the host before it
   returns, so nothing is buffered on this side; a closed file is an error. */
void xs_file_flush(xsMachine* the)
{
	(void)boardFile(the);
}
