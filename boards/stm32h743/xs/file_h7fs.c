/*
 * file_h7fs.c: the "file" module (native/file/file.js, Moddable's File API)
 * on the STM32H743 board, over the internal-flash store h7fs. The same host
 * functions host-sim/file.c implements over stdio; paths are store names
 * (h7fs_path). Built into the firmware with XS; `make h7-xs-check` compiles it
 * against the XS headers.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "h7fs.h"
#include "xs_binding.h"

/* The board's mounted store (the firmware's board glue mounts it at boot). */
extern h7fs_t gH7FileStore;

typedef struct {
	uint32_t fd;
	uint32_t position;
	int writable;
	int open;
} BoardFile;

static void storeName(xsMachine* the, xsSlot* slot, char out[H7FS_NAME_MAX + 1])
{
	const char* path = xsmcToString(*slot);
	int status = h7fs_path(path, out);
	if (status) xsURIError("file: %s: %s", path, status == H7FS_ENAMETOOLONG ? "path too long (48 bytes at most)" : "not a path in the store");
}

static BoardFile* boardFile(xsMachine* the)
{
	BoardFile* file = xsmcGetHostData(xsThis);
	if (!file || !file->open) xsUnknownError("file: closed");
	return file;
}

static uint32_t fileLength(xsMachine* the, BoardFile* file)
{
	uint32_t size;
	int status = h7fs_size(&gH7FileStore, file->fd, &size);
	if (status) xsUnknownError("file: %s", h7fs_strerror(status));
	return size;
}

void xs_file_destructor(void* data)
{
	free(data);
}

void xs_file(xsMachine* the)
{
	char name[H7FS_NAME_MAX + 1];
	int writable = (xsmcArgc > 1) && xsmcTest(xsArg(1));
	storeName(the, &xsArg(0), name);
	uint32_t fd;
	int status = h7fs_open(&gH7FileStore, name, writable, &fd);
	if (status) xsUnknownError("file: cannot open %s: %s", name, h7fs_strerror(status));
	BoardFile* file = calloc(1, sizeof(BoardFile));
	if (!file) xsUnknownError("file: out of memory");
	file->fd = fd;
	file->writable = writable;
	file->open = 1;
	xsmcSetHostData(xsThis, file);
}

void xs_file_close(xsMachine* the)
{
	BoardFile* file = xsmcGetHostData(xsThis);
	if (file) file->open = 0;
}

void xs_file_get_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)fileLength(the, boardFile(the)));
}

void xs_file_get_position(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)boardFile(the)->position);
}

void xs_file_set_position(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	xsIntegerValue position = xsmcToInteger(xsArg(0));
	if (position < 0) xsRangeError("file: bad position %d", (int)position);
	file->position = (uint32_t)position;
}

/* read(String | ArrayBuffer, count = rest of file) */
void xs_file_read(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	uint32_t length = fileLength(the, file);
	uint32_t rest = file->position < length ? length - file->position : 0;
	uint32_t count = rest;
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		xsIntegerValue wanted = xsmcToInteger(xsArg(1));
		if (wanted < 0 || (uint32_t)wanted > rest) xsRangeError("file: cannot read %d bytes, %u left", (int)wanted, (unsigned)rest);
		count = (uint32_t)wanted;
	}
	xsmcVars(1);
	xsmcGet(xsVar(0), xsGlobal, xsID("String"));
	int asString = xsBindingIsSame(the, &xsArg(0), &xsVar(0));
	void* data;
	if (asString) {
		xsResult = xsStringBuffer(NULL, (xsIntegerValue)count);
		data = xsmcToString(xsResult);
	}
	else {
		xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)count);
		data = xsmcToArrayBuffer(xsResult);
	}
	/* No XS allocation between getting the pointer and filling it. */
	uint32_t got = 0;
	int status = h7fs_read(&gH7FileStore, file->fd, file->position, data, count, &got);
	if (status || got != count) xsUnknownError("file: read failed: %s", h7fs_strerror(status));
	file->position += got;
}

/* write(value, ...values): strings as UTF-8, buffers as their bytes; each value is one atomic
 * record in the store. */
void xs_file_write(xsMachine* the)
{
	BoardFile* file = boardFile(the);
	if (!file->writable) xsUnknownError("file: opened for reading only");
	for (int i = 0; i < xsmcArgc; i++) {
		const void* data;
		size_t length;
		if (xsmcTypeOf(xsArg(i)) == xsStringType) {
			data = xsmcToString(xsArg(i));
			length = strlen(data);
		}
		else
			data = xsBindingBytes(the, &xsArg(i), &length, 0, "file write");
		int status = h7fs_write(&gH7FileStore, file->fd, file->position, data, (uint32_t)length);
		if (status) xsUnknownError("file: write failed: %s", h7fs_strerror(status));
		file->position += (uint32_t)length;
	}
}

void xs_file_delete(xsMachine* the)
{
	char name[H7FS_NAME_MAX + 1];
	storeName(the, &xsArg(0), name);
	xsmcSetBoolean(xsResult, h7fs_delete(&gH7FileStore, name) == H7FS_OK);
}

void xs_file_exists(xsMachine* the)
{
	char name[H7FS_NAME_MAX + 1];
	storeName(the, &xsArg(0), name);
	xsmcSetBoolean(xsResult, h7fs_exists(&gH7FileStore, name));
}

void xs_file_rename(xsMachine* the)
{
	char from[H7FS_NAME_MAX + 1], to[H7FS_NAME_MAX + 1];
	storeName(the, &xsArg(0), from);
	storeName(the, &xsArg(1), to);
	xsmcSetBoolean(xsResult, h7fs_rename(&gH7FileStore, from, to) == H7FS_OK);
}

/* flush(): every write is one store record, programmed and committed before write() returns
   (h7fs.h), so there is nothing left to hand over; only a closed file is an error. */
void xs_file_flush(xsMachine* the)
{
	boardFile(the);
}
