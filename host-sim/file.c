/*
 * file.c: the "file" module on the host simulator: Moddable's File over
 * stdio, with every path taken inside the data root (--root), as a device's
 * storage would be. SPDX-License-Identifier: Apache-2.0
 */
#include "host.h"
#include "xs_binding.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	FILE* file;
	int writable;
} HostFile;

/* Map a device path ("/models/smile.tflite" or "models/smile.tflite") into
 * the data root; ".." segments would leave it, so they are refused. */
static void hostPath(xsMachine* the, xsSlot* slot, char* out, size_t size)
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
	/* "/state/..." is the board's writable state folder (--state), where a
	   device keeps its log next to the retained memory; the rest is the data root. */
	const char* root = gHostDataRoot;
	if (gHostStateRoot && !strncmp(path, "state/", 6)) {
		root = gHostStateRoot;
		path += 6;
	}
	int n = snprintf(out, size, "%s/%s", root, path);
	if (n < 0 || (size_t)n >= size)
		xsURIError("file: path too long");
}

static HostFile* hostFile(xsMachine* the)
{
	HostFile* file = xsmcGetHostData(xsThis);
	if (!file || !file->file)
		xsUnknownError("file: closed");
	return file;
}

void xs_file_destructor(void* data)
{
	HostFile* file = data;
	if (file) {
		if (file->file)
			fclose(file->file);
		free(file);
	}
}

void xs_file(xsMachine* the)
{
	char path[PATH_MAX];
	int writable = (xsmcArgc > 1) && xsmcTest(xsArg(1));
	hostPath(the, &xsArg(0), path, sizeof(path));
	FILE* stream = fopen(path, writable ? "r+b" : "rb");
	if (!stream && writable && errno == ENOENT)
		stream = fopen(path, "w+b");
	if (!stream)
		xsUnknownError("file: cannot open %s: %s", xsmcToString(xsArg(0)), strerror(errno));
	HostFile* file = calloc(1, sizeof(HostFile));
	if (!file) {
		fclose(stream);
		xsUnknownError("file: out of memory");
	}
	file->file = stream;
	file->writable = writable;
	xsmcSetHostData(xsThis, file);
}

void xs_file_close(xsMachine* the)
{
	HostFile* file = xsmcGetHostData(xsThis);
	xs_file_destructor(file);
	xsmcSetHostData(xsThis, NULL);
}

static long fileLength(HostFile* file)
{
	struct stat info;
	fflush(file->file);
	return fstat(fileno(file->file), &info) ? -1 : (long)info.st_size;
}

void xs_file_get_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)fileLength(hostFile(the)));
}

void xs_file_get_position(xsMachine* the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)ftell(hostFile(the)->file));
}

void xs_file_set_position(xsMachine* the)
{
	HostFile* file = hostFile(the);
	xsIntegerValue position = xsmcToInteger(xsArg(0));
	if (position < 0 || fseek(file->file, position, SEEK_SET))
		xsRangeError("file: bad position %d", (int)position);
}

/* read(String | ArrayBuffer, count = rest of file) */
void xs_file_read(xsMachine* the)
{
	HostFile* file = hostFile(the);
	long position = ftell(file->file);
	long rest = fileLength(file) - position;
	long count = rest;
	if (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) {
		count = xsmcToInteger(xsArg(1));
		if (count < 0 || count > rest)
			xsRangeError("file: cannot read %ld bytes, %ld left", count, rest);
	}
	xsmcVars(1);
	xsmcGet(xsVar(0), xsGlobal, xsID("String"));
	int asString = xsBindingIsSame(the, &xsArg(0), &xsVar(0));
	if (asString) {
		xsResult = xsStringBuffer(NULL, (xsIntegerValue)count);
		char* text = xsmcToString(xsResult);
		if (fread(text, 1, (size_t)count, file->file) != (size_t)count)
			xsUnknownError("file: read failed: %s", strerror(errno));
	}
	else {
		xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)count);
		void* data = xsmcToArrayBuffer(xsResult);
		if (fread(data, 1, (size_t)count, file->file) != (size_t)count)
			xsUnknownError("file: read failed: %s", strerror(errno));
	}
}

/* write(value, ...values): strings as UTF-8, buffers as their bytes */
void xs_file_write(xsMachine* the)
{
	HostFile* file = hostFile(the);
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
		if (fwrite(data, 1, length, file->file) != length)
			xsUnknownError("file: write failed: %s", strerror(errno));
	}
	fflush(file->file);
}

/* flush(): what was written is handed to the storage before this returns.
 * On the host that is the OS (no stdio buffer left), which is what survives
 * the simulator being killed; with --fsync it also waits for the disk, which
 * survives the OS crashing, at a few milliseconds a call. */
int gHostFsync = 0;

void xs_file_flush(xsMachine* the)
{
	HostFile* file = hostFile(the);
	if (fflush(file->file) || (gHostFsync && file->writable && fsync(fileno(file->file))))
		xsUnknownError("file: flush failed: %s", strerror(errno));
}

void xs_file_delete(xsMachine* the)
{
	char path[PATH_MAX];
	hostPath(the, &xsArg(0), path, sizeof(path));
	xsmcSetBoolean(xsResult, remove(path) == 0);
}

void xs_file_exists(xsMachine* the)
{
	char path[PATH_MAX];
	struct stat info;
	hostPath(the, &xsArg(0), path, sizeof(path));
	xsmcSetBoolean(xsResult, stat(path, &info) == 0 && S_ISREG(info.st_mode));
}

void xs_file_rename(xsMachine* the)
{
	char from[PATH_MAX], to[PATH_MAX];
	hostPath(the, &xsArg(0), from, sizeof(from));
	hostPath(the, &xsArg(1), to, sizeof(to));
	xsmcSetBoolean(xsResult, rename(from, to) == 0);
}
