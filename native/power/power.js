// The "native/power" module: the board's power interface (power_board.h),
// reached from the "power" TS module, which checks every argument first.
// SPDX-License-Identifier: Apache-2.0
export function wake() @ "xs_power_wake";
export function wakePins() @ "xs_power_wake_pins";
export function lastAbort() @ "xs_power_last_abort";
export function sleep(mode, wakeAfterMs, pins) @ "xs_power_sleep";
export function retainedSize() @ "xs_power_retained_size";
export function readRetained() @ "xs_power_retained_read";
export function writeRetained(bytes) @ "xs_power_retained_write";
export function count(name, amount) @ "xs_power_count";
export function mark(name) @ "xs_power_mark";
export function report(json) @ "xs_power_report";
export function camera(state) @ "xs_power_camera";
