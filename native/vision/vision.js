// The "native/vision" module: host functions in C (native/vision/vision_xs.c)
// over the pure C library in native/vision/src. Policy (pyramid, grouping,
// validation of parameters and cascades) is TypeScript in modules/vision/.
// SPDX-License-Identifier: Apache-2.0

// An 8-bit grayscale frame in C-owned memory (a host buffer): `new
// Uint8Array(frame)` views its bytes without a copy. Camera drivers fill it in C.
class Frame @ "xs_vision_frame_destructor" {
	constructor(width, height, stride) @ "xs_vision_frame";
	get width() @ "xs_vision_frame_get_width";
	get height() @ "xs_vision_frame_get_height";
	get stride() @ "xs_vision_frame_get_stride";
	get byteLength() @ "xs_vision_frame_get_byte_length";
	write(offset, bytes) @ "xs_vision_frame_write";
	close() @ "xs_vision_frame_close";
}
Object.freeze(Frame.prototype);

// A cascade checked once by C, which keeps the result beside bytes JS cannot write (a
// Resource's, or its own copy): scans trust it. Throws a TypeError naming what is wrong.
class CheckedCascade @ "xs_vision_checked_destructor" {
	constructor(data) @ "xs_vision_checked_cascade";
}
Object.freeze(CheckedCascade.prototype);

export function haarScan(frame, cascade, stageCount, stageThresholds, roi, scales, step, rects, scores, stats) @ "xs_vision_haar_scan";
export function haarScales(width, height, windowW, windowH, scaleFactor, minW, minH, maxW, maxH, scales) @ "xs_vision_haar_scales";
export function groupLabels(rects, count, mode, eps, labels) @ "xs_vision_group_labels";
export function groupTotals(rects, scores, count, labels, classes, sums, counts, best) @ "xs_vision_group_totals";
export function cropQuantize(frame, roi, dst, width, height, interp, inScale, outScale, zeroPoint) @ "xs_vision_crop_quantize";
export { CheckedCascade, Frame };
