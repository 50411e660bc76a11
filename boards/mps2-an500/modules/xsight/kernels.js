// xsight/kernels on the mps2-an500 board: runs C kernels of native/vision and
// native/nn on given data and counts timer ticks around the C work only, for
// `xsight bench --board mps2-an500` until the app's own bindings exist.
// SPDX-License-Identifier: Apache-2.0
export function haarSearch(gray, width, height, cascade, scaleFactor, minSize) @ "xs_board_kernel_haar";
export function personDetectLayers() @ "xs_board_kernel_person_detect";
export function cropResize(gray, width, height, x, y, w, h) @ "xs_board_kernel_crop_resize";
