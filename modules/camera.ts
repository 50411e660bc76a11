// The "camera" module: a grayscale sensor that captures one frame at a time
// into a C-owned Frame, for a device that wakes, looks once and sleeps.
// SPDX-License-Identifier: Apache-2.0
//
// The board's driver (native/camera, camera_board.h) does the work; this
// module owns the policy: the frame sizes a field app may ask for, and the
// exposure to start auto-exposure from, which an app keeps in retained memory
// across Standby so that the sensor settles in one frame instead of a ramp.
import * as board from "native/camera";
import { Frame } from "native/vision";

export type FrameSize = "qqvga" | "qvga";

export const FRAME_SIZES: Readonly<Record<FrameSize, readonly [number, number]>> = Object.freeze({
	qqvga: Object.freeze([160, 120] as const),
	qvga: Object.freeze([320, 240] as const),
});

export interface CameraOptions {
	size: FrameSize;
	/** Exposure to start from (microseconds), e.g. the last capture's, kept in retained memory. */
	exposureUs?: number;
}

export interface Capture {
	/** This capture's number since the board powered on, from 0 (across Standby). */
	sequence: number;
	/** The exposure the sensor settled on: keep it for the next wake. */
	exposureUs: number;
	/** Frames read out for this capture (settling included), which cost time and charge. */
	settleFrames: number;
	/** Where the frame came from (a file name on the host simulator). */
	source: string;
}

export class Camera {
	readonly width: number;
	readonly height: number;
	readonly frame: Frame;
	#info = new Int32Array(3);

	constructor(options: CameraOptions) {
		const size = FRAME_SIZES[options.size];
		if (!size)
			throw new RangeError(
				`camera: size "${String(options.size)}": expected one of ${Object.keys(FRAME_SIZES).join(", ")}`,
			);
		const exposure = options.exposureUs;
		if (exposure !== undefined && !(Number.isInteger(exposure) && exposure > 0 && exposure <= 1_000_000))
			throw new RangeError(`camera: exposureUs ${exposure}: expected an integer in 1..1000000`);
		this.width = size[0];
		this.height = size[1];
		board.open(this.width, this.height, exposure ?? -1);
		this.frame = new Frame(this.width, this.height);
	}

	/** Capture one frame into `this.frame`. Throws when the sensor or the frame source fails. */
	capture(): Capture {
		const source = board.capture(this.frame, this.#info);
		// Indexed, not destructured: XS destructures an array through its iterator.
		const info = this.#info;
		return { sequence: info[0]!, exposureUs: info[1]!, settleFrames: info[2]!, source };
	}

	/** Sensor standby; the frame keeps its pixels. The next capture wakes it (a new Camera). */
	standby(): void {
		board.standby();
	}

	/** Sensor standby, and the frame freed. */
	close(): void {
		board.standby();
		this.frame.close();
	}
}
