/* bytes_crc32.c: table-driven CRC-32. SPDX-License-Identifier: Apache-2.0 */
#include "bytes.h"

/* 256 words in flash rather than computed at boot: one less thing to run on
 * every wake, and 1 KB is cheap next to a model. */
static const uint32_t crc32_table[256] = {
#define B(c) ((c) & 1 ? 0xEDB88320u ^ ((c) >> 1) : (c) >> 1)
#define E(n) B(B(B(B(B(B(B(B((uint32_t)(n)))))))))
#define R4(n) E(n), E(n + 1), E(n + 2), E(n + 3)
#define R16(n) R4(n), R4(n + 4), R4(n + 8), R4(n + 12)
#define R64(n) R16(n), R16(n + 16), R16(n + 32), R16(n + 48)
	R64(0), R64(64), R64(128), R64(192)
#undef R64
#undef R16
#undef R4
#undef E
#undef B
};

uint32_t bytes_crc32(uint32_t crc, const uint8_t* data, size_t length)
{
	crc = ~crc;
	while (length--)
		crc = crc32_table[(crc ^ *data++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
