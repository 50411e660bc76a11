// xsight/ticks on the mps2-an500 board: CMSDK timer ticks (25 MHz) since
// reset. Under `qemu -icount shift=0` one tick is 40 guest instructions.
// SPDX-License-Identifier: Apache-2.0
export function ticks() @ "xs_board_ticks";
