/*
 * resource.c: Moddable's Resource on the host simulator: a read-only file of
 * the data root (--root) loaded into C-owned memory and shown to JS as a
 * petrified host buffer, as a device shows a resource in flash. Models and
 * cascades load through it, so their bytes never sit in the XS heap.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "host.h"
#include "xs_binding.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Larger resources are refused: no device has that much flash. */
#define RESOURCE_MAX (64 * 1024 * 1024)

/* Resource names are paths inside the data root; ".." would leave it. */
static void resourcePath(xsMachine* the, char* out, size_t size)
{
	const char* name = xsmcToString(xsArg(0));
	for (const char* p = name; *p; p++) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0) && (p == name || p[-1] == '/'))
			xsURIError("Resource: %s: \"..\" is not allowed in a path", name);
	}
	while (*name == '/')
		name++;
	if (!*name)
		xsURIError("Resource: empty path");
	int n = snprintf(out, size, "%s/%s", gHostDataRoot, name);
	if (n < 0 || (size_t)n >= size)
		xsURIError("Resource: path too long");
}

void xs_resource_destructor(void* data)
{
	free(data);
}

void xs_resource(xsMachine* the)
{
	char path[PATH_MAX];
	struct stat info;
	resourcePath(the, path, sizeof(path));
	FILE* file = fopen(path, "rb");
	if (!file)
		xsUnknownError("cannot open %s: %s", xsmcToString(xsArg(0)), strerror(errno));
	if (fstat(fileno(file), &info) || !S_ISREG(info.st_mode) || info.st_size > RESOURCE_MAX) {
		fclose(file);
		xsUnknownError("%s is not a regular file of at most %d bytes", xsmcToString(xsArg(0)), RESOURCE_MAX);
	}
	size_t size = (size_t)info.st_size;
	/* At least one byte, so an empty resource still has an address. */
	void* data = malloc(size ? size : 1);
	if (!data) {
		fclose(file);
		xsUnknownError("out of memory for %s", xsmcToString(xsArg(0)));
	}
	if (fread(data, 1, size, file) != size) {
		free(data);
		fclose(file);
		xsUnknownError("cannot read %s", xsmcToString(xsArg(0)));
	}
	fclose(file);
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)size);
	xsmcPetrifyHostBuffer(xsThis);
}

void xs_resource_get_byte_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* slice(begin, end = byteLength, copy = true): a copy into a new ArrayBuffer.
   A sharing slice (copy false) would outlive the memory it points into on
   this board, so it is refused. */
void xs_resource_slice(xsMachine* the)
{
	xsIntegerValue length = xsmcGetHostBufferLength(xsThis);
	xsIntegerValue begin = xsmcToInteger(xsArg(0));
	xsIntegerValue end = (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) ? xsmcToInteger(xsArg(1)) : length;
	if (xsmcArgc > 2 && xsmcTypeOf(xsArg(2)) != xsUndefinedType && !xsmcTest(xsArg(2)))
		xsUnknownError("Resource: slice without copy is not supported on the host board");
	if (begin < 0)
		begin = 0;
	if (end > length)
		end = length;
	if (end < begin)
		end = begin;
	xsmcSetArrayBuffer(xsResult, NULL, end - begin);
	/* Both pointers taken after the allocation. */
	memcpy(xsmcToArrayBuffer(xsResult), (const char*)xsmcGetHostData(xsThis) + begin, (size_t)(end - begin));
}

void xs_resource_exists(xsMachine* the)
{
	char path[PATH_MAX];
	struct stat info;
	resourcePath(the, path, sizeof(path));
	xsmcSetBoolean(xsResult, stat(path, &info) == 0 && S_ISREG(info.st_mode));
}
