/*
 * resource.c: resource_board.h on mps2-an500: a read-only file of the data
 * root (--root) on the host, read over semihosting into C-owned memory once.
 * A production board points into its flash instead (the STM32H743 does), and
 * so does fw-h743.elf: its linker script (link-h743.ld) gives a window the
 * size of the H743's flash store outside the heap, each file is read into it
 * at its first map, after its name, and stays for the boot, as a file stays
 * in flash; a second map of it points at the same bytes. The heap never holds
 * them.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "board_args.h"
#include "file_path.h"
#include "resource_board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESOURCE_PATH_MAX 256
/* Larger than the board's RAM can hold next to XS: refused with a message. */
#define RESOURCE_MAX      (2 * 1024 * 1024)

/* The store window of fw-h743.elf (absolute symbols); none in fw.elf. */
extern uint8_t __fstore_start[] __attribute__((weak));
extern const char __fstore_size[] __attribute__((weak));
#define STORE_ALIGN 16
/* Each file in the window: this, its name (NUL-terminated), then its bytes, STORE_ALIGN-aligned. */
typedef struct {
	uint32_t size;
	uint32_t nameLength;
} StoreEntry;
static size_t gStoreUsed;
static int gStoreFiles;

static size_t storeAlign(size_t n)
{
	return (n + STORE_ALIGN - 1) & ~(size_t)(STORE_ALIGN - 1);
}

static int inStore(const void *data)
{
	uintptr_t p = (uintptr_t)data, start = (uintptr_t)__fstore_start;
	return __fstore_start && p >= start && p < start + (uintptr_t)__fstore_size;
}

/* `name` (a host path) in the store window, already there or read to its end: a BOARD_READ_*. */
static int storeMap(const char *name, uint8_t **data, size_t *size)
{
	size_t offset = 0;
	while (offset < gStoreUsed) {
		StoreEntry *entry = (StoreEntry *)(__fstore_start + offset);
		const char *entryName = (const char *)(entry + 1);
		size_t at = storeAlign(offset + sizeof(StoreEntry) + entry->nameLength + 1);
		if (!strcmp(entryName, name)) {
			*data = __fstore_start + at;
			*size = entry->size;
			return BOARD_READ_OK;
		}
		offset = storeAlign(at + entry->size + 1);
	}
	size_t nameLength = strlen(name);
	size_t at = storeAlign(gStoreUsed + sizeof(StoreEntry) + nameLength + 1);
	if (at + 1 >= (size_t)__fstore_size)
		return BOARD_READ_SIZE;
	*data = __fstore_start + at;
	int status = boardHostReadFile(name, (size_t)__fstore_size - at - 1, data, size);
	if (status == BOARD_READ_OK) {
		StoreEntry *entry = (StoreEntry *)(__fstore_start + gStoreUsed);
		entry->size = (uint32_t)*size;
		entry->nameLength = (uint32_t)nameLength;
		memcpy(entry + 1, name, nameLength + 1);
		gStoreUsed = storeAlign(at + *size + 1);
		gStoreFiles++;
	}
	return status;
}

void boardStoreForget(const char *name)
{
	size_t offset = 0;
	while (offset < gStoreUsed) {
		StoreEntry *entry = (StoreEntry *)(__fstore_start + offset);
		char *entryName = (char *)(entry + 1);
		size_t at = storeAlign(offset + sizeof(StoreEntry) + entry->nameLength + 1);
		if (!strcmp(entryName, name))
			entryName[0] = 0; /* no path is empty: the entry never matches again */
		offset = storeAlign(at + entry->size + 1);
	}
}

/* Resource names are paths inside the data root. */
static int resourcePath(const char *path, char *out, char *error, size_t error_size)
{
	return file_path_in_root(path, gBoardDataRoot, NULL, out, RESOURCE_PATH_MAX, error, error_size)
	        ? BOARD_RESOURCE_BAD_PATH
	        : BOARD_RESOURCE_OK;
}

int board_resource_map(const char *path, void **data, size_t *size, char *error, size_t error_size)
{
	char name[RESOURCE_PATH_MAX];
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	uint8_t *bytes = NULL;
	switch (__fstore_start ? storeMap(name, &bytes, size) : boardHostReadFile(name, RESOURCE_MAX, &bytes, size)) {
	case BOARD_READ_OK: *data = bytes; return BOARD_RESOURCE_OK;
	case BOARD_READ_OPEN:
		snprintf(error, error_size, "cannot open %s: host errno %d", path, semihost(SYS_ERRNO, NULL));
		break;
	case BOARD_READ_SIZE:
		if (__fstore_start)
			snprintf(error, error_size, "%s does not fit the flash store (%lu of its %lu bytes taken by %d files)",
			         path, (unsigned long)gStoreUsed, (unsigned long)(size_t)__fstore_size, gStoreFiles);
		else
			snprintf(error, error_size, "%s is not a file of at most %d bytes", path, RESOURCE_MAX);
		break;
	case BOARD_READ_MEMORY: snprintf(error, error_size, "out of memory for %s", path); break;
	default: snprintf(error, error_size, "cannot read %s", path); break;
	}
	return BOARD_RESOURCE_FAILED;
}

void board_resource_unmap(void *data)
{
	if (!inStore(data))
		free(data);
}

int board_resource_exists(const char *path, char *error, size_t error_size)
{
	char name[RESOURCE_PATH_MAX];
	if (resourcePath(path, name, error, error_size))
		return BOARD_RESOURCE_BAD_PATH;
	int handle = boardHostOpen(name, SH_MODE_RB);
	int exists = handle >= 0 && semihost(SYS_FLEN, &handle) >= 0;
	if (handle >= 0)
		semihost(SYS_CLOSE, &handle);
	return exists;
}
