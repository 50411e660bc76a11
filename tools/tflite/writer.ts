/*
 * Test-side TFLite writer (Node): builds small .tflite files with the npm
 * `flatbuffers` Builder, field by field, using the schema.fbs field ids
 * (no generated code). It can also write deliberately odd files (wrong
 * version or identifier, unsupported ops, legacy opcode fields, external
 * >2GB-style buffers) so the loader's checks can be exercised.
 */

import { Builder } from "flatbuffers";

export type TensorTypeName = "float32" | "float16" | "int32" | "uint8" | "int64" | "bool" | "int16" | "int8";

const TYPE_CODES: Record<TensorTypeName, number> = {
	float32: 0,
	float16: 1,
	int32: 2,
	uint8: 3,
	int64: 4,
	bool: 6,
	int16: 7,
	int8: 9,
};

export const OP_CODES = {
	ADD: 0,
	AVERAGE_POOL_2D: 1,
	CONV_2D: 3,
	DEPTHWISE_CONV_2D: 4,
	DEQUANTIZE: 6,
	FULLY_CONNECTED: 9,
	MAX_POOL_2D: 17,
	MUL: 18,
	RESHAPE: 22,
	SOFTMAX: 25,
	CUSTOM: 32,
	MEAN: 40,
	REVERSE_V2: 105,
	QUANTIZE: 114,
} as const;
export type OpName = keyof typeof OP_CODES;

/** Op versions like the converter writes for int8 models (TFLite's resolver needs a registered version). */
const OP_VERSIONS: Record<number, number> = {
	0: 2,
	1: 2,
	3: 3,
	4: 3,
	6: 2,
	9: 4,
	17: 2,
	18: 2,
	22: 1,
	25: 2,
	105: 2,
	114: 2,
};

/** BuiltinOptions union member per op (0 = none). */
const OPTION_TYPES: Record<number, number> = {
	0: 11,
	1: 5,
	3: 1,
	4: 2,
	6: 38,
	9: 8,
	17: 5,
	18: 21,
	22: 17,
	25: 9,
	105: 81,
	114: 89,
};

export interface QuantSpec {
	scale: number[];
	zeroPoint: number[];
	quantizedDimension?: number;
}

export interface TensorSpec {
	name?: string;
	shape: number[];
	type: TensorTypeName;
	/** Constant data (little-endian element bytes are taken from the view). */
	data?: ArrayBufferView;
	quant?: QuantSpec;
	/** Force the Tensor.buffer index (to write dangling references). */
	buffer?: number;
}

export type Act = "NONE" | "RELU" | "RELU_N1_TO_1" | "RELU6";
const ACT_CODES: Record<Act, number> = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };

export interface OpOptionsSpec {
	padding?: "SAME" | "VALID";
	strideW?: number;
	strideH?: number;
	dilationW?: number;
	dilationH?: number;
	depthMultiplier?: number;
	activation?: Act;
	filterW?: number;
	filterH?: number;
	beta?: number;
	keepNumDims?: boolean;
	weightsFormat?: number;
	newShape?: number[];
	/** Write no options table at all. */
	omit?: boolean;
	/** Override the union type (to write mismatched options). */
	optionsType?: number;
}

interface OpRecord {
	code: number;
	customCode: string;
	inputs: number[];
	outputs: number[];
	options: OpOptionsSpec;
}

export interface FinishOptions {
	/** Schema version to write (default 3). */
	version?: number;
	/** File identifier (default "TFL3"). */
	identifier?: string;
	/** Store constant data after the flatbuffer, located by Buffer.offset/size (the >2GB form). */
	externalBuffers?: boolean;
	/** Write only deprecated_builtin_code, like pre-2.4 converters. */
	legacyOpcodes?: boolean;
}

function bytesOf(v: ArrayBufferView): Uint8Array {
	return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export class ModelBuilder {
	description = "xsight test model";
	private readonly tensors: TensorSpec[] = [];
	private readonly ops: OpRecord[] = [];
	private inputs: number[] = [];
	private outputs: number[] = [];

	addTensor(spec: TensorSpec): number {
		this.tensors.push(spec);
		return this.tensors.length - 1;
	}

	/** `op` is a name or a raw BuiltinOperator code (to write unsupported ops). */
	addOp(
		op: OpName | number,
		inputs: number[],
		outputs: number[],
		options: OpOptionsSpec = {},
		customCode = "",
	): number {
		const code = typeof op === "number" ? op : OP_CODES[op];
		this.ops.push({ code, customCode, inputs, outputs, options });
		return this.ops.length - 1;
	}

	setInputs(ids: number[]): this {
		this.inputs = ids;
		return this;
	}

	setOutputs(ids: number[]): this {
		this.outputs = ids;
		return this;
	}

	/** The spec a tensor was added with. */
	tensor(i: number): TensorSpec {
		const t = this.tensors[i];
		if (t === undefined) throw new Error(`writer: no tensor ${i}`);
		return t;
	}

	get tensorCount(): number {
		return this.tensors.length;
	}

	finish(options: FinishOptions = {}): Uint8Array {
		if (options.externalBuffers !== true) return this.build(options, null);
		// Two passes: offsets are fixed-width u64 fields, so the flatbuffer's
		// size does not depend on their values; measure with placeholders, then
		// write the real offsets (relative to the file start) and append the data.
		const datas = this.constantData();
		const placeholder = datas.map(() => 2);
		const first = this.build(options, placeholder);
		const offsets: number[] = [];
		let end = align16(first.byteLength);
		for (const d of datas) {
			offsets.push(end);
			end = align16(end + d.byteLength);
		}
		const fbBytes = this.build(options, offsets);
		if (fbBytes.byteLength !== first.byteLength)
			throw new Error("writer: external-buffer layout changed size between passes");
		const out = new Uint8Array(end);
		out.set(fbBytes, 0);
		datas.forEach((d, i) => out.set(d, offsets[i]!));
		return out;
	}

	private constantData(): Uint8Array[] {
		const out: Uint8Array[] = [];
		for (const t of this.tensors) if (t.data !== undefined) out.push(bytesOf(t.data));
		return out;
	}

	private build(options: FinishOptions, externalOffsets: number[] | null): Uint8Array {
		const b = new Builder(1024);

		// Buffers: 0 is the mandatory empty sentinel, then one per constant tensor.
		const bufferIndex: number[] = [];
		const bufferTables: number[] = [];
		b.startObject(3);
		bufferTables.push(b.endObject());
		let ext = 0;
		for (const t of this.tensors) {
			if (t.data === undefined) {
				bufferIndex.push(0);
				continue;
			}
			const bytes = bytesOf(t.data);
			if (externalOffsets !== null) {
				b.startObject(3);
				b.addFieldInt64(1, BigInt(externalOffsets[ext++]!), BigInt(0));
				b.addFieldInt64(2, BigInt(bytes.byteLength), BigInt(0));
				bufferTables.push(b.endObject());
			} else {
				// Buffer.data is (force_align: 16).
				b.startVector(1, bytes.byteLength, 16);
				for (let i = bytes.byteLength - 1; i >= 0; i--) b.addInt8(bytes[i]!);
				const vec = b.endVector();
				b.startObject(3);
				b.addFieldOffset(0, vec, 0);
				bufferTables.push(b.endObject());
			}
			bufferIndex.push(bufferTables.length - 1);
		}
		const buffersVec = offsetVector(b, bufferTables);

		// Tensors.
		const tensorTables: number[] = [];
		this.tensors.forEach((t, i) => {
			const name = b.createString(t.name ?? `tensor_${i}`);
			const shape = int32Vector(b, t.shape);
			let quant = 0;
			if (t.quant !== undefined) {
				b.startVector(4, t.quant.scale.length, 4);
				for (let k = t.quant.scale.length - 1; k >= 0; k--) b.addFloat32(t.quant.scale[k]!);
				const scale = b.endVector();
				b.startVector(8, t.quant.zeroPoint.length, 8);
				for (let k = t.quant.zeroPoint.length - 1; k >= 0; k--) b.addInt64(BigInt(t.quant.zeroPoint[k]!));
				const zp = b.endVector();
				b.startObject(7);
				b.addFieldOffset(2, scale, 0);
				b.addFieldOffset(3, zp, 0);
				b.addFieldInt32(6, t.quant.quantizedDimension ?? 0, 0);
				quant = b.endObject();
			}
			b.startObject(10);
			b.addFieldOffset(0, shape, 0);
			b.addFieldInt8(1, TYPE_CODES[t.type], 0);
			b.addFieldInt32(2, t.buffer ?? bufferIndex[i]!, 0);
			b.addFieldOffset(3, name, 0);
			if (quant !== 0) b.addFieldOffset(4, quant, 0);
			tensorTables.push(b.endObject());
		});
		const tensorsVec = offsetVector(b, tensorTables);

		// Operator codes, deduplicated in first-use order.
		const codeKeys: string[] = [];
		const codeList: { code: number; custom: string }[] = [];
		const opcodeIndex = this.ops.map((op) => {
			const key = `${op.code}/${op.customCode}`;
			let k = codeKeys.indexOf(key);
			if (k < 0) {
				codeKeys.push(key);
				codeList.push({ code: op.code, custom: op.customCode });
				k = codeKeys.length - 1;
			}
			return k;
		});

		const opTables = this.ops.map((op, i) => {
			const opts = this.writeOptions(b, op);
			const ins = int32Vector(b, op.inputs);
			const outs = int32Vector(b, op.outputs);
			b.startObject(13);
			b.addFieldInt32(0, opcodeIndex[i]!, 0);
			b.addFieldOffset(1, ins, 0);
			b.addFieldOffset(2, outs, 0);
			if (opts.table !== 0) {
				b.addFieldInt8(3, opts.type, 0);
				b.addFieldOffset(4, opts.table, 0);
			}
			return b.endObject();
		});
		const opsVec = offsetVector(b, opTables);

		const sgInputs = int32Vector(b, this.inputs);
		const sgOutputs = int32Vector(b, this.outputs);
		const sgName = b.createString("main");
		b.startObject(5);
		b.addFieldOffset(0, tensorsVec, 0);
		b.addFieldOffset(1, sgInputs, 0);
		b.addFieldOffset(2, sgOutputs, 0);
		b.addFieldOffset(3, opsVec, 0);
		b.addFieldOffset(4, sgName, 0);
		const subgraph = b.endObject();
		const subgraphsVec = offsetVector(b, [subgraph]);

		const codeTables = codeList.map((c) => {
			const custom = c.custom !== "" ? b.createString(c.custom) : 0;
			b.startObject(4);
			b.addFieldInt8(0, Math.min(c.code, 127), 0);
			if (custom !== 0) b.addFieldOffset(1, custom, 0);
			b.addFieldInt32(2, OP_VERSIONS[c.code] ?? 1, 1);
			if (options.legacyOpcodes !== true) b.addFieldInt32(3, c.code, 0);
			return b.endObject();
		});
		const codesVec = offsetVector(b, codeTables);

		const description = b.createString(this.description);
		b.startObject(8);
		b.addFieldInt32(0, options.version ?? 3, 0);
		b.addFieldOffset(1, codesVec, 0);
		b.addFieldOffset(2, subgraphsVec, 0);
		b.addFieldOffset(3, description, 0);
		b.addFieldOffset(4, buffersVec, 0);
		const model = b.endObject();
		b.finish(model, options.identifier ?? "TFL3");
		return b.asUint8Array().slice();
	}

	private writeOptions(b: Builder, op: OpRecord): { type: number; table: number } {
		const o = op.options;
		const type = o.optionsType ?? OPTION_TYPES[op.code] ?? 0;
		if (o.omit === true || type === 0) return { type: 0, table: 0 };
		const pad = o.padding === "VALID" ? 1 : 0;
		const act = ACT_CODES[o.activation ?? "NONE"];
		switch (op.code) {
			case OP_CODES.CONV_2D:
				b.startObject(7);
				b.addFieldInt8(0, pad, 0);
				b.addFieldInt32(1, o.strideW ?? 1, 0);
				b.addFieldInt32(2, o.strideH ?? 1, 0);
				b.addFieldInt8(3, act, 0);
				b.addFieldInt32(4, o.dilationW ?? 1, 1);
				b.addFieldInt32(5, o.dilationH ?? 1, 1);
				return { type, table: b.endObject() };
			case OP_CODES.DEPTHWISE_CONV_2D:
				b.startObject(7);
				b.addFieldInt8(0, pad, 0);
				b.addFieldInt32(1, o.strideW ?? 1, 0);
				b.addFieldInt32(2, o.strideH ?? 1, 0);
				b.addFieldInt32(3, o.depthMultiplier ?? 1, 0);
				b.addFieldInt8(4, act, 0);
				b.addFieldInt32(5, o.dilationW ?? 1, 1);
				b.addFieldInt32(6, o.dilationH ?? 1, 1);
				return { type, table: b.endObject() };
			case OP_CODES.AVERAGE_POOL_2D:
			case OP_CODES.MAX_POOL_2D:
				b.startObject(6);
				b.addFieldInt8(0, pad, 0);
				b.addFieldInt32(1, o.strideW ?? 1, 0);
				b.addFieldInt32(2, o.strideH ?? 1, 0);
				b.addFieldInt32(3, o.filterW ?? 1, 0);
				b.addFieldInt32(4, o.filterH ?? 1, 0);
				b.addFieldInt8(5, act, 0);
				return { type, table: b.endObject() };
			case OP_CODES.FULLY_CONNECTED:
				b.startObject(5);
				b.addFieldInt8(0, act, 0);
				b.addFieldInt8(1, o.weightsFormat ?? 0, 0);
				b.addFieldInt8(2, o.keepNumDims === true ? 1 : 0, 0);
				return { type, table: b.endObject() };
			case OP_CODES.SOFTMAX:
				b.startObject(1);
				b.addFieldFloat32(0, o.beta ?? 1, 0);
				return { type, table: b.endObject() };
			case OP_CODES.ADD:
			case OP_CODES.MUL:
				b.startObject(2);
				b.addFieldInt8(0, act, 0);
				return { type, table: b.endObject() };
			case OP_CODES.RESHAPE: {
				const ns = o.newShape !== undefined ? int32Vector(b, o.newShape) : 0;
				b.startObject(1);
				if (ns !== 0) b.addFieldOffset(0, ns, 0);
				return { type, table: b.endObject() };
			}
			default:
				// QUANTIZE, DEQUANTIZE, REVERSE_V2 and others: empty options tables.
				b.startObject(0);
				return { type, table: b.endObject() };
		}
	}
}

function align16(n: number): number {
	return Math.ceil(n / 16) * 16;
}

function int32Vector(b: Builder, values: number[]): number {
	b.startVector(4, values.length, 4);
	for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
	return b.endVector();
}

function offsetVector(b: Builder, offsets: number[]): number {
	b.startVector(4, offsets.length, 4);
	for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
	return b.endVector();
}
