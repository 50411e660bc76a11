/*
 * h7_retained.c: two-slot, CRC-checked records for the backup SRAM.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_retained.h"

#include <string.h>

#include "bytes.h"

#define MAGIC 0x52544E44u /* "DNTR" */

typedef struct {
	uint32_t magic, seq, len, crc;
} header_t;
_Static_assert(sizeof(header_t) == H7_RETAINED_HEADER, "header size");

static size_t slot_size(size_t len)
{
	return H7_RETAINED_HEADER + ((len + 3u) & ~(size_t)3u);
}

static uint32_t record_crc(const header_t *h, const uint8_t *data, size_t len)
{
	uint32_t crc = bytes_crc32(0, (const uint8_t *)h, offsetof(header_t, crc));
	return bytes_crc32(crc, data, len);
}

/* 1 if slot i holds a valid record of len bytes, with its header in *h. */
static int valid(const uint8_t *area, size_t len, int i, header_t *h)
{
	const uint8_t *slot = area + (size_t)i * slot_size(len);
	memcpy(h, slot, sizeof *h);
	return h->magic == MAGIC && h->len == len && h->crc == record_crc(h, slot + sizeof *h, len);
}

int h7_retained_save(void *area, size_t area_size, const void *data, size_t len)
{
	if (!area || !data || len == 0 || area_size < 2 * slot_size(len))
		return H7_RETAINED_EINVAL;
	header_t a, b;
	int va = valid(area, len, 0, &a), vb = valid(area, len, 1, &b);
	/* Write over the older (or invalid) slot; the newer one stays intact until this completes. */
	int target;
	uint32_t seq;
	if (va && vb)
		target = (int32_t)(a.seq - b.seq) > 0 ? 1 : 0, seq = ((int32_t)(a.seq - b.seq) > 0 ? a.seq : b.seq) + 1;
	else if (va)
		target = 1, seq = a.seq + 1;
	else if (vb)
		target = 0, seq = b.seq + 1;
	else
		target = 0, seq = 1;
	uint8_t *slot = (uint8_t *)area + (size_t)target * slot_size(len);
	header_t h = {MAGIC, seq, (uint32_t)len, 0};
	h.crc = record_crc(&h, data, len);
	/* Data first, header last: a reset in between leaves this slot invalid, not wrong. */
	memset(slot, 0, sizeof h);
	memcpy(slot + sizeof h, data, len);
	memcpy(slot, &h, sizeof h);
	return H7_RETAINED_OK;
}

int h7_retained_load(const void *area, size_t area_size, void *data, size_t len)
{
	if (!area || !data || len == 0 || area_size < 2 * slot_size(len))
		return H7_RETAINED_EINVAL;
	header_t a, b;
	int va = valid(area, len, 0, &a), vb = valid(area, len, 1, &b);
	int pick;
	if (va && vb)
		pick = (int32_t)(b.seq - a.seq) > 0 ? 1 : 0;
	else if (va)
		pick = 0;
	else if (vb)
		pick = 1;
	else
		return H7_RETAINED_ENOENT;
	memcpy(data, (const uint8_t *)area + (size_t)pick * slot_size(len) + H7_RETAINED_HEADER, len);
	return H7_RETAINED_OK;
}
