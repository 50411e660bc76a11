/*
 * timer.c: timer_board.h on mps2-an500 (native/timer/timer_xs.c holds the module's step
 * function): Timer.delay() is busy time on the running core, and the app idles in Sleep (WFI
 * until CMSDK timer 1's alarm, power.c) until the next timer is due.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "timer_board.h"

void board_timer_busy(double us)
{
	int64_t at = boardNowUs() + (int64_t)us;
	while (boardNowUs() < at) {
	}
}

/* 0 when --until ends the run first. */
int board_timer_idle(double us)
{
	return boardPowerIdleUntil(boardNowUs() + (int64_t)us);
}
