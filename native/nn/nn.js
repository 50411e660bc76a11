// The "native/nn" module: the C-owned arena and the int8 kernels (native/nn/nn_xs.c
// over native/nn/src). modules/nn/interpreter.ts is its only intended caller.
// SPDX-License-Identifier: Apache-2.0
class Arena @ "xs_nn_arena_destructor" {
	constructor(byteLength) @ "xs_nn_arena";
	get byteLength() @ "xs_nn_arena_get_byte_length";
}
Object.freeze(Arena.prototype);

function builtWithSingleRounding() @ "xs_nn_single_rounding";
/** Whether the compiled kernels requantize with single rounding (else TFLite Micro's double rounding). */
const singleRounding = builtWithSingleRounding();

class Plan @ "xs_nn_plan_free" {
	constructor(model, plan) @ "xs_nn_plan_create";
	get arenaBytes() @ "xs_nn_plan_get_arena_bytes";
	prepare(arena) @ "xs_nn_plan_prepare_arena";
	run() @ "xs_nn_plan_invoke";
}
Object.freeze(Plan.prototype);

function kernelBuild() @ "xs_nn_plan_build_bits";
/** The kernels' build bits (rounding, DSP) a plan is bound to. */
const planBuild = kernelBuild();

export function convScratch() @ "xs_nn_conv_scratch";
export function depthwiseScratch() @ "xs_nn_depthwise_scratch";
export function fullyConnectedScratch(accum, outChannels) @ "xs_nn_fully_connected_scratch";
export function avgPoolScratch(outWidth, channels) @ "xs_nn_avgpool_scratch";
export function checkScales(scales) @ "xs_nn_check_scales";
export function zeroPoints(words, out) @ "xs_nn_zero_points";
export function convMultipliers(inputScale, filterScales, outputScale, singleRounding, multipliers, shifts) @ "xs_nn_conv_multipliers";
export { Arena, Plan, planBuild, singleRounding };
