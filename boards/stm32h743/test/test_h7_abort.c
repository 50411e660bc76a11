/*
 * test_h7_abort.c: a wake whose XS aborted, as the firmware keeps it in backup SRAM (board.c)
 * with the record mps2-an500 keeps too (boards/common/abort.c): why and where for the next wake
 * to log once, how many wakes in a row, and when the device wakes next (never at once).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "abort.h"
#include "h7_retained.h"
#include "unit.h"

UNIT_TEST(an_abort_is_logged_by_the_next_wake_only)
{
	board_abort_t record, last;
	memset(&record, 0x5A, sizeof record); /* backup SRAM as it powered up */
	boardAbortTake(&record, 0, &last);
	UNIT_EQ_INT(last.text[0], 0);
	boardAbortRecord(&record, &last, "memory full", "detect (modules/vision/detect.ts:156)");
	UNIT_ASSERT(strcmp(record.text, "XS abort: memory full in detect (modules/vision/detect.ts:156)") == 0);
	/* Kept across Standby with the boot record, CRC-checked as board.c keeps it. */
	uint8_t area[H7_RETAINED_AREA_SIZE(sizeof record)];
	memset(area, 0, sizeof area);
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, &record, sizeof record), H7_RETAINED_OK);
	board_abort_t kept;
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &kept, sizeof kept), H7_RETAINED_OK);
	/* The wake it slept to gets the text; the record is empty again for that wake. */
	boardAbortTake(&kept, 1, &last);
	char text[BOARD_ABORT_TEXT];
	UNIT_EQ_INT(boardAbortText(&last, text, sizeof text), strlen(record.text));
	UNIT_ASSERT(strcmp(text, record.text) == 0);
	UNIT_EQ_INT(kept.text[0], 0);
	/* The wake after that one has nothing to log. */
	board_abort_t after;
	boardAbortTake(&kept, 1, &after);
	UNIT_EQ_INT(boardAbortText(&after, text, sizeof text), 0);
	UNIT_ASSERT(strcmp(text, "") == 0);
	/* A power-on or a reset after an abort is not the wake it slept to: nothing. */
	boardAbortRecord(&record, &after, "memory full", "");
	boardAbortTake(&record, 0, &last);
	UNIT_EQ_INT(last.text[0], 0);
}

UNIT_TEST(aborts_in_a_row_are_counted_and_the_count_is_never_cut)
{
	board_abort_t record = {0}, last = {0};
	boardAbortRecord(&record, &last, "stack overflow", "");
	UNIT_ASSERT(strcmp(record.text, "XS abort: stack overflow") == 0);
	boardAbortTake(&record, 1, &last);
	boardAbortRecord(&record, &last, "memory full", "load (modules/nn/interpreter.ts:80)");
	UNIT_ASSERT(strcmp(record.text,
	                   "XS abort: memory full in load (modules/nn/interpreter.ts:80) (2 wakes in a row)") == 0);
	boardAbortTake(&record, 1, &last);
	char where[400];
	memset(where, 'w', sizeof where - 1);
	where[sizeof where - 1] = 0;
	boardAbortRecord(&record, &last, "memory full", where);
	UNIT_EQ_INT(strlen(record.text), BOARD_ABORT_TEXT - 1);
	const char *tail = " (3 wakes in a row)";
	UNIT_ASSERT(strcmp(record.text + strlen(record.text) - strlen(tail), tail) == 0);
	/* A wake that did not abort starts the count again. */
	boardAbortTake(&record, 1, &last);
	board_abort_t none = {0};
	boardAbortRecord(&record, &none, "memory full", "");
	UNIT_ASSERT(strcmp(record.text, "XS abort: memory full") == 0);
}

UNIT_TEST(the_next_wake_is_the_apps_never_at_once)
{
	/* A boot at 60 s whose app sleeps a minute at a time aborts 2 s in: it wakes at 120 s. */
	UNIT_EQ_INT(boardAbortWakeAt(60000000, 62000000, 60000000, 10000000), 120000000);
	/* Past its period already: one more period from now, not a reset loop. */
	UNIT_EQ_INT(boardAbortWakeAt(60000000, 125000000, 60000000, 10000000), 185000000);
	/* After a power-on there is no period yet: the retry from now. */
	UNIT_EQ_INT(boardAbortWakeAt(0, 3000000, 0, 10000000), 13000000);
}

int main(void)
{
	UNIT_RUN(an_abort_is_logged_by_the_next_wake_only);
	UNIT_RUN(aborts_in_a_row_are_counted_and_the_count_is_never_cut);
	UNIT_RUN(the_next_wake_is_the_apps_never_at_once);
	return unit_done();
}
