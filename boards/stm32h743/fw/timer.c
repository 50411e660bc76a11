/*
 * timer.c: the stm32h743 side of the "timer" module (native/timer/timer.js
 * keeps the queue): main.c runs the module's step function once main has
 * returned, in Sleep mode (WFI, SysTick) until the next timer is due;
 * Timer.delay() is busy time on the running core.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "board.h"
#include "h7_board.h"
#include "xs_binding.h"

static struct {
	xsMachine* machine;
	xsSlot step;
} gTimer;

void xs_timer_register(xsMachine* the)
{
	gTimer.step = xsArg(0);
	xsRemember(gTimer.step);
	gTimer.machine = the;
}

void xs_timer_delay(xsMachine* the)
{
	double ms = xsmcToNumber(xsArg(0));
	if (!(ms >= 0) || ms > 3.6e6)
		xsRangeError("Timer.delay: expected 0 to 3600000 ms");
	uint64_t until = h7_time_us() + (uint64_t)(ms * 1000.0);
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

/* Run timers until none is left; returns the exit status. */
int fwTimersRun(txMachine* machine)
{
	if (gTimer.machine != machine)
		return XS_PORT_EXIT_OK;
	for (;;) {
		double wait;
		int status = xsPortCallNumber(machine, &gTimer.step, &wait);
		if (status != XS_PORT_EXIT_OK || wait < 0)
			return status;
		if (wait > 0)
			fwIdle((int64_t)(wait * 1000.0));
	}
}
