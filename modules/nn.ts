// The "nn" module: int8 TFLite inference on XS (see nn/interpreter.ts).
//   const model = await Model.load("/models/person_detect.tflite");
//   model.input(0).data.set(pixels); model.invoke(); model.output(0).data
// SPDX-License-Identifier: Apache-2.0
export { Model } from "nn/interpreter";
export type { LoadOptions, OperatorInfo, Tensor } from "nn/interpreter";
