/* power_xs.c: the "native/power" binding: argument conversion around the
 * board's power_board.h. SPDX-License-Identifier: Apache-2.0 */
#include "power_board.h"
#include "xs_binding.h"

#include <math.h>
#include <stdlib.h>

static void setWake(xsMachine *the, const power_wake *wake)
{
	xsmcVars(1);
	xsmcSetNewArray(xsResult, 2);
	xsmcSetInteger(xsVar(0), (xsIntegerValue)wake->reason);
	xsmcSetIndex(xsResult, 0, xsVar(0));
	xsmcSetInteger(xsVar(0), (xsIntegerValue)wake->pin);
	xsmcSetIndex(xsResult, 1, xsVar(0));
}

void xs_power_wake(xsMachine *the)
{
	power_wake wake;
	board_power_wake(&wake);
	setWake(the, &wake);
}

void xs_power_last_abort(xsMachine *the)
{
	char text[160];
	if (board_power_last_abort(text, sizeof(text)))
		xsmcSetString(xsResult, text);
}

void xs_power_wake_pins(xsMachine *the)
{
	int pins[32];
	int count = board_power_wake_pins(pins, 32);
	if (count > 32)
		count = 32;
	xsmcVars(1);
	xsmcSetNewArray(xsResult, count);
	for (int i = 0; i < count; i++) {
		xsmcSetInteger(xsVar(0), pins[i]);
		xsmcSetIndex(xsResult, i, xsVar(0));
	}
}

/* sleep(mode, wakeAfterMs, Int32Array [pin, edges, ...]) */
void xs_power_sleep(xsMachine *the)
{
	power_sleep_request request = {0};
	int mode = xsmcToInteger(xsArg(0));
	if (mode < POWER_MODE_SLEEP || mode > POWER_MODE_STANDBY)
		xsRangeError("power sleep: bad mode %d", mode);
	request.mode = (power_mode)mode;
	double after = xsmcToNumber(xsArg(1));
	if (isnan(after) || after > 9.0e15)
		xsRangeError("power sleep: bad wakeAfterMs");
	request.wake_after_us = (after < 0) ? -1 : (int64_t)llround(after * 1000.0);
	size_t length;
	const int32_t *pins = xsBindingBytes(the, &xsArg(2), &length, 0, "power sleep pins");
	length /= sizeof(int32_t) * 2;
	if (length > POWER_MAX_WAKE_PINS)
		xsRangeError("power sleep: at most %d wake pins", POWER_MAX_WAKE_PINS);
	request.pin_count = (int)length;
	for (size_t i = 0; i < length; i++) {
		request.pins[i].pin = pins[2 * i];
		request.pins[i].edges = pins[2 * i + 1];
		if (!board_power_is_wake_pin(request.pins[i].pin))
			xsRangeError("power sleep: pin %d cannot wake this board", (int)request.pins[i].pin);
		if (request.pins[i].edges < 1 || request.pins[i].edges > 3)
			xsRangeError("power sleep: pin %d: bad edges %d", (int)request.pins[i].pin, (int)request.pins[i].edges);
	}
	if (request.wake_after_us < 0 && request.pin_count == 0)
		xsRangeError("power sleep: no wake source: the board would never wake");
	power_wake wake;
	if (board_power_sleep(the, &request, &wake))
		setWake(the, &wake);
}

void xs_power_retained_size(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)board_power_retained_size());
}

void xs_power_retained_read(xsMachine *the)
{
	size_t size = board_power_retained_size();
	xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)size);
	board_power_retained_read(xsmcToArrayBuffer(xsResult), size);
}

void xs_power_retained_write(xsMachine *the)
{
	size_t length;
	const uint8_t *data = xsBindingBytes(the, &xsArg(0), &length, 0, "retained bytes");
	if (length > board_power_retained_size())
		xsRangeError("retained: %d bytes do not fit in %d", (int)length, (int)board_power_retained_size());
	if (board_power_retained_write(data, length))
		xsUnknownError("retained: write failed");
}

void xs_power_count(xsMachine *the)
{
	double amount = xsmcToNumber(xsArg(1));
	if (!isfinite(amount) || amount < 0)
		xsRangeError("power count: amount must be a finite number >= 0");
	board_power_count(xsmcToString(xsArg(0)), amount);
}

void xs_power_mark(xsMachine *the)
{
	board_power_mark(xsmcToString(xsArg(0)));
}

void xs_power_report(xsMachine *the)
{
	board_power_report(xsmcToString(xsArg(0)));
}

void xs_power_camera(xsMachine *the)
{
	int state = xsmcToInteger(xsArg(0));
	if (state < POWER_CAMERA_OFF || state > POWER_CAMERA_ON)
		xsRangeError("power camera: bad state %d", state);
	board_power_camera((power_camera_state)state);
}
