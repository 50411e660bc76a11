/*
 * h7fs.h: a small power-loss-safe file store for NOR flash with write-once
 * flash words (the STM32H743's internal flash: 128 KB sectors, 256-bit words
 * protected by ECC, so a word is programmed exactly once between erases).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Layout: the region is two halves; one is the live log. Each half starts
 * with a header word (magic, sequence number, CRC). After it, records are
 * appended: one header word (type, file id, offset, length, CRC-32 over
 * header and data) then the data padded to whole words. A write call is one
 * record, so it is all-or-nothing: a record torn by a power cut fails its CRC
 * and is ignored. When the log is full (or a torn tail was found at mount),
 * the live files are copied into the other half, whose header is written
 * last; mount takes the valid half with the highest sequence, so a cut during
 * compaction leaves the old half in charge.
 *
 * The interface is what Moddable's `file` module needs: open/create, read and
 * write at a position, size, delete, rename, exists. Caller owns all memory.
 */
#ifndef XSIGHT_H7FS_H
#define XSIGHT_H7FS_H

#include <stdbool.h>
#include <stdint.h>

#define H7FS_WORD      32u /* flash word: the programming unit */
#define H7FS_NAME_MAX  48u /* bytes in a file name (a path relative to the store's root) */
#define H7FS_MAX_FILES 32u

typedef enum {
	H7FS_OK = 0,
	H7FS_EINVAL = -1,
	H7FS_ENOENT = -2,
	H7FS_EEXIST = -3,
	H7FS_ENOSPC = -4,
	H7FS_EIO = -5, /* the flash driver reported a failure */
	H7FS_ENAMETOOLONG = -6,
	H7FS_EMFILE = -7, /* more than H7FS_MAX_FILES files */
	H7FS_ENOFS = -8,  /* no valid store in the region (blank or foreign data) */
	H7FS_EBUSY = -9,  /* compaction would erase the half a pinned extent points into */
} h7fs_status_t;

const char *h7fs_strerror(int status);

typedef struct {
	void *ctx;
	uint32_t size;        /* bytes in the region: two halves of whole sectors */
	uint32_t sector_size; /* erase unit */
	int (*read)(void *ctx, uint32_t offset, void *buf, uint32_t len);
	/* offset and len are multiples of H7FS_WORD; every word written must be erased */
	int (*program)(void *ctx, uint32_t offset, const void *buf, uint32_t len);
	int (*erase)(void *ctx, uint32_t offset); /* one sector at a sector-aligned offset */
} h7fs_flash_t;

typedef struct {
	uint32_t id; /* 0: free slot */
	uint32_t size;
	char name[H7FS_NAME_MAX + 1];
} h7fs_file_t;

typedef struct {
	const h7fs_flash_t *flash;
	uint8_t *scratch; /* compaction copy buffer, a multiple of H7FS_WORD */
	uint32_t scratch_size;
	uint32_t half;   /* bytes per half */
	uint32_t active; /* 0 or 1 */
	uint32_t seq;
	uint32_t end; /* offset in the active half where the next record goes */
	uint32_t next_id;
	bool torn;        /* a torn record was found: compact before the next write */
	uint32_t pins;    /* extents handed out and not yet released (h7fs_pin) */
	uint32_t pin_seq; /* the sequence of the half the oldest of them points into */
	h7fs_file_t files[H7FS_MAX_FILES];
} h7fs_t;

/* Mounts the store; with format_if_blank a region with no valid half is formatted. */
int h7fs_mount(h7fs_t *fs, const h7fs_flash_t *flash, uint8_t *scratch, uint32_t scratch_size, bool format_if_blank);
int h7fs_format(h7fs_t *fs);
/* Opens name; with create, makes an empty file when it does not exist. *fd stays valid until
 * the file is deleted. */
int h7fs_open(h7fs_t *fs, const char *name, bool create, uint32_t *fd);
int h7fs_size(const h7fs_t *fs, uint32_t fd, uint32_t *size);
/* Reads up to len bytes at pos (fewer at the end; never-written gaps read as 0). */
int h7fs_read(const h7fs_t *fs, uint32_t fd, uint32_t pos, void *buf, uint32_t len, uint32_t *got);
/* Writes len bytes at pos atomically (all or nothing across a power cut). */
int h7fs_write(h7fs_t *fs, uint32_t fd, uint32_t pos, const void *buf, uint32_t len);
int h7fs_delete(h7fs_t *fs, const char *name);
int h7fs_rename(h7fs_t *fs, const char *from, const char *to);
bool h7fs_exists(const h7fs_t *fs, const char *name);
/* Bytes a single write can still take without compaction, and after it. */
int h7fs_free(const h7fs_t *fs, uint32_t *now, uint32_t *after_compaction);
int h7fs_compact(h7fs_t *fs);
/* Where a file's bytes sit contiguously in the region: 1 with *offset (from the region's start)
 * when one write record holds the whole file and no later record changes it, so the board can
 * point into memory-mapped flash (Moddable's Resource) instead of copying; 0 when the file is
 * empty or in pieces (the caller reads it with h7fs_read); < 0 an error. */
int h7fs_extent(const h7fs_t *fs, uint32_t fd, uint32_t *offset);
/* An extent stays readable across one compaction (the old half is only erased by the next one),
 * so while an extent from the active half is in use (h7fs_pin), a compaction that would erase
 * that half fails with H7FS_EBUSY (and so does the write that needed it) until h7fs_unpin
 * releases it. */
void h7fs_pin(h7fs_t *fs);
void h7fs_unpin(h7fs_t *fs);

/* The `file` module's path to a store name: leading '/' dropped, "." and empty segments
 * removed, ".." refused (the store is the root), at most H7FS_NAME_MAX bytes. */
int h7fs_path(const char *path, char out[H7FS_NAME_MAX + 1]);

#endif
