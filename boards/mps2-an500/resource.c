/*
 * resource.c: Moddable's Resource on mps2-an500: a read-only file of the data
 * root (--root) on the host, read over semihosting into C-owned memory once
 * and shown to JS as a petrified host buffer. A production board points into
 * its flash instead; either way the bytes never sit in the XS heap.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "xs_binding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESOURCE_PATH_MAX 256
/* Larger than the board's RAM can hold next to XS: refused with a message. */
#define RESOURCE_MAX (2 * 1024 * 1024)

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
	int n = snprintf(out, size, "%s/%s", gBoardDataRoot, name);
	if (n < 0 || (size_t)n >= size)
		xsURIError("Resource: path too long");
}

static int openHost(const char* path)
{
	int block[3] = { (int)path, SH_MODE_RB, (int)strlen(path) };
	return semihost(SYS_OPEN, block);
}

void xs_resource_destructor(void* data)
{
	free(data);
}

void xs_resource(xsMachine* the)
{
	char path[RESOURCE_PATH_MAX];
	resourcePath(the, path, sizeof(path));
	int handle = openHost(path);
	if (handle < 0)
		xsUnknownError("Resource: cannot open %s: host errno %d", xsmcToString(xsArg(0)), semihost(SYS_ERRNO, NULL));
	int length = semihost(SYS_FLEN, &handle);
	if (length < 0 || length > RESOURCE_MAX) {
		semihost(SYS_CLOSE, &handle);
		xsUnknownError("Resource: %s is not a file of at most %d bytes", xsmcToString(xsArg(0)), RESOURCE_MAX);
	}
	/* At least one byte, so an empty resource still has an address. */
	void* data = malloc(length ? (size_t)length : 1);
	if (!data) {
		semihost(SYS_CLOSE, &handle);
		xsUnknownError("Resource: out of memory for %s (%d bytes)", xsmcToString(xsArg(0)), length);
	}
	/* SYS_READ returns the count of bytes NOT read. */
	int block[3] = { handle, (int)data, length };
	int left = length ? semihost(SYS_READ, block) : 0;
	semihost(SYS_CLOSE, &handle);
	if (left != 0) {
		free(data);
		xsUnknownError("Resource: cannot read %s", xsmcToString(xsArg(0)));
	}
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)length);
	xsmcPetrifyHostBuffer(xsThis);
}

void xs_resource_get_byte_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* slice(begin, end = byteLength, copy = true): a copy into a new ArrayBuffer.
   A sharing slice (copy false) would outlive the memory it points into here,
   so it is refused, as on the host simulator. */
void xs_resource_slice(xsMachine* the)
{
	xsIntegerValue length = xsmcGetHostBufferLength(xsThis);
	xsIntegerValue begin = xsmcToInteger(xsArg(0));
	xsIntegerValue end = (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) ? xsmcToInteger(xsArg(1)) : length;
	if (xsmcArgc > 2 && xsmcTypeOf(xsArg(2)) != xsUndefinedType && !xsmcTest(xsArg(2)))
		xsUnknownError("Resource: slice without copy is not supported on this board");
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
	char path[RESOURCE_PATH_MAX];
	resourcePath(the, path, sizeof(path));
	int handle = openHost(path);
	int exists = handle >= 0 && semihost(SYS_FLEN, &handle) >= 0;
	if (handle >= 0)
		semihost(SYS_CLOSE, &handle);
	xsmcSetBoolean(xsResult, exists);
}
