// The "vision" module: Haar face detection and cropping on XS (see vision/detect.ts).
//   const cascade = Cascade.load("cascades/frontalface.cascade");
//   for (const face of detect(frame, cascade, { minNeighbors: 3 })) cropInto(frame, face, model.input(0));
// SPDX-License-Identifier: Apache-2.0
export { Cascade } from "vision/cascade";
export { cropInto, cropTarget } from "vision/crop";
export { detect, newDetectStats } from "vision/detect";
export type { Rect } from "vision/detect";
export type { Frame } from "vision/frame";
