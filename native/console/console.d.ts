// SPDX-License-Identifier: Apache-2.0
declare module "native/console" {
	/** Bytes that arrived into `buffer`, waiting at most `timeoutMs` for the first: how many (0 at the time limit). Throws on a board without a console UART. */
	export function read(buffer: ArrayBuffer | ArrayBufferView, timeoutMs: number): number;
	/** Every byte out before it returns: true, or false (nothing sent) on a board without a console UART. */
	export function write(data: ArrayBuffer | ArrayBufferView): boolean;
	/** A byte arrived since boot and is unread (the host holds the line); false too on a board without a console UART. */
	export function pending(): boolean;
}
