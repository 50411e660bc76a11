/*
 * timer.c: timer_board.h on the host simulator (native/timer/timer_xs.c holds the module's step
 * function). The time is the virtual clock's and its energy the power model's (power.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "host.h"
#include "timer_board.h"

void board_timer_busy(double us)
{
	hostPowerBusy(us);
}

int board_timer_idle(double us)
{
	return hostPowerIdle(us);
}
