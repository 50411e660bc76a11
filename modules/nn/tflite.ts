/*
 * TFLite model loader (schema version 3, file identifier "TFL3") for int8
 * inference on XS.
 *
 * Reads subgraph 0 into plain objects and validates everything an int8
 * interpreter relies on, so that prepare()/eval() never see a malformed
 * model: indices in range, shapes sane, constant data large enough,
 * supported operators and tensor types. Weights are never copied: a
 * tensor's `data` is a subarray view of the file bytes.
 *
 * Field ids below are the declaration order in TFLite's schema.fbs
 * (tensorflow/lite/schema/schema.fbs); a union occupies two ids (type, value).
 */

import { FlatBuffer, type Table, type Vector, fail } from "./flatbuffer";

// ---- schema facts ---------------------------------------------------------

/** TensorType enum values (schema.fbs). */
export const TensorType = {
	FLOAT32: 0,
	FLOAT16: 1,
	INT32: 2,
	UINT8: 3,
	INT64: 4,
	STRING: 5,
	BOOL: 6,
	INT16: 7,
	COMPLEX64: 8,
	INT8: 9,
	FLOAT64: 10,
	COMPLEX128: 11,
	UINT64: 12,
	RESOURCE: 13,
	VARIANT: 14,
	UINT32: 15,
	UINT16: 16,
	INT4: 17,
} as const;

const TENSOR_TYPE_NAMES = [
	"FLOAT32",
	"FLOAT16",
	"INT32",
	"UINT8",
	"INT64",
	"STRING",
	"BOOL",
	"INT16",
	"COMPLEX64",
	"INT8",
	"FLOAT64",
	"COMPLEX128",
	"UINT64",
	"RESOURCE",
	"VARIANT",
	"UINT32",
	"UINT16",
	"INT4",
];

/** Bytes per element; 0 for types without a fixed size (STRING, RESOURCE, INT4...). */
const TENSOR_TYPE_SIZES = [4, 2, 4, 1, 8, 0, 1, 2, 8, 1, 8, 16, 8, 0, 0, 4, 2, 0];

export function tensorTypeName(type: number): string {
	return TENSOR_TYPE_NAMES[type] ?? `TYPE_${type}`;
}
export function tensorTypeSize(type: number): number {
	return TENSOR_TYPE_SIZES[type] ?? 0;
}

/** The BuiltinOperator codes this loader accepts (schema.fbs values). */
export const BuiltinOperator = {
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
	REVERSE_V2: 105,
	QUANTIZE: 114,
} as const;

const OP_NAMES: Record<number, string> = {
	0: "ADD",
	1: "AVERAGE_POOL_2D",
	2: "CONCATENATION",
	3: "CONV_2D",
	4: "DEPTHWISE_CONV_2D",
	5: "DEPTH_TO_SPACE",
	6: "DEQUANTIZE",
	9: "FULLY_CONNECTED",
	14: "LOGISTIC",
	17: "MAX_POOL_2D",
	18: "MUL",
	19: "RELU",
	21: "RELU6",
	22: "RESHAPE",
	25: "SOFTMAX",
	28: "TANH",
	32: "CUSTOM",
	34: "PAD",
	39: "TRANSPOSE",
	40: "MEAN",
	41: "SUB",
	43: "SQUEEZE",
	45: "STRIDED_SLICE",
	67: "TRANSPOSE_CONV",
	97: "RESIZE_NEAREST_NEIGHBOR",
	105: "REVERSE_V2",
	114: "QUANTIZE",
	117: "HARD_SWISH",
	126: "BATCH_MATMUL",
};

export function builtinOperatorName(code: number): string {
	return OP_NAMES[code] ?? `BUILTIN_${code}`;
}

/** BuiltinOptions union member indices (schema.fbs union order, NONE = 0). */
const Options = {
	Conv2D: 1,
	DepthwiseConv2D: 2,
	Pool2D: 5,
	FullyConnected: 8,
	Softmax: 9,
	Add: 11,
	Reshape: 17,
	Mul: 21,
	Dequantize: 38,
	ReverseV2: 81,
	Quantize: 89,
} as const;

export type Padding = "SAME" | "VALID";
export type Activation = "NONE" | "RELU" | "RELU_N1_TO_1" | "RELU6";

const ACTIVATIONS: readonly Activation[] = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6"];
const ACTIVATION_NAMES = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"];

/** Caps that reject absurd shapes before anything is sized from them. */
export const MAX_RANK = 8;
export const MAX_DIM = 1 << 24;
export const MAX_ELEMENTS = 1 << 26;
/** No supported operator has more than a handful of inputs/outputs. */
const MAX_OP_IO = 16;

// ---- result types ---------------------------------------------------------

export interface Quantization {
	/**
	 * One entry for per-tensor, one per channel for per-channel. On XS a
	 * Float32Array viewing the file's bytes (no copy) and an Int32Array, with
	 * their per-element checks done in C (useNativeQuantization); elsewhere
	 * plain arrays. The values are the same either way.
	 */
	scale: number[] | Float32Array;
	zeroPoint: number[] | Int32Array;
	/** As stored; TFLM ignores it on rank-1 bias tensors (person_detect has 3). */
	quantizedDimension: number;
}

export interface Tensor {
	index: number;
	name: string;
	shape: number[];
	type: number;
	/** Index into the model's buffers (0 = no data). */
	buffer: number;
	/** Constant data as a view of the file bytes, or null for activations. */
	data: Uint8Array | null;
	quantization: Quantization | null;
	isVariable: boolean;
	elementCount: number;
	/** elementCount * element size. */
	byteSize: number;
}

export interface OperatorCode {
	/** max(builtin_code, deprecated_builtin_code), as TFLite's GetBuiltinCode. */
	builtinCode: number;
	customCode: string;
	version: number;
}

export interface Conv2DOptions {
	kind: "conv2d";
	padding: Padding;
	strideW: number;
	strideH: number;
	dilationW: number;
	dilationH: number;
	activation: Activation;
}
export interface DepthwiseConv2DOptions {
	kind: "depthwise_conv2d";
	padding: Padding;
	strideW: number;
	strideH: number;
	depthMultiplier: number;
	dilationW: number;
	dilationH: number;
	activation: Activation;
}
export interface Pool2DOptions {
	kind: "pool2d";
	padding: Padding;
	strideW: number;
	strideH: number;
	filterW: number;
	filterH: number;
	activation: Activation;
}
export interface FullyConnectedOptions {
	kind: "fully_connected";
	activation: Activation;
	/** 0 = DEFAULT; SHUFFLED4x16INT8 (1) is rejected at load. */
	weightsFormat: number;
	keepNumDims: boolean;
}
export interface SoftmaxOptions {
	kind: "softmax";
	beta: number;
}
export interface AddOptions {
	kind: "add";
	activation: Activation;
}
export interface MulOptions {
	kind: "mul";
	activation: Activation;
}
export interface ReshapeOptions {
	kind: "reshape";
	/** null when the options (or the field) are absent: the shape then comes from input 1 or the output tensor. */
	newShape: number[] | null;
}
export interface NoOptions {
	kind: "none";
}
export type OperatorOptions =
	| Conv2DOptions
	| DepthwiseConv2DOptions
	| Pool2DOptions
	| FullyConnectedOptions
	| SoftmaxOptions
	| AddOptions
	| MulOptions
	| ReshapeOptions
	| NoOptions;

export interface Operator {
	index: number;
	/** Index into operatorCodes. */
	opcodeIndex: number;
	builtinCode: number;
	name: string;
	/** Tensor indices; -1 marks an omitted optional input. */
	inputs: number[];
	outputs: number[];
	options: OperatorOptions;
}

export interface Model {
	source: string;
	version: number;
	description: string;
	operatorCodes: OperatorCode[];
	subgraphCount: number;
	tensors: Tensor[];
	inputs: number[];
	outputs: number[];
	operators: Operator[];
	/** Every model buffer as a view of the file bytes (empty view = no data). */
	buffers: Uint8Array[];
}

// ---- field ids ---------------------------------------------------------------

const F_MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 };
const F_OPCODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 };
const F_SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 };
const F_TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6 };
const F_QUANT = { min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, quantizedDimension: 6 };
const F_OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, customOptions: 5 };
const F_BUFFER = { data: 0, offset: 1, size: 2 };

// ---- per-operator I/O contract ---------------------------------------------

/**
 * Which tensor types each operator accepts, position by position. The
 * loader enforces only types and counts; ranks and quantization consistency
 * belong to each kernel's prepare(). float32 appears only where TFLite
 * converts at the graph boundary (QUANTIZE input, DEQUANTIZE output); a
 * float32 or int16 activation anywhere else is rejected.
 */
interface OpContract {
	options: number; // expected BuiltinOptions member, 0 = none
	minInputs: number;
	maxInputs: number;
	optionalInputs: readonly number[]; // positions that may be -1
	inputTypes: readonly (readonly number[])[];
	outputTypes: readonly number[];
}

const I8 = TensorType.INT8;
const I32 = TensorType.INT32;
const CONTRACTS: Record<number, OpContract> = {
	[BuiltinOperator.CONV_2D]: {
		options: Options.Conv2D,
		minInputs: 2,
		maxInputs: 3,
		optionalInputs: [2],
		inputTypes: [[I8], [I8], [I32]],
		outputTypes: [I8],
	},
	[BuiltinOperator.DEPTHWISE_CONV_2D]: {
		options: Options.DepthwiseConv2D,
		minInputs: 2,
		maxInputs: 3,
		optionalInputs: [2],
		inputTypes: [[I8], [I8], [I32]],
		outputTypes: [I8],
	},
	[BuiltinOperator.FULLY_CONNECTED]: {
		options: Options.FullyConnected,
		minInputs: 2,
		maxInputs: 3,
		optionalInputs: [2],
		inputTypes: [[I8], [I8], [I32]],
		outputTypes: [I8],
	},
	[BuiltinOperator.AVERAGE_POOL_2D]: {
		options: Options.Pool2D,
		minInputs: 1,
		maxInputs: 1,
		optionalInputs: [],
		inputTypes: [[I8]],
		outputTypes: [I8],
	},
	[BuiltinOperator.MAX_POOL_2D]: {
		options: Options.Pool2D,
		minInputs: 1,
		maxInputs: 1,
		optionalInputs: [],
		inputTypes: [[I8]],
		outputTypes: [I8],
	},
	[BuiltinOperator.RESHAPE]: {
		options: Options.Reshape,
		minInputs: 1,
		maxInputs: 2,
		optionalInputs: [1],
		inputTypes: [[I8], [I32]],
		outputTypes: [I8],
	},
	[BuiltinOperator.SOFTMAX]: {
		options: Options.Softmax,
		minInputs: 1,
		maxInputs: 1,
		optionalInputs: [],
		inputTypes: [[I8]],
		outputTypes: [I8],
	},
	[BuiltinOperator.ADD]: {
		options: Options.Add,
		minInputs: 2,
		maxInputs: 2,
		optionalInputs: [],
		inputTypes: [[I8], [I8]],
		outputTypes: [I8],
	},
	[BuiltinOperator.MUL]: {
		options: Options.Mul,
		minInputs: 2,
		maxInputs: 2,
		optionalInputs: [],
		inputTypes: [[I8], [I8]],
		outputTypes: [I8],
	},
	[BuiltinOperator.QUANTIZE]: {
		options: Options.Quantize,
		minInputs: 1,
		maxInputs: 1,
		optionalInputs: [],
		inputTypes: [[TensorType.FLOAT32, I8, TensorType.UINT8]],
		outputTypes: [I8],
	},
	// Input 1 is the axis: its value and constness are checked in prepare().
	[BuiltinOperator.REVERSE_V2]: {
		options: Options.ReverseV2,
		minInputs: 2,
		maxInputs: 2,
		optionalInputs: [],
		inputTypes: [[I8], [I32]],
		outputTypes: [I8],
	},
	[BuiltinOperator.DEQUANTIZE]: {
		options: Options.Dequantize,
		minInputs: 1,
		maxInputs: 1,
		optionalInputs: [],
		inputTypes: [[I8, TensorType.UINT8]],
		outputTypes: [TensorType.FLOAT32],
	},
};

// ---- loader -----------------------------------------------------------------

/** The per-element checks of quantization vectors, in C (native/nn's checkScales and zeroPoints). */
export interface NativeQuantization {
	/** The index of the first scale that is not positive finite, or -1. */
	checkScales(scales: Float32Array): number;
	/** int64 zero points (pairs of int32 words) into `out` (null: only checked); the first outside int32, else -1 when all are 0, -2 when not. */
	zeroPoints(words: Int32Array, out: Int32Array | null): number;
}

let nativeQuantization: NativeQuantization | null = null;

/**
 * Installs the C checks (modules/nn/interpreter.ts does, on XS): the loader
 * then keeps each quantization vector as a typed view of the file instead
 * of a JS array filled and checked element by element, which on the M7 was
 * most of a model's parse time and, as arrays of numbers, most of its heap.
 * null restores the JS loops (what Node, without native/nn, always runs).
 */
export function useNativeQuantization(helpers: NativeQuantization | null): void {
	nativeQuantization = helpers;
}

export interface ReadModelOptions {
	/** Skip the supported-operator/type checks (for inspection tools only). */
	allowUnsupported?: boolean;
}

/**
 * Parses and validates a .tflite file. `source` names the file in every
 * error message. Throws Error on any malformed or unsupported content.
 */
export function readModel(bytes: Uint8Array, source: string, options?: ReadModelOptions): Model {
	const fb = new FlatBuffer(bytes, source);
	if (bytes.byteLength < 8) fail(source, "", `file is ${bytes.byteLength} bytes, too short for a TFLite model`);
	const ident = fb.identifier();
	if (ident !== "TFL3")
		fail(source, "", `file identifier is ${JSON.stringify(ident)}, expected "TFL3" (not a TFLite model?)`);

	const root = fb.root("model");
	const version = root.u32(F_MODEL.version, 0);
	if (version !== 3) fail(source, "model", `schema version ${version} is not supported (expected 3)`);
	const description = root.string(F_MODEL.description, "", "model description");

	const buffers = readBuffers(fb, root);
	const operatorCodes = readOperatorCodes(root);

	const subgraphs = root.vector(F_MODEL.subgraphs, 4, "model subgraphs");
	if (subgraphs === null || subgraphs.length === 0) fail(source, "model", "has no subgraphs");
	const sg = subgraphs.table(0, "subgraph 0");

	const tensorsVec = sg.vector(F_SUBGRAPH.tensors, 4, "subgraph 0 tensors");
	const tensorCount = tensorsVec === null ? 0 : tensorsVec.length;
	// Each parsed quantization element costs work; a file whose tensors all
	// share one huge scale vector must not make loading quadratic.
	const budget = { quantElements: 4 * bytes.byteLength + 1024 };
	const tensors: Tensor[] = [];
	// The try is here, not in a wrapper function: the XS stack (512 slots in
	// the manifest) has no room for another frame on the deepest error paths.
	const named = { name: "" };
	for (let i = 0; i < tensorCount; i++) {
		named.name = "";
		try {
			tensors.push(readTensor(tensorsVec!, i, buffers, budget, source, named));
		} catch (error) {
			relabel(error, source, `subgraph 0 tensor ${i}`, named.name);
		}
	}

	const inputs = readIndexList(sg, F_SUBGRAPH.inputs, tensorCount, "subgraph 0 inputs", false, tensorCount);
	const outputs = readIndexList(sg, F_SUBGRAPH.outputs, tensorCount, "subgraph 0 outputs", false, tensorCount);

	const opsVec = sg.vector(F_SUBGRAPH.operators, 4, "subgraph 0 operators");
	const operators: Operator[] = [];
	const opCount = opsVec === null ? 0 : opsVec.length;
	for (let i = 0; i < opCount; i++) {
		named.name = "";
		try {
			operators.push(
				readOperator(opsVec!, i, operatorCodes, tensors, options?.allowUnsupported === true, source, named),
			);
		} catch (error) {
			relabel(error, source, `subgraph 0 operator ${i}`, named.name);
		}
	}

	const model: Model = {
		source,
		version,
		description,
		operatorCodes,
		subgraphCount: subgraphs.length,
		tensors,
		inputs,
		outputs,
		operators,
		buffers,
	};
	if (options?.allowUnsupported !== true) validateGraph(model);
	return model;
}

/**
 * Stands for a tensor's, operator's or buffer's label in the error contexts
 * of its reads until one fails (relabel writes the label in): a label is the
 * tensor's long name, and building it and a context string for every read
 * made most of a model load's garbage on XS, where collections were over
 * half of person_detect's load time on the M7.
 */
const HERE = "\u0000";

/** Rethrows `error`, with the label (`what`, then the name if any) in place of HERE when this file's reader threw it. */
function relabel(error: unknown, source: string, what: string, name: string): never {
	const at = `${source}: ${HERE}`;
	if (error instanceof Error && error.message.startsWith(at)) {
		error.message = `${source}: ${name === "" ? what : `${what} (${name})`}${error.message.slice(at.length)}`;
	}
	throw error;
}

function readBuffers(fb: FlatBuffer, root: Table): Uint8Array[] {
	const vec = root.vector(F_MODEL.buffers, 4, "model buffers");
	const out: Uint8Array[] = [];
	if (vec === null) return out;
	const empty = fb.bytes.subarray(0, 0);
	for (let i = 0; i < vec.length; i++) {
		try {
			const t = vec.table(i, HERE);
			const data = t.vector(F_BUFFER.data, 1, "\u0000 data");
			if (data !== null && data.length > 0) {
				out.push(data.bytes());
				continue;
			}
			// Models over 2 GB keep constant data after the flatbuffer and record
			// its place here, relative to the file start; "only valid if > 1".
			const offset = t.u64(F_BUFFER.offset, 0);
			const size = t.u64(F_BUFFER.size, 0);
			if (offset > 1) {
				if (offset + size > fb.length) {
					fail(
						fb.source,
						HERE,
						`external data at offset ${offset} (${size} bytes) runs past the end of the ${fb.length}-byte file`,
					);
				}
				out.push(fb.bytes.subarray(offset, offset + size));
			} else {
				out.push(empty);
			}
		} catch (error) {
			relabel(error, fb.source, `buffer ${i}`, "");
		}
	}
	return out;
}

function readOperatorCodes(root: Table): OperatorCode[] {
	const vec = root.vector(F_MODEL.operatorCodes, 4, "model operator_codes");
	const out: OperatorCode[] = [];
	if (vec === null) return out;
	for (let i = 0; i < vec.length; i++) {
		const ctx = `operator_code ${i}`;
		const t = vec.table(i, ctx);
		const deprecated = t.i8(F_OPCODE.deprecatedBuiltinCode, 0);
		const extended = t.i32(F_OPCODE.builtinCode, 0);
		// TFLite's rule (schema_utils GetBuiltinCode): old files only set the
		// byte field, new files set both (deprecated saturates at 127), so the
		// larger of the two is the real code.
		const builtinCode = Math.max(extended, deprecated);
		if (builtinCode < 0) fail(root.fb.source, ctx, `negative builtin code ${builtinCode}`);
		out.push({
			builtinCode,
			customCode: t.string(F_OPCODE.customCode, "", `${ctx} custom_code`),
			version: t.i32(F_OPCODE.version, 1),
		});
	}
	return out;
}

/** Reads tensor i with HERE for its label in every context (readModel relabels); the name goes to `named` once read. */
function readTensor(
	vec: Vector,
	i: number,
	buffers: Uint8Array[],
	budget: { quantElements: number },
	source: string,
	named: { name: string },
): Tensor {
	const t = vec.table(i, HERE);
	const name = t.string(F_TENSOR.name, "", "\u0000 name");
	named.name = name;
	const label = HERE;

	const shapeVec = t.vector(F_TENSOR.shape, 4, "\u0000 shape");
	if (shapeVec !== null && shapeVec.length > MAX_RANK)
		fail(source, label, `rank ${shapeVec.length} exceeds ${MAX_RANK}`);
	const shape = shapeVec === null ? [] : shapeVec.toI32Array();
	let elementCount = 1;
	for (const d of shape) {
		if (d < 0 || d > MAX_DIM) fail(source, label, `shape [${shape.join(", ")}] has invalid dimension ${d}`);
		elementCount *= d;
		if (elementCount > MAX_ELEMENTS)
			fail(source, label, `shape [${shape.join(", ")}] has more than ${MAX_ELEMENTS} elements`);
	}

	const type = t.i8(F_TENSOR.type, 0);
	const typeSize = tensorTypeSize(type);
	const byteSize = elementCount * typeSize;

	if (t.has(F_TENSOR.sparsity)) fail(source, label, "sparse tensors are not supported");

	const buffer = t.u32(F_TENSOR.buffer, 0);
	if (buffer >= buffers.length && !(buffer === 0 && buffers.length === 0)) {
		fail(source, label, `buffer index ${buffer} out of range (${buffers.length} buffers)`);
	}
	let data: Uint8Array | null = null;
	const bytes = buffers[buffer];
	if (bytes !== undefined && bytes.byteLength > 0) {
		if (typeSize === 0) fail(source, label, `constant data of type ${tensorTypeName(type)} is not supported`);
		if (bytes.byteLength < byteSize) {
			fail(
				source,
				label,
				`buffer ${buffer} holds ${bytes.byteLength} bytes, but shape [${shape.join(", ")}] of ${tensorTypeName(type)} needs ${byteSize}`,
			);
		}
		data = bytes;
	}

	let quantization: Quantization | null = null;
	const q = t.table(F_TENSOR.quantization, "\u0000 quantization");
	if (q !== null) quantization = readQuantization(q, shape, elementCount, budget, label, source);

	return {
		index: i,
		name,
		shape,
		type,
		buffer,
		data,
		quantization,
		isVariable: t.bool(F_TENSOR.isVariable, false),
		elementCount,
		byteSize,
	};
}

function readQuantization(
	q: Table,
	shape: number[],
	elementCount: number,
	budget: { quantElements: number },
	label: string,
	source: string,
): Quantization | null {
	if (q.u8(F_QUANT.detailsType, 0) !== 0) fail(source, label, "custom quantization details are not supported");
	const scaleVec = q.vector(F_QUANT.scale, 4, "\u0000 quantization scale");
	const zpVec = q.vector(F_QUANT.zeroPoint, 8, "\u0000 quantization zero_point");
	const quantizedDimension = q.i32(F_QUANT.quantizedDimension, 0);
	const n = scaleVec === null ? 0 : scaleVec.length;
	// Quantization tables with only min/max (or nothing) carry no affine
	// parameters; TFLite treats them as unquantized.
	if (n === 0) return null;
	const zn = zpVec === null ? 0 : zpVec.length;
	if (zn !== n && zn !== 0) fail(source, label, `quantization has ${n} scales but ${zn} zero points`);
	if (n > 1) {
		// Per-channel: the count must match the channel dimension. A rank-1
		// tensor (bias) has only one candidate dimension whatever
		// quantized_dimension says: TFLM ignores the field there, and
		// person_detect.tflite stores 3 on its rank-1 biases.
		const dim = shape.length === 1 ? 0 : quantizedDimension;
		if (dim < 0 || dim >= shape.length)
			fail(source, label, `quantized_dimension ${quantizedDimension} out of range for rank ${shape.length}`);
		if (shape[dim] !== n)
			fail(source, label, `${n} per-channel scales, but dimension ${dim} has size ${shape[dim]}`);
		if (n > elementCount) fail(source, label, `${n} scales for ${elementCount} elements`);
	}
	budget.quantElements -= 2 * n;
	if (budget.quantElements < 0) fail(source, label, "quantization parameters exceed the file's size budget");
	const views =
		nativeQuantization !== null
			? nativeVectors(nativeQuantization, scaleVec!, zn === 0 ? null : zpVec!, n, label, source)
			: null;
	if (views !== null) return { scale: views.scale, zeroPoint: views.zeroPoint, quantizedDimension };
	// Sized once: pushing grows the arrays step by step, and on XS every
	// outgrown copy is garbage the heap collects (GC was most of the load time).
	const scale: number[] = new Array<number>(n).fill(0);
	const zeroPoint: number[] = new Array<number>(n).fill(0);
	// Typed views when aligned (always, from a flatbuffers writer): the same
	// values as the per-element reads below them, without their calls.
	const scales = scaleVec!.f32View();
	const zps = zn === 0 ? null : zpVec!.i32View();
	for (let c = 0; c < n; c++) {
		const s = scales !== null ? scales[c]! : scaleVec!.f32(c);
		if (!(s > 0) || s === Infinity)
			fail(source, label, `quantization scale[${c}] = ${s} is not a positive finite number`);
		scale[c] = s;
		let z = 0;
		if (zps !== null) {
			// FlatBuffer.i64's value and range check, from the two words.
			const hi = zps[2 * c + 1]!;
			if (hi >= 0x200000 || hi < -0x200000)
				fail(source, zpVec!.context, `64-bit value (high word ${hi}) is too large`);
			z = hi * 4294967296 + (zps[2 * c]! >>> 0);
		} else if (zn !== 0) {
			z = zpVec!.i64(c);
		}
		if (z < -2147483648 || z > 2147483647) fail(source, label, `zero_point[${c}] = ${z} out of int32 range`);
		zeroPoint[c] = z;
	}
	return { scale, zeroPoint, quantizedDimension };
}

/**
 * Zero points that are all 0 (every per-channel vector of an int8 model) share
 * one zero-filled buffer instead of a copy each: person_detect's were 22 KB.
 * The views are read-only by contract, like the rest of a parsed model.
 */
let zeroBuffer = new Int32Array(64);
function zeros(n: number): Int32Array {
	if (zeroBuffer.length < n) zeroBuffer = new Int32Array(Math.max(n, 2 * zeroBuffer.length));
	return zeroBuffer.subarray(0, n);
}

/**
 * The quantization vectors checked in C: the scales as a view of the file,
 * the zero points converted into an Int32Array. null when a vector is not
 * 4-byte aligned (a hand-made file): the JS loop then reads it.
 */
function nativeVectors(
	native: NativeQuantization,
	scaleVec: Vector,
	zpVec: Vector | null,
	n: number,
	label: string,
	source: string,
): { scale: Float32Array; zeroPoint: Int32Array } | null {
	const scale = scaleVec.f32View();
	const words = zpVec === null ? null : zpVec.i32View();
	if (scale === null || (zpVec !== null && words === null)) return null;
	const bad = native.checkScales(scale);
	if (bad >= 0) fail(source, label, `quantization scale[${bad}] = ${scale[bad]} is not a positive finite number`);
	let zeroPoint = zeros(n);
	if (words !== null) {
		let c = native.zeroPoints(words, null);
		if (c === -2) {
			zeroPoint = new Int32Array(n);
			c = native.zeroPoints(words, zeroPoint);
		}
		if (c >= 0) {
			// The JS loop's messages: a high word beyond 2^53's, else the int32 range.
			const hi = words[2 * c + 1]!;
			if (hi >= 0x200000 || hi < -0x200000)
				fail(source, zpVec!.context, `64-bit value (high word ${hi}) is too large`);
			fail(source, label, `zero_point[${c}] = ${hi * 4294967296 + (words[2 * c]! >>> 0)} out of int32 range`);
		}
	}
	return { scale, zeroPoint };
}

function readIndexList(
	t: Table,
	id: number,
	tensorCount: number,
	ctx: string,
	allowOptional: boolean,
	maxLength: number,
): number[] {
	const vec = t.vector(id, 4, ctx);
	if (vec === null) return [];
	// Bounds the work per operator: operators may share one index vector.
	if (vec.length > maxLength) fail(t.fb.source, ctx, `${vec.length} entries is more than the limit of ${maxLength}`);
	const out = vec.toI32Array();
	for (let k = 0; k < out.length; k++) {
		const ti = out[k]!;
		if (ti === -1 && allowOptional) continue;
		if (ti < 0 || ti >= tensorCount)
			fail(t.fb.source, ctx, `tensor index ${ti} at position ${k} out of range (${tensorCount} tensors)`);
	}
	return out;
}

/** Reads operator i with HERE for its label in every context (readModel relabels); the name goes to `named` once known. */
function readOperator(
	vec: Vector,
	i: number,
	codes: OperatorCode[],
	tensors: Tensor[],
	allowUnsupported: boolean,
	source: string,
	named: { name: string },
): Operator {
	const ctx = HERE;
	const t = vec.table(i, ctx);
	const opcodeIndex = t.u32(F_OPERATOR.opcodeIndex, 0);
	const code = codes[opcodeIndex];
	if (code === undefined)
		fail(source, ctx, `opcode index ${opcodeIndex} out of range (${codes.length} operator codes)`);
	const builtinCode = code.builtinCode;
	let name = builtinOperatorName(builtinCode);
	if (builtinCode === BuiltinOperator.CUSTOM) name = `CUSTOM(${code.customCode})`;
	named.name = name;

	const contract = CONTRACTS[builtinCode];
	if (contract === undefined && !allowUnsupported) {
		fail(source, "", `unsupported operator ${name} at index ${i}`);
	}

	const inputs = readIndexList(t, F_OPERATOR.inputs, tensors.length, "\u0000 inputs", true, MAX_OP_IO);
	const outputs = readIndexList(t, F_OPERATOR.outputs, tensors.length, "\u0000 outputs", false, MAX_OP_IO);

	let options: OperatorOptions = { kind: "none" };
	if (contract !== undefined) {
		const u = t.union(F_OPERATOR.builtinOptionsType, "\u0000 options");
		if (u.type !== 0 && u.type !== contract.options) {
			fail(
				source,
				ctx,
				`builtin options type ${u.type} does not match the operator (expected ${contract.options})`,
			);
		}
		options = readOptions(builtinCode, u.table, ctx, source);
		if (!allowUnsupported) checkContract(contract, inputs, outputs, tensors, ctx, source);
	}
	return { index: i, opcodeIndex, builtinCode, name, inputs, outputs, options };
}

function padding(v: number, ctx: string, source: string): Padding {
	if (v === 0) return "SAME";
	if (v === 1) return "VALID";
	return fail(source, ctx, `unknown padding ${v}`);
}

function activation(v: number, ctx: string, source: string): Activation {
	const a = ACTIVATIONS[v];
	if (a === undefined) fail(source, ctx, `unsupported fused activation ${ACTIVATION_NAMES[v] ?? v}`);
	return a;
}

function positive(v: number, what: string, ctx: string, source: string): number {
	// Schema defaults for strides are 0, so a model without options would
	// otherwise reach the kernels with a zero stride.
	if (!(v >= 1 && v <= 65535)) fail(source, ctx, `${what} ${v} must be between 1 and 65535`);
	return v;
}

function optU8(o: Table | null, id: number, def: number): number {
	return o === null ? def : o.u8(id, def);
}
function optI8(o: Table | null, id: number, def: number): number {
	return o === null ? def : o.i8(id, def);
}
function optI32(o: Table | null, id: number, def: number): number {
	return o === null ? def : o.i32(id, def);
}

function readOptions(code: number, o: Table | null, ctx: string, source: string): OperatorOptions {
	// Absent options mean schema defaults (table fields all absent). Module
	// functions, not closures made per operator: on XS each is garbage to collect.
	switch (code) {
		case BuiltinOperator.CONV_2D:
			// Conv2DOptions: padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor
			return {
				kind: "conv2d",
				padding: padding(optI8(o, 0, 0), ctx, source),
				strideW: positive(optI32(o, 1, 0), "stride_w", ctx, source),
				strideH: positive(optI32(o, 2, 0), "stride_h", ctx, source),
				activation: activation(optI8(o, 3, 0), ctx, source),
				dilationW: positive(optI32(o, 4, 1), "dilation_w_factor", ctx, source),
				dilationH: positive(optI32(o, 5, 1), "dilation_h_factor", ctx, source),
			};
		case BuiltinOperator.DEPTHWISE_CONV_2D:
			// DepthwiseConv2DOptions: padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w, dilation_h
			return {
				kind: "depthwise_conv2d",
				padding: padding(optI8(o, 0, 0), ctx, source),
				strideW: positive(optI32(o, 1, 0), "stride_w", ctx, source),
				strideH: positive(optI32(o, 2, 0), "stride_h", ctx, source),
				// Redundant since TF 2.x (the filter/input channel ratio rules);
				// kept as stored, 0 included, for prepare() to cross-check.
				depthMultiplier: optI32(o, 3, 0),
				activation: activation(optI8(o, 4, 0), ctx, source),
				dilationW: positive(optI32(o, 5, 1), "dilation_w_factor", ctx, source),
				dilationH: positive(optI32(o, 6, 1), "dilation_h_factor", ctx, source),
			};
		case BuiltinOperator.AVERAGE_POOL_2D:
		case BuiltinOperator.MAX_POOL_2D:
			// Pool2DOptions: padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function
			return {
				kind: "pool2d",
				padding: padding(optI8(o, 0, 0), ctx, source),
				strideW: positive(optI32(o, 1, 0), "stride_w", ctx, source),
				strideH: positive(optI32(o, 2, 0), "stride_h", ctx, source),
				filterW: positive(optI32(o, 3, 0), "filter_width", ctx, source),
				filterH: positive(optI32(o, 4, 0), "filter_height", ctx, source),
				activation: activation(optI8(o, 5, 0), ctx, source),
			};
		case BuiltinOperator.FULLY_CONNECTED: {
			// FullyConnectedOptions: fused_activation_function, weights_format, keep_num_dims, asymmetric_quantize_inputs
			const weightsFormat = optU8(o, 1, 0);
			if (weightsFormat !== 0) fail(source, ctx, `weights_format ${weightsFormat} (shuffled) is not supported`);
			return {
				kind: "fully_connected",
				activation: activation(optI8(o, 0, 0), ctx, source),
				weightsFormat,
				keepNumDims: optU8(o, 2, 0) !== 0,
			};
		}
		case BuiltinOperator.SOFTMAX: {
			// SoftmaxOptions: beta (float, default 0.0 per schema)
			const beta = o === null ? 0 : o.f32(0, 0);
			if (!(beta > 0) || beta === Infinity)
				fail(source, ctx, `softmax beta ${beta} must be a positive finite number`);
			return { kind: "softmax", beta };
		}
		case BuiltinOperator.ADD:
			// AddOptions: fused_activation_function, pot_scale_int16 (int16 only)
			return { kind: "add", activation: activation(optI8(o, 0, 0), ctx, source) };
		case BuiltinOperator.MUL:
			// MulOptions: fused_activation_function
			return { kind: "mul", activation: activation(optI8(o, 0, 0), ctx, source) };
		case BuiltinOperator.RESHAPE: {
			// ReshapeOptions: new_shape:[int]
			const v = o === null ? null : o.vector(0, 4, `${ctx} new_shape`);
			if (v !== null && v.length > MAX_RANK) fail(source, ctx, `new_shape rank ${v.length} exceeds ${MAX_RANK}`);
			return { kind: "reshape", newShape: v === null ? null : v.toI32Array() };
		}
		default:
			return { kind: "none" };
	}
}

function checkContract(
	c: OpContract,
	inputs: number[],
	outputs: number[],
	tensors: Tensor[],
	ctx: string,
	source: string,
): void {
	if (inputs.length < c.minInputs || inputs.length > c.maxInputs) {
		fail(
			source,
			ctx,
			`has ${inputs.length} inputs, expected ${c.minInputs === c.maxInputs ? c.minInputs : `${c.minInputs} to ${c.maxInputs}`}`,
		);
	}
	if (outputs.length !== c.outputTypes.length)
		fail(source, ctx, `has ${outputs.length} outputs, expected ${c.outputTypes.length}`);
	for (let k = 0; k < inputs.length; k++) {
		const ti = inputs[k]!;
		if (ti === -1) {
			if (c.optionalInputs.indexOf(k) < 0) fail(source, ctx, `input ${k} is required but omitted (-1)`);
			continue;
		}
		const tensor = tensors[ti]!;
		const allowed = c.inputTypes[k]!;
		if (allowed.indexOf(tensor.type) < 0) {
			fail(
				source,
				ctx,
				`input ${k} tensor ${ti} (${tensor.name}) has type ${tensorTypeName(tensor.type)}, expected ${allowed.map(tensorTypeName).join(" or ")}`,
			);
		}
	}
	for (let k = 0; k < outputs.length; k++) {
		const ti = outputs[k]!;
		const tensor = tensors[ti]!;
		if (tensor.type !== c.outputTypes[k]) {
			fail(
				source,
				ctx,
				`output ${k} tensor ${ti} (${tensor.name}) has type ${tensorTypeName(tensor.type)}, expected ${tensorTypeName(c.outputTypes[k]!)}`,
			);
		}
		if (tensor.data !== null) fail(source, ctx, `output ${k} tensor ${ti} (${tensor.name}) is a constant`);
	}
}

/**
 * Whole-graph checks: every tensor an operator reads is a constant, a graph
 * input or written by an earlier operator (so lifetimes are well defined),
 * each tensor is written at most once, and the graph's outputs are produced.
 */
function validateGraph(m: Model): void {
	const written = new Uint8Array(m.tensors.length);
	for (const ti of m.inputs) {
		const t = m.tensors[ti]!;
		// Graph inputs feed int8 kernels directly, or a QUANTIZE that converts
		// float32/uint8 at the boundary (the operator contracts check which).
		if (t.type !== I8 && t.type !== TensorType.FLOAT32 && t.type !== TensorType.UINT8) {
			fail(
				m.source,
				`subgraph 0 input tensor ${ti} (${t.name})`,
				`type ${tensorTypeName(t.type)} is not supported for int8 inference`,
			);
		}
		written[ti] = 1;
	}
	for (const op of m.operators) {
		for (const ti of op.inputs) {
			if (ti === -1) continue;
			if (written[ti] === 0 && m.tensors[ti]!.data === null) {
				fail(
					m.source,
					`subgraph 0 operator ${op.index} (${op.name})`,
					`reads tensor ${ti} (${m.tensors[ti]!.name}) before anything writes it`,
				);
			}
		}
		for (const ti of op.outputs) {
			if (written[ti] !== 0)
				fail(
					m.source,
					`subgraph 0 operator ${op.index} (${op.name})`,
					`writes tensor ${ti} (${m.tensors[ti]!.name}), which is already written`,
				);
			written[ti] = 1;
		}
	}
	for (const ti of m.outputs) {
		if (written[ti] === 0 && m.tensors[ti]!.data === null) {
			fail(m.source, `subgraph 0 output tensor ${ti} (${m.tensors[ti]!.name})`, "is never written");
		}
	}
}
