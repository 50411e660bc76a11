/*
 * timer.c: timer_board.h on the stm32h743 (native/timer/timer_xs.c holds the
 * module's step function): the app idles in Sleep mode (WFI, SysTick) until
 * the next timer is due; Timer.delay() is busy time on the running core.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "h7_board.h"
#include "timer_board.h"

void board_timer_busy(double us)
{
	uint64_t until = h7_time_us() + (uint64_t)us;
	while (h7_time_us() < until) {
	}
}

void fwIdle(int64_t us)
{
	uint64_t until = h7_time_us() + (uint64_t)us;
	/* SysTick interrupts every ms, so each WFI lasts at most one tick. */
	while (h7_time_us() < until)
		__asm__ volatile("wfi");
}

/* Nothing ends a run on the device: the app always goes on. */
int board_timer_idle(double us)
{
	fwIdle((int64_t)us);
	return 1;
}
