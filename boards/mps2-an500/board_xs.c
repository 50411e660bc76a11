/*
 * board_xs.c: host functions of the board's own modules
 * (boards/mps2-an500/modules: "mc/config" and "xsight/ticks").
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "xs_binding.h"

/* manifest.json's config, built in (build/mps2-an500/gen/default_config.c). */
extern const char boardDefaultConfig[];

void xs_board_config(xsMachine *the)
{
	xsmcSetString(xsResult, (xsStringValue)(gBoardConfig ? gBoardConfig : boardDefaultConfig));
}

/* Timer ticks since reset; under `qemu -icount shift=0` one tick is 40 guest
   instructions (25 MHz timer, one instruction per virtual nanosecond). */
void xs_board_ticks(xsMachine *the)
{
	xsmcSetNumber(xsResult, (xsNumberValue)boardTicks());
}

void xs_board_fault(xsMachine *the)
{
	__asm__ volatile("udf #0");
}
