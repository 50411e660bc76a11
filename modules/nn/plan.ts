/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * A model's plan: what Model.load prepares from a .tflite, as bytes a device
 * keeps beside the model (docs/model-plan.md). This file writes them and
 * reads the description the TypeScript side needs; native/nn checks the
 * rest, once (xs_nn_plan.h): header, CRC-32s, the model it belongs to, and
 * every op against the model, the plan's constants and the arena.
 */

import { crc32 } from "native/bytes";
import { planBuild } from "native/nn";
import { decodeUtf8 } from "./flatbuffer";

export const PLAN_MAGIC = 0x504e5358; // "XSNP"
export const PLAN_VERSION = 1;
export const PLAN_HEADER_BYTES = 56;
const OP_BYTES = 16;

/** Header fields (byte offsets, uint32 each), as xs_nn_plan.h's XS_NN_PLAN_AT_*. */
export const AT = {
  MAGIC: 0, VERSION: 4, BUILD: 8, MODEL_BYTES: 12, MODEL_CRC: 16, LENGTH: 20, PLAN_CRC: 24, ARENA: 28,
  OPS: 32, DATA: 36, DATA_BYTES: 40, META: 44, META_BYTES: 48, FIRST_OP: 52,
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

/** What the TypeScript side reads back from a plan: the Model's figures and tensors. */
export interface PlanMeta {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Every tensor's arena offset (-1: a constant, no arena memory). */
  offsets: number[];
  operators: { index: number; name: string; macs: number; scratchBytes: number }[];
  activationBytes: number;
  scratchBytes: number;
  weightBytes: number;
}

/**
 * The plan's bytes: header, op records, `dataBytes` of constants (written by
 * fillData, offsets from its start), then the description.
 */
export function encodePlan(model: Uint8Array, arenaBytes: number, ops: PlanOp[], dataBytes: number,
  fillData: (data: Int32Array) => void, meta: PlanMeta): Uint8Array {
  const text = new Uint8Array(ArrayBuffer.fromString(JSON.stringify(meta)));
  let opBytes = 0;
  for (const op of ops) opBytes += OP_BYTES + 4 * op.words;
  const dataAt = PLAN_HEADER_BYTES + opBytes;
  const metaAt = dataAt + dataBytes;
  const length = metaAt + text.byteLength;
  const bytes = new Uint8Array(length);
  const i32 = new Int32Array(bytes.buffer, 0, metaAt >> 2);
  const header = [PLAN_MAGIC, PLAN_VERSION, planBuild, model.byteLength, crc32(model), length, 0, arenaBytes,
    ops.length, dataAt, dataBytes, metaAt, text.byteLength, PLAN_HEADER_BYTES];
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

function fail(what: string): never {
  throw new Error(`its description: ${what}`);
}

// Plain loops, no callbacks: this runs on every wake that loads a model, and a JS call costs
// thousands of instructions on the Cortex-M7.
function isInt(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v);
}

function checkTensors(list: unknown): void {
  if (!Array.isArray(list)) fail("inputs or outputs missing");
  for (let i = 0; i < list.length; i++) {
    const o = list[i] as TensorInfo;
    if (typeof o !== "object" || o === null || !isInt(o.index) || typeof o.name !== "string" || typeof o.float !== "boolean" ||
      !Array.isArray(o.shape) || typeof o.scale !== "number" || !isInt(o.zeroPoint) || !isInt(o.byteSize) || !isInt(o.elementCount)) fail("a tensor is malformed");
    for (let k = 0; k < o.shape.length; k++) if (!isInt(o.shape[k])) fail("a tensor's shape is malformed");
  }
}

/**
 * The description of a plan native/nn has checked (nn.Plan): everything else in
 * it is C's. Throws when it is not what encodePlan writes; the arena views made
 * from it are bounded by the arena all the same.
 */
export function readMeta(plan: Uint8Array): PlanMeta {
  const view = new DataView(plan.buffer, plan.byteOffset, plan.byteLength);
  const at = view.getUint32(AT.META, true);
  const length = view.getUint32(AT.META_BYTES, true);
  let meta: PlanMeta;
  try {
    meta = JSON.parse(decodeUtf8(plan, at, length)) as PlanMeta;
  } catch {
    return fail("not JSON");
  }
  if (typeof meta !== "object" || meta === null || !Array.isArray(meta.offsets) || !Array.isArray(meta.operators) ||
    !isInt(meta.activationBytes) || !isInt(meta.scratchBytes) || !isInt(meta.weightBytes)) fail("fields missing");
  checkTensors(meta.inputs);
  checkTensors(meta.outputs);
  // Offsets are checked where they are used (tensor views, bounded by the arena).
  const ops = meta.operators;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (typeof op !== "object" || op === null || !isInt(op.index) || typeof op.name !== "string" || !isInt(op.macs) || !isInt(op.scratchBytes))
      fail("an operator is malformed");
  }
  return meta;
}
