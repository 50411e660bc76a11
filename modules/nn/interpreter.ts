/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * int8 TFLite interpreter on XS, in the spirit of TFLite Micro's
 * MicroInterpreter and OpenMV's ml.Model: load a .tflite through Resource
 * (weights stay in C-owned memory: flash on a device), prepare every
 * operator once, then invoke() only calls one C kernel per operator.
 *
 * Load does all the work that can fail, once: parse and validate
 * (tflite.ts), check every operator's shapes and quantization the way
 * TFLite's Prepare does, compute per-channel multipliers with the rounding
 * the kernels were compiled with (native/nn's singleRounding), ask the
 * kernels for their scratch sizes, plan the arena (planner.ts) and write it
 * all as the model's plan (plan.ts, docs/model-plan.md), which native/nn
 * checks once and keeps in C. Model.load keeps the plan beside the model
 * (PATH.plan) and, on the next boot, starts from it: no parse, no planning.
 * Any problem is an Error naming the file and the operator (index and type)
 * or tensor at fault.
 *
 * Memory: the plan's copy in C (steps, multipliers, shifts, biases) and the
 * arena (activations and scratch, reused as tensors die).
 */

import { File } from "file";
import Resource from "Resource";
import * as nn from "native/nn";
import { familyOf } from "./ops/index";
import type { Persistent, Prepared, PrepareContext } from "./ops/op";
import { ARENA_ALIGNMENT, planArena } from "./planner";
import { encodePlan, readMeta } from "./plan";
import type { Description, PlanMeta, PlanOp, TensorInfo } from "./plan";
import type { QuantizeOptions } from "./quantize";
import { TensorType, readModel, useNativeQuantization } from "./tflite";
import type { Model as ParsedModel, Operator, Tensor as ParsedTensor } from "./tflite";

/** A tensor of the model, viewing the arena without copying. */
export interface Tensor {
	readonly index: number;
	readonly name: string;
	/** "int8", or "float32" at the graph edges (QUANTIZE input, DEQUANTIZE output). */
	readonly type: string;
	/** NHWC for images: [1, H, W, C]. */
	readonly shape: readonly number[];
	/** Real value = scale * (q - zeroPoint); 1 and 0 for float32 tensors. */
	readonly scale: number;
	readonly zeroPoint: number;
	/** The tensor's bytes in the arena (the int8 values themselves for int8 tensors). */
	readonly data: Int8Array;
	/** For float32 tensors, the values; null for int8 tensors. */
	readonly values: Float32Array | null;
}

export interface LoadOptions {
	/**
	 * The arena bytes available (as a device's static region would be): a
	 * model that needs more is refused at load, naming the largest tensor.
	 * Default: exactly what the model needs.
	 */
	arenaBytes?: number;
}

export interface OperatorInfo {
	index: number;
	name: string;
	/** Multiply-accumulates per invoke (0 for operators without any). */
	macs: number;
	/** Scratch bytes the kernel asked for (get_buffer_size). */
	scratchBytes: number;
}

const F32 = TensorType.FLOAT32;

// The loader's per-element checks of quantization vectors run in C here.
useNativeQuantization({ checkScales: nn.checkScales, zeroPoints: nn.zeroPoints });

export class Model {
	readonly source: string;
	readonly inputs: readonly Tensor[];
	readonly outputs: readonly Tensor[];
	/** Total bytes: the plan C keeps plus the arena at its planned peak. */
	readonly arenaBytes: number;
	/** The plan C keeps: steps' parameters, multipliers, shifts, biases. */
	readonly persistentBytes: number;
	/** Planned activations and scratch at their peak (the arena). */
	readonly activationBytes: number;
	/** Sum of all operators' scratch requests (each lives only during its operator). */
	readonly scratchBytes: number;
	/** Bytes of constant tensors the operators read (weights, biases, shapes). */
	readonly weightBytes: number;
	/** Multiply-accumulates per invoke. */
	readonly macs: number;
	/** Whether the multipliers and kernels use single rounding (else TFLite Micro's double rounding). */
	readonly singleRounding: boolean;
	/** The model file's bytes: a view of what the plan's steps point into (a Resource, or an Arena holding a copy), which it keeps alive. */
	readonly bytes: Uint8Array;
	/** Whether this load started from a valid plan (no parse, no planning). */
	readonly fromPlan: boolean;
	private readonly plan: nn.Plan;
	private readonly arena: nn.Arena;
	private readonly offsets: Int32Array;
	private readonly description: Description;
	private operatorList: readonly OperatorInfo[] | null = null;
	private parsed: ParsedModel | null;

	/**
	 * Loads a .tflite file through Resource (its bytes stay in C-owned memory),
	 * from its plan PATH.plan when that is valid; else compiles it and writes
	 * the plan (temporary file, then rename), saying why in the trace.
	 */
	static load(path: string, options?: LoadOptions): Model {
		let resource: Resource;
		try {
			resource = new Resource(path);
		} catch (error) {
			throw new Error(`${path}: cannot load: ${(error as Error).message}`);
		}
		return Model.create(resource, new Uint8Array(resource), path, options, `${path}.plan`);
	}

	/** Loads a model from bytes already in memory (`source` names it in errors); no plan file. */
	static fromBytes(bytes: Uint8Array, source: string, options?: LoadOptions): Model {
		// The plan's steps point into the model: a copy in C-owned memory, which the GC never moves.
		const host = new nn.Arena(Math.max(bytes.byteLength, 1));
		const copy = new Uint8Array(host, 0, bytes.byteLength);
		copy.set(bytes);
		return Model.create(host, copy, source, options, null);
	}

	/** Every load error names the file, whichever layer threw it. */
	private static create(
		host: HostBuffer,
		bytes: Uint8Array,
		source: string,
		options: LoadOptions | undefined,
		planPath: string | null,
	): Model {
		try {
			return new Model(host, bytes, source, options, planPath);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw message.startsWith(`${source}: `) ? error : new Error(`${source}: ${message}`);
		}
	}

	private constructor(
		host: HostBuffer,
		bytes: Uint8Array,
		source: string,
		options: LoadOptions | undefined,
		planPath: string | null,
	) {
		this.source = source;
		this.bytes = bytes;
		this.singleRounding = nn.singleRounding;
		let kept = planPath !== null ? readPlan(host, planPath) : null;
		// A plan over the caller's limit: compiling again says which tensor is too large.
		if (
			kept !== null &&
			options?.arenaBytes !== undefined &&
			kept.meta.activationBytes + kept.persistentBytes > options.arenaBytes
		)
			kept = null;
		this.fromPlan = kept !== null;
		let parsed: ParsedModel | null = null;
		if (kept === null) {
			parsed = readModel(bytes, source);
			const planBytes = compile(parsed, bytes, source, options);
			kept = prepare(host, planBytes);
			if (planPath !== null) writePlan(planPath, planBytes);
		}
		const { plan, meta, arena } = kept;
		this.plan = plan;
		this.arena = arena;
		this.parsed = parsed;
		this.offsets = meta.offsets;
		this.persistentBytes = kept.persistentBytes;
		this.activationBytes = meta.activationBytes;
		this.arenaBytes = this.persistentBytes + this.activationBytes;
		this.scratchBytes = meta.scratchBytes;
		this.weightBytes = meta.weightBytes;
		this.description = meta;
		this.macs = meta.macs;
		this.inputs = meta.inputs.map((t) => tensorView(source, t, meta.offsets[t.index]!, arena));
		this.outputs = meta.outputs.map((t) => tensorView(source, t, meta.offsets[t.index]!, arena));
	}

	/** Decoded from the plan when first asked for: a load does not need them. */
	get operators(): readonly OperatorInfo[] {
		this.operatorList ??= this.description.operators();
		return this.operatorList;
	}

	input(i: number): Tensor {
		const t = this.inputs[i];
		if (t === undefined)
			throw new RangeError(`${this.source}: no input ${i} (the model has ${this.inputs.length})`);
		return t;
	}

	output(i: number): Tensor {
		const t = this.outputs[i];
		if (t === undefined)
			throw new RangeError(`${this.source}: no output ${i} (the model has ${this.outputs.length})`);
		return t;
	}

	/**
	 * Any tensor that lives in the arena, by model tensor index (as TFLM's
	 * interpreter.tensor()); null for constants. An intermediate tensor's
	 * bytes are only meaningful between the operator that writes it and the
	 * reuse of its memory (see the plan), so this is for inspection (it parses
	 * the model when the load came from a plan).
	 */
	tensor(index: number): Tensor | null {
		this.parsed ??= readModel(this.bytes, this.source);
		const t = this.parsed.tensors[index];
		if (t === undefined)
			throw new RangeError(`${this.source}: no tensor ${index} (the model has ${this.parsed.tensors.length})`);
		const offset = this.offsets[index]!;
		return offset < 0 ? null : tensorView(this.source, tensorInfo(t), offset, this.arena);
	}

	/** Runs every operator once, in order, on what the input tensors hold: one call into C. */
	invoke(): void {
		this.plan.run();
	}
}

interface Kept {
	plan: nn.Plan;
	meta: Description;
	arena: nn.Arena;
	persistentBytes: number;
}

/** A plan checked by C against the model and its arena, and its description. */
function prepare(host: HostBuffer, bytes: Uint8Array): Kept {
	const plan = new nn.Plan(host, bytes);
	const meta = readMeta(bytes);
	const arena = new nn.Arena(Math.max(plan.arenaBytes, ARENA_ALIGNMENT));
	plan.prepare(arena);
	return { plan, meta, arena, persistentBytes: bytes.byteLength };
}

/** PATH.plan when it exists and native/nn accepts it for this model; else null, and why in the trace. */
function readPlan(host: HostBuffer, path: string): Kept | null {
	let why: string;
	if (!Resource.exists(path)) {
		why = "none yet";
	} else {
		try {
			return prepare(host, new Uint8Array(new Resource(path)));
		} catch (error) {
			// native/nn's reason without XS's "Plan: " prefix; the description's own otherwise.
			const message = (error as Error).message;
			const at = message.indexOf("nn: plan: ");
			why = at >= 0 ? message.slice(at + "nn: plan: ".length) : message;
		}
	}
	trace(`${path}: ${why}; compiling the model\n`);
	return null;
}

/** Writes the plan whole or not at all: a temporary file, flushed, then renamed over PATH. */
function writePlan(path: string, bytes: Uint8Array): void {
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

/** Parses nothing: prepares and plans a parsed model into its plan's bytes. */
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

function fail(source: string, message: string): never {
	throw new Error(`${source}: ${message}`);
}

function tensorInfo(t: ParsedTensor): TensorInfo {
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

function tensorView(source: string, t: TensorInfo, offset: number, arena: nn.Arena): Tensor {
	if (!Number.isInteger(offset) || offset < 0)
		fail(source, `tensor ${t.index} (${t.name}) is a graph input or output without arena memory`);
	return Object.freeze({
		index: t.index,
		name: t.name,
		type: t.float ? "float32" : "int8",
		shape: Object.freeze(t.shape.slice()),
		scale: t.scale,
		zeroPoint: t.zeroPoint,
		data: new Int8Array(arena, offset, t.byteSize),
		values: t.float ? new Float32Array(arena, offset, t.elementCount) : null,
	});
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
