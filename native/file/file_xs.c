/*
 * file_xs.c: the "file" module's binding (file.js, Moddable's File API), the
 * same on every board: argument checks, the file position, String or
 * ArrayBuffer reads, errors. The board's storage is behind file_board.h.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "file_board.h"
#include "xs_binding.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	board_file_t board;
	uint32_t position;
	int writable;
} xsFile;

#define FILE_ERROR_SIZE 160

static void fileThrow(xsMachine *the, int status, const char *error)
{
	if (status == BOARD_FILE_BAD_PATH)
		xsURIError("file: %s", error);
	xsUnknownError("file: %s", error);
}

static xsFile *fileOpen(xsMachine *the)
{
	xsFile *file = xsmcGetHostData(xsThis);
	if (!file)
		xsUnknownError("file: closed");
	return file;
}

static uint32_t fileLength(xsMachine *the, xsFile *file)
{
	char error[FILE_ERROR_SIZE];
	uint32_t length = 0;
	int status = board_file_length(file->board, &length, error, sizeof(error));
	if (status)
		fileThrow(the, status, error);
	return length;
}

void xs_file_destructor(void *data)
{
	xsFile *file = data;
	if (file) {
		board_file_close(file->board);
		free(file);
	}
}

void xs_file(xsMachine *the)
{
	char error[FILE_ERROR_SIZE];
	int writable = (xsmcArgc > 1) && xsmcTest(xsArg(1));
	board_file_t board;
	int status = board_file_open(xsmcToString(xsArg(0)), writable, &board, error, sizeof(error));
	if (status)
		fileThrow(the, status, error);
	xsFile *file = calloc(1, sizeof(xsFile));
	if (!file) {
		board_file_close(board);
		xsUnknownError("file: out of memory");
	}
	file->board = board;
	file->writable = writable;
	xsmcSetHostData(xsThis, file);
}

void xs_file_close(xsMachine *the)
{
	xs_file_destructor(xsmcGetHostData(xsThis));
	xsmcSetHostData(xsThis, NULL);
}

void xs_file_get_length(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)fileLength(the, fileOpen(the)));
}

void xs_file_get_position(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)fileOpen(the)->position);
}

void xs_file_set_position(xsMachine *the)
{
	xsFile *file = fileOpen(the);
	xsIntegerValue position = xsmcToInteger(xsArg(0));
	if (position < 0 || board_file_seek(file->board, (uint32_t)position))
		xsRangeError("file: bad position %d", (int)position);
	file->position = (uint32_t)position;
}

/* read(String | ArrayBuffer, count = rest of file) */
void xs_file_read(xsMachine *the)
{
	xsFile *file = fileOpen(the);
	uint32_t length = fileLength(the, file);
	uint32_t rest = file->position < length ? length - file->position : 0;
	uint32_t count = rest;
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		xsIntegerValue wanted = xsmcToInteger(xsArg(1));
		if (wanted < 0 || (uint32_t)wanted > rest)
			xsRangeError("file: cannot read %ld bytes, %ld left", (long)wanted, (long)rest);
		count = (uint32_t)wanted;
	}
	xsmcVars(1);
	xsmcGet(xsVar(0), xsGlobal, xsID("String"));
	void *data;
	if (xsBindingIsSame(the, &xsArg(0), &xsVar(0))) {
		xsResult = xsStringBuffer(NULL, (xsIntegerValue)count);
		data = xsmcToString(xsResult);
	} else {
		xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)count);
		data = xsmcToArrayBuffer(xsResult);
	}
	/* No XS allocation between taking the pointer and filling it. */
	char error[FILE_ERROR_SIZE];
	int status = board_file_read(file->board, file->position, data, count, error, sizeof(error));
	if (status)
		fileThrow(the, status, error);
	file->position += count;
}

/* write(value, ...values): strings as UTF-8, buffers as their bytes */
void xs_file_write(xsMachine *the)
{
	xsFile *file = fileOpen(the);
	if (!file->writable)
		xsUnknownError("file: opened for reading only");
	for (int i = 0; i < xsmcArgc; i++) {
		const void *data;
		size_t length;
		if (xsmcTypeOf(xsArg(i)) == xsStringType) {
			data = xsmcToString(xsArg(i));
			length = strlen(data);
		} else
			data = xsBindingBytes(the, &xsArg(i), &length, 0, "file write");
		char error[FILE_ERROR_SIZE];
		int status = board_file_write(file->board, file->position, data, (uint32_t)length, error, sizeof(error));
		if (status)
			fileThrow(the, status, error);
		file->position += (uint32_t)length;
	}
}

/* flush(): what was written is handed to the storage before this returns. */
void xs_file_flush(xsMachine *the)
{
	xsFile *file = fileOpen(the);
	char error[FILE_ERROR_SIZE];
	int status = board_file_flush(file->board, file->writable, error, sizeof(error));
	if (status)
		fileThrow(the, status, error);
}

/* delete(path), exists(path): a board's answer, or a URIError for a bad path. */
static void fileAnswer(xsMachine *the, int answer, const char *error)
{
	if (answer < 0)
		fileThrow(the, answer, error);
	xsmcSetBoolean(xsResult, answer > 0);
}

void xs_file_delete(xsMachine *the)
{
	char error[FILE_ERROR_SIZE];
	int answer = board_file_delete(xsmcToString(xsArg(0)), error, sizeof(error));
	fileAnswer(the, answer, error);
}

void xs_file_exists(xsMachine *the)
{
	char error[FILE_ERROR_SIZE];
	int answer = board_file_exists(xsmcToString(xsArg(0)), error, sizeof(error));
	fileAnswer(the, answer, error);
}

void xs_file_rename(xsMachine *the)
{
	char error[FILE_ERROR_SIZE];
	/* Both arguments become strings first: converting the second must not move the first. */
	xsmcToString(xsArg(0));
	xsmcToString(xsArg(1));
	int answer = board_file_rename(xsmcToString(xsArg(0)), xsmcToString(xsArg(1)), error, sizeof(error));
	fileAnswer(the, answer, error);
}
