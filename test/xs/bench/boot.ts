// Boot benchmark for the mps2-an500 board (xsight bench --board mps2-an500):
// the first line of this main module reads the timer, so the ticks since
// reset are boot to the first line of main: XS machine creation and loading
// this module and xsight/ticks.
// SPDX-License-Identifier: Apache-2.0
import { instructionsPerTick, ticks } from "xsight/ticks";

const atMain = ticks();
trace(`#bench boot-to-main ${atMain * instructionsPerTick}\n`);
