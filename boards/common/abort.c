/* abort.c: see abort.h. SPDX-License-Identifier: Apache-2.0 */
#include "abort.h"

#include <stdio.h>
#include <string.h>

void boardAbortTake(board_abort_t *record, int woke_on_time, board_abort_t *last)
{
	memset(last, 0, sizeof(*last));
	if (woke_on_time && record->text[0]) {
		last->count = record->count;
		memcpy(last->text, record->text, sizeof(last->text));
		last->text[sizeof(last->text) - 1] = 0;
	}
	record->text[0] = 0;
}

void boardAbortRecord(board_abort_t *record, const board_abort_t *last, const char *name, const char *where)
{
	/* After an aborted boot (whose text the app may not have logged) this is one more in a row. */
	uint32_t count = (last->text[0] ? last->count : 0) + 1;
	char tail[32] = "";
	if (count > 1)
		snprintf(tail, sizeof(tail), " (%lu wakes in a row)", (unsigned long)count);
	/* A long `where` is cut, never the count at the end, which the app reads back. */
	size_t room = sizeof(record->text) - strlen(tail);
	int n = snprintf(record->text, room, "XS abort: %s%s%s", name, where[0] ? " in " : "", where);
	size_t at = n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
	memcpy(record->text + at, tail, strlen(tail) + 1);
	record->count = count;
}

int64_t boardAbortWakeAt(int64_t boot_us, int64_t now_us, int64_t period_us, int64_t retry_us)
{
	int64_t at = period_us > 0 ? boot_us + period_us : now_us + retry_us;
	if (at <= now_us)
		at = now_us + (period_us > 0 ? period_us : retry_us);
	return at;
}

size_t boardAbortText(const board_abort_t *last, char *text, size_t size)
{
	size_t n = 0;
	for (; last->text[n] && n + 1 < size; n++)
		text[n] = last->text[n];
	if (size)
		text[n] = 0;
	return n;
}
