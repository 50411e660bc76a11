/*
 * console_board.h: the console UART's bytes, raw (no newline translation), for the console
 * protocol (modules/console, docs/console-protocol.md). Called by native/console/console_xs.c.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_CONSOLE_BOARD_H
#define XSIGHT_CONSOLE_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* Up to `size` bytes that arrived, waiting at most `timeout_ms` for the first: how many (0 at
   the time limit), or -1 when the board has no console UART. */
int board_console_read(uint8_t *data, size_t size, uint32_t timeout_ms);
/* All `size` bytes out before it returns: 0, or -1 without a console UART. */
int board_console_write(const uint8_t *data, size_t size);
/* 1 when a byte arrived since boot and has not been read (the host is holding the line),
   0 when none did, -1 without a console UART. */
int board_console_pending(void);

#endif
