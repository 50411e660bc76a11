/* console_xs.c: the "native/console" module's binding. SPDX-License-Identifier: Apache-2.0 */
#include "console_board.h"
#include "power_board.h"
#include "xs_binding.h"

#define NO_UART "console: this board has no console UART"

/* read(buffer, timeoutMs): number of bytes */
void xs_console_read(xsMachine *the)
{
	double timeout = xsmcToNumber(xsArg(1));
	if (!(timeout >= 0 && timeout <= 60000))
		xsRangeError("console read: timeoutMs must be 0..60000");
	size_t length;
	uint8_t *data = xsBindingBytes(the, &xsArg(0), &length, 1, "console read buffer");
	int got = board_console_read(data, length, (uint32_t)timeout);
	if (got < 0)
		xsUnknownError(NO_UART);
	xsmcSetInteger(xsResult, got);
}

/* write(data): boolean, false without a console UART (the app's wake event need not check first).
   Counted as "console.bytes" either way: the simulator without --uart stands for a device that
   has one, and on a device the core waits for the UART byte by byte. */
void xs_console_write(xsMachine *the)
{
	size_t length;
	const uint8_t *data = xsBindingBytes(the, &xsArg(0), &length, 0, "console write data");
	board_power_count("console.bytes", (double)length);
	xsmcSetBoolean(xsResult, board_console_write(data, length) == 0);
}

/* pending(): boolean */
void xs_console_pending(xsMachine *the)
{
	xsmcSetBoolean(xsResult, board_console_pending() > 0);
}
