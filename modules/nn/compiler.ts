/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * The model compiler: what Model.load does when a model has no valid plan
 * (none yet, stale or damaged), and imported only then (nn/interpreter.ts
 * imports it dynamically): a wake that loads from its plan does not pay for
 * the flatbuffer reader, the operator families, the planner and the
 * quantization maths, most of nn's bytecode.
 *
 * It parses and validates the .tflite (tflite.ts), checks every operator's
 * shapes and quantization the way TFLite's Prepare does, computes per-channel
 * multipliers with the rounding the kernels were compiled with (native/nn's
 * singleRounding), asks the kernels for their scratch sizes, plans the arena
 * (planner.ts) and writes it all as the model's plan (docs/model-plan.md;
 * its layout and reader are plan.ts). Any problem is an Error naming the file
 * and the operator (index and type) or tensor at fault.
 */

import { File } from "file";
import { crc32 } from "native/bytes";
import * as nn from "native/nn";
import { fail, type LoadOptions } from "./interpreter";
import { familyOf } from "./ops/index";
import type { Persistent, Prepared, PrepareContext } from "./ops/op";
import { planArena } from "./planner";
import {
	AT,
	D,
	OP_BYTES,
	OPERATOR_WORDS,
	PLAN_HEADER_BYTES,
	PLAN_MAGIC,
	PLAN_VERSION,
	TENSOR_WORDS,
	type PlanMeta,
	type PlanOp,
	type TensorInfo,
} from "./plan";
import type { QuantizeOptions } from "./quantize";
import { TensorType, readModel, useNativeQuantization } from "./tflite";
import type { Model as ParsedModel, Operator, Tensor as ParsedTensor } from "./tflite";

// Model.tensor() parses a model loaded from its plan with the same checks as a compile.
export { readModel };

const F32 = TensorType.FLOAT32;

// The loader's per-element checks of quantization vectors run in C here.
useNativeQuantization({ checkScales: nn.checkScales, zeroPoints: nn.zeroPoints });

/** Parses and compiles a model into its plan's bytes; the parsed model too (Model.tensor() keeps it). */
export function compileModel(
	bytes: Uint8Array,
	source: string,
	options: LoadOptions | undefined,
): { parsed: ParsedModel; plan: Uint8Array } {
	const parsed = readModel(bytes, source);
	return { parsed, plan: compile(parsed, bytes, source, options) };
}

/** Writes the plan whole or not at all: a temporary file, flushed, then renamed over PATH. */
export function writePlan(path: string, bytes: Uint8Array): void {
	const temp = `${path}.new`;
	try {
		const file = new File(temp, true);
		try {
			file.write(bytes.buffer as ArrayBuffer);
			file.flush();
		} finally {
			file.close();
		}
		if (File.exists(path)) File.delete(path);
		if (!File.rename(temp, path)) throw new Error(`cannot rename ${temp}`);
	} catch (error) {
		// The model runs all the same; the next load compiles again.
		trace(`${path}: not written: ${(error as Error).message}\n`);
	}
}

/** Prepares and plans a parsed model into its plan's bytes. */
function compile(m: ParsedModel, bytes: Uint8Array, source: string, options: LoadOptions | undefined): Uint8Array {
	const prep = new Preparer(m);
	// Scratch sizes per operator, from the kernels themselves.
	const scratch: number[] = [];
	for (const op of m.operators) scratch.push(prep.scratchFor(op));
	const plan = planArena(m, { scratchSize: (i) => scratch[i]! });
	const scratchOffsets: number[] = m.operators.map(() => -1);
	for (const s of plan.scratch) scratchOffsets[s.op] = s.offset;
	const ops = prep.records(plan.tensorOffsets, scratch, scratchOffsets);
	const meta: PlanMeta = {
		inputs: m.inputs.map((ti) => tensorInfo(m.tensors[ti]!)),
		outputs: m.outputs.map((ti) => tensorInfo(m.tensors[ti]!)),
		offsets: plan.tensorOffsets,
		operators: m.operators.map((op, i) => ({
			index: op.index,
			name: op.name,
			macs: prep.macs[i] ?? 0,
			scratchBytes: scratch[i]!,
		})),
		activationBytes: plan.peakBytes,
		scratchBytes: scratch.reduce((a, b) => a + b, 0),
		weightBytes: prep.weightBytes(),
	};
	for (const t of meta.inputs.concat(meta.outputs))
		if (meta.offsets[t.index]! < 0)
			fail(source, `tensor ${t.index} (${t.name}) is a graph input or output without arena memory`);
	const planBytes = encodePlan(bytes, plan.peakBytes, ops, prep.dataBytes(), (data) => prep.fillData(data), meta);
	const total = planBytes.byteLength + plan.peakBytes;
	if (options?.arenaBytes !== undefined && total > options.arenaBytes) {
		let largest = -1;
		plan.lifetimes.forEach((lt, i) => {
			if (lt !== null && (largest < 0 || lt.size > plan.lifetimes[largest]!.size)) largest = i;
		});
		const t = largest >= 0 ? m.tensors[largest]! : null;
		fail(
			source,
			`needs ${total} bytes of arena, only ${options.arenaBytes} given` +
				(t !== null
					? ` (largest tensor ${t.index} "${t.name}" [${t.shape.join(", ")}] is ${t.byteSize} bytes)`
					: ""),
		);
	}
	return planBytes;
}

export function tensorInfo(t: ParsedTensor): TensorInfo {
	const q = t.quantization;
	const float = t.type === F32;
	return {
		index: t.index,
		name: t.name,
		float,
		shape: t.shape.slice(),
		scale: float || q === null ? 1 : q.scale[0]!,
		zeroPoint: float || q === null ? 0 : q.zeroPoint[0]!,
		byteSize: t.byteSize,
		elementCount: t.elementCount,
	};
}

function utf8(text: string): Uint8Array {
	return new Uint8Array(ArrayBuffer.fromString(text));
}

// Written in place, into buffers sized first: growing arrays word by word made XS copy them on
// every push, enough garbage for collections that cost the M7 more than the JSON did.
function encodeMeta(meta: PlanMeta): Uint8Array {
	const tensors = meta.inputs.concat(meta.outputs);
	const names = meta.operators.map((op) => utf8(op.name)).concat(tensors.map((t) => utf8(t.name)));
	let count = D.WORDS + meta.offsets.length + OPERATOR_WORDS * meta.operators.length;
	for (const t of tensors) count += TENSOR_WORDS + t.shape.length;
	let length = 4 * count;
	for (const n of names) length += n.byteLength;
	const bytes = new Uint8Array(length);
	const w = new Int32Array(bytes.buffer, 0, count);
	const view = new DataView(bytes.buffer);
	// Names follow the words; each is found by its byte offset from the description's start.
	let at = 4 * count;
	let next = 0;
	const name = (k: number): void => {
		const n = names[next++]!;
		bytes.set(n, at);
		w[k] = at;
		w[k + 1] = n.byteLength;
		at += n.byteLength;
	};
	w.set([
		meta.activationBytes,
		meta.scratchBytes,
		meta.weightBytes,
		0,
		meta.offsets.length,
		meta.operators.length,
		meta.inputs.length,
		meta.outputs.length,
	]);
	w.set(meta.offsets, D.WORDS);
	let k = D.WORDS + meta.offsets.length;
	let macs = 0;
	for (const op of meta.operators) {
		w[k] = op.index;
		w[k + 1] = op.macs; // unsigned: the bits wrap into the int32
		w[k + 2] = op.scratchBytes;
		name(k + 3);
		macs += op.macs;
		k += OPERATOR_WORDS;
	}
	// Every other word is an index, count, offset or size the compiler checked; only MACs add up.
	if (macs > 0xffffffff) throw new Error(`plan: ${macs} MACs do not fit a description word`);
	w[D.MACS] = macs;
	for (const t of tensors) {
		w[k] = t.index;
		w[k + 1] = t.float ? 1 : 0;
		w[k + 2] = t.zeroPoint;
		w[k + 3] = t.byteSize;
		w[k + 4] = t.elementCount;
		view.setFloat64(4 * (k + 5), t.scale, true);
		name(k + 7);
		w[k + 9] = t.shape.length;
		w.set(t.shape, k + TENSOR_WORDS);
		k += TENSOR_WORDS + t.shape.length;
	}
	return bytes;
}

/**
 * The plan's bytes: header, op records, `dataBytes` of constants (written by
 * fillData, offsets from its start), then the description.
 */
function encodePlan(
	model: Uint8Array,
	arenaBytes: number,
	ops: PlanOp[],
	dataBytes: number,
	fillData: (data: Int32Array) => void,
	meta: PlanMeta,
): Uint8Array {
	const text = encodeMeta(meta);
	let opBytes = 0;
	for (const op of ops) opBytes += OP_BYTES + 4 * op.words;
	const dataAt = PLAN_HEADER_BYTES + opBytes;
	const metaAt = dataAt + dataBytes;
	const length = metaAt + text.byteLength;
	const bytes = new Uint8Array(length);
	const i32 = new Int32Array(bytes.buffer, 0, metaAt >> 2);
	const header = [
		PLAN_MAGIC,
		PLAN_VERSION,
		nn.planBuild,
		model.byteLength,
		crc32(model),
		length,
		0,
		arenaBytes,
		ops.length,
		dataAt,
		dataBytes,
		metaAt,
		text.byteLength,
		PLAN_HEADER_BYTES,
	];
	for (let k = 0; k < header.length; k++) i32[k] = header[k]!;
	let at = PLAN_HEADER_BYTES >> 2;
	for (const op of ops) {
		i32[at] = op.kind;
		i32[at + 1] = op.words;
		i32[at + 2] = op.weights === null ? 0 : op.weights.byteOffset - model.byteOffset;
		i32[at + 3] = op.weights === null ? 0 : op.weights.byteLength;
		op.fill(i32, at + OP_BYTES / 4);
		at += OP_BYTES / 4 + op.words;
	}
	fillData(new Int32Array(bytes.buffer, dataAt, dataBytes >> 2));
	bytes.set(text, metaAt);
	i32[AT.PLAN_CRC >> 2] = crc32(bytes.subarray(AT.PLAN_CRC + 4));
	return bytes;
}

// ---- prepare ------------------------------------------------------------------

/** The model-wide side of preparing: checks that name the operator, and what the families record. */
class Preparer implements PrepareContext {
	readonly m: ParsedModel;
	readonly q: QuantizeOptions;
	readonly prepared: Prepared[] = [];
	readonly macs: number[] = [];
	private readonly usedConstants = new Set<number>();

	constructor(m: ParsedModel) {
		this.m = m;
		this.q = { singleRounding: nn.singleRounding };
		// Dense from the start: prepare() assigns by operator index, and a
		// holey array grown by index assignment (RESHAPE has no scratch entry)
		// crashed XS 13.3's GC under the fuzz test.
		for (let i = 0; i < m.operators.length; i++) {
			this.macs.push(0);
			this.scratchSizes.push(0);
		}
		for (const op of m.operators) {
			try {
				this.prepared.push(this.prepare(op));
			} catch (error) {
				// The quantization math throws without context: say where.
				const message = (error as Error).message;
				if (message.startsWith(`${m.source}: `)) throw error;
				this.err(op, message);
			}
			for (const ti of op.inputs) if (ti >= 0 && m.tensors[ti]!.data !== null) this.usedConstants.add(ti);
		}
	}

	weightBytes(): number {
		let n = 0;
		this.usedConstants.forEach((ti) => (n += this.m.tensors[ti]!.byteSize));
		return n;
	}

	err(op: Operator, message: string): never {
		fail(this.m.source, `operator ${op.index} (${op.name}): ${message}`);
	}

	tensor(op: Operator, ti: number | undefined, what: string): ParsedTensor {
		if (ti === undefined || ti < 0) this.err(op, `${what} is missing`);
		return this.m.tensors[ti]!;
	}

	rank4(op: Operator, t: ParsedTensor, what: string): [number, number, number, number] {
		if (t.shape.length !== 4)
			this.err(op, `${what} tensor ${t.index} (${t.name}) has shape [${t.shape.join(", ")}], expected rank 4`);
		for (const d of t.shape)
			if (d < 1) this.err(op, `${what} tensor ${t.index} (${t.name}) has an empty dimension`);
		return t.shape as [number, number, number, number];
	}

	/** Per-tensor quantization of an int8 activation. */
	act(op: Operator, t: ParsedTensor, what: string): { scale: number; zeroPoint: number } {
		const q = t.quantization;
		if (q === null) this.err(op, `${what} tensor ${t.index} (${t.name}) is not quantized`);
		if (q.scale.length !== 1)
			this.err(
				op,
				`${what} tensor ${t.index} (${t.name}) has ${q.scale.length} scales, expected one (per-tensor)`,
			);
		const zp = q.zeroPoint[0]!;
		if (zp < -128 || zp > 127)
			this.err(op, `${what} tensor ${t.index} (${t.name}) zero point ${zp} is outside int8`);
		return { scale: q.scale[0]!, zeroPoint: zp };
	}

	constData(op: Operator, t: ParsedTensor, what: string): Uint8Array {
		if (t.data === null) this.err(op, `${what} tensor ${t.index} (${t.name}) must be a constant`);
		return t.data.subarray(0, t.byteSize);
	}

	sameShape(op: Operator, a: ParsedTensor, b: ParsedTensor): void {
		if (a.elementCount !== b.elementCount || a.shape.join() !== b.shape.join())
			this.err(
				op,
				`tensor ${a.index} [${a.shape.join(", ")}] and tensor ${b.index} [${b.shape.join(", ")}] differ in shape (broadcasting is not supported)`,
			);
	}

	/** Scratch bytes the kernel needs (from its get_buffer_size). */
	scratchFor(op: Operator): number {
		return this.scratchSizes[op.index] ?? 0;
	}

	readonly scratchSizes: number[] = [];

	/** Byte offsets of every operator's side allocations in the plan's constants, laid out once. */
	private sides: number[][] | null = null;
	private constantBytes = 0;

	private layout(): number[][] {
		if (this.sides === null) {
			let at = 0;
			this.sides = this.prepared.map((p) =>
				p.side.map((side) => {
					const here = at;
					at += side.words * 4;
					return here;
				}),
			);
			this.constantBytes = at;
		}
		return this.sides;
	}

	dataBytes(): number {
		this.layout();
		return this.constantBytes;
	}

	fillData(data: Int32Array): void {
		const sides = this.layout();
		this.prepared.forEach((p, i) => p.side.forEach((side, k) => side.fill(data, sides[i]![k]!)));
	}

	/** The plan's op records: each operator's block, with arena offsets of its tensors and scratch. */
	records(offsets: number[], scratch: number[], scratchOffsets: number[]): PlanOp[] {
		const sides = this.layout();
		return this.prepared.map((p, i) => ({
			kind: p.kind,
			words: p.words,
			weights: p.weights,
			fill: (i32: Int32Array, at: number) =>
				p.fill(i32, at, { offsets, sides: sides[i]!, scratch: scratchOffsets[i]!, scratchSize: scratch[i]! }),
		}));
	}

	private prepare(op: Operator): Prepared {
		const family = familyOf(op.builtinCode);
		return family !== undefined
			? family.prepare(this, op)
			: this.err(op, `unsupported operator ${op.name} at index ${op.index}`);
	}

	bytes(data: Uint8Array): Persistent {
		return {
			words: Math.ceil(data.byteLength / 4),
			fill: (d, at) => new Uint8Array(d.buffer, d.byteOffset + at, data.byteLength).set(data),
		};
	}
}
