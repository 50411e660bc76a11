/*
 * h7fs.c: log-structured file store for write-once flash words (see h7fs.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7fs.h"

#include <stddef.h>
#include <string.h>

#include "bytes.h"

#define HALF_MAGIC 0x53463748u /* "H7FS" */
#define REC_MAGIC  0x31434552u /* "REC1" */
enum { REC_CREATE = 1, REC_WRITE = 2, REC_DELETE = 3, REC_RENAME = 4 };

/* One flash word each. Unused fields stay 0xFF (erased) so the record costs no extra bits. */
typedef struct {
	uint32_t magic;
	uint8_t type, rsv[3];
	uint32_t id, offset, len, rsv2, rsv3;
	uint32_t crc; /* CRC-32 of the 28 bytes above, continued over the data */
} rec_t;
typedef struct {
	uint32_t magic, seq, half, rsv[4];
	uint32_t crc; /* CRC-32 of the 28 bytes above */
} half_t;
_Static_assert(sizeof(rec_t) == H7FS_WORD, "record header is one flash word");
_Static_assert(sizeof(half_t) == H7FS_WORD, "half header is one flash word");

static uint32_t pad(uint32_t n)
{
	return (n + H7FS_WORD - 1) & ~(H7FS_WORD - 1);
}

static uint32_t base(const h7fs_t *fs, uint32_t half)
{
	return half * fs->half;
}

static int fread_(const h7fs_t *fs, uint32_t off, void *buf, uint32_t len)
{
	return fs->flash->read(fs->flash->ctx, off, buf, len) ? H7FS_EIO : H7FS_OK;
}

static int fprog(const h7fs_t *fs, uint32_t off, const void *buf, uint32_t len)
{
	return fs->flash->program(fs->flash->ctx, off, buf, len) ? H7FS_EIO : H7FS_OK;
}

static bool all_erased(const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xFF)
			return false;
	return true;
}

const char *h7fs_strerror(int status)
{
	switch (status) {
	case H7FS_OK: return "ok";
	case H7FS_EINVAL: return "invalid argument";
	case H7FS_ENOENT: return "no such file";
	case H7FS_EEXIST: return "file exists";
	case H7FS_ENOSPC: return "file store full";
	case H7FS_EIO: return "flash error";
	case H7FS_ENAMETOOLONG: return "file name too long";
	case H7FS_EMFILE: return "too many files";
	case H7FS_ENOFS: return "no file store in flash";
	case H7FS_EBUSY: return "file store busy: a mapped file would be erased";
	default: return "unknown file store error";
	}
}

static int name_check(const char *name)
{
	if (!name || !name[0])
		return H7FS_EINVAL;
	size_t n = strnlen(name, H7FS_NAME_MAX + 1);
	return n > H7FS_NAME_MAX ? H7FS_ENAMETOOLONG : H7FS_OK;
}

static h7fs_file_t *by_id(const h7fs_t *fs, uint32_t id)
{
	if (id == 0)
		return NULL;
	for (uint32_t i = 0; i < H7FS_MAX_FILES; i++)
		if (fs->files[i].id == id)
			return (h7fs_file_t *)&fs->files[i];
	return NULL;
}

static h7fs_file_t *by_name(const h7fs_t *fs, const char *name)
{
	for (uint32_t i = 0; i < H7FS_MAX_FILES; i++)
		if (fs->files[i].id && strcmp(fs->files[i].name, name) == 0)
			return (h7fs_file_t *)&fs->files[i];
	return NULL;
}

/* Validates the record at off (absolute): 1 valid, 0 end of log (erased), -1 torn, < -1 error. */
static int check_record(const h7fs_t *fs, uint32_t off, uint32_t limit, rec_t *r)
{
	if (off + H7FS_WORD > limit)
		return 0;
	if (fread_(fs, off, r, sizeof *r))
		return H7FS_EIO;
	if (all_erased(r, sizeof *r))
		return 0;
	if (r->magic != REC_MAGIC || r->type < REC_CREATE || r->type > REC_RENAME)
		return -1;
	if (r->len > limit - off - H7FS_WORD)
		return -1;
	uint32_t crc = bytes_crc32(0, (const uint8_t *)r, offsetof(rec_t, crc));
	uint8_t chunk[64];
	for (uint32_t done = 0; done < r->len;) {
		uint32_t n = r->len - done < sizeof chunk ? r->len - done : (uint32_t)sizeof chunk;
		if (fread_(fs, off + H7FS_WORD + done, chunk, n))
			return H7FS_EIO;
		crc = bytes_crc32(crc, chunk, n);
		done += n;
	}
	return crc == r->crc ? 1 : -1;
}

static int apply(h7fs_t *fs, const rec_t *r, uint32_t off)
{
	h7fs_file_t *f = by_id(fs, r->id);
	switch (r->type) {
	case REC_CREATE:
	case REC_RENAME: {
		if (r->len == 0 || r->len > H7FS_NAME_MAX)
			return H7FS_OK; /* never written by us: skip */
		char name[H7FS_NAME_MAX + 1];
		if (fread_(fs, off + H7FS_WORD, name, r->len))
			return H7FS_EIO;
		name[r->len] = 0;
		if (r->type == REC_CREATE && !f) {
			for (uint32_t i = 0; i < H7FS_MAX_FILES && !f; i++)
				if (!fs->files[i].id)
					f = &fs->files[i];
			if (!f)
				return H7FS_OK;
			f->id = r->id;
			f->size = 0;
		}
		if (f)
			memcpy(f->name, name, r->len + 1);
		if (r->id >= fs->next_id)
			fs->next_id = r->id + 1;
		return H7FS_OK;
	}
	case REC_WRITE:
		if (f && r->offset + r->len > f->size)
			f->size = r->offset + r->len;
		return H7FS_OK;
	case REC_DELETE:
		if (f)
			memset(f, 0, sizeof *f);
		return H7FS_OK;
	}
	return H7FS_OK;
}

/* Replays the active half into the file table. */
static int load(h7fs_t *fs)
{
	memset(fs->files, 0, sizeof fs->files);
	fs->next_id = 1;
	fs->torn = false;
	uint32_t b = base(fs, fs->active), off = H7FS_WORD;
	for (;;) {
		rec_t r;
		int state = check_record(fs, b + off, b + fs->half, &r);
		if (state < -1)
			return state;
		if (state == 0)
			break;
		if (state == -1) {
			/* Torn tail: keep what came before; the next write compacts past the garbage. */
			fs->torn = true;
			break;
		}
		int status = apply(fs, &r, b + off);
		if (status)
			return status;
		off += H7FS_WORD + pad(r.len);
	}
	fs->end = off;
	return H7FS_OK;
}

static int read_half_header(const h7fs_t *fs, uint32_t half, uint32_t *seq)
{
	half_t h;
	if (fread_(fs, base(fs, half), &h, sizeof h))
		return H7FS_EIO;
	if (h.magic != HALF_MAGIC || h.half != fs->half)
		return H7FS_ENOFS;
	if (bytes_crc32(0, (const uint8_t *)&h, offsetof(half_t, crc)) != h.crc)
		return H7FS_ENOFS;
	*seq = h.seq;
	return H7FS_OK;
}

static int write_half_header(const h7fs_t *fs, uint32_t half, uint32_t seq)
{
	half_t h;
	memset(&h, 0xFF, sizeof h);
	h.magic = HALF_MAGIC;
	h.seq = seq;
	h.half = fs->half;
	h.crc = bytes_crc32(0, (const uint8_t *)&h, offsetof(half_t, crc));
	return fprog(fs, base(fs, half), &h, sizeof h);
}

static int erase_half(const h7fs_t *fs, uint32_t half)
{
	for (uint32_t s = 0; s < fs->half; s += fs->flash->sector_size)
		if (fs->flash->erase(fs->flash->ctx, base(fs, half) + s))
			return H7FS_EIO;
	return H7FS_OK;
}

/* Appends one record to half at *end (relative). Header first: a cut anywhere after it
 * leaves a record whose CRC fails, and the scan stops there. */
static int append(h7fs_t *fs, uint32_t half, uint32_t *end, uint8_t type, uint32_t id, uint32_t offset,
                  const void *data, uint32_t len)
{
	uint32_t need = H7FS_WORD + pad(len);
	if (need > fs->half - *end)
		return H7FS_ENOSPC;
	rec_t r;
	memset(&r, 0xFF, sizeof r);
	r.magic = REC_MAGIC;
	r.type = type;
	r.id = id;
	r.offset = offset;
	r.len = len;
	uint32_t crc = bytes_crc32(0, (const uint8_t *)&r, offsetof(rec_t, crc));
	r.crc = bytes_crc32(crc, data, len);
	uint32_t at = base(fs, half) + *end;
	int status = fprog(fs, at, &r, sizeof r);
	uint32_t whole = len & ~(H7FS_WORD - 1);
	if (!status && whole)
		status = fprog(fs, at + H7FS_WORD, data, whole);
	if (!status && len > whole) {
		uint8_t tail[H7FS_WORD];
		memset(tail, 0xFF, sizeof tail);
		memcpy(tail, (const uint8_t *)data + whole, len - whole);
		status = fprog(fs, at + H7FS_WORD + whole, tail, sizeof tail);
	}
	if (status)
		return status;
	*end += need;
	return H7FS_OK;
}

int h7fs_format(h7fs_t *fs)
{
	if (!fs || !fs->flash)
		return H7FS_EINVAL;
	if (fs->pins)
		return H7FS_EBUSY;
	/* Both halves: a stale header with a higher sequence must not outrank the new store. */
	int status = erase_half(fs, 0);
	if (!status)
		status = erase_half(fs, 1);
	if (!status)
		status = write_half_header(fs, 0, 1);
	if (status)
		return status;
	fs->active = 0;
	fs->seq = 1;
	return load(fs);
}

int h7fs_mount(h7fs_t *fs, const h7fs_flash_t *flash, uint8_t *scratch, uint32_t scratch_size, bool format_if_blank)
{
	if (!fs || !flash || !flash->read || !flash->program || !flash->erase || !scratch)
		return H7FS_EINVAL;
	if (scratch_size < H7FS_WORD || scratch_size % H7FS_WORD)
		return H7FS_EINVAL;
	if (flash->sector_size == 0 || flash->sector_size % H7FS_WORD || flash->size == 0 ||
	    flash->size % (2 * flash->sector_size))
		return H7FS_EINVAL;
	memset(fs, 0, sizeof *fs);
	fs->flash = flash;
	fs->scratch = scratch;
	fs->scratch_size = scratch_size;
	fs->half = flash->size / 2;
	uint32_t seq[2];
	int st[2];
	for (uint32_t h = 0; h < 2; h++) {
		st[h] = read_half_header(fs, h, &seq[h]);
		if (st[h] == H7FS_EIO)
			return H7FS_EIO;
	}
	if (st[0] && st[1])
		return format_if_blank ? h7fs_format(fs) : H7FS_ENOFS;
	if (st[0])
		fs->active = 1;
	else if (st[1])
		fs->active = 0;
	else
		fs->active = (int32_t)(seq[1] - seq[0]) > 0 ? 1 : 0; /* wrap-safe "newer" */
	fs->seq = seq[fs->active];
	return load(fs);
}

int h7fs_open(h7fs_t *fs, const char *name, bool create, uint32_t *fd)
{
	if (!fs || !fd)
		return H7FS_EINVAL;
	int status = name_check(name);
	if (status)
		return status;
	h7fs_file_t *f = by_name(fs, name);
	if (f) {
		*fd = f->id;
		return H7FS_OK;
	}
	if (!create)
		return H7FS_ENOENT;
	uint32_t used = 0;
	for (uint32_t i = 0; i < H7FS_MAX_FILES; i++)
		used += fs->files[i].id != 0;
	if (used >= H7FS_MAX_FILES)
		return H7FS_EMFILE;
	uint32_t len = (uint32_t)strlen(name);
	if (fs->torn || H7FS_WORD + pad(len) > fs->half - fs->end) {
		if ((status = h7fs_compact(fs)))
			return status;
	}
	uint32_t id = fs->next_id;
	status = append(fs, fs->active, &fs->end, REC_CREATE, id, 0, name, len);
	if (status == H7FS_EIO)
		fs->torn = true;
	if (status)
		return status;
	for (uint32_t i = 0; i < H7FS_MAX_FILES; i++) {
		if (!fs->files[i].id) {
			fs->files[i].id = id;
			fs->files[i].size = 0;
			memcpy(fs->files[i].name, name, len + 1);
			break;
		}
	}
	fs->next_id = id + 1;
	*fd = id;
	return H7FS_OK;
}

int h7fs_size(const h7fs_t *fs, uint32_t fd, uint32_t *size)
{
	if (!fs || !size)
		return H7FS_EINVAL;
	h7fs_file_t *f = by_id(fs, fd);
	if (!f)
		return H7FS_ENOENT;
	*size = f->size;
	return H7FS_OK;
}

static int read_in(const h7fs_t *fs, uint32_t half, uint32_t end, const h7fs_file_t *f, uint32_t pos, uint8_t *buf,
                   uint32_t n)
{
	memset(buf, 0, n);
	uint32_t b = base(fs, half);
	for (uint32_t off = H7FS_WORD; off < end;) {
		rec_t r;
		if (fread_(fs, b + off, &r, sizeof r))
			return H7FS_EIO;
		if (r.type == REC_WRITE && r.id == f->id) {
			uint32_t lo = pos > r.offset ? pos : r.offset;
			uint32_t hi = pos + n < r.offset + r.len ? pos + n : r.offset + r.len;
			if (lo < hi && fread_(fs, b + off + H7FS_WORD + (lo - r.offset), buf + (lo - pos), hi - lo))
				return H7FS_EIO;
		}
		off += H7FS_WORD + pad(r.len);
	}
	return H7FS_OK;
}

int h7fs_read(const h7fs_t *fs, uint32_t fd, uint32_t pos, void *buf, uint32_t len, uint32_t *got)
{
	if (!fs || (!buf && len) || !got)
		return H7FS_EINVAL;
	*got = 0;
	h7fs_file_t *f = by_id(fs, fd);
	if (!f)
		return H7FS_ENOENT;
	if (pos >= f->size || len == 0)
		return H7FS_OK;
	uint32_t n = f->size - pos < len ? f->size - pos : len;
	int status = read_in(fs, fs->active, fs->end, f, pos, buf, n);
	if (!status)
		*got = n;
	return status;
}

int h7fs_write(h7fs_t *fs, uint32_t fd, uint32_t pos, const void *buf, uint32_t len)
{
	if (!fs || (!buf && len))
		return H7FS_EINVAL;
	h7fs_file_t *f = by_id(fs, fd);
	if (!f)
		return H7FS_ENOENT;
	if (len == 0)
		return H7FS_OK;
	if (pos > UINT32_MAX - len)
		return H7FS_EINVAL;
	uint32_t need = H7FS_WORD + pad(len);
	if (need > fs->half - 2 * H7FS_WORD)
		return H7FS_ENOSPC; /* larger than an empty half */
	if (fs->torn || need > fs->half - fs->end) {
		int status = h7fs_compact(fs);
		if (status)
			return status;
		f = by_id(fs, fd);
		if (need > fs->half - fs->end)
			return H7FS_ENOSPC;
	}
	int status = append(fs, fs->active, &fs->end, REC_WRITE, fd, pos, buf, len);
	if (status == H7FS_EIO)
		fs->torn = true;
	if (status)
		return status;
	if (pos + len > f->size)
		f->size = pos + len;
	return H7FS_OK;
}

static int simple_record(h7fs_t *fs, uint8_t type, uint32_t id, const char *data, uint32_t len)
{
	if (fs->torn || H7FS_WORD + pad(len) > fs->half - fs->end) {
		int status = h7fs_compact(fs);
		if (status)
			return status;
	}
	int status = append(fs, fs->active, &fs->end, type, id, 0, data, len);
	if (status == H7FS_EIO)
		fs->torn = true;
	return status;
}

int h7fs_delete(h7fs_t *fs, const char *name)
{
	if (!fs)
		return H7FS_EINVAL;
	int status = name_check(name);
	if (status)
		return status;
	h7fs_file_t *f = by_name(fs, name);
	if (!f)
		return H7FS_ENOENT;
	uint32_t id = f->id;
	if ((status = simple_record(fs, REC_DELETE, id, NULL, 0)))
		return status;
	f = by_id(fs, id);
	if (f)
		memset(f, 0, sizeof *f);
	return H7FS_OK;
}

int h7fs_rename(h7fs_t *fs, const char *from, const char *to)
{
	if (!fs)
		return H7FS_EINVAL;
	int status = name_check(from);
	if (!status)
		status = name_check(to);
	if (status)
		return status;
	h7fs_file_t *f = by_name(fs, from);
	if (!f)
		return H7FS_ENOENT;
	if (by_name(fs, to))
		return H7FS_EEXIST;
	uint32_t id = f->id, len = (uint32_t)strlen(to);
	if ((status = simple_record(fs, REC_RENAME, id, to, len)))
		return status;
	f = by_id(fs, id);
	memcpy(f->name, to, len + 1);
	return H7FS_OK;
}

bool h7fs_exists(const h7fs_t *fs, const char *name)
{
	return fs && name_check(name) == H7FS_OK && by_name(fs, name) != NULL;
}

static uint32_t live_bytes(const h7fs_t *fs)
{
	uint32_t total = H7FS_WORD;
	for (uint32_t i = 0; i < H7FS_MAX_FILES; i++) {
		const h7fs_file_t *f = &fs->files[i];
		if (!f->id)
			continue;
		total += H7FS_WORD + pad((uint32_t)strlen(f->name));
		uint32_t chunks = (f->size + fs->scratch_size - 1) / fs->scratch_size;
		total += chunks * H7FS_WORD + pad(f->size) + chunks * H7FS_WORD; /* headers + padding bound */
	}
	return total;
}

int h7fs_free(const h7fs_t *fs, uint32_t *now, uint32_t *after)
{
	if (!fs || !now || !after)
		return H7FS_EINVAL;
	uint32_t room = fs->torn ? 0 : fs->half - fs->end;
	*now = room > H7FS_WORD ? room - H7FS_WORD : 0;
	uint32_t live = live_bytes(fs);
	*after = fs->half > live + H7FS_WORD ? fs->half - live - H7FS_WORD : 0;
	return H7FS_OK;
}

int h7fs_compact(h7fs_t *fs)
{
	if (!fs || !fs->flash)
		return H7FS_EINVAL;
	/* The other half is erased below: refused if a pinned extent points into it, that is if
	   it was made before the last compaction. */
	if (fs->pins && fs->pin_seq != fs->seq)
		return H7FS_EBUSY;
	uint32_t other = fs->active ^ 1u, end = H7FS_WORD;
	int status = erase_half(fs, other);
	for (uint32_t i = 0; i < H7FS_MAX_FILES && !status; i++) {
		const h7fs_file_t *f = &fs->files[i];
		if (!f->id)
			continue;
		status = append(fs, other, &end, REC_CREATE, f->id, 0, f->name, (uint32_t)strlen(f->name));
		for (uint32_t pos = 0; pos < f->size && !status; pos += fs->scratch_size) {
			uint32_t n = f->size - pos < fs->scratch_size ? f->size - pos : fs->scratch_size;
			status = read_in(fs, fs->active, fs->end, f, pos, fs->scratch, n);
			if (!status)
				status = append(fs, other, &end, REC_WRITE, f->id, pos, fs->scratch, n);
		}
	}
	/* The header goes last: until it is written the old half stays the valid one. */
	if (!status)
		status = write_half_header(fs, other, fs->seq + 1);
	if (status)
		return status;
	fs->active = other;
	fs->seq++;
	fs->end = end;
	fs->torn = false;
	return H7FS_OK;
}

int h7fs_extent(const h7fs_t *fs, uint32_t fd, uint32_t *offset)
{
	if (!fs || !offset)
		return H7FS_EINVAL;
	const h7fs_file_t *f = by_id(fs, fd);
	if (!f)
		return H7FS_ENOENT;
	if (f->size == 0)
		return 0;
	uint32_t b = base(fs, fs->active);
	bool found = false;
	for (uint32_t off = H7FS_WORD; off < fs->end;) {
		rec_t r;
		if (fread_(fs, b + off, &r, sizeof r))
			return H7FS_EIO;
		if (r.type == REC_WRITE && r.id == f->id) {
			/* A later write of any part makes the file a patchwork again. */
			found = r.offset == 0 && r.len == f->size;
			if (found)
				*offset = b + off + H7FS_WORD;
		}
		off += H7FS_WORD + pad(r.len);
	}
	return found ? 1 : 0;
}

void h7fs_pin(h7fs_t *fs)
{
	if (!fs)
		return;
	if (fs->pins++ == 0)
		fs->pin_seq = fs->seq;
}

void h7fs_unpin(h7fs_t *fs)
{
	if (fs && fs->pins)
		fs->pins--;
}

int h7fs_path(const char *path, char out[H7FS_NAME_MAX + 1])
{
	if (!path || !out)
		return H7FS_EINVAL;
	size_t n = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.')
			return H7FS_EINVAL;
		if (n + (n ? 1 : 0) + len > H7FS_NAME_MAX)
			return H7FS_ENAMETOOLONG;
		if (n)
			out[n++] = '/';
		memcpy(out + n, seg, len);
		n += len;
	}
	if (n == 0)
		return H7FS_EINVAL;
	out[n] = 0;
	return H7FS_OK;
}
