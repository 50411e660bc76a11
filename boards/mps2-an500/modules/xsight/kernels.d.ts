// SPDX-License-Identifier: Apache-2.0
declare module "xsight/kernels" {
	/**
	 * Haar face search (vision_haar_scan at every scale of detectMultiScale, step 0, no grouping)
	 * of a width x height 8-bit gray image. Returns [candidates, timer ticks of the C work].
	 */
	export function haarSearch(gray: ArrayBuffer, width: number, height: number, cascade: ArrayBuffer, scaleFactor: number, minSize: number): [number, number];
	/**
	 * The kernels of one person_detect inference (MobileNet v1 0.25, 96x96x1, int8) on synthetic data.
	 * Returns timer ticks: [all, conv 3x3, depthwise, pointwise, pool + FC + softmax].
	 */
	export function personDetectLayers(): [number, number, number, number, number];
}
