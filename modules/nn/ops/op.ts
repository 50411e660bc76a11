/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * What an operator family supplies (one file each in modules/nn/ops/, listed
 * in ops/index.ts): the TFLite builtin codes it takes, and prepare(), which
 * checks one operator the way TFLite's Prepare does and returns its plan
 * record (docs/model-plan.md): the kind (xs_nn_plan.h's XS_NN_OP_*), the
 * block's words and how to fill them, its constants. Its C side is that
 * kind's checks and step in native/nn/src/PlanFunctions/xs_nn_plan.c and the
 * kernel: a new operator is one file here, one kind there, and its kernel.
 */
import type { QuantizeOptions } from "../quantize";
import type { Model as ParsedModel, Operator, Tensor as ParsedTensor } from "../tflite";

/** A constant of the plan: words to reserve, then what to write there (`at` in bytes). */
export interface Persistent {
	words: number;
	fill: (data: Int32Array, at: number) => void;
}

export interface FillContext {
	/** Every tensor's arena offset (-1: a constant). */
	offsets: number[];
	/** Byte offsets of the operator's constants (`side`, in order) in the plan's constants. */
	sides: number[];
	scratch: number;
	scratchSize: number;
}

/** One operator, prepared: its record's kind and block, its weights and constants. */
export interface Prepared {
	kind: number;
	/** A view of the model's bytes (the plan stores its offset and length), or null. */
	weights: Uint8Array | null;
	words: number;
	side: Persistent[];
	/** Writes the block at word `at` of `b`. */
	fill: (b: Int32Array, at: number, ctx: FillContext) => void;
}

/** What prepare() may use: the model, the kernels' rounding, checks that name the operator, what it records. */
export interface PrepareContext {
	readonly m: ParsedModel;
	readonly q: QuantizeOptions;
	/** Per operator index: multiply-accumulates per invoke. */
	readonly macs: number[];
	/** Per operator index: the kernel's scratch bytes (its get_buffer_size), 0 without. */
	readonly scratchSizes: number[];
	/** Throws "<file>: operator N (NAME): message". */
	err(op: Operator, message: string): never;
	tensor(op: Operator, ti: number | undefined, what: string): ParsedTensor;
	rank4(op: Operator, t: ParsedTensor, what: string): [number, number, number, number];
	/** Per-tensor quantization of an int8 activation. */
	act(op: Operator, t: ParsedTensor, what: string): { scale: number; zeroPoint: number };
	constData(op: Operator, t: ParsedTensor, what: string): Uint8Array;
	sameShape(op: Operator, a: ParsedTensor, b: ParsedTensor): void;
	/** A constant's bytes copied into the plan's constants (aligned for int32 reads). */
	bytes(data: Uint8Array): Persistent;
}

export interface OpFamily {
	readonly codes: readonly number[];
	prepare(prep: PrepareContext, op: Operator): Prepared;
}
