// Crop a detection out of a frame, resize it and quantize it straight into a
// model's int8 input tensor: one C call, no intermediate image, no copy.
// SPDX-License-Identifier: Apache-2.0
import { type Frame, cropQuantize } from "native/vision";
import { clampRoi, type Rect } from "vision/detect";
import { checkCropOptions } from "vision/options";

/** What cropInto needs of a tensor: the NN runtime's tensors have exactly these fields. */
export interface Int8Tensor {
	/** NHWC: [1, height, width, channels]; channels must be 1 (grayscale). */
	readonly shape: readonly number[];
	readonly scale: number;
	readonly zeroPoint: number;
	readonly data: Int8Array;
}

export interface CropOptions {
	/**
	 * Grow the rectangle by this fraction of its width/height on every side
	 * before cropping (default 0; negative shrinks it, down to -0.45). The
	 * result is then clamped to the frame (shrunk where it would leave it), so
	 * the crop never reads outside.
	 */
	margin?: number;
	/**
	 * Move the rectangle down by this fraction of its height (default 0;
	 * -1..1, negative moves it up), after the margin: a model trained on crops
	 * framed lower or higher on the face than the detector's box gets the same
	 * framing.
	 */
	offsetY?: number;
	/** "bilinear" (default; OpenCV INTER_LINEAR_EXACT, bit-exact) or "area" (exact box mean). */
	resize?: "bilinear" | "area";
	/**
	 * The real value of a pixel p is p * pixelScale (default 1/255: [0, 1]).
	 * It is quantized as TFLite's QUANTIZE does:
	 * q = clamp(round(p * pixelScale / tensor.scale) + tensor.zeroPoint, -128, 127),
	 * float32, halves away from zero. So scale 1/255 with zero point -128 gets
	 * exactly p - 128, and pixelScale 1 with scale 1, zero point -128 too.
	 */
	pixelScale?: number;
}

/** The rectangle actually cropped for `rect` with `margin` and `offsetY` (after clamping to the frame). */
export function cropRect(frame: Frame, rect: Rect, margin = 0, offsetY = 0): Rect {
	checkCropOptions({ margin, offsetY });
	const mx = Math.round(rect.width * margin),
		my = Math.round(rect.height * margin);
	const dy = Math.round(rect.height * offsetY);
	const grown = { x: rect.x - mx, y: rect.y - my + dy, width: rect.width + 2 * mx, height: rect.height + 2 * my };
	return clampRoi(grown, frame.width, frame.height, "cropInto rect");
}

/**
 * The height and width of an int8 tensor that cropInto can fill, or a
 * RangeError naming `where` and the shape: the field app checks its model's
 * input with it at load, before it powers the camera.
 */
export function cropTarget(tensor: Int8Tensor, where = "cropInto tensor"): { height: number; width: number } {
	const shape = tensor.shape;
	if (shape.length !== 4 || shape[0] !== 1 || shape[3] !== 1)
		throw new RangeError(`${where}.shape: [${shape.join(", ")}], expected [1, height, width, 1]`);
	const height = shape[1] ?? 0,
		width = shape[2] ?? 0;
	if (
		!Number.isInteger(height) ||
		!Number.isInteger(width) ||
		height < 1 ||
		width < 1 ||
		height > 4096 ||
		width > 4096
	)
		throw new RangeError(`${where}.shape: [${shape.join(", ")}]: height and width must be 1..4096`);
	if (!(tensor.data instanceof Int8Array) || tensor.data.length !== width * height)
		throw new RangeError(`${where}.data: expected an Int8Array of ${width * height}`);
	if (!(tensor.scale > 0 && Number.isFinite(tensor.scale)))
		throw new RangeError(`${where}.scale: ${tensor.scale}, expected > 0`);
	if (!Number.isInteger(tensor.zeroPoint) || tensor.zeroPoint < -128 || tensor.zeroPoint > 127)
		throw new RangeError(`${where}.zeroPoint: ${tensor.zeroPoint}, expected -128..127`);
	return { height, width };
}

/** Crops `rect` of the frame into the tensor; returns the rectangle cropped. */
export function cropInto(frame: Frame, rect: Rect, tensor: Int8Tensor, options: CropOptions = {}): Rect {
	const { height, width } = cropTarget(tensor);
	const { margin, offsetY, resize, pixelScale } = checkCropOptions(options);
	const r = cropRect(frame, rect, margin, offsetY);
	cropQuantize(
		frame,
		Int32Array.of(r.x, r.y, r.width, r.height),
		tensor.data,
		width,
		height,
		resize === "area" ? 1 : 0,
		pixelScale,
		tensor.scale,
		tensor.zeroPoint,
	);
	return r;
}
