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
import { AD, CP, CV, CVT, FC, OP, PL, RQ, RV, SM } from "./ops";
import { ARENA_ALIGNMENT, planArena } from "./planner";
import { encodePlan, readMeta } from "./plan";
import type { PlanMeta, PlanOp, TensorInfo } from "./plan";
import { activationRangeInt8, addParams, convMultipliers, quantizeMultiplier, softmaxParams } from "./quantize";
import type { QuantizeOptions } from "./quantize";
import { BuiltinOperator, TensorType, readModel, tensorTypeName, useNativeQuantization } from "./tflite";
import type { Model as ParsedModel, Operator, Padding, Tensor as ParsedTensor } from "./tflite";

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

const I8 = TensorType.INT8;
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
  readonly operators: readonly OperatorInfo[];
  /** Whether the multipliers and kernels use single rounding (else TFLite Micro's double rounding). */
  readonly singleRounding: boolean;
  /** The model file's bytes: a view of what the plan's steps point into (a Resource, or an Arena holding a copy), which it keeps alive. */
  readonly bytes: Uint8Array;
  /** Whether this load started from a valid plan (no parse, no planning). */
  readonly fromPlan: boolean;
  private readonly plan: nn.Plan;
  private readonly arena: nn.Arena;
  private readonly offsets: number[];
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
  private static create(host: HostBuffer, bytes: Uint8Array, source: string, options: LoadOptions | undefined, planPath: string | null): Model {
    try {
      return new Model(host, bytes, source, options, planPath);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw message.startsWith(`${source}: `) ? error : new Error(`${source}: ${message}`);
    }
  }

  private constructor(host: HostBuffer, bytes: Uint8Array, source: string, options: LoadOptions | undefined, planPath: string | null) {
    this.source = source;
    this.bytes = bytes;
    this.singleRounding = nn.singleRounding;
    let kept = planPath !== null ? readPlan(host, planPath) : null;
    // A plan over the caller's limit: compiling again says which tensor is too large.
    if (kept !== null && options?.arenaBytes !== undefined && kept.meta.activationBytes + kept.persistentBytes > options.arenaBytes) kept = null;
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
    this.operators = meta.operators;
    let macs = 0;
    for (const o of meta.operators) macs += o.macs;
    this.macs = macs;
    this.inputs = meta.inputs.map((t) => tensorView(source, t, meta.offsets[t.index]!, arena));
    this.outputs = meta.outputs.map((t) => tensorView(source, t, meta.offsets[t.index]!, arena));
  }

  input(i: number): Tensor {
    const t = this.inputs[i];
    if (t === undefined) throw new RangeError(`${this.source}: no input ${i} (the model has ${this.inputs.length})`);
    return t;
  }

  output(i: number): Tensor {
    const t = this.outputs[i];
    if (t === undefined) throw new RangeError(`${this.source}: no output ${i} (the model has ${this.outputs.length})`);
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
    if (t === undefined) throw new RangeError(`${this.source}: no tensor ${index} (the model has ${this.parsed.tensors.length})`);
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
  meta: PlanMeta;
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
      why = (error as Error).message;
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
    operators: m.operators.map((op, i) => ({ index: op.index, name: op.name, macs: prep.macs[i] ?? 0, scratchBytes: scratch[i]! })),
    activationBytes: plan.peakBytes,
    scratchBytes: scratch.reduce((a, b) => a + b, 0),
    weightBytes: prep.weightBytes(),
  };
  for (const t of meta.inputs.concat(meta.outputs))
    if (meta.offsets[t.index]! < 0) fail(source, `tensor ${t.index} (${t.name}) is a graph input or output without arena memory`);
  const planBytes = encodePlan(bytes, plan.peakBytes, ops, prep.dataBytes(), (data) => prep.fillData(data), meta);
  const total = planBytes.byteLength + plan.peakBytes;
  if (options?.arenaBytes !== undefined && total > options.arenaBytes) {
    let largest = -1;
    plan.lifetimes.forEach((lt, i) => {
      if (lt !== null && (largest < 0 || lt.size > plan.lifetimes[largest]!.size)) largest = i;
    });
    const t = largest >= 0 ? m.tensors[largest]! : null;
    fail(source, `needs ${total} bytes of arena, only ${options.arenaBytes} given` +
      (t !== null ? ` (largest tensor ${t.index} "${t.name}" [${t.shape.join(", ")}] is ${t.byteSize} bytes)` : ""));
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
    index: t.index, name: t.name, float, shape: t.shape.slice(),
    scale: float || q === null ? 1 : q.scale[0]!, zeroPoint: float || q === null ? 0 : q.zeroPoint[0]!,
    byteSize: t.byteSize, elementCount: t.elementCount,
  };
}

function tensorView(source: string, t: TensorInfo, offset: number, arena: nn.Arena): Tensor {
  if (offset < 0) fail(source, `tensor ${t.index} (${t.name}) is a graph input or output without arena memory`);
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

/**
 * The multiplier and shift side allocations (channels words each, in that
 * order), computed in C straight into the plan when the scales are a typed
 * view (always, on XS): no per-channel arrays to copy and collect.
 */
function multiplierSides(inputScale: number, filterScales: Float32Array | number[], outputScale: number, channels: number, q: QuantizeOptions): Persistent[] {
  if (filterScales instanceof Float32Array) {
    const singleRounding = q.singleRounding === true;
    return [
      {
        words: channels,
        fill: (data, at) => {
          const m = at >> 2;
          nn.convMultipliers(inputScale, filterScales, outputScale, singleRounding, data.subarray(m, m + channels), data.subarray(m + channels, m + 2 * channels));
        },
      },
      // Written with the multipliers, just before it in the arena.
      { words: channels, fill: () => undefined },
    ];
  }
  const mult = convMultipliers(inputScale, filterScales, outputScale, channels, q);
  return [
    { words: channels, fill: (data, at) => data.set(mult.multipliers, at >> 2) },
    { words: channels, fill: (data, at) => data.set(mult.shifts, at >> 2) },
  ];
}

/** A constant of the plan: words to reserve, then what to write there (`at` in bytes). */
interface Persistent {
  words: number;
  fill: (data: Int32Array, at: number) => void;
}

/** One operator, prepared: its block (and side allocations) and how to fill it. */
interface Prepared {
  /** OP.* */
  kind: number;
  weights: Uint8Array | null;
  words: number;
  side: Persistent[];
  /** Writes the block; `sides` are the byte offsets of the side allocations in the plan's constants. */
  fill: (b: Int32Array, at: number, ctx: FillContext) => void;
}

interface FillContext {
  offsets: number[];
  sides: number[];
  scratch: number;
  scratchSize: number;
}

interface Geometry {
  outH: number;
  outW: number;
  padH: number;
  padW: number;
}

/** TFLite's ComputePaddingHeightWidth (padding.h) for one operator. */
function geometry(padding: Padding, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, dH: number, dW: number): Geometry {
  const ekH = (kH - 1) * dH + 1;
  const ekW = (kW - 1) * dW + 1;
  const out = (size: number, ek: number, s: number): number =>
    padding === "SAME" ? Math.floor((size + s - 1) / s) : Math.floor((size - ek + s) / s);
  const outH = out(inH, ekH, sH);
  const outW = out(inW, ekW, sW);
  const pad = (o: number, s: number, ek: number, size: number): number => Math.max(0, Math.floor(((o - 1) * s + ek - size) / 2));
  return { outH, outW, padH: pad(outH, sH, ekH, inH), padW: pad(outW, sW, ekW, inW) };
}

class Preparer {
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

  private err(op: Operator, message: string): never {
    fail(this.m.source, `operator ${op.index} (${op.name}): ${message}`);
  }

  private tensor(op: Operator, ti: number | undefined, what: string): ParsedTensor {
    if (ti === undefined || ti < 0) this.err(op, `${what} is missing`);
    return this.m.tensors[ti]!;
  }

  private rank4(op: Operator, t: ParsedTensor, what: string): [number, number, number, number] {
    if (t.shape.length !== 4) this.err(op, `${what} tensor ${t.index} (${t.name}) has shape [${t.shape.join(", ")}], expected rank 4`);
    for (const d of t.shape) if (d < 1) this.err(op, `${what} tensor ${t.index} (${t.name}) has an empty dimension`);
    return t.shape as [number, number, number, number];
  }

  /** Per-tensor quantization of an int8 activation. */
  private act(op: Operator, t: ParsedTensor, what: string): { scale: number; zeroPoint: number } {
    const q = t.quantization;
    if (q === null) this.err(op, `${what} tensor ${t.index} (${t.name}) is not quantized`);
    if (q.scale.length !== 1) this.err(op, `${what} tensor ${t.index} (${t.name}) has ${q.scale.length} scales, expected one (per-tensor)`);
    const zp = q.zeroPoint[0]!;
    if (zp < -128 || zp > 127) this.err(op, `${what} tensor ${t.index} (${t.name}) zero point ${zp} is outside int8`);
    return { scale: q.scale[0]!, zeroPoint: zp };
  }

  private constData(op: Operator, t: ParsedTensor, what: string): Uint8Array {
    if (t.data === null) this.err(op, `${what} tensor ${t.index} (${t.name}) must be a constant`);
    return t.data.subarray(0, t.byteSize);
  }

  private sameShape(op: Operator, a: ParsedTensor, b: ParsedTensor): void {
    if (a.elementCount !== b.elementCount || a.shape.join() !== b.shape.join())
      this.err(op, `tensor ${a.index} [${a.shape.join(", ")}] and tensor ${b.index} [${b.shape.join(", ")}] differ in shape (broadcasting is not supported)`);
  }

  /** Scratch bytes the kernel needs (from its get_buffer_size). */
  scratchFor(op: Operator): number {
    const p = this.prepared[op.index]!;
    return p.kind === OP.CONV || p.kind === OP.DEPTHWISE || p.kind === OP.FULLY_CONNECTED || p.kind === OP.POOL ? this.scratchSizes[op.index] ?? 0 : 0;
  }

  private readonly scratchSizes: number[] = [];

  /** Byte offsets of every operator's side allocations in the plan's constants, laid out once. */
  private sides: number[][] | null = null;
  private constantBytes = 0;

  private layout(): number[][] {
    if (this.sides === null) {
      let at = 0;
      this.sides = this.prepared.map((p) => p.side.map((side) => {
        const here = at;
        at += side.words * 4;
        return here;
      }));
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
      fill: (i32: Int32Array, at: number) => p.fill(i32, at, { offsets, sides: sides[i]!, scratch: scratchOffsets[i]!, scratchSize: scratch[i]! }),
    }));
  }

  private prepare(op: Operator): Prepared {
    switch (op.builtinCode) {
      case BuiltinOperator.CONV_2D:
      case BuiltinOperator.DEPTHWISE_CONV_2D:
        return this.conv(op);
      case BuiltinOperator.FULLY_CONNECTED:
        return this.fullyConnected(op);
      case BuiltinOperator.AVERAGE_POOL_2D:
      case BuiltinOperator.MAX_POOL_2D:
        return this.pool(op);
      case BuiltinOperator.SOFTMAX:
        return this.softmax(op);
      case BuiltinOperator.ADD:
        return this.add(op);
      case BuiltinOperator.RESHAPE:
        return this.reshape(op);
      case BuiltinOperator.REVERSE_V2:
        return this.reverse(op);
      case BuiltinOperator.QUANTIZE:
        return this.quantize(op);
      case BuiltinOperator.DEQUANTIZE:
        return this.dequantize(op);
      default:
        return this.err(op, `unsupported operator ${op.name} at index ${op.index}`);
    }
  }

  /** Side allocation: a constant's bytes copied into the arena (aligned for int32 reads). */
  private bytes(data: Uint8Array): Persistent {
    return { words: Math.ceil(data.byteLength / 4), fill: (d, at) => new Uint8Array(d.buffer, d.byteOffset + at, data.byteLength).set(data) };
  }

  private conv(op: Operator): Prepared {
    const depthwise = op.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D;
    const o = op.options;
    if (o.kind !== "conv2d" && o.kind !== "depthwise_conv2d") return this.err(op, "options missing");
    const input = this.tensor(op, op.inputs[0], "input");
    const filter = this.tensor(op, op.inputs[1], "filter");
    const biasIndex = op.inputs[2];
    const bias = biasIndex === undefined || biasIndex < 0 ? null : this.m.tensors[biasIndex]!;
    const output = this.tensor(op, op.outputs[0], "output");
    const [n, h, w, c] = this.rank4(op, input, "input");
    const [fn, fh, fw, fc] = this.rank4(op, filter, "filter");
    const [on, oh, ow, oc] = this.rank4(op, output, "output");
    const weights = this.constData(op, filter, "filter");
    let chMult = 1;
    if (depthwise) {
      if (fn !== 1) this.err(op, `filter shape [${filter.shape.join(", ")}] must be [1, H, W, C_OUT]`);
      if (fc !== oc || oc % c !== 0) this.err(op, `filter channels ${fc} / input channels ${c} / output channels ${oc} disagree`);
      chMult = oc / c;
      if (o.kind === "depthwise_conv2d" && o.depthMultiplier !== 0 && o.depthMultiplier !== chMult)
        this.err(op, `depth_multiplier ${o.depthMultiplier} does not match ${oc} / ${c} channels`);
    } else {
      if (fn !== oc) this.err(op, `filter has ${fn} output channels, output has ${oc}`);
      if (c % fc !== 0) this.err(op, `input channels ${c} are not a multiple of the filter's ${fc}`);
      // Grouped convolution: each of the c / fc groups owns as many output channels.
      if (oc % (c / fc) !== 0) this.err(op, `${oc} output channels do not split into ${c / fc} groups`);
    }
    const g = geometry(o.padding, h, w, fh, fw, o.strideH, o.strideW, o.dilationH, o.dilationW);
    if (on !== n || oh !== g.outH || ow !== g.outW)
      this.err(op, `output shape [${output.shape.join(", ")}] does not follow from input [${input.shape.join(", ")}] (expected [${n}, ${g.outH}, ${g.outW}, ${oc}])`);
    if (g.outH < 1 || g.outW < 1) this.err(op, "the filter is larger than the input");
    const iq = this.act(op, input, "input");
    const outq = this.act(op, output, "output");
    const fq = filter.quantization;
    if (fq === null) this.err(op, `filter tensor ${filter.index} (${filter.name}) is not quantized`);
    if (fq.scale.length !== 1 && fq.scale.length !== oc) this.err(op, `filter has ${fq.scale.length} scales for ${oc} output channels`);
    // An index loop: for-of makes an iterator result per channel, garbage the XS heap must collect.
    const fzps = fq.zeroPoint;
    for (let k = 0; k < fzps.length; k++) if (fzps[k] !== 0) this.err(op, `filter zero point ${fzps[k]} must be 0 (symmetric int8 weights)`);
    let biasData: Uint8Array | null = null;
    if (bias !== null) {
      if (bias.type !== TensorType.INT32 || bias.elementCount !== oc) this.err(op, `bias tensor ${bias.index} (${bias.name}) must be ${oc} int32 values`);
      biasData = this.constData(op, bias, "bias");
    }
    const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
    const inputOffset = -iq.zeroPoint;
    const scratch = depthwise
      ? nn.depthwiseScratch(n, h, w, c, fn, fh, fw, fc, on, oh, ow, oc, o.strideW, o.strideH, g.padW, g.padH, o.dilationW, o.dilationH, inputOffset, outq.zeroPoint, chMult)
      : nn.convScratch(n, h, w, c, fn, fh, fw, fc, on, oh, ow, oc, o.strideW, o.strideH, g.padW, g.padH, o.dilationW, o.dilationH, inputOffset, outq.zeroPoint);
    this.scratchSizes[op.index] = scratch;
    this.macs[op.index] = n * oh * ow * oc * fh * fw * (depthwise ? 1 : fc);
    const side = multiplierSides(iq.scale, fq.scale, outq.scale, oc, this.q);
    if (biasData !== null) side.push(this.bytes(biasData));
    return {
      kind: depthwise ? OP.DEPTHWISE : OP.CONV,
      weights,
      words: CV.WORDS,
      side,
      fill: (b, at, ctx) => {
        const set = (k: number, v: number): void => { b[at + k] = v; };
        set(CV.IN, ctx.offsets[input.index]!);
        set(CV.OUT, ctx.offsets[output.index]!);
        [n, h, w, c].forEach((d, k) => set(CV.IN_N + k, d));
        [on, oh, ow, oc].forEach((d, k) => set(CV.OUT_N + k, d));
        [fn, fh, fw, fc].forEach((d, k) => set(CV.F_N + k, d));
        set(CV.STRIDE_W, o.strideW); set(CV.STRIDE_H, o.strideH);
        set(CV.PAD_W, g.padW); set(CV.PAD_H, g.padH);
        set(CV.DIL_W, o.dilationW); set(CV.DIL_H, o.dilationH);
        set(CV.IN_OFFSET, inputOffset); set(CV.OUT_OFFSET, outq.zeroPoint);
        set(CV.ACT_MIN, range.min); set(CV.ACT_MAX, range.max);
        set(CV.MULT, ctx.sides[0]!); set(CV.SHIFT, ctx.sides[1]!);
        set(CV.BIAS, biasData !== null ? ctx.sides[2]! : -1);
        set(CV.SCRATCH, ctx.scratch); set(CV.SCRATCH_SIZE, ctx.scratchSize);
        set(CV.CH_MULT, chMult);
      },
    };
  }

  private fullyConnected(op: Operator): Prepared {
    const o = op.options;
    if (o.kind !== "fully_connected") return this.err(op, "options missing");
    const input = this.tensor(op, op.inputs[0], "input");
    const filter = this.tensor(op, op.inputs[1], "weights");
    const biasIndex = op.inputs[2];
    const bias = biasIndex === undefined || biasIndex < 0 ? null : this.m.tensors[biasIndex]!;
    const output = this.tensor(op, op.outputs[0], "output");
    if (filter.shape.length !== 2) this.err(op, `weights shape [${filter.shape.join(", ")}] must be [units, depth]`);
    const [units, accum] = filter.shape as [number, number];
    if (units < 1 || accum < 1 || input.elementCount % accum !== 0)
      this.err(op, `input of ${input.elementCount} values does not split into rows of ${accum}`);
    const batches = input.elementCount / accum;
    if (output.elementCount !== batches * units)
      this.err(op, `output shape [${output.shape.join(", ")}] does not hold ${batches} x ${units} values`);
    const weights = this.constData(op, filter, "weights");
    const iq = this.act(op, input, "input");
    const outq = this.act(op, output, "output");
    const fq = filter.quantization;
    if (fq === null) this.err(op, `weights tensor ${filter.index} (${filter.name}) is not quantized`);
    if (fq.scale.length !== 1) this.err(op, `per-channel weights (${fq.scale.length} scales) are not supported for FULLY_CONNECTED`);
    const fzp = fq.zeroPoint[0] ?? 0;
    if (fzp < -127 || fzp > 128) this.err(op, `weights zero point ${fzp} is out of range`);
    let biasData: Uint8Array | null = null;
    if (bias !== null) {
      if (bias.type !== TensorType.INT32 || bias.elementCount !== units) this.err(op, `bias tensor ${bias.index} (${bias.name}) must be ${units} int32 values`);
      biasData = this.constData(op, bias, "bias");
    }
    const mq = quantizeMultiplier((iq.scale * fq.scale[0]!) / outq.scale, this.q);
    const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
    this.scratchSizes[op.index] = nn.fullyConnectedScratch(accum, units);
    this.macs[op.index] = batches * accum * units;
    return {
      kind: OP.FULLY_CONNECTED,
      weights,
      words: FC.WORDS,
      side: biasData !== null ? [this.bytes(biasData)] : [],
      fill: (b, at, ctx) => {
        const set = (k: number, v: number): void => { b[at + k] = v; };
        set(FC.IN, ctx.offsets[input.index]!); set(FC.BATCHES, batches); set(FC.ACCUM, accum);
        set(FC.OUT, ctx.offsets[output.index]!); set(FC.OUT_C, units);
        set(FC.IN_OFFSET, -iq.zeroPoint); set(FC.FILTER_OFFSET, -fzp); set(FC.OUT_OFFSET, outq.zeroPoint);
        set(FC.ACT_MIN, range.min); set(FC.ACT_MAX, range.max);
        set(FC.MULT, mq.multiplier); set(FC.SHIFT, mq.shift);
        set(FC.BIAS, biasData !== null ? ctx.sides[0]! : -1);
        set(FC.SCRATCH, ctx.scratch); set(FC.SCRATCH_SIZE, ctx.scratchSize);
      },
    };
  }

  private pool(op: Operator): Prepared {
    const o = op.options;
    if (o.kind !== "pool2d") return this.err(op, "options missing");
    const input = this.tensor(op, op.inputs[0], "input");
    const output = this.tensor(op, op.outputs[0], "output");
    const [n, h, w, c] = this.rank4(op, input, "input");
    const [on, oh, ow, oc] = this.rank4(op, output, "output");
    const g = geometry(o.padding, h, w, o.filterH, o.filterW, o.strideH, o.strideW, 1, 1);
    if (on !== n || oh !== g.outH || ow !== g.outW || oc !== c)
      this.err(op, `output shape [${output.shape.join(", ")}] does not follow from input [${input.shape.join(", ")}] (expected [${n}, ${g.outH}, ${g.outW}, ${c}])`);
    if (g.outH < 1 || g.outW < 1) this.err(op, "the window is larger than the input");
    // A window entirely in the padding has no value (TFLite errors too).
    if (g.padH >= o.filterH || g.padW >= o.filterW) this.err(op, "a pooling window lies entirely in the padding");
    const iq = this.act(op, input, "input");
    const outq = this.act(op, output, "output");
    if (iq.scale !== outq.scale || iq.zeroPoint !== outq.zeroPoint) this.err(op, "input and output quantization must be equal");
    const range = activationRangeInt8(o.activation, outq.scale, outq.zeroPoint);
    const isMax = op.builtinCode === BuiltinOperator.MAX_POOL_2D;
    this.scratchSizes[op.index] = isMax ? 0 : nn.avgPoolScratch(ow, c);
    this.macs[op.index] = 0;
    return {
      kind: OP.POOL,
      weights: null,
      words: PL.WORDS,
      side: [],
      fill: (b, at, ctx) => {
        const set = (k: number, v: number): void => { b[at + k] = v; };
        set(PL.IN, ctx.offsets[input.index]!); set(PL.OUT, ctx.offsets[output.index]!);
        [n, h, w, c].forEach((d, k) => set(PL.IN_N + k, d));
        [on, oh, ow, oc].forEach((d, k) => set(PL.OUT_N + k, d));
        set(PL.F_H, o.filterH); set(PL.F_W, o.filterW);
        set(PL.STRIDE_W, o.strideW); set(PL.STRIDE_H, o.strideH);
        set(PL.PAD_W, g.padW); set(PL.PAD_H, g.padH);
        set(PL.ACT_MIN, range.min); set(PL.ACT_MAX, range.max);
        set(PL.MAX, isMax ? 1 : 0);
        set(PL.SCRATCH, ctx.scratch); set(PL.SCRATCH_SIZE, ctx.scratchSize);
      },
    };
  }

  private softmax(op: Operator): Prepared {
    const o = op.options;
    if (o.kind !== "softmax") return this.err(op, "options missing");
    const input = this.tensor(op, op.inputs[0], "input");
    const output = this.tensor(op, op.outputs[0], "output");
    this.sameShape(op, input, output);
    if (input.shape.length < 1) this.err(op, "input must have at least one dimension");
    const rowSize = input.shape[input.shape.length - 1]!;
    if (rowSize < 1 || rowSize > 4095) this.err(op, `rows of ${rowSize} values are not supported (1 to 4095)`);
    const rows = input.elementCount / rowSize;
    const iq = this.act(op, input, "input");
    const outq = this.act(op, output, "output");
    if (outq.zeroPoint !== -128 || Math.abs(outq.scale - 1 / 256) > 1e-8)
      this.err(op, `output quantization must be scale 1/256, zero point -128 (got ${outq.scale}, ${outq.zeroPoint})`);
    // The kernel rescales with SRDHM in either rounding build (see
    // arm_softmax_s8), so its parameters are those of TFLite's default build.
    const p = softmaxParams(o.beta, iq.scale);
    this.macs[op.index] = 0;
    return {
      kind: OP.SOFTMAX,
      weights: null,
      words: SM.WORDS,
      side: [],
      fill: (b, at, ctx) => {
        b[at + SM.IN] = ctx.offsets[input.index]!; b[at + SM.OUT] = ctx.offsets[output.index]!;
        b[at + SM.ROWS] = rows; b[at + SM.ROW_SIZE] = rowSize;
        b[at + SM.MULT] = p.inputMultiplier; b[at + SM.SHIFT] = p.inputLeftShift; b[at + SM.DIFF_MIN] = p.diffMin;
      },
    };
  }

  private add(op: Operator): Prepared {
    const o = op.options;
    if (o.kind !== "add") return this.err(op, "options missing");
    const a = this.tensor(op, op.inputs[0], "input 1");
    const b2 = this.tensor(op, op.inputs[1], "input 2");
    const output = this.tensor(op, op.outputs[0], "output");
    this.sameShape(op, a, b2);
    this.sameShape(op, a, output);
    if (a.data !== null || b2.data !== null) this.err(op, "constant inputs are not supported");
    const p = addParams(this.act(op, a, "input 1"), this.act(op, b2, "input 2"), this.act(op, output, "output"), o.activation, this.q);
    const count = output.elementCount;
    this.macs[op.index] = 0;
    return {
      kind: OP.ADD,
      weights: null,
      words: AD.WORDS,
      side: [],
      fill: (b, at, ctx) => {
        const set = (k: number, v: number): void => { b[at + k] = v; };
        set(AD.IN1, ctx.offsets[a.index]!); set(AD.IN2, ctx.offsets[b2.index]!); set(AD.OUT, ctx.offsets[output.index]!);
        set(AD.COUNT, count);
        set(AD.IN1_OFFSET, p.input1Offset); set(AD.IN1_MULT, p.input1Multiplier); set(AD.IN1_SHIFT, p.input1Shift);
        set(AD.IN2_OFFSET, p.input2Offset); set(AD.IN2_MULT, p.input2Multiplier); set(AD.IN2_SHIFT, p.input2Shift);
        set(AD.LEFT_SHIFT, p.leftShift); set(AD.OUT_OFFSET, p.outputOffset);
        set(AD.OUT_MULT, p.outputMultiplier); set(AD.OUT_SHIFT, p.outputShift);
        set(AD.ACT_MIN, p.activationMin); set(AD.ACT_MAX, p.activationMax);
      },
    };
  }

  private reshape(op: Operator): Prepared {
    const input = this.tensor(op, op.inputs[0], "input");
    const output = this.tensor(op, op.outputs[0], "output");
    if (input.elementCount !== output.elementCount || input.type !== output.type)
      this.err(op, `cannot reshape [${input.shape.join(", ")}] to [${output.shape.join(", ")}]`);
    this.macs[op.index] = 0;
    const count = output.byteSize;
    // A constant input is copied once into the plan's constants; an
    // activation input shares the output's bytes (planner aliasing), and
    // the kernel copies only if the plan gave them different places.
    const constant = input.data !== null ? this.bytes(input.data.subarray(0, count)) : null;
    return {
      kind: OP.COPY,
      weights: null,
      words: CP.WORDS,
      side: constant !== null ? [constant] : [],
      fill: (b, at, ctx) => {
        b[at + CP.SRC] = constant !== null ? ctx.sides[0]! : ctx.offsets[input.index]!;
        b[at + CP.DST] = ctx.offsets[output.index]!;
        b[at + CP.COUNT] = count;
        b[at + CP.CONST] = constant !== null ? 1 : 0;
      },
    };
  }

  /**
   * REVERSE_V2 with one axis, as TFLite's Prepare checks it: a constant int32
   * axis holding one value in [-rank, rank) (negative counts from the end),
   * the output the input's shape. int8 keeps the input's quantization (the
   * kernel only moves bytes), so the output must carry the same scale and
   * zero point. Any rank: the kernel sees [outer, 1, axis, inner] unless the
   * tensor is already rank 4.
   */
  private reverse(op: Operator): Prepared {
    const input = this.tensor(op, op.inputs[0], "input");
    const axisTensor = this.tensor(op, op.inputs[1], "axis");
    const output = this.tensor(op, op.outputs[0], "output");
    const axisName = `axis tensor ${axisTensor.index} (${axisTensor.name})`;
    if (axisTensor.data === null) this.err(op, `${axisName} must be a constant`);
    if (axisTensor.elementCount !== 1 || axisTensor.shape.length > 1)
      this.err(op, `${axisName} has shape [${axisTensor.shape.join(", ")}], expected one value (reversing several axes is not supported)`);
    const a = axisTensor.data;
    const stored = a[0]! | (a[1]! << 8) | (a[2]! << 16) | (a[3]! << 24);
    const rank = input.shape.length;
    if (stored < -rank || stored >= rank) this.err(op, `${axisName} holds ${stored}, outside [${-rank}, ${rank - 1}] for the rank ${rank} input`);
    const axis = stored < 0 ? stored + rank : stored;
    this.sameShape(op, input, output);
    for (const d of input.shape) if (d < 1) this.err(op, `input tensor ${input.index} (${input.name}) has an empty dimension`);
    if (input.data !== null) this.err(op, `input tensor ${input.index} (${input.name}) is a constant (not supported)`);
    const iq = this.act(op, input, "input");
    const outq = this.act(op, output, "output");
    if (iq.scale !== outq.scale || iq.zeroPoint !== outq.zeroPoint)
      this.err(op, `output quantization (scale ${outq.scale}, zero point ${outq.zeroPoint}) must equal the input's (${iq.scale}, ${iq.zeroPoint})`);
    let dims: number[];
    let kernelAxis = axis;
    if (rank === 4) {
      dims = input.shape.slice();
    } else {
      let outer = 1;
      let inner = 1;
      for (let k = 0; k < axis; k++) outer *= input.shape[k]!;
      for (let k = axis + 1; k < rank; k++) inner *= input.shape[k]!;
      dims = [outer, 1, input.shape[axis]!, inner];
      kernelAxis = 2;
    }
    this.macs[op.index] = 0;
    return {
      kind: OP.REVERSE,
      weights: null,
      words: RV.WORDS,
      side: [],
      fill: (b, at, ctx) => {
        b[at + RV.IN] = ctx.offsets[input.index]!; b[at + RV.OUT] = ctx.offsets[output.index]!;
        b[at + RV.N] = dims[0]!; b[at + RV.H] = dims[1]!; b[at + RV.W] = dims[2]!; b[at + RV.C] = dims[3]!;
        b[at + RV.AXIS] = kernelAxis;
      },
    };
  }

  private quantize(op: Operator): Prepared {
    const input = this.tensor(op, op.inputs[0], "input");
    const output = this.tensor(op, op.outputs[0], "output");
    this.sameShape(op, input, output);
    const outq = this.act(op, output, "output");
    const count = output.elementCount;
    this.macs[op.index] = 0;
    if (input.type === F32) {
      return {
        kind: OP.QUANTIZE, weights: null, words: CVT.WORDS, side: [],
        fill: (b, at, ctx) => {
          b[at + CVT.IN] = ctx.offsets[input.index]!; b[at + CVT.OUT] = ctx.offsets[output.index]!;
          b[at + CVT.COUNT] = count; b[at + CVT.SCALE] = floatBits(outq.scale); b[at + CVT.ZP] = outq.zeroPoint;
        },
      };
    }
    if (input.type !== I8) this.err(op, `input type ${tensorTypeName(input.type)} is not supported`);
    const iq = this.act(op, input, "input");
    const mq = quantizeMultiplier(iq.scale / outq.scale, this.q);
    return {
      kind: OP.REQUANTIZE, weights: null, words: RQ.WORDS, side: [],
      fill: (b, at, ctx) => {
        b[at + RQ.IN] = ctx.offsets[input.index]!; b[at + RQ.OUT] = ctx.offsets[output.index]!;
        b[at + RQ.COUNT] = count; b[at + RQ.IN_ZP] = iq.zeroPoint; b[at + RQ.OUT_ZP] = outq.zeroPoint;
        b[at + RQ.MULT] = mq.multiplier; b[at + RQ.SHIFT] = mq.shift;
      },
    };
  }

  private dequantize(op: Operator): Prepared {
    const input = this.tensor(op, op.inputs[0], "input");
    const output = this.tensor(op, op.outputs[0], "output");
    this.sameShape(op, input, output);
    if (input.type !== I8) this.err(op, `input type ${tensorTypeName(input.type)} is not supported`);
    const iq = this.act(op, input, "input");
    const count = output.elementCount;
    this.macs[op.index] = 0;
    return {
      kind: OP.DEQUANTIZE, weights: null, words: CVT.WORDS, side: [],
      fill: (b, at, ctx) => {
        b[at + CVT.IN] = ctx.offsets[input.index]!; b[at + CVT.OUT] = ctx.offsets[output.index]!;
        b[at + CVT.COUNT] = count; b[at + CVT.SCALE] = floatBits(iq.scale); b[at + CVT.ZP] = iq.zeroPoint;
      },
    };
  }
}

const bitsView = new DataView(new ArrayBuffer(4));
function floatBits(f: number): number {
  bitsView.setFloat32(0, f, true);
  return bitsView.getInt32(0, true);
}
