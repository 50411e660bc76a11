/*
 * h7fs_image.c: builds and reads images of the board's internal-flash file
 * store on the host, with the same h7fs code the firmware runs, so models and
 * cascades can be flashed next to the firmware at the store's address (the
 * address and size the firmware uses: include/h7_fstore.h).
 *
 *   h7fs-image pack OUT.bin DIR [PATH...]   every regular file under DIR (or under the given
 *                                  paths inside DIR), named by its path relative to DIR, each
 *                                  in one write record so the firmware's Resource can point at
 *                                  it in flash (h7fs_extent)
 *   h7fs-image list IMAGE          size and name of each file, and its flash address when one
 *                                  record holds all of it; then a `free` line: the bytes one
 *                                  more write can take (now and after compaction) of a half
 *   h7fs-image cat IMAGE NAME      the file's bytes on stdout
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "h7_fstore.h"
#include "h7_regs.h"
#include "h7fs.h"

#define IMAGE_SIZE ((uint32_t)H7_FSTORE_SIZE)
#define SECTOR     H7_FLASH_SECTOR
#define CHUNK      4096u /* h7fs's compaction scratch, and cat's read buffer */

static uint8_t image[IMAGE_SIZE];

static int ram_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	(void)ctx;
	if (off > IMAGE_SIZE || len > IMAGE_SIZE - off)
		return -1;
	memcpy(buf, image + off, len);
	return 0;
}

static int ram_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	if (off % H7FS_WORD || len % H7FS_WORD || off > IMAGE_SIZE || len > IMAGE_SIZE - off)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		image[off + i] &= ((const uint8_t *)buf)[i];
	return 0;
}

static int ram_erase(void *ctx, uint32_t off)
{
	(void)ctx;
	if (off % SECTOR || off >= IMAGE_SIZE)
		return -1;
	memset(image + off, 0xFF, SECTOR);
	return 0;
}

static const h7fs_flash_t flash = {NULL, IMAGE_SIZE, SECTOR, ram_read, ram_program, ram_erase};
static uint8_t scratch[CHUNK];
static h7fs_t fs;

static int usage(FILE *out)
{
	fprintf(out,
	        "usage: h7fs-image pack OUT.bin DIR [PATH...] | list IMAGE | cat IMAGE NAME\n"
	        "  pack  writes every regular file under DIR, or under the PATHs inside DIR (named by\n"
	        "        the path relative to DIR), into a %u KB store image for flash address 0x%08X\n"
	        "  list  prints each file's size and name, and @ADDRESS when it lies whole in flash,\n"
	        "        then \"free N of HALF\": the bytes one more write can take in the %u KB half\n"
	        "  cat   writes one file's bytes to stdout\n",
	        IMAGE_SIZE / 1024, (unsigned)H7_FSTORE_BASE, IMAGE_SIZE / 2048);
	return out == stdout ? 0 : 64;
}

static int add_file(const char *path, const char *name)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "h7fs-image: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* The whole file in one record: the firmware maps such a file in place instead of copying
	   it to RAM. So one file must fit in what is left of the half the image fills. */
	static uint8_t buf[IMAGE_SIZE / 2];
	size_t n = fread(buf, 1, sizeof buf, f);
	int larger = fgetc(f) != EOF;
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "h7fs-image: %s: read error\n", path);
		return 1;
	}
	if (larger) {
		fprintf(stderr, "h7fs-image: %s: file store full: the file is larger than a %u KB store half\n", path,
		        IMAGE_SIZE / 2048);
		return 1;
	}
	uint32_t fd, now, after;
	int st = h7fs_open(&fs, name, true, &fd);
	if (!st && n)
		st = h7fs_write(&fs, fd, 0, buf, (uint32_t)n);
	if (st == H7FS_ENOSPC && !h7fs_free(&fs, &now, &after)) {
		fprintf(stderr,
		        "h7fs-image: %s: file store full: %zu bytes, %u left in the %u KB half after the files before it\n",
		        path, n, now, IMAGE_SIZE / 2048);
		return 1;
	}
	if (st) {
		fprintf(stderr, "h7fs-image: %s: %s\n", path, h7fs_strerror(st));
		return 1;
	}
	return 0;
}

/* A file under the name the firmware will open it by. */
static int add_stored(const char *path, const char *name)
{
	char stored[H7FS_NAME_MAX + 1];
	int st = h7fs_path(name, stored);
	if (st) {
		fprintf(stderr, "h7fs-image: %s: name \"%s\": %s\n", path, name, h7fs_strerror(st));
		return 1;
	}
	return add_file(path, stored);
}

static int walk(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "h7fs-image: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	/* Sorted, so the same folder always gives the same image. */
	struct dirent **list;
	int count = scandir(dir, &list, NULL, alphasort);
	closedir(d);
	if (count < 0) {
		fprintf(stderr, "h7fs-image: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	int failed = 0;
	for (int i = 0; i < count; i++) {
		const char *entry = list[i]->d_name;
		if (!failed && entry[0] != '.') {
			char path[4096], name[4096];
			snprintf(path, sizeof path, "%s/%s", dir, entry);
			snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "/" : "", entry);
			struct stat info;
			if (stat(path, &info)) {
				fprintf(stderr, "h7fs-image: %s: %s\n", path, strerror(errno));
				failed = 1;
			} else if (S_ISDIR(info.st_mode))
				failed = walk(path, name);
			else if (S_ISREG(info.st_mode))
				failed = add_stored(path, name);
		}
		free(list[i]);
	}
	free(list);
	return failed;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "h7fs-image: %s: %s\n", path, strerror(errno));
		return 1;
	}
	size_t n = fread(image, 1, sizeof image, f);
	int extra = fgetc(f) != EOF;
	fclose(f);
	if (n != sizeof image || extra) {
		fprintf(stderr, "h7fs-image: %s: not a %u-byte store image\n", path, IMAGE_SIZE);
		return 1;
	}
	int st = h7fs_mount(&fs, &flash, scratch, sizeof scratch, false);
	if (st) {
		fprintf(stderr, "h7fs-image: %s: %s\n", path, h7fs_strerror(st));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(stdout);
	if (argc >= 4 && !strcmp(argv[1], "pack")) {
		memset(image, 0xFF, sizeof image);
		int st = h7fs_mount(&fs, &flash, scratch, sizeof scratch, true);
		if (st) {
			fprintf(stderr, "h7fs-image: %s\n", h7fs_strerror(st));
			return 1;
		}
		if (argc == 4 && walk(argv[3], ""))
			return 1;
		for (int a = 4; a < argc; a++) {
			char path[4096];
			struct stat info;
			snprintf(path, sizeof path, "%s/%s", argv[3], argv[a]);
			if (stat(path, &info)) {
				fprintf(stderr, "h7fs-image: %s: %s\n", path, strerror(errno));
				return 1;
			}
			if (S_ISDIR(info.st_mode) ? walk(path, argv[a]) : add_stored(path, argv[a]))
				return 1;
		}
		FILE *out = fopen(argv[2], "wb");
		if (!out || fwrite(image, 1, sizeof image, out) != sizeof image || fclose(out)) {
			fprintf(stderr, "h7fs-image: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "list")) {
		if (load(argv[2]))
			return 1;
		for (uint32_t i = 0; i < H7FS_MAX_FILES; i++)
			if (fs.files[i].id) {
				uint32_t offset;
				if (h7fs_extent(&fs, fs.files[i].id, &offset) == 1)
					printf("%u %s @0x%08X\n", fs.files[i].size, fs.files[i].name, (unsigned)H7_FSTORE_BASE + offset);
				else
					printf("%u %s\n", fs.files[i].size, fs.files[i].name);
			}
		/* What a log or another file can still take in one write: the figure the docs quote. */
		uint32_t now, after;
		h7fs_free(&fs, &now, &after);
		printf("free %u of %u (%u after compaction)\n", now, fs.half, after);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "cat")) {
		if (load(argv[2]))
			return 1;
		char name[H7FS_NAME_MAX + 1];
		uint32_t fd, size, got;
		int st = h7fs_path(argv[3], name);
		if (!st)
			st = h7fs_open(&fs, name, false, &fd);
		if (!st)
			st = h7fs_size(&fs, fd, &size);
		static uint8_t buf[CHUNK];
		for (uint32_t pos = 0; !st && pos < size; pos += got) {
			st = h7fs_read(&fs, fd, pos, buf, sizeof buf, &got);
			if (!st)
				fwrite(buf, 1, got, stdout);
		}
		if (st) {
			fprintf(stderr, "h7fs-image: %s: %s\n", argv[3], h7fs_strerror(st));
			return 1;
		}
		return 0;
	}
	return usage(stderr);
}
