/*
 * h7_retained.h: state kept across Standby in the 4 KB backup SRAM, safe
 * against a reset or brown-out in the middle of an update: two slots, each
 * with a sequence number and a CRC-32; save writes the older slot, load takes
 * the newest valid one. Pure C (host-tested); the area is any caller memory.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_RETAINED_H
#define XSIGHT_H7_RETAINED_H

#include <stddef.h>
#include <stdint.h>

enum { H7_RETAINED_OK = 0, H7_RETAINED_EINVAL = -1, H7_RETAINED_ENOENT = -2 };

#define H7_RETAINED_HEADER         16u
/* Bytes an area needs for a record of len bytes. */
#define H7_RETAINED_AREA_SIZE(len) (2u * (H7_RETAINED_HEADER + (((len) + 3u) & ~3u)))

int h7_retained_save(void *area, size_t area_size, const void *data, size_t len);
/* ENOENT when neither slot holds a valid record of exactly len bytes (first boot, or both torn). */
int h7_retained_load(const void *area, size_t area_size, void *data, size_t len);

#endif
