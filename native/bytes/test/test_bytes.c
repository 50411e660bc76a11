/* test_bytes.c: CRC-32 and histogram against independent references. */
#include "bytes.h"
#include "unit.h"

#include <string.h>

/* Bit-at-a-time CRC-32, the definition the table must agree with. */
static uint32_t crc32_bitwise(const uint8_t *data, size_t length)
{
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < length; i++) {
		crc ^= data[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

UNIT_TEST(crc32_check_value)
{
	/* The catalogued check value of CRC-32/ISO-HDLC. */
	UNIT_EQ_INT(bytes_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
	UNIT_EQ_INT(bytes_crc32(0, (const uint8_t *)"", 0), 0);
}

UNIT_TEST(crc32_matches_bitwise_and_continues)
{
	uint8_t data[1000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof(data); n += 37)
		UNIT_EQ_INT(bytes_crc32(0, data, n), crc32_bitwise(data, n));
	uint32_t split = bytes_crc32(bytes_crc32(0, data, 333), data + 333, sizeof(data) - 333);
	UNIT_EQ_INT(split, crc32_bitwise(data, sizeof(data)));
}

/* The word loop at every start alignment, with heads and tails of 0 to 3 bytes. */
UNIT_TEST(crc32_any_alignment_and_length)
{
	uint8_t data[64];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 151 + 7);
	for (size_t start = 0; start < 8; start++)
		for (size_t n = 0; start + n <= sizeof(data); n++)
			UNIT_EQ_INT(bytes_crc32(0, data + start, n), crc32_bitwise(data + start, n));
}

UNIT_TEST(histogram_counts_every_value)
{
	uint8_t data[512];
	uint32_t bins[256];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	memset(bins, 0xAA, sizeof(bins));
	bytes_histogram(data, sizeof(data), bins);
	uint32_t total = 0;
	for (int v = 0; v < 256; v++) {
		uint32_t expected = 0;
		for (size_t i = 0; i < sizeof(data); i++)
			expected += data[i] == v;
		UNIT_EQ_INT(bins[v], expected);
		total += bins[v];
	}
	UNIT_EQ_INT(total, sizeof(data));
}

int main(void)
{
	UNIT_RUN(crc32_check_value);
	UNIT_RUN(crc32_matches_bitwise_and_continues);
	UNIT_RUN(crc32_any_alignment_and_length);
	UNIT_RUN(histogram_counts_every_value);
	return unit_done();
}
