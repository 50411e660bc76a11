// The "native/camera" module: the board's camera driver (camera_board.h)
// through native/camera/camera_xs.c. Policy (sizes, retained exposure) is the
// "camera" TypeScript module's.
// SPDX-License-Identifier: Apache-2.0
export function open(width, height, exposureUs) @ "xs_camera_open";
export function capture(frame, info) @ "xs_camera_capture";
export function standby() @ "xs_camera_standby";
export function pgmHeader(head, info) @ "xs_camera_pgm_header";
