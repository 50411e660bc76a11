// The options of detect() and cropInto(), checked here once: the calls check
// them with these functions, and so does the field app's settings check at
// boot, so that a value the first face would refuse is refused before any
// power is spent. No native imports: the settings check stays loadable
// anywhere (on Node too).
// SPDX-License-Identifier: Apache-2.0
import type { CropOptions } from "vision/crop";
import type { DetectOptions, Size } from "vision/detect";

/**
 * Throws a RangeError naming the option: `where` prefixes it, "detect " for
 * the call ("detect scale: ...") or a setting's path for the settings check
 * ("mc/config app.detect.scale: ...").
 */
export function optionError(where: string, option: string, message: string): never {
	throw new RangeError(`${where}${option}: ${message}`);
}

function integer(value: unknown, where: string, option: string, min: number, max: number): number {
	if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
		optionError(where, option, `${String(value)}, expected an integer in ${min}..${max}`);
	return value;
}

function size(value: number | Size | undefined, where: string, option: string): Size | undefined {
	if (value === undefined) return undefined;
	if (typeof value === "number") value = { width: value, height: value };
	if (typeof value !== "object" || value === null)
		optionError(where, option, `${String(value)}, expected a number or {width, height}`);
	return {
		width: integer(value.width, where, `${option}.width`, 1, 65535),
		height: integer(value.height, where, `${option}.height`, 1, 65535),
	};
}

export interface CheckedDetectOptions {
	threshold: number;
	scale: number;
	minNeighbors: number;
	step: number;
	refine: number;
	merge: "opencv" | "average";
	min: Size | undefined;
	max: Size | undefined;
}

/** detect()'s options (not roi, which needs the frame), with their defaults. */
export function checkDetectOptions(options: DetectOptions, where = "detect "): CheckedDetectOptions {
	const threshold = options.threshold ?? 0.5;
	if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1))
		optionError(where, "threshold", `${String(threshold)}, expected 0..1`);
	const scale = options.scale ?? 1.1;
	if (typeof scale !== "number" || !(scale > 1 && scale <= 16))
		optionError(
			where,
			"scale",
			`${String(scale)}, expected a number > 1 and <= 16 (the factor between pyramid levels)`,
		);
	const minNeighbors = integer(options.minNeighbors ?? 3, where, "minNeighbors", 0, 1000);
	const step = integer(options.step ?? 0, where, "step", 0, 32);
	const refine = integer(options.refine ?? 0, where, "refine", 0, 1000);
	if (refine > 0 && step === 0)
		optionError(where, "refine", `${refine} needs a fixed step (step >= 1; step 0 is OpenCV's stepping)`);
	const merge = options.merge ?? "opencv";
	if (merge !== "opencv" && merge !== "average")
		optionError(where, "merge", `${String(merge)}, expected "opencv" or "average"`);
	const min = size(options.minSize, where, "minSize");
	const max = size(options.maxSize, where, "maxSize");
	if (min && max && (min.width > max.width || min.height > max.height))
		optionError(where, "minSize", `${min.width}x${min.height} is larger than maxSize ${max.width}x${max.height}`);
	return { threshold, scale, minNeighbors, step, refine, merge, min, max };
}

/** cropInto()'s options, with their defaults. */
export function checkCropOptions(options: CropOptions, where = "cropInto "): Required<CropOptions> {
	const margin = options.margin ?? 0;
	if (typeof margin !== "number" || !(margin >= -0.45 && margin <= 4))
		optionError(where, "margin", `${String(margin)}, expected -0.45..4`);
	const offsetY = options.offsetY ?? 0;
	if (typeof offsetY !== "number" || !(offsetY >= -1 && offsetY <= 1))
		optionError(where, "offsetY", `${String(offsetY)}, expected -1..1`);
	const resize = options.resize ?? "bilinear";
	if (resize !== "bilinear" && resize !== "area")
		optionError(where, "resize", `${String(resize)}, expected "bilinear" or "area"`);
	const pixelScale = options.pixelScale ?? 1 / 255;
	if (!Number.isFinite(pixelScale))
		optionError(where, "pixelScale", `${String(pixelScale)}, expected a finite number`);
	return { margin, offsetY, resize, pixelScale };
}
