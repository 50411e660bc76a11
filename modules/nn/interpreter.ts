/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * int8 TFLite interpreter on XS, in the spirit of TFLite Micro's
 * MicroInterpreter and OpenMV's ml.Model: load a .tflite through Resource
 * (weights stay in C-owned memory: flash on a device), prepare every
 * operator once, then invoke() only calls one C kernel per operator.
 *
 * This is the runtime a wake imports: Model.load starts from the model's
 * plan PATH.plan (plan.ts, docs/model-plan.md), which native/nn checks once
 * and keeps in C: no parse, no planning. Without a valid plan (none yet,
 * stale or damaged) it imports the compiler (compiler.ts), which does all the
 * work that can fail, once, and writes the plan for the next boot; so a load
 * is asynchronous. Any problem is an Error naming the file and the operator
 * (index and type) or tensor at fault.
 *
 * Memory: the plan's copy in C (steps, multipliers, shifts, biases) and the
 * arena (activations and scratch, reused as tensors die).
 */

import Resource from "Resource";
import * as nn from "native/nn";
// The binding itself, not the power module: importing that would read (and may reset) the retained store.
import { count } from "native/power";
import type { Model as ParsedModel } from "./tflite";
import { ARENA_ALIGNMENT, readMeta } from "./plan";
import type { Description, TensorInfo } from "./plan";

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
	static load(path: string, options?: LoadOptions): Promise<Model> {
		let resource: Resource;
		try {
			resource = new Resource(path);
		} catch (error) {
			return Promise.reject(new Error(`${path}: cannot load: ${(error as Error).message}`));
		}
		return Model.create(resource, new Uint8Array(resource), path, options, `${path}.plan`);
	}

	/** Loads a model from bytes already in memory (`source` names it in errors); no plan file: it compiles. */
	static fromBytes(bytes: Uint8Array, source: string, options?: LoadOptions): Promise<Model> {
		// The plan's steps point into the model: a copy in C-owned memory, which the GC never moves.
		const host = new nn.Arena(Math.max(bytes.byteLength, 1));
		const copy = new Uint8Array(host, 0, bytes.byteLength);
		copy.set(bytes);
		return Model.create(host, copy, source, options, null);
	}

	/** Every load error names the file, whichever layer threw it. */
	private static async create(
		host: HostBuffer,
		bytes: Uint8Array,
		source: string,
		options: LoadOptions | undefined,
		planPath: string | null,
	): Promise<Model> {
		try {
			let kept = planPath !== null ? readPlan(host, planPath) : null;
			// A plan over the caller's limit: compiling again says which tensor is too large.
			if (
				kept !== null &&
				options?.arenaBytes !== undefined &&
				kept.meta.activationBytes + kept.persistentBytes > options.arenaBytes
			)
				kept = null;
			if (kept !== null) return new Model(source, bytes, kept, null);
			const { compileModel, writePlan } = await import("./compiler");
			const { parsed, plan } = compileModel(bytes, source, options);
			kept = prepare(host, plan);
			if (planPath !== null) writePlan(planPath, plan);
			return new Model(source, bytes, kept, parsed);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw message.startsWith(`${source}: `) ? error : new Error(`${source}: ${message}`);
		}
	}

	private constructor(source: string, bytes: Uint8Array, kept: Kept, parsed: ParsedModel | null) {
		this.source = source;
		this.bytes = bytes;
		this.singleRounding = nn.singleRounding;
		this.fromPlan = parsed === null;
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

	/** The last operator's name ("SOFTMAX"...; "" without operators), decoded alone: `operators` decodes every one. */
	get lastOperator(): string {
		const count = this.description.operatorCount;
		return count > 0 ? this.description.operatorName(count - 1) : "";
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
	 * reuse of its memory (see the plan), so this is for inspection (it imports
	 * the compiler and parses the model when the load came from a plan).
	 */
	async tensor(index: number): Promise<Tensor | null> {
		const { readModel, tensorInfo } = await import("./compiler");
		this.parsed ??= readModel(this.bytes, this.source);
		const t = this.parsed.tensors[index];
		if (t === undefined)
			throw new RangeError(`${this.source}: no tensor ${index} (the model has ${this.parsed.tensors.length})`);
		const offset = this.offsets[index]!;
		return offset < 0 ? null : tensorView(this.source, tensorInfo(t), offset, this.arena);
	}

	/** Runs every operator once, in order, on what the input tensors hold: one call into C. Counts its MACs (the cost model's work). */
	invoke(): void {
		this.plan.run();
		count("nn.macs", this.macs);
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

export function fail(source: string, message: string): never {
	throw new Error(`${source}: ${message}`);
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
