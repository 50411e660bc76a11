/*
 * abort.h: a wake whose XS aborted (memory full, stack overflow), as every device board handles
 * it: the board keeps why and where in memory that survives its Standby, sleeps to the wake the
 * app asked for last, and the next boot hands the text to the app once (power_board.h
 * board_power_last_abort), which logs it. Never a reset loop: the next wake is the app's period
 * after this boot's start. mps2-an500 and the STM32H743 keep the record; this is what they share.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_BOARD_ABORT_H
#define XSIGHT_BOARD_ABORT_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_ABORT_TEXT 160

/* In the board's retained memory. */
typedef struct {
	uint32_t count;              /* boots in a row, up to this one, that aborted */
	char text[BOARD_ABORT_TEXT]; /* "XS abort: memory full in detect (...)", "" when none */
} board_abort_t;

/* At boot: the last boot's abort into `last` when this boot is the wake it slept to (woke_on_time;
 * otherwise a power-on or a reset, and nothing), and the record emptied for this boot. */
void boardAbortTake(board_abort_t *record, int woke_on_time, board_abort_t *last);
/* This boot aborted with XS's reason `name` in `where` ("" when unknown): the record says so, and
 * how many boots in a row did, counting `last`'s. */
void boardAbortRecord(board_abort_t *record, const board_abort_t *last, const char *name, const char *where);
/* When the boot after an abort wakes, in board time: the app's period after this boot's start
 * (boot_us), or retry_us from now when there is no period (a power-on) or it has passed. */
int64_t boardAbortWakeAt(int64_t boot_us, int64_t now_us, int64_t period_us, int64_t retry_us);
/* board_power_last_abort's text: `last`'s, cut to size; its length, 0 when none. */
size_t boardAbortText(const board_abort_t *last, char *text, size_t size);

#endif
