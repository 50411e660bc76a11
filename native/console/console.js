// The "native/console" module: the console UART's raw bytes (native/console/console_xs.c,
// the board's console_board.h), for the console protocol (modules/console).
// SPDX-License-Identifier: Apache-2.0
export function read(buffer, timeoutMs) @ "xs_console_read";
export function write(data) @ "xs_console_write";
export function pending() @ "xs_console_pending";
