/*
 * resource.c: Moddable's Resource on the STM32H743: a read-only file of the flash store
 * (0x081C0000). When one record of the store holds the whole file (h7fs_extent: files packed
 * by `make h7-fsimage`), the Resource is a pointer into memory-mapped flash, so a model or a
 * cascade takes no RAM at all; otherwise (a file written in pieces on the device) it is read
 * once into C-owned memory of the AXI SRAM heap. Either way the bytes never sit in the XS heap.
 * A mapped Resource pins the store so that compaction cannot erase the bytes under it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "h7fs.h"
#include "xs_binding.h"

extern h7fs_t gH7FileStore;
extern const char __fstore_start[], __fstore_size[];

static int inStore(const void* data)
{
	uintptr_t p = (uintptr_t)data, start = (uintptr_t)__fstore_start;
	return p >= start && p < start + (uintptr_t)__fstore_size;
}

static uint32_t openResource(xsMachine* the, char name[H7FS_NAME_MAX + 1])
{
	const char* path = xsmcToString(xsArg(0));
	int status = h7fs_path(path, name);
	if (status)
		xsURIError("Resource: %s: %s", path, status == H7FS_ENAMETOOLONG ? "path too long (48 bytes at most)" : "not a path in the store");
	if (!gFwStoreMounted)
		xsUnknownError("Resource: %s: no flash store (see the boot messages)", name);
	uint32_t fd;
	status = h7fs_open(&gH7FileStore, name, false, &fd);
	if (status)
		xsUnknownError("Resource: %s: %s in the flash store", name, h7fs_strerror(status));
	return fd;
}

/* A mapped Resource pins the store (h7fs_pin): the half it points into is not erased by a
   compaction until the garbage collector has dropped the Resource. */
void xs_resource_destructor(void* data)
{
	if (data && inStore(data))
		h7fs_unpin(&gH7FileStore);
	else
		free(data);
}

void xs_resource(xsMachine* the)
{
	char name[H7FS_NAME_MAX + 1];
	uint32_t fd = openResource(the, name);
	uint32_t size = 0, offset = 0, got = 0;
	if (h7fs_size(&gH7FileStore, fd, &size))
		xsUnknownError("Resource: %s: cannot read its size", name);
	int mapped = h7fs_extent(&gH7FileStore, fd, &offset);
	if (mapped < 0)
		xsUnknownError("Resource: %s: %s", name, h7fs_strerror(mapped));
	void* data;
	if (mapped) {
		data = (void*)(__fstore_start + offset);
		h7fs_pin(&gH7FileStore);
	}
	else {
		/* At least one byte, so an empty resource still has an address. */
		data = malloc(size ? size : 1);
		if (!data)
			xsUnknownError("Resource: out of memory for %s (%lu bytes)", name, (unsigned long)size);
		if (size && (h7fs_read(&gH7FileStore, fd, 0, data, size, &got) || got != size)) {
			free(data);
			xsUnknownError("Resource: cannot read %s from the flash store", name);
		}
	}
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)size);
	xsmcPetrifyHostBuffer(xsThis);
}

void xs_resource_get_byte_length(xsMachine* the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* slice(begin, end = byteLength, copy = true): a copy into a new ArrayBuffer. A sharing slice
   (copy false) is refused, as on the other boards. */
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
	memcpy(xsmcToArrayBuffer(xsResult), (const char*)xsmcGetHostData(xsThis) + begin, (size_t)(end - begin));
}

void xs_resource_exists(xsMachine* the)
{
	char name[H7FS_NAME_MAX + 1];
	if (!gFwStoreMounted) {
		xsmcSetBoolean(xsResult, 0);
		return;
	}
	int status = h7fs_path(xsmcToString(xsArg(0)), name);
	xsmcSetBoolean(xsResult, status == H7FS_OK && h7fs_exists(&gH7FileStore, name));
}
