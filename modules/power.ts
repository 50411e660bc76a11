// The "power" module: why the board woke, how it sleeps, what survives
// Standby (power/retained) and counted work for energy accounting.
// SPDX-License-Identifier: Apache-2.0
//
// A sleep request is checked completely before the board is asked to sleep:
// a device that sleeps with no way to wake is lost in the field, so a typo
// ("wakeAfter"), a negative time, an unknown pin or a Standby with no wake
// source is an error here, never a silent forever. Shapes follow Moddable:
// wake pin edges are embedded:io/digital's Digital.Rising (1) and
// Digital.Falling (2), or both (3); retained values are preference-like.
import * as board from "native/power";

export { retained, RetainedStore, type RetainedValue, type RetainedStatus } from "power/retained";

export type WakeReason = "power-on" | "rtc" | "pin" | "watchdog" | "reset";
export type SleepMode = "sleep" | "stop" | "standby";
/** Digital.Rising (1), Digital.Falling (2) or both (3), as embedded:io/digital. */
export type Edge = 1 | 2 | 3;
export const Rising = 1;
export const Falling = 2;

export interface Wake {
	reason: WakeReason;
	/** The pin whose edge woke the board, for reason "pin". */
	pin?: number;
}

export interface WakePin {
	pin: number;
	edge: Edge;
}

export interface SleepOptions {
	/** "stop" keeps RAM and resumes here (about 1.4 mA on the H743); "standby" loses RAM and the wake is a new boot (about 3 uA); "sleep" only stops the core. */
	mode: SleepMode;
	/** Wake on the RTC after this many milliseconds (0 to 31 days). */
	wakeAfterMs?: number;
	/** Wake on an edge of one of these pins (see wakePins()). */
	wakeOnPins?: readonly WakePin[];
}

/** The longest RTC wake the boards promise (the H7's RTC alarm reaches a month). */
export const MAX_WAKE_AFTER_MS = 31 * 24 * 3600_000;

const REASONS: readonly WakeReason[] = ["power-on", "rtc", "pin", "watchdog", "reset"];
const MODES: Record<SleepMode, 0 | 1 | 2> = { sleep: 0, stop: 1, standby: 2 };

function toWake(raw: [number, number]): Wake {
	const reason = REASONS[raw[0]];
	if (!reason) throw new Error(`power: the board reported an unknown wake reason ${raw[0]}`);
	return reason === "pin" ? { reason, pin: raw[1] } : { reason };
}

/**
 * Why the last boot ended in an XS abort ("XS abort: memory full in detect (...)", and how many
 * boots in a row did), when it did and the board slept to its next wake instead of stopping
 * (mps2-an500); undefined otherwise.
 */
export function lastAbort(): string | undefined {
	return board.lastAbort();
}

/** Why this boot (or the last Stop/Sleep) began. */
export function wake(): Wake {
	return toWake(board.wake());
}

export function wakeReason(): WakeReason {
	return wake().reason;
}

/** The pin that woke the board, when wakeReason() is "pin". */
export function wakePin(): number | undefined {
	return wake().pin;
}

/** The pins that can wake this board. */
export function wakePins(): number[] {
	return board.wakePins();
}

function describe(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** Throws a clear TypeError/RangeError for anything sleep() would refuse; returns the board's arguments. */
export function checkSleep(options: SleepOptions): { mode: 0 | 1 | 2; wakeAfterMs: number; pins: Int32Array } {
	if (typeof options !== "object" || options === null)
		throw new TypeError(
			`power.sleep: expected options { mode, wakeAfterMs?, wakeOnPins? }, got ${describe(options)}`,
		);
	// Indexed: for-of runs XS's iterator protocol for each key, and every wake checks its sleep.
	const keys = Object.keys(options);
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i]!;
		if (key !== "mode" && key !== "wakeAfterMs" && key !== "wakeOnPins")
			throw new TypeError(`power.sleep: unknown option "${key}" (expected mode, wakeAfterMs, wakeOnPins)`);
	}
	const mode = MODES[options.mode];
	if (mode === undefined || !Object.hasOwn(MODES, options.mode))
		throw new RangeError(`power.sleep: mode: expected "sleep", "stop" or "standby", got ${describe(options.mode)}`);
	let wakeAfterMs = -1;
	if (options.wakeAfterMs !== undefined) {
		const ms = options.wakeAfterMs;
		if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_WAKE_AFTER_MS)
			throw new RangeError(
				`power.sleep: wakeAfterMs: expected milliseconds from 0 to ${MAX_WAKE_AFTER_MS}, got ${describe(ms)}`,
			);
		wakeAfterMs = ms;
	}
	const list = options.wakeOnPins ?? [];
	if (!Array.isArray(list))
		throw new TypeError(`power.sleep: wakeOnPins: expected an array of { pin, edge }, got ${describe(list)}`);
	const valid = board.wakePins();
	const pins = new Int32Array(list.length * 2);
	list.forEach((item: WakePin, index) => {
		const where = `power.sleep: wakeOnPins[${index}]`;
		if (typeof item !== "object" || item === null)
			throw new TypeError(`${where}: expected { pin, edge }, got ${describe(item)}`);
		if (!Number.isInteger(item.pin) || !valid.includes(item.pin))
			throw new RangeError(
				`${where}.pin: ${describe(item.pin)} cannot wake this board (wake pins: ${valid.join(", ")})`,
			);
		if (item.edge !== 1 && item.edge !== 2 && item.edge !== 3)
			throw new RangeError(
				`${where}.edge: expected Digital.Rising (1), Digital.Falling (2) or both (3), got ${describe(item.edge)}`,
			);
		for (let other = 0; other < index; other++)
			if (pins[other * 2] === item.pin) throw new RangeError(`${where}.pin: pin ${item.pin} is listed twice`);
		pins[index * 2] = item.pin;
		pins[index * 2 + 1] = item.edge;
	});
	if (wakeAfterMs < 0 && list.length === 0)
		throw new RangeError(
			`power.sleep: no wake source: give wakeAfterMs or wakeOnPins, or the board never wakes ("${options.mode}")`,
		);
	return { mode, wakeAfterMs, pins };
}

/**
 * Sleep until a wake source fires. Sleep and Stop return the wake; Standby
 * does not return: the wake is a new boot (see wakeReason()). On the host
 * simulator a run may also end inside a sleep (the simulated time is over).
 */
export function sleep(options: SleepOptions): Wake {
	const request = checkSleep(options);
	const raw = board.sleep(request.mode, request.wakeAfterMs, request.pins);
	if (!raw) throw new Error("power.sleep: the board did not wake");
	return toWake(raw);
}

/** Count work done (names like "nn.macs", "vision.pixels"): the host simulator's cost model turns counts into awake time. */
export function count(name: string, amount = 1): void {
	if (typeof name !== "string" || name.length === 0 || name.length > 39)
		throw new TypeError(`power.count: name: expected 1 to 39 characters, got ${describe(name)}`);
	if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0)
		throw new RangeError(`power.count(${name}): amount: expected a finite number >= 0, got ${describe(amount)}`);
	board.count(name, amount);
}

/**
 * The end of a phase of the wake ("config", "detect"...): a board that counts
 * its time keeps the mark and reports it with the sleep that ends the wake
 * (mps2-an500 with --stats; the simulator in its trace), the per-wake
 * breakdown of `xsight bench --board mps2-an500` and `xsight sim --json`.
 * Unchecked, so it costs one host call: only the app's own literals reach it.
 */
export const mark: (name: string) => void = board.mark;

/**
 * The wake's record (its JSON), for the tool that runs the board: the simulator's and the
 * emulator's `#wake {json}` line (`xsight sim`, the M7 bench). Not the device's console, which
 * carries the record as a console frame (console/device announce), so a device does not send it
 * twice; a board without such a tool ignores it.
 */
export const report: (json: string) => void = board.report;

const CAMERA = { off: 0, standby: 1, on: 2 } as const;

/** Report the camera's power state (the camera driver does): energy accounting charges it. */
export function camera(state: keyof typeof CAMERA): void {
	const code = CAMERA[state];
	if (code === undefined || !Object.hasOwn(CAMERA, state))
		throw new RangeError(`power.camera: expected "off", "standby" or "on", got ${describe(state)}`);
	board.camera(code);
}
