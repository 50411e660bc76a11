/*
 * test_h7fs.c: the flash file store against a simulated NOR flash with the
 * H7's rules (erase to 0xFF per sector, program clears bits, 32-byte words
 * programmed once), including a power cut at every program and erase step of
 * a scripted workload: after each cut, a remount must show every file either
 * as before or as after the interrupted operation, and keep working.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "h7fs.h"
#include "unit.h"

#define SECTOR 4096u
#define SIZE   (4u * SECTOR) /* two halves of two sectors: small, so compaction happens often */

typedef struct {
	uint8_t mem[SIZE];
	long budget;    /* program words / erases left before the power cut; < 0: no cut */
	int dead;       /* power is off: every operation fails */
	long ops;       /* program words + erases performed */
	int violations; /* re-programmed words or misaligned calls: the store must never do this */
} sim_t;

static int sim_step(sim_t *s)
{
	if (s->dead)
		return -1;
	s->ops++;
	if (s->budget >= 0 && s->budget-- == 0) {
		s->dead = 1;
		return 1; /* this step is the one the cut lands on */
	}
	return 0;
}

static int sim_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	sim_t *s = ctx;
	if (s->dead || off + len > SIZE)
		return -1;
	memcpy(buf, s->mem + off, len);
	return 0;
}

static int sim_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	sim_t *s = ctx;
	if (off % H7FS_WORD || len % H7FS_WORD || off + len > SIZE) {
		s->violations++;
		return -1;
	}
	const uint8_t *src = buf;
	for (uint32_t w = 0; w < len; w += H7FS_WORD) {
		uint8_t *dst = s->mem + off + w;
		for (uint32_t i = 0; i < H7FS_WORD; i++)
			if (dst[i] != 0xFF) {
				s->violations++;
				return -1;
			} /* ECC: one program per word */
		int cut = sim_step(s);
		if (cut < 0)
			return -1;
		if (cut) {
			/* Half-programmed word: a random subset of the bits that should clear did. */
			for (uint32_t i = 0; i < H7FS_WORD; i++)
				dst[i] &= (uint8_t)(src[w + i] | (unit_rand() & 0xFF));
			return -1;
		}
		for (uint32_t i = 0; i < H7FS_WORD; i++)
			dst[i] &= src[w + i];
	}
	return 0;
}

static int sim_erase(void *ctx, uint32_t off)
{
	sim_t *s = ctx;
	if (off % SECTOR || off >= SIZE) {
		s->violations++;
		return -1;
	}
	int cut = sim_step(s);
	if (cut < 0)
		return -1;
	if (cut) {
		/* Interrupted erase: some words erased, some still old, some in between. */
		for (uint32_t i = 0; i < SECTOR; i++)
			if (unit_rand() & 1)
				s->mem[off + i] |= (uint8_t)unit_rand();
		return -1;
	}
	memset(s->mem + off, 0xFF, SECTOR);
	return 0;
}

static sim_t sim;
static const h7fs_flash_t flash = {&sim, SIZE, SECTOR, sim_read, sim_program, sim_erase};
static uint8_t scratch[256];

static void sim_blank(void)
{
	memset(&sim, 0, sizeof sim);
	memset(sim.mem, 0xFF, SIZE);
	sim.budget = -1;
}

static int read_all(h7fs_t *fs, const char *name, uint8_t *out, uint32_t cap, uint32_t *size)
{
	uint32_t fd, got;
	int st = h7fs_open(fs, name, false, &fd);
	if (st)
		return st;
	if ((st = h7fs_size(fs, fd, size)))
		return st;
	if (*size > cap)
		return -100;
	return h7fs_read(fs, fd, 0, out, *size, &got);
}

UNIT_TEST(blank_flash_formats_and_round_trips)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, false), H7FS_ENOFS);
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint32_t fd, size, got;
	UNIT_EQ_INT(h7fs_open(&fs, "log.bin", false, &fd), H7FS_ENOENT);
	UNIT_EQ_INT(h7fs_open(&fs, "log.bin", true, &fd), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 0, "hello, flash", 12), H7FS_OK);
	UNIT_EQ_INT(h7fs_size(&fs, fd, &size), H7FS_OK);
	UNIT_EQ_INT(size, 12);
	char buf[32] = {0};
	UNIT_EQ_INT(h7fs_read(&fs, fd, 7, buf, sizeof buf, &got), H7FS_OK);
	UNIT_EQ_INT(got, 5);
	UNIT_ASSERT(memcmp(buf, "flash", 5) == 0);
	/* A fresh mount sees the same thing. */
	h7fs_t again;
	UNIT_EQ_INT(h7fs_mount(&again, &flash, scratch, sizeof scratch, false), H7FS_OK);
	UNIT_EQ_INT(read_all(&again, "log.bin", (uint8_t *)buf, sizeof buf, &size), H7FS_OK);
	UNIT_EQ_INT(size, 12);
	UNIT_ASSERT(memcmp(buf, "hello, flash", 12) == 0);
	UNIT_EQ_INT(sim.violations, 0);
}

UNIT_TEST(overwrites_holes_and_positions)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint32_t fd, got, size;
	UNIT_EQ_INT(h7fs_open(&fs, "a", true, &fd), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 0, "abcdefgh", 8), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 2, "XY", 2), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 12, "Z", 1), H7FS_OK); /* leaves a hole at 8..11 */
	uint8_t buf[16];
	UNIT_EQ_INT(h7fs_read(&fs, fd, 0, buf, sizeof buf, &got), H7FS_OK);
	UNIT_EQ_INT(got, 13);
	UNIT_ASSERT(memcmp(buf, "abXYefgh\0\0\0\0Z", 13) == 0);
	UNIT_EQ_INT(h7fs_read(&fs, fd, 13, buf, 4, &got), H7FS_OK);
	UNIT_EQ_INT(got, 0);
	UNIT_EQ_INT(h7fs_size(&fs, fd, &size), H7FS_OK);
	UNIT_EQ_INT(size, 13);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 0xFFFFFFF0u, buf, 32), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_write(&fs, 999, 0, buf, 1), H7FS_ENOENT);
}

UNIT_TEST(names_rename_delete)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint32_t fd, fd2, size;
	char longname[H7FS_NAME_MAX + 2];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	UNIT_EQ_INT(h7fs_open(&fs, longname, true, &fd), H7FS_ENAMETOOLONG);
	UNIT_EQ_INT(h7fs_open(&fs, "", true, &fd), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_open(&fs, "cascades/face.bin", true, &fd), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 0, "1234", 4), H7FS_OK);
	UNIT_EQ_INT(h7fs_open(&fs, "other", true, &fd2), H7FS_OK);
	UNIT_EQ_INT(h7fs_rename(&fs, "cascades/face.bin", "other"), H7FS_EEXIST);
	UNIT_EQ_INT(h7fs_rename(&fs, "missing", "x"), H7FS_ENOENT);
	UNIT_EQ_INT(h7fs_rename(&fs, "cascades/face.bin", "face.bin"), H7FS_OK);
	UNIT_ASSERT(!h7fs_exists(&fs, "cascades/face.bin"));
	UNIT_ASSERT(h7fs_exists(&fs, "face.bin"));
	UNIT_EQ_INT(h7fs_delete(&fs, "other"), H7FS_OK);
	UNIT_EQ_INT(h7fs_delete(&fs, "other"), H7FS_ENOENT);
	UNIT_EQ_INT(h7fs_size(&fs, fd2, &size), H7FS_ENOENT); /* a deleted file's handle is dead */
	h7fs_t again;
	UNIT_EQ_INT(h7fs_mount(&again, &flash, scratch, sizeof scratch, false), H7FS_OK);
	UNIT_ASSERT(h7fs_exists(&again, "face.bin"));
	UNIT_ASSERT(!h7fs_exists(&again, "other"));
	uint8_t buf[8];
	UNIT_EQ_INT(read_all(&again, "face.bin", buf, sizeof buf, &size), H7FS_OK);
	UNIT_EQ_INT(size, 4);
	UNIT_ASSERT(memcmp(buf, "1234", 4) == 0);
	/* The file table is bounded. */
	char name[8];
	int made = 1;
	for (int i = 0; i < (int)H7FS_MAX_FILES + 2; i++) {
		snprintf(name, sizeof name, "f%d", i);
		int st = h7fs_open(&again, name, true, &fd);
		if (st == H7FS_EMFILE)
			break;
		UNIT_EQ_INT(st, H7FS_OK);
		made++;
	}
	UNIT_EQ_INT(made, H7FS_MAX_FILES);
}

UNIT_TEST(compaction_reclaims_space_and_keeps_data)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint32_t fd, size;
	UNIT_EQ_INT(h7fs_open(&fs, "state", true, &fd), H7FS_OK);
	uint8_t rec[100];
	/* Rewriting the same 100 bytes 500 times is 80 KB of log in an 8 KB half. */
	for (int i = 0; i < 500; i++) {
		memset(rec, (uint8_t)i, sizeof rec);
		UNIT_EQ_INT(h7fs_write(&fs, fd, 0, rec, sizeof rec), H7FS_OK);
	}
	UNIT_ASSERT(fs.seq > 5); /* compacted many times */
	h7fs_t again;
	UNIT_EQ_INT(h7fs_mount(&again, &flash, scratch, sizeof scratch, false), H7FS_OK);
	uint8_t buf[128];
	UNIT_EQ_INT(read_all(&again, "state", buf, sizeof buf, &size), H7FS_OK);
	UNIT_EQ_INT(size, 100);
	UNIT_EQ_INT(buf[0], (uint8_t)499);
	UNIT_EQ_INT(buf[99], (uint8_t)499);
	/* A write bigger than a half can never fit; one that fits only after compaction does. */
	static uint8_t big[SIZE / 2];
	UNIT_EQ_INT(h7fs_write(&again, fd, 0, big, sizeof big), H7FS_ENOSPC);
	uint32_t now, after;
	UNIT_EQ_INT(h7fs_free(&again, &now, &after), H7FS_OK);
	UNIT_ASSERT(after >= now);
	UNIT_ASSERT(after > 6000);
	UNIT_EQ_INT(sim.violations, 0);
}

UNIT_TEST(fills_up_with_enospc_not_corruption)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint32_t fd, size;
	UNIT_EQ_INT(h7fs_open(&fs, "log", true, &fd), H7FS_OK);
	uint8_t rec[200];
	uint32_t pos = 0;
	int st;
	for (;;) {
		memset(rec, (uint8_t)(pos / 200), sizeof rec);
		if ((st = h7fs_write(&fs, fd, pos, rec, sizeof rec)))
			break;
		pos += 200;
	}
	UNIT_EQ_INT(st, H7FS_ENOSPC);
	UNIT_ASSERT(pos > 5000); /* most of an 8 KB half is usable */
	h7fs_t again;
	UNIT_EQ_INT(h7fs_mount(&again, &flash, scratch, sizeof scratch, false), H7FS_OK);
	static uint8_t buf[SIZE];
	UNIT_EQ_INT(read_all(&again, "log", buf, sizeof buf, &size), H7FS_OK);
	UNIT_EQ_INT(size, pos);
	for (uint32_t i = 0; i < pos; i++)
		if (buf[i] != (uint8_t)(i / 200))
			UNIT_FAIL("byte %u", (unsigned)i);
}

/* ---- Power cuts at every step ---------------------------------------------------------------- */
#define NFILES 3
#define MAXLEN 600
typedef struct {
	int exists;
	uint32_t size;
	uint8_t data[MAXLEN];
} model_file_t;
typedef struct {
	model_file_t f[NFILES];
} model_t;
static const char *const names[NFILES] = {"a", "b/c", "results.log"};

/* One scripted operation, applied to the store (when fs) and to the model. */
static int op(int k, h7fs_t *fs, model_t *m)
{
	int which = k % NFILES;
	model_file_t *f = &m->f[which];
	uint32_t fd;
	if (k % 11 == 10 && f->exists) {
		if (fs && h7fs_delete(fs, names[which]))
			return -1;
		memset(f, 0, sizeof *f);
		return 0;
	}
	uint32_t len = 1 + (uint32_t)(k * 37 % 150), pos = (uint32_t)(k * 53 % 300);
	uint8_t data[160];
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(k * 7 + i);
	if (fs && (h7fs_open(fs, names[which], true, &fd) || h7fs_write(fs, fd, pos, data, len)))
		return -1;
	f->exists = 1;
	memcpy(f->data + pos, data, len);
	if (pos + len > f->size)
		f->size = pos + len;
	return 0;
}

static int matches(h7fs_t *fs, const model_t *m)
{
	static uint8_t buf[MAXLEN];
	for (int i = 0; i < NFILES; i++) {
		uint32_t size;
		int st = read_all(fs, names[i], buf, sizeof buf, &size);
		if (!m->f[i].exists) {
			/* An interrupted first write may leave the file created but empty. */
			if (st == H7FS_ENOENT)
				continue;
			if (st == H7FS_OK && size == 0)
				continue;
			return 0;
		}
		if (st != H7FS_OK || size != m->f[i].size || memcmp(buf, m->f[i].data, size))
			return 0;
	}
	return 1;
}

static int matches_model_or_empty_create(h7fs_t *fs, const model_t *before, const model_t *after)
{
	if (matches(fs, before) || matches(fs, after))
		return 1;
	/* An op that creates then writes is two records: "created, nothing written" is also valid. */
	model_t created = *before;
	for (int i = 0; i < NFILES; i++)
		if (!before->f[i].exists && after->f[i].exists)
			created.f[i].exists = 1, created.f[i].size = 0;
	return matches(fs, &created);
}

UNIT_TEST(power_cut_at_every_step)
{
	const int nops = 150;
	/* Dry run to count the flash steps of the whole workload. */
	sim_blank();
	h7fs_t fs;
	model_t m = {0};
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	long start = sim.ops;
	for (int k = 0; k < nops; k++)
		UNIT_EQ_INT(op(k, &fs, &m), 0);
	long total = sim.ops - start;
	UNIT_ASSERT(fs.seq > 2); /* the workload compacts */
	UNIT_ASSERT(total > 100);
	static model_t before, after;
	int checked = 0;
	for (long cut = 0; cut < total; cut++) {
		unit_rand_seed((uint32_t)cut + 1);
		sim_blank();
		UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
		memset(&before, 0, sizeof before);
		sim.budget = cut;
		int k;
		for (k = 0; k < nops; k++) {
			after = before;
			op(k, NULL, &after);
			static model_t scratch_model; /* the op's branch depends on the model's state */
			scratch_model = before;
			if (op(k, &fs, &scratch_model) != 0)
				break;
			before = after;
		}
		UNIT_ASSERT(sim.dead); /* the cut happened inside op k */
		/* Power back: remount and check. */
		sim.dead = 0;
		sim.budget = -1;
		h7fs_t re;
		int st = h7fs_mount(&re, &flash, scratch, sizeof scratch, false);
		if (st != H7FS_OK) {
			UNIT_FAIL("cut %ld: mount %s", cut, h7fs_strerror(st));
			return;
		}
		if (!matches_model_or_empty_create(&re, &before, &after)) {
			UNIT_FAIL("cut %ld in op %d: files match neither state", cut, k);
			return;
		}
		/* And it keeps working: the rest of the workload runs on the recovered store. */
		model_t cont;
		cont = matches(&re, &after) ? after : before;
		if (!matches(&re, &cont)) {
			/* created-but-empty case: continue from a model where that file is empty */
			for (int i = 0; i < NFILES; i++)
				if (!cont.f[i].exists && h7fs_exists(&re, names[i]))
					cont.f[i].exists = 1, cont.f[i].size = 0;
		}
		for (int j = k + 1; j < nops; j++)
			if (op(j, &re, &cont)) {
				UNIT_FAIL("cut %ld: op %d after recovery failed", cut, j);
				return;
			}
		if (!matches(&re, &cont)) {
			UNIT_FAIL("cut %ld: state after recovery and more ops is wrong", cut);
			return;
		}
		checked++;
	}
	UNIT_EQ_INT(checked, total);
	UNIT_EQ_INT(sim.violations, 0);
	printf("# %ld power-cut points checked\n", total);
}

/* Resource maps a file in place when one record holds all of it: the extent must point at
 * exactly the file's bytes in the flash image, and must be refused once a later write patches
 * part of the file, once the file is empty, and after a compaction split it into chunks. */
UNIT_TEST(extent_points_at_a_whole_file_in_flash)
{
	sim_blank();
	h7fs_t fs;
	UNIT_EQ_INT(h7fs_mount(&fs, &flash, scratch, sizeof scratch, true), H7FS_OK);
	uint8_t model[700];
	for (uint32_t i = 0; i < sizeof model; i++)
		model[i] = (uint8_t)unit_rand();
	uint32_t fd, other, empty, offset = 0;
	UNIT_EQ_INT(h7fs_open(&fs, "other", true, &other), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, other, 0, "x", 1), H7FS_OK);
	UNIT_EQ_INT(h7fs_open(&fs, "model.tflite", true, &fd), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, fd, 0, model, sizeof model), H7FS_OK);
	UNIT_EQ_INT(h7fs_write(&fs, other, 1, "y", 1), H7FS_OK); /* another file's record after it */
	UNIT_EQ_INT(h7fs_extent(&fs, fd, &offset), 1);
	UNIT_ASSERT(offset + sizeof model <= SIZE);
	UNIT_ASSERT(memcmp(sim.mem + offset, model, sizeof model) == 0);
	/* A fresh mount finds the same place. */
	h7fs_t again;
	uint32_t offset2 = 0;
	UNIT_EQ_INT(h7fs_mount(&again, &flash, scratch, sizeof scratch, false), H7FS_OK);
	UNIT_EQ_INT(h7fs_open(&again, "model.tflite", false, &fd), H7FS_OK);
	UNIT_EQ_INT(h7fs_extent(&again, fd, &offset2), 1);
	UNIT_EQ_INT(offset2, offset);
	/* Two records for "other": in pieces. */
	UNIT_EQ_INT(h7fs_extent(&again, other, &offset2), 0);
	UNIT_EQ_INT(h7fs_open(&again, "empty", true, &empty), H7FS_OK);
	UNIT_EQ_INT(h7fs_extent(&again, empty, &offset2), 0);
	UNIT_EQ_INT(h7fs_extent(&again, 999, &offset2), H7FS_ENOENT);
	/* Patched in the middle: the flash copy is no longer the file. */
	UNIT_EQ_INT(h7fs_write(&again, fd, 10, "zz", 2), H7FS_OK);
	UNIT_EQ_INT(h7fs_extent(&again, fd, &offset2), 0);
	/* Rewritten whole: mapped again, at the new record, with the new bytes. */
	model[10] = 'z';
	model[11] = 'z';
	UNIT_EQ_INT(h7fs_write(&again, fd, 0, model, sizeof model), H7FS_OK);
	UNIT_EQ_INT(h7fs_extent(&again, fd, &offset2), 1);
	UNIT_ASSERT(offset2 != offset);
	UNIT_ASSERT(memcmp(sim.mem + offset2, model, sizeof model) == 0);
	/* While pinned, the mapped bytes survive one compaction (the old half is not erased);
	 * compaction copies through the 256-byte scratch: 700 bytes become three records. */
	h7fs_pin(&again);
	UNIT_EQ_INT(h7fs_compact(&again), H7FS_OK);
	UNIT_EQ_INT(h7fs_extent(&again, fd, &offset), 0);
	UNIT_ASSERT(memcmp(sim.mem + offset2, model, sizeof model) == 0);
	/* The next one would erase them: refused, and so is a write that needs it, until unpinned. */
	UNIT_EQ_INT(h7fs_compact(&again), H7FS_EBUSY);
	static uint8_t big[SIZE / 2];
	memset(big, 7, sizeof big);
	int st = H7FS_OK;
	for (int i = 0; i < 64 && st == H7FS_OK; i++)
		st = h7fs_write(&again, other, 0, big, 512);
	UNIT_EQ_INT(st, H7FS_EBUSY);
	UNIT_ASSERT(memcmp(sim.mem + offset2, model, sizeof model) == 0);
	h7fs_unpin(&again);
	UNIT_EQ_INT(h7fs_compact(&again), H7FS_OK);
	uint8_t back[sizeof model];
	uint32_t size = 0;
	UNIT_EQ_INT(read_all(&again, "model.tflite", back, sizeof back, &size), H7FS_OK);
	UNIT_EQ_INT(size, sizeof model);
	UNIT_ASSERT(memcmp(back, model, sizeof model) == 0);
	UNIT_EQ_INT(sim.violations, 0);
}

UNIT_TEST(paths_map_into_the_store)
{
	char out[H7FS_NAME_MAX + 1];
	UNIT_EQ_INT(h7fs_path("/models/smile.tflite", out), H7FS_OK);
	UNIT_ASSERT(strcmp(out, "models/smile.tflite") == 0);
	UNIT_EQ_INT(h7fs_path("a//./b/", out), H7FS_OK);
	UNIT_ASSERT(strcmp(out, "a/b") == 0);
	UNIT_EQ_INT(h7fs_path("../etc", out), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_path("a/../../b", out), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_path("/", out), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_path("", out), H7FS_EINVAL);
	UNIT_EQ_INT(h7fs_path("..x/y", out), H7FS_OK); /* only a whole ".." segment is refused */
	char longp[80];
	memset(longp, 'x', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	UNIT_EQ_INT(h7fs_path(longp, out), H7FS_ENAMETOOLONG);
	longp[H7FS_NAME_MAX] = 0;
	UNIT_EQ_INT(h7fs_path(longp, out), H7FS_OK);
}

int main(void)
{
	UNIT_RUN(paths_map_into_the_store);
	UNIT_RUN(blank_flash_formats_and_round_trips);
	UNIT_RUN(overwrites_holes_and_positions);
	UNIT_RUN(names_rename_delete);
	UNIT_RUN(compaction_reclaims_space_and_keeps_data);
	UNIT_RUN(fills_up_with_enospc_not_corruption);
	UNIT_RUN(power_cut_at_every_step);
	UNIT_RUN(extent_points_at_a_whole_file_in_flash);
	return unit_done();
}
