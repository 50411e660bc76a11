/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * A model's plan: what Model.load prepares from a .tflite, as bytes a device
 * keeps beside the model (docs/model-plan.md). This file holds its layout and
 * reads the description the TypeScript side needs, all a load from a plan
 * imports (the compiler, nn/compiler.ts, writes plans); native/nn checks the
 * rest, once (xs_nn_plan.h): header, CRC-32s, the model it belongs to, and
 * every op against the model, the plan's constants and the arena.
 */

import { decodeUtf8 } from "./utf8";

export const PLAN_MAGIC = 0x504e5358; // "XSNP"
export const PLAN_VERSION = 2;
export const PLAN_HEADER_BYTES = 56;
export const OP_BYTES = 16;
/** Arena alignment: CMSIS-NN and TFLM both align buffers to 16 bytes. */
export const ARENA_ALIGNMENT = 16;

/** Header fields (byte offsets, uint32 each), as xs_nn_plan.h's XS_NN_PLAN_AT_*. */
export const AT = {
	MAGIC: 0,
	VERSION: 4,
	BUILD: 8,
	MODEL_BYTES: 12,
	MODEL_CRC: 16,
	LENGTH: 20,
	PLAN_CRC: 24,
	ARENA: 28,
	OPS: 32,
	DATA: 36,
	DATA_BYTES: 40,
	META: 44,
	META_BYTES: 48,
	FIRST_OP: 52,
} as const;

/** One op record: its kind and block, and its weights as a view of the model's bytes. */
export interface PlanOp {
	kind: number;
	words: number;
	weights: Uint8Array | null;
	/** Writes the block at word `at` of `i32`. */
	fill: (i32: Int32Array, at: number) => void;
}

/** A tensor the Model API shows (inputs and outputs). */
export interface TensorInfo {
	index: number;
	name: string;
	float: boolean;
	shape: number[];
	scale: number;
	zeroPoint: number;
	byteSize: number;
	elementCount: number;
}

/** What the compiler describes for the TypeScript side: the Model's figures and tensors. */
export interface PlanMeta {
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	/** Every tensor's arena offset (-1: a constant, no arena memory). */
	offsets: number[];
	operators: OperatorMeta[];
	activationBytes: number;
	scratchBytes: number;
	weightBytes: number;
}

export interface OperatorMeta {
	index: number;
	name: string;
	macs: number;
	scratchBytes: number;
}

/** What a load reads back from a plan: PlanMeta with the offsets a view of the plan, the operators decoded when asked for. */
export interface Description {
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	offsets: Int32Array;
	activationBytes: number;
	scratchBytes: number;
	weightBytes: number;
	/** The operators' MACs, summed. */
	macs: number;
	operators: () => OperatorMeta[];
	/** How many operators, and one's name decoded alone (a wake that checks one name decodes one). */
	operatorCount: number;
	operatorName: (i: number) => string;
}

// The description, int32 words (docs/model-plan.md): the fixed words, the offsets, an operator
// record each, a tensor record each (inputs then outputs: fixed words, then the shape), then the
// names' UTF-8 (by byte offset from the description's start and length). Binary rather than JSON:
// a load makes views and a few objects instead of parsing text (on the M7, parsing and the
// collections it caused were most of a load from a plan).
export const D = {
	ACTIVATION: 0,
	SCRATCH: 1,
	WEIGHTS: 2,
	MACS: 3,
	TENSORS: 4,
	OPERATORS: 5,
	INPUTS: 6,
	OUTPUTS: 7,
	WORDS: 8,
} as const;
export const OPERATOR_WORDS = 5; // index, macs, scratch bytes, name at, name bytes
export const TENSOR_WORDS = 10; // index, float, zero point, byte size, element count, scale (float64), name at, name bytes, rank

function fail(what: string): never {
	throw new Error(`its description: ${what}`);
}

// Plain loops, no callbacks and views rather than copies: this runs on every wake that loads a
// model, and a JS call or a collection costs thousands of instructions on the Cortex-M7.

/** The name at word `k` of the description `w` (at byte `at` of the plan), checked by readMeta. */
function nameAt(plan: Uint8Array, w: Int32Array, k: number, at: number): string {
	return decodeUtf8(plan, at + w[k]!, w[k + 1]!);
}

/** The error for a name (at word `k`) that readMeta found outside the description's `length` bytes. */
function nameOutside(w: Int32Array, k: number, length: number, what: string): never {
	return fail(`${what}'s name at ${w[k]} (${w[k + 1]} bytes) is outside its ${length} bytes`);
}

/**
 * The description of a plan native/nn has checked (nn.Plan): everything else in
 * it is C's. Throws when its records or names do not fit it; the arena views
 * made from it are bounded by the arena all the same.
 */
export function readMeta(plan: Uint8Array): Description {
	if ((plan.byteOffset & 3) !== 0) fail("the plan is not aligned");
	const header = new Uint32Array(plan.buffer, plan.byteOffset, PLAN_HEADER_BYTES >> 2);
	const at = header[AT.META >> 2]!;
	const length = header[AT.META_BYTES >> 2]!;
	if ((at & 3) !== 0 || length < 4 * D.WORDS || at + length > plan.byteLength)
		fail(`${length} bytes at ${at} are not a description`);
	const w = new Int32Array(plan.buffer, plan.byteOffset + at, length >> 2);
	const tensors = w[D.TENSORS]!;
	const operators = w[D.OPERATORS]!;
	const count = w[D.INPUTS]! + w[D.OUTPUTS]!;
	if (
		tensors < 0 ||
		operators < 0 ||
		w[D.INPUTS]! < 0 ||
		w[D.OUTPUTS]! < 0 ||
		D.WORDS + tensors + OPERATOR_WORDS * operators > w.length
	)
		fail(`${tensors} tensors and ${operators} operators do not fit its ${length} bytes`);
	const first = D.WORDS + tensors;
	// The test inline, each word read once: a call a name was most of a load's XS work (every wake).
	for (let i = 0, k = first + 3; i < operators; i++, k += OPERATOR_WORDS) {
		const start = w[k]!,
			bytes = w[k + 1]!;
		if (start < 0 || bytes < 0 || start + bytes > length) nameOutside(w, k, length, `operator ${i}`);
	}
	const view = new DataView(plan.buffer, plan.byteOffset + at, length);
	const list: TensorInfo[] = [];
	let k = first + OPERATOR_WORDS * operators;
	for (let i = 0; i < count; i++) {
		const rank = k + TENSOR_WORDS <= w.length ? w[k + 9]! : -1;
		if (rank < 0 || k + TENSOR_WORDS + rank > w.length) fail(`tensor record ${i} is outside its ${length} bytes`);
		const index = w[k]!;
		if (index < 0 || index >= tensors || (w[k + 1] !== 0 && w[k + 1] !== 1))
			fail(`tensor record ${i} (tensor ${index} of ${tensors}) is malformed`);
		const start = w[k + 7]!,
			bytes = w[k + 8]!;
		if (start < 0 || bytes < 0 || start + bytes > length) nameOutside(w, k + 7, length, `tensor ${index}`);
		const shape: number[] = new Array<number>(rank);
		for (let d = 0; d < rank; d++) shape[d] = w[k + TENSOR_WORDS + d]!;
		list.push({
			index,
			name: nameAt(plan, w, k + 7, at),
			float: w[k + 1] === 1,
			shape,
			scale: view.getFloat64(4 * (k + 5), true),
			zeroPoint: w[k + 2]!,
			byteSize: w[k + 3]!,
			elementCount: w[k + 4]!,
		});
		k += TENSOR_WORDS + rank;
	}
	return {
		inputs: list.slice(0, w[D.INPUTS]),
		outputs: list.slice(w[D.INPUTS]),
		offsets: w.subarray(D.WORDS, first),
		activationBytes: w[D.ACTIVATION]!,
		scratchBytes: w[D.SCRATCH]!,
		weightBytes: w[D.WEIGHTS]!,
		macs: w[D.MACS]! >>> 0,
		operatorCount: operators,
		operatorName: (i: number) => {
			if (!(Number.isInteger(i) && i >= 0 && i < operators))
				throw new RangeError(`no operator ${i} (the plan has ${operators})`);
			return nameAt(plan, w, first + OPERATOR_WORDS * i + 3, at);
		},
		operators: () => {
			const ops: OperatorMeta[] = [];
			for (let i = 0, o = first; i < operators; i++, o += OPERATOR_WORDS)
				ops.push({
					index: w[o]!,
					name: nameAt(plan, w, o + 3, at),
					macs: w[o + 1]! >>> 0,
					scratchBytes: w[o + 2]!,
				});
			return ops;
		},
	};
}
