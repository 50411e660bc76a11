/*
 * Arena memory planning for int8 inference: a TypeScript port of the
 * algorithm documented in TFLite Micro's greedy_memory_planner.h, plus the
 * tensor-lifetime analysis that feeds it.
 *
 * Greedy algorithm (as documented by TFLM):
 *  - sort buffers by size, descending (stable: equal sizes keep the order
 *    they were added in);
 *  - place the largest at offset 0;
 *  - for each next buffer, walk the already-placed buffers in offset order,
 *    considering only those whose lifetime overlaps (inclusive time ranges);
 *    take the first gap between them that fits, else go after the last one.
 * It is not optimal (that is NP-complete) but it is what TFLM ships, so
 * arena sizes are comparable with TFLM's.
 *
 * Runs on XS: plain arrays of small records, no Node APIs.
 */

import { ARENA_ALIGNMENT } from "./plan";
import { BuiltinOperator, tensorTypeSize } from "./tflite";
import type { Model } from "./tflite";

export function alignUp(n: number, alignment: number): number {
	return Math.ceil(n / alignment) * alignment;
}

interface Requirement {
	size: number;
	first: number;
	last: number;
}

export interface GreedyMemoryPlannerOptions {
	/** Buffer sizes are rounded up to this; 1 reproduces TFLM's planner tests byte for byte. */
	alignment?: number;
}

export class GreedyMemoryPlanner {
	readonly alignment: number;
	private readonly reqs: Requirement[] = [];
	private offsets: number[] = [];
	private planned = false;

	constructor(options?: GreedyMemoryPlannerOptions) {
		const a = options?.alignment ?? ARENA_ALIGNMENT;
		if (!(a >= 1) || Math.floor(a) !== a) throw new Error(`planner: alignment ${a} must be a positive integer`);
		this.alignment = a;
	}

	/** Records a buffer live from op `firstUse` to op `lastUse` inclusive; returns its id. */
	addBuffer(size: number, firstUse: number, lastUse: number): number {
		if (!(size >= 0) || Math.floor(size) !== size)
			throw new Error(`planner: buffer size ${size} must be a non-negative integer`);
		if (!(firstUse >= 0) || !(lastUse >= firstUse))
			throw new Error(`planner: bad lifetime ${firstUse}..${lastUse}`);
		this.reqs.push({ size: alignUp(size, this.alignment), first: firstUse, last: lastUse });
		this.planned = false;
		return this.reqs.length - 1;
	}

	get bufferCount(): number {
		return this.reqs.length;
	}

	/** Aligned size of buffer `id`. */
	sizeOf(id: number): number {
		return this.req(id).size;
	}

	getOffset(id: number): number {
		this.req(id);
		this.plan();
		return this.offsets[id]!;
	}

	/** High-water mark: the arena bytes these buffers need. */
	maximumMemorySize(): number {
		this.plan();
		let max = 0;
		for (let i = 0; i < this.reqs.length; i++) {
			const end = this.offsets[i]! + this.reqs[i]!.size;
			if (end > max) max = end;
		}
		return max;
	}

	/** True when two buffers alive at the same time share bytes (a planner bug). */
	anyOverlap(): boolean {
		this.plan();
		const n = this.reqs.length;
		for (let i = 0; i < n; i++) {
			const a = this.reqs[i]!;
			const ao = this.offsets[i]!;
			for (let j = i + 1; j < n; j++) {
				const b = this.reqs[j]!;
				if (a.first > b.last || b.first > a.last) continue;
				const bo = this.offsets[j]!;
				if (a.size === 0 || b.size === 0) continue;
				if (ao < bo + b.size && bo < ao + a.size) return true;
			}
		}
		return false;
	}

	/**
	 * The plan as text, in TFLM's PrintMemoryPlan layout: one line per
	 * buffer, then one 80-column line per time step where each character is
	 * 1/80 of the arena, marked with the buffer's ordinal (0-9a-zA-Z, then
	 * '*'), '!' where two live buffers collide, '.' where free.
	 */
	printPlan(): string {
		this.plan();
		const lines: string[] = [];
		const n = this.reqs.length;
		for (let i = 0; i < n; i++) {
			const r = this.reqs[i]!;
			lines.push(
				`${ordinal(i)} (id=${i}): size=${r.size}, offset=${this.offsets[i]}, first_used=${r.first} last_used=${r.last}`,
			);
		}
		const width = 80;
		let maxSize = width;
		let maxTime = 0;
		for (let i = 0; i < n; i++) {
			const end = this.offsets[i]! + this.reqs[i]!.size;
			if (end > maxSize) maxSize = end;
			if (this.reqs[i]!.last > maxTime) maxTime = this.reqs[i]!.last;
		}
		for (let t = 0; t <= maxTime && n > 0; t++) {
			const line: string[] = [];
			for (let c = 0; c < width; c++) line.push(".");
			let use = 0;
			for (let i = 0; i < n; i++) {
				const r = this.reqs[i]!;
				if (t < r.first || t > r.last) continue;
				const off = this.offsets[i]!;
				use += r.size;
				const start = Math.floor((off * width) / maxSize);
				const end = Math.floor(((off + r.size) * width) / maxSize);
				for (let c = start; c < end; c++) line[c] = line[c] === "." ? ordinal(i) : "!";
			}
			lines.push(`${t < 10 ? " " : ""}${t}: ${line.join("")} (${Math.ceil(use / 1024)}k)`);
		}
		return lines.join("\n");
	}

	private req(id: number): Requirement {
		const r = this.reqs[id];
		if (r === undefined) throw new Error(`planner: buffer id ${id} out of range (${this.reqs.length} buffers)`);
		return r;
	}

	private plan(): void {
		if (this.planned) return;
		this.planned = true;
		const n = this.reqs.length;
		const offsets: number[] = [];
		for (let i = 0; i < n; i++) offsets.push(0);
		this.offsets = offsets;
		if (n === 0) return;

		// Descending by size; ties by id so the order is the stable one TFLM's
		// bubble sort produces whatever the engine's sort does.
		const order: number[] = [];
		for (let i = 0; i < n; i++) order.push(i);
		const reqs = this.reqs;
		order.sort((a, b) => reqs[b]!.size - reqs[a]!.size || a - b);

		// Placed buffers, kept sorted by offset (ties: earlier placement first).
		const placed: number[] = [order[0]!];
		offsets[order[0]!] = 0;
		for (let k = 1; k < n; k++) {
			const id = order[k]!;
			const want = reqs[id]!;
			let candidate = 0;
			for (let p = 0; p < placed.length; p++) {
				const other = placed[p]!;
				const o = reqs[other]!;
				if (o.first > want.last || want.first > o.last) continue; // not alive together
				const gap = offsets[other]! - candidate;
				if (gap >= want.size) break; // fits before this one
				const end = offsets[other]! + o.size;
				if (end > candidate) candidate = end;
			}
			offsets[id] = candidate;
			// Insert after every entry with offset <= candidate, as TFLM's list does.
			let at = placed.length;
			for (let p = 0; p < placed.length; p++) {
				if (offsets[placed[p]!]! > candidate) {
					at = p;
					break;
				}
			}
			placed.splice(at, 0, id);
		}
	}
}

function ordinal(i: number): string {
	if (i < 10) return String.fromCharCode(48 + i);
	if (i < 36) return String.fromCharCode(97 + i - 10);
	if (i < 62) return String.fromCharCode(65 + i - 36);
	return "*";
}

// ---- tensor lifetimes ---------------------------------------------------------

export interface TensorLifetime {
	/** First op index at which the tensor must exist (0 for graph inputs). */
	first: number;
	/** Last op index that needs it (the last op for graph outputs). */
	last: number;
	/** Bytes (unaligned). */
	size: number;
	/**
	 * -1, or the tensor whose memory this one shares (RESHAPE output
	 * aliasing its input). Aliased tensors are not planned separately.
	 */
	aliasOf: number;
}

export interface LifetimeOptions {
	/**
	 * Let a RESHAPE output share its input's memory (default true).
	 *
	 * Why it is safe: tensors are written exactly once, by their producing
	 * op, and RESHAPE only relabels the same bytes in the same order, so the
	 * output can be the very same bytes as the input for as long as either
	 * is alive: the shared buffer gets the union of both lifetimes. It saves
	 * one buffer per RESHAPE and turns the op into a no-op in eval().
	 * Constant inputs (weights in flash) are not aliased: the output is then
	 * planned in RAM and RESHAPE copies.
	 */
	aliasReshape?: boolean;
}

/**
 * Lifetimes of every tensor of subgraph 0, or null for tensors that need no
 * arena memory (constants, unused tensors). Times are op indices, inclusive,
 * as in TFLM's AllocationInfoBuilder: an op's outputs start at that op, its
 * inputs live until it; graph inputs start at 0 and graph outputs last
 * until the final op.
 */
export function computeLifetimes(model: Model, options?: LifetimeOptions): (TensorLifetime | null)[] {
	const alias = options?.aliasReshape ?? true;
	const nOps = model.operators.length;
	const lastOp = nOps > 0 ? nOps - 1 : 0;
	const out: (TensorLifetime | null)[] = [];
	for (let i = 0; i < model.tensors.length; i++) out.push(null);

	const touch = (ti: number, time: number): void => {
		const t = model.tensors[ti]!;
		if (t.data !== null) return; // constants live in the model bytes
		let lt = out[ti];
		if (lt === null || lt === undefined) {
			lt = { first: time, last: time, size: t.elementCount * tensorTypeSize(t.type), aliasOf: -1 };
			out[ti] = lt;
		} else {
			if (time < lt.first) lt.first = time;
			if (time > lt.last) lt.last = time;
		}
	};

	for (const ti of model.inputs) touch(ti, 0);
	for (const op of model.operators) {
		for (const ti of op.outputs) touch(ti, op.index);
		for (const ti of op.inputs) if (ti >= 0) touch(ti, op.index);
	}
	for (const ti of model.outputs) touch(ti, lastOp);

	if (alias) {
		for (const op of model.operators) {
			if (op.builtinCode !== BuiltinOperator.RESHAPE) continue;
			const src = op.inputs[0];
			const dst = op.outputs[0];
			if (src === undefined || dst === undefined || src < 0) continue;
			let root = src;
			while (out[root] !== null && out[root] !== undefined && out[root]!.aliasOf >= 0) root = out[root]!.aliasOf;
			const a = out[root];
			const b = out[dst];
			if (a === null || a === undefined || b === null || b === undefined) continue;
			// Merge the output's lifetime and size into the root buffer.
			if (b.first < a.first) a.first = b.first;
			if (b.last > a.last) a.last = b.last;
			if (b.size > a.size) a.size = b.size;
			b.aliasOf = root;
		}
		// Aliases report the shared buffer's lifetime.
		for (const lt of out) {
			if (lt !== null && lt !== undefined && lt.aliasOf >= 0) {
				const r = out[lt.aliasOf]!;
				lt.first = r.first;
				lt.last = r.last;
			}
		}
	}
	return out;
}

export interface ScratchRequest {
	op: number;
	size: number;
	offset: number;
}

export interface ArenaPlan {
	/** Arena offset of each tensor, -1 for tensors not in the arena. Aliases share their root's offset. */
	tensorOffsets: number[];
	/** Scratch buffers (one per op that asked for one), live only during their op. */
	scratch: ScratchRequest[];
	/** Arena bytes needed for planned data (a multiple of the alignment). */
	peakBytes: number;
	lifetimes: (TensorLifetime | null)[];
	planner: GreedyMemoryPlanner;
}

export interface PlanOptions extends LifetimeOptions {
	/** Scratch bytes op `opIndex` needs during eval (0 = none), e.g. from a kernel's get_buffer_size(). */
	scratchSize?: (opIndex: number, model: Model) => number;
	alignment?: number;
}

/** Plans the non-persistent arena (activations + scratch) for subgraph 0. */
export function planArena(model: Model, options?: PlanOptions): ArenaPlan {
	const alignment = options?.alignment ?? ARENA_ALIGNMENT;
	const planner = new GreedyMemoryPlanner({ alignment });
	const lifetimes = computeLifetimes(model, options);
	const bufferOf: number[] = [];
	for (let i = 0; i < lifetimes.length; i++) {
		const lt = lifetimes[i];
		bufferOf.push(
			lt !== null && lt !== undefined && lt.aliasOf < 0 ? planner.addBuffer(lt.size, lt.first, lt.last) : -1,
		);
	}
	const scratchIds: { op: number; size: number; id: number }[] = [];
	if (options?.scratchSize !== undefined) {
		for (const op of model.operators) {
			const size = options.scratchSize(op.index, model);
			if (!(size >= 0) || Math.floor(size) !== size) {
				throw new Error(
					`${model.source}: operator ${op.index} (${op.name}): scratch size ${size} is not a non-negative integer`,
				);
			}
			if (size > 0) scratchIds.push({ op: op.index, size, id: planner.addBuffer(size, op.index, op.index) });
		}
	}
	const tensorOffsets: number[] = [];
	for (let i = 0; i < lifetimes.length; i++) {
		const lt = lifetimes[i];
		if (lt === null || lt === undefined) tensorOffsets.push(-1);
		else tensorOffsets.push(planner.getOffset(lt.aliasOf >= 0 ? bufferOf[lt.aliasOf]! : bufferOf[i]!));
	}
	const scratch = scratchIds.map((s) => ({ op: s.op, size: s.size, offset: planner.getOffset(s.id) }));
	return { tensorOffsets, scratch, peakBytes: planner.maximumMemorySize(), lifetimes, planner };
}
