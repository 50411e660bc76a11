/*
 * board_xs.c: host functions of the board's own modules
 * (boards/mps2-an500/modules: "mc/config" and "xsight/ticks").
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "xs_binding.h"

void xs_board_config(xsMachine* the)
{
	xsmcSetString(xsResult, gBoardConfig ? gBoardConfig : "{}");
}

/* Timer ticks since reset; under `qemu -icount shift=0` one tick is 40 guest
   instructions (25 MHz timer, one instruction per virtual nanosecond). */
void xs_board_ticks(xsMachine* the)
{
	xsmcSetNumber(xsResult, (xsNumberValue)boardTicks());
}

void xs_board_fault(xsMachine* the)
{
	__asm__ volatile("udf #0");
}
