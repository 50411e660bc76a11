// SPDX-License-Identifier: Apache-2.0
declare module "xsight/kernels" {
	/**
	 * Haar face search (vision_haar_scan at every scale of detectMultiScale, step 0, no grouping)
	 * of a width x height 8-bit gray image. Returns [candidates, timer ticks of the C work, and, from a
	 * second, untimed counting pass: scales, windows visited, stages evaluated, features evaluated].
	 */
	export function haarSearch(
		gray: ArrayBuffer,
		width: number,
		height: number,
		cascade: ArrayBuffer,
		scaleFactor: number,
		minSize: number,
	): [number, number, number, number, number, number];
	/**
	 * The kernels of one person_detect inference (MobileNet v1 0.25, 96x96x1, int8) on synthetic data.
	 * Returns timer ticks: [all, conv 3x3, depthwise, pointwise, pool + FC + softmax].
	 */
	export function personDetectLayers(): [number, number, number, number, number];
	/** A face crop of a width x height gray frame, resized bilinearly to 96x96 and quantized to int8. Returns timer ticks. */
	export function cropResize(
		gray: ArrayBuffer,
		width: number,
		height: number,
		x: number,
		y: number,
		w: number,
		h: number,
	): number;
}
