// SPDX-License-Identifier: Apache-2.0
// The board's power interface, one call per function of power_board.h. Apps
// use the "power" module, which checks arguments before anything sleeps.
declare module "native/power" {
	/** Wake reason code (POWER_WAKE_*: 0 power-on, 1 rtc, 2 pin, 3 watchdog, 4 reset) and pin (-1 when none). */
	export function wake(): [reason: number, pin: number];
	/** Why the last boot's XS aborted (power_board.h board_power_last_abort), once; undefined when it did not. */
	export function lastAbort(): string | undefined;
	/** The pins that can wake the board. */
	export function wakePins(): number[];
	/**
	 * Sleep in mode 0 (sleep), 1 (stop) or 2 (standby); wakeAfterMs < 0 means no RTC alarm;
	 * pins holds [pin, edges, pin, edges, ...] with edges a mask of Digital.Rising/Falling.
	 * Returns the wake as wake() does, or undefined when the board ended the run instead.
	 * Standby does not return.
	 */
	export function sleep(
		mode: 0 | 1 | 2,
		wakeAfterMs: number,
		pins: Int32Array,
	): [reason: number, pin: number] | undefined;
	/** Bytes of memory that survive Standby. */
	export function retainedSize(): number;
	/** A copy of that memory. */
	export function readRetained(): ArrayBuffer;
	/** Replace its start with `bytes`; committed when this returns. */
	export function writeRetained(bytes: ArrayBuffer | ArrayBufferView): void;
	/** Count work done (energy accounting: the host simulator's cost model). */
	export function count(name: string, amount: number): void;
	/** The end of a phase of the wake, for the per-wake breakdown (power_board.h). */
	export function mark(name: string): void;
	/** The wake's record as JSON, for the tool that runs the board (power_board.h); not the console. */
	export function report(json: string): void;
	/** The camera's power state: 0 off, 1 standby, 2 on. */
	export function camera(state: 0 | 1 | 2): void;
}
