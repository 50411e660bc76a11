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

export function conv(arena, block, filter) @ "xs_nn_conv";
export function depthwiseConv(arena, block, filter) @ "xs_nn_depthwise_conv";
export function fullyConnected(arena, block, weights) @ "xs_nn_fully_connected";
export function pool(arena, block) @ "xs_nn_pool";
export function softmax(arena, block) @ "xs_nn_softmax";
export function add(arena, block) @ "xs_nn_add";
export function requantize(arena, block) @ "xs_nn_requantize";
export function quantize(arena, block) @ "xs_nn_quantize";
export function dequantize(arena, block) @ "xs_nn_dequantize";
export function copy(arena, block) @ "xs_nn_copy";
export function reverse(arena, block) @ "xs_nn_reverse";
export function copyInto(arena, offset, bytes) @ "xs_nn_copy_into";
export function convScratch() @ "xs_nn_conv_scratch";
export function depthwiseScratch() @ "xs_nn_depthwise_scratch";
export function fullyConnectedScratch(accum, outChannels) @ "xs_nn_fully_connected_scratch";
export function avgPoolScratch(outWidth, channels) @ "xs_nn_avgpool_scratch";
export function checkScales(scales) @ "xs_nn_check_scales";
export function zeroPoints(words, out) @ "xs_nn_zero_points";
export function convMultipliers(inputScale, filterScales, outputScale, singleRounding, multipliers, shifts) @ "xs_nn_conv_multipliers";
export { Arena, singleRounding };
