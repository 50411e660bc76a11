// OpenCV.js for the tests: tools/support/opencv.ts (xsight bench vision times it too).
// SPDX-License-Identifier: Apache-2.0
export * from "../../tools/support/opencv";
