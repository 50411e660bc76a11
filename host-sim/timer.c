/*
 * timer.c: the host simulator's side of the "timer" module: it holds the
 * module's step function and runs it when the app is idle (main.c), moving
 * the clock to the next timer through power.c; Timer.delay() is busy time.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "host.h"
#include "xs_binding.h"

#include <math.h>
#include <time.h>

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
	hostPowerBusy(ms * 1000.0);
}

int hostTimersRun(txMachine* machine, int* status)
{
	if (gTimer.machine != machine)
		return 0;
	for (;;) {
		double wait;
		*status = xsPortCallNumber(machine, &gTimer.step, &wait);
		if (*status != XS_PORT_EXIT_OK || wait < 0)
			return 0;
		if (wait > 0 && !hostPowerIdle(wait * 1000.0))
			return 0;
	}
}

void hostTimersReset(void)
{
	gTimer.machine = NULL;
}
