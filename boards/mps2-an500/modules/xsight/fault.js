// xsight/fault on the mps2-an500 board: executes an undefined instruction,
// so tests can check that a processor fault is reported and ends the run.
// SPDX-License-Identifier: Apache-2.0
export function fault() @ "xs_board_fault";
