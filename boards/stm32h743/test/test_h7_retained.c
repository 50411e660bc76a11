/*
 * test_h7_retained.c: two-slot retained records: round trips, newest wins,
 * a reset at any byte of an update keeps the previous value, garbage is
 * "nothing retained".
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "h7_retained.h"
#include "unit.h"

typedef struct {
	uint32_t boots;
	uint16_t exposure;
	uint8_t gain, failures;
} state_t;
static uint8_t area[H7_RETAINED_AREA_SIZE(sizeof(state_t))];

UNIT_TEST(first_boot_has_nothing)
{
	memset(area, 0xA5, sizeof area); /* backup SRAM content at first power-up is arbitrary */
	state_t s;
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &s, sizeof s), H7_RETAINED_ENOENT);
	memset(area, 0, sizeof area);
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &s, sizeof s), H7_RETAINED_ENOENT);
}

UNIT_TEST(newest_record_wins_across_many_saves)
{
	memset(area, 0, sizeof area);
	state_t s = {0}, got;
	for (uint32_t i = 1; i <= 25; i++) {
		s.boots = i;
		s.exposure = (uint16_t)(i * 10);
		UNIT_EQ_INT(h7_retained_save(area, sizeof area, &s, sizeof s), H7_RETAINED_OK);
		UNIT_EQ_INT(h7_retained_load(area, sizeof area, &got, sizeof got), H7_RETAINED_OK);
		UNIT_EQ_INT(got.boots, i);
		UNIT_EQ_INT(got.exposure, i * 10);
	}
}

UNIT_TEST(reset_at_any_byte_of_an_update_keeps_old_or_new)
{
	/* Replay a save byte by byte into a copy and stop after k bytes: the load must give the
	 * previous value until the update completes, then the new one. */
	memset(area, 0, sizeof area);
	state_t old = {7, 100, 3, 0}, next = {8, 200, 4, 1}, got;
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, &old, sizeof old), H7_RETAINED_OK);
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, &old, sizeof old), H7_RETAINED_OK); /* both slots valid */
	static uint8_t after[sizeof area], torn[sizeof area];
	memcpy(after, area, sizeof area);
	UNIT_EQ_INT(h7_retained_save(after, sizeof after, &next, sizeof next), H7_RETAINED_OK);
	/* The save's byte order: header cleared, data, header. Model a reset after k byte writes. */
	size_t changed[sizeof area], n = 0;
	for (size_t i = 0; i < sizeof area; i++)
		if (area[i] != after[i])
			changed[n++] = i;
	UNIT_ASSERT(n > 0);
	for (size_t k = 0; k <= n; k++) {
		memcpy(torn, area, sizeof area);
		/* Data bytes land before header bytes: apply non-header changes first. */
		size_t applied = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t j = 0; j < n && applied < k; j++) {
				int header = (changed[j] % (sizeof area / 2)) < H7_RETAINED_HEADER;
				if (header == pass)
					torn[changed[j]] = after[changed[j]], applied++;
			}
		UNIT_EQ_INT(h7_retained_load(torn, sizeof torn, &got, sizeof got), H7_RETAINED_OK);
		if (k < n)
			UNIT_ASSERT(got.boots == 7 || got.boots == 8);
		else
			UNIT_EQ_INT(got.boots, 8);
		if (got.boots == 8)
			UNIT_EQ_INT(got.exposure, 200);
		else
			UNIT_EQ_INT(got.exposure, 100);
	}
}

UNIT_TEST(corruption_falls_back_to_the_other_slot)
{
	memset(area, 0, sizeof area);
	state_t s = {1, 1, 1, 1}, got;
	h7_retained_save(area, sizeof area, &s, sizeof s);
	s.boots = 2;
	h7_retained_save(area, sizeof area, &s, sizeof s);  /* slot 1 newest */
	area[sizeof area / 2 + H7_RETAINED_HEADER] ^= 0x40; /* flip a data bit in slot 1 */
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &got, sizeof got), H7_RETAINED_OK);
	UNIT_EQ_INT(got.boots, 1);
	area[H7_RETAINED_HEADER] ^= 0x01; /* and slot 0 */
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &got, sizeof got), H7_RETAINED_ENOENT);
}

UNIT_TEST(bad_arguments)
{
	state_t s = {0};
	UNIT_EQ_INT(h7_retained_save(area, 8, &s, sizeof s), H7_RETAINED_EINVAL);
	UNIT_EQ_INT(h7_retained_load(NULL, sizeof area, &s, sizeof s), H7_RETAINED_EINVAL);
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, &s, 0), H7_RETAINED_EINVAL);
	/* A record of another size is not this record. */
	memset(area, 0, sizeof area);
	uint8_t small[4] = {1, 2, 3, 4};
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, small, sizeof small), H7_RETAINED_OK);
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &s, sizeof s), H7_RETAINED_ENOENT);
}

int main(void)
{
	UNIT_RUN(first_boot_has_nothing);
	UNIT_RUN(newest_record_wins_across_many_saves);
	UNIT_RUN(reset_at_any_byte_of_an_update_keeps_old_or_new);
	UNIT_RUN(corruption_falls_back_to_the_other_slot);
	UNIT_RUN(bad_arguments);
	return unit_done();
}
