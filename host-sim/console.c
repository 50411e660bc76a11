/*
 * console.c: console_board.h on the simulator: --uart PATH names the console UART's other end,
 * a terminal (a pseudo-terminal's device, set raw here) or a FIFO, opened read-write; without
 * it the simulator has no console UART. Reads wait in real time, whatever the virtual clock.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "console_board.h"
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int uart = -1;

int hostConsoleArgument(const char *arg, const char *value)
{
	if (strcmp(arg, "--uart"))
		return 0;
	uart = open(value, O_RDWR | O_NOCTTY);
	if (uart < 0) {
		fprintf(stderr, "xsight-sim: --uart %s: %s\n", value, strerror(errno));
		return -1;
	}
	struct termios raw;
	if (tcgetattr(uart, &raw) == 0) {
		cfmakeraw(&raw);
		tcsetattr(uart, TCSANOW, &raw);
	}
	return 1;
}

static int readable(int timeout_ms)
{
	struct pollfd p = {.fd = uart, .events = POLLIN};
	int n;
	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n > 0 && (p.revents & POLLIN);
}

int board_console_read(uint8_t *data, size_t size, uint32_t timeout_ms)
{
	if (uart < 0)
		return -1;
	if (size == 0 || !readable((int)timeout_ms))
		return 0;
	ssize_t got = read(uart, data, size);
	return got > 0 ? (int)got : 0;
}

int board_console_write(const uint8_t *data, size_t size)
{
	if (uart < 0)
		return -1;
	while (size > 0) {
		ssize_t put = write(uart, data, size);
		if (put < 0 && errno != EINTR)
			return 0; /* the other end went away: as a UART with nothing on its line */
		if (put > 0) {
			data += put;
			size -= (size_t)put;
		}
	}
	return 0;
}

int board_console_pending(void)
{
	if (uart < 0)
		return -1;
	return readable(0);
}
