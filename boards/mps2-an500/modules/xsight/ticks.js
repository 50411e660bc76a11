// xsight/ticks on the mps2-an500 board: CMSDK timer ticks (25 MHz) since
// reset. Under `qemu -icount shift=0` one guest instruction takes one virtual
// nanosecond, so one tick is 40 guest instructions (instructions, not cycles).
// SPDX-License-Identifier: Apache-2.0
export function ticks() @ "xs_board_ticks";
export const instructionsPerTick = 40;
