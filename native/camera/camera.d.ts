// SPDX-License-Identifier: Apache-2.0
declare module "native/camera" {
	import type { Frame } from "native/vision";
	/** Power the sensor up (or wake it), set the frame size, start auto-exposure at exposureUs (< 0: the sensor's default). Throws Error with the board's message. */
	export function open(width: number, height: number, exposureUs: number): void;
	/**
	 * Capture one frame into `frame` (C-owned pixels, the format's size).
	 * info (Int32Array(3)) receives [sequence, exposureUs, settleFrames].
	 * Returns where the frame came from. Throws Error with the board's message.
	 */
	export function capture(frame: Frame, info: Int32Array): string;
	/** Sensor standby. */
	export function standby(): void;
	/**
	 * A binary PGM's header from the file's first bytes (native/camera's camera_pgm_parse, the one PGM
	 * reader of every board): undefined when it is whole, else what is wrong ("magic", "width",
	 * "height", "maxval", "header"). info (Int32Array(4)) receives [width, height, maxval, offset of
	 * the pixels], -1 where the header had no number (the offset: when it is not whole).
	 */
	export function pgmHeader(head: ArrayBufferLike | ArrayBufferView, info: Int32Array): string | undefined;
}
