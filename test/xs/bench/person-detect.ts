// person_detect kernel benchmark for the mps2-an500 board: the layer
// sequence of TFLM's person_detect.tflite run by native/nn's C kernels on
// synthetic data (int8 kernels cost the same whatever the values). One
// `#bench` line per op kind, in guest instructions under -icount shift=0.
// SPDX-License-Identifier: Apache-2.0
import { personDetectLayers } from "xsight/kernels";
import { instructionsPerTick } from "xsight/ticks";

const [all, conv, depthwise, pointwise, tail] = personDetectLayers();
trace(`#bench person_detect-kernels ${all * instructionsPerTick}\n`);
trace(
	`#bench person_detect-conv3x3 ${conv * instructionsPerTick} first layer, 96x96x1 -> 48x48x8 as a generic 3x3 convolution (the real model has it as a depthwise convolution with depth multiplier 8: see person_detect-invoke)\n`,
);
trace(`#bench person_detect-depthwise ${depthwise * instructionsPerTick} 13 depthwise 3x3 layers\n`);
trace(`#bench person_detect-pointwise ${pointwise * instructionsPerTick} 13 pointwise 1x1 layers\n`);
trace(`#bench person_detect-pool-fc-softmax ${tail * instructionsPerTick}\n`);
