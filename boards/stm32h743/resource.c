/*
 * resource.c: resource_board.h on the STM32H743: a read-only file of the flash store
 * (include/h7_fstore.h: 0x08180000). When one record of the store holds the whole file
 * (h7fs_extent: files packed by `make h7-fsimage`), the Resource is a pointer into
 * memory-mapped flash, so a model or a cascade takes no RAM at all; otherwise (a file
 * written in pieces on the device) it is read once into C-owned memory of the AXI SRAM
 * heap. Either way the bytes never sit in the XS heap.
 * A mapped Resource pins the store so that compaction cannot erase the bytes under it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "board.h"
#include "h7fs.h"
#include "resource_board.h"

extern h7fs_t gH7FileStore;
extern const char __fstore_start[], __fstore_size[];

static int inStore(const void *data)
{
	uintptr_t p = (uintptr_t)data, start = (uintptr_t)__fstore_start;
	return p >= start && p < start + (uintptr_t)__fstore_size;
}

/* A mapped Resource pins the store (h7fs_pin): the half it points into is not erased by a
   compaction until the garbage collector has dropped the Resource. */
void board_resource_unmap(void *data)
{
	if (inStore(data))
		h7fs_unpin(&gH7FileStore);
	else
		free(data);
}

int board_resource_map(const char *path, void **data, size_t *size, char *error, size_t error_size)
{
	char name[H7FS_NAME_MAX + 1];
	int status = h7fs_path(path, name);
	if (status) {
		snprintf(error, error_size, "%s: %s", path,
		         status == H7FS_ENAMETOOLONG ? "path too long (48 bytes at most)" : "not a path in the store");
		return BOARD_RESOURCE_BAD_PATH;
	}
	if (!gFwStoreMounted) {
		snprintf(error, error_size, "%s: no flash store (see the boot messages)", name);
		return BOARD_RESOURCE_FAILED;
	}
	uint32_t fd, length = 0, offset = 0, got = 0;
	status = h7fs_open(&gH7FileStore, name, false, &fd);
	if (status) {
		snprintf(error, error_size, "%s: %s in the flash store", name, h7fs_strerror(status));
		return BOARD_RESOURCE_FAILED;
	}
	if (h7fs_size(&gH7FileStore, fd, &length)) {
		snprintf(error, error_size, "%s: cannot read its size", name);
		return BOARD_RESOURCE_FAILED;
	}
	int mapped = h7fs_extent(&gH7FileStore, fd, &offset);
	if (mapped < 0) {
		snprintf(error, error_size, "%s: %s", name, h7fs_strerror(mapped));
		return BOARD_RESOURCE_FAILED;
	}
	if (mapped) {
		*data = (void *)(__fstore_start + offset);
		h7fs_pin(&gH7FileStore);
	} else {
		/* At least one byte, so an empty resource still has an address. */
		void *bytes = malloc(length ? length : 1);
		if (!bytes) {
			snprintf(error, error_size, "out of memory for %s (%lu bytes)", name, (unsigned long)length);
			return BOARD_RESOURCE_FAILED;
		}
		if (length && (h7fs_read(&gH7FileStore, fd, 0, bytes, length, &got) || got != length)) {
			free(bytes);
			snprintf(error, error_size, "cannot read %s from the flash store", name);
			return BOARD_RESOURCE_FAILED;
		}
		*data = bytes;
	}
	*size = length;
	return BOARD_RESOURCE_OK;
}

/* Never an error: a path the store cannot hold, or no store, is a resource that does not exist. */
int board_resource_exists(const char *path, char *error, size_t error_size)
{
	(void)error;
	(void)error_size;
	char name[H7FS_NAME_MAX + 1];
	if (!gFwStoreMounted)
		return 0;
	return h7fs_path(path, name) == H7FS_OK && h7fs_exists(&gH7FileStore, name);
}
