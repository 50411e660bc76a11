/*
 * bytes.h: checks and statistics over byte buffers.
 * SPDX-License-Identifier: Apache-2.0
 *
 * CRC-32 guards every record the device writes (results log, retained state);
 * the histogram is what exposure control and frame checks look at.
 */
#ifndef XSIGHT_BYTES_H
#define XSIGHT_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the one zlib and PNG
 * use. Pass 0 to start; pass a previous result to continue over more data. */
uint32_t bytes_crc32(uint32_t crc, const uint8_t *data, size_t length);

/* Count each byte value of data into bins[0..255], which it clears first. */
void bytes_histogram(const uint8_t *data, size_t length, uint32_t bins[256]);

#endif
