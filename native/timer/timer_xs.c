/*
 * timer_xs.c: the "timer" module's binding, the same on every board
 * (timer_board.h): timer.js keeps the queue and registers its step function
 * here; once main has returned the board runs xsTimerRun, which calls the step
 * and lets the board idle until the next timer is due.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "timer_board.h"
#include "xs_binding.h"

static struct {
	xsMachine *machine;
	xsSlot step;
} gTimer;

void xs_timer_register(xsMachine *the)
{
	gTimer.step = xsArg(0);
	xsRemember(gTimer.step);
	gTimer.machine = the;
}

void xs_timer_delay(xsMachine *the)
{
	double ms = xsmcToNumber(xsArg(0));
	if (!(ms >= 0) || ms > 3.6e6)
		xsRangeError("Timer.delay: expected 0 to 3600000 ms");
	board_timer_busy(ms * 1000.0);
}

int xsTimerRun(txMachine *machine)
{
	if (gTimer.machine != machine)
		return XS_PORT_EXIT_OK;
	for (;;) {
		double wait;
		int status = xsPortCallNumber(machine, &gTimer.step, &wait);
		if (status != XS_PORT_EXIT_OK || wait < 0)
			return status;
		if (wait > 0 && !board_timer_idle(wait * 1000.0))
			return XS_PORT_EXIT_OK;
	}
}

void xsTimerReset(void)
{
	gTimer.machine = NULL;
}
