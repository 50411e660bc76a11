/*
 * Rewrites a parsed model (modules/nn/tflite.ts) through the test writer,
 * keeping only its first operators and choosing its outputs: how a test
 * asks the oracle for an intermediate tensor of a real model (TFLite's
 * runtime only shows graph outputs).
 */

import type { Model, Tensor } from "../../modules/nn/tflite";
import { ModelBuilder } from "./writer";
import type { OpOptionsSpec, TensorTypeName } from "./writer";

const TYPE_NAMES: Record<number, TensorTypeName> = {
	0: "float32",
	1: "float16",
	2: "int32",
	3: "uint8",
	4: "int64",
	6: "bool",
	7: "int16",
	9: "int8",
};

function typeName(t: Tensor): TensorTypeName {
	const name = TYPE_NAMES[t.type];
	if (name === undefined)
		throw new Error(`rebuild: tensor ${t.index} has type ${t.type}, which the writer cannot write`);
	return name;
}

export interface Rebuilt {
	bytes: Uint8Array;
	/** With weightsAsInputs: the weights, to pass after the model's own inputs. */
	weightInputs: Int8Array[];
}

/**
 * A model with operators [0, opCount) of `model` and the given graph
 * outputs. With `weightsAsInputs`, the filters of CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED become graph inputs: XNNPACK only
 * takes operators with constant weights, so this makes TFLite run its own
 * builtin kernels (fixed-point requantization, like TFLM and CMSIS-NN)
 * instead of XNNPACK's (which requantizes in float32, see
 * shared/notes/oracles.md and test/nn-interpreter.test.ts).
 */
export function rebuildModel(
	model: Model,
	opCount: number,
	outputs: number[],
	options: { weightsAsInputs?: boolean; zeroBiases?: boolean } = {},
): Rebuilt {
	const mb = new ModelBuilder();
	const asInput = new Set<number>();
	if (options.weightsAsInputs === true) {
		for (const op of model.operators.slice(0, opCount)) {
			if (op.name === "CONV_2D" || op.name === "DEPTHWISE_CONV_2D" || op.name === "FULLY_CONNECTED")
				asInput.add(op.inputs[1]!);
		}
	}
	const weightInputs: Int8Array[] = [];
	for (const t of model.tensors) {
		const constant = t.data !== null && !asInput.has(t.index);
		if (asInput.has(t.index)) weightInputs.push(new Int8Array(t.data!.slice(0, t.byteSize).buffer));
		mb.addTensor({
			name: t.name,
			shape: t.shape,
			type: typeName(t),
			...(constant ? { data: t.data!.slice(0, t.byteSize) } : {}),
			...(t.quantization !== null
				? {
						quant: {
							scale: Array.from(t.quantization.scale),
							zeroPoint: Array.from(t.quantization.zeroPoint),
							quantizedDimension: t.shape.length === 1 ? 0 : t.quantization.quantizedDimension,
						},
					}
				: {}),
		});
	}
	for (const op of model.operators.slice(0, opCount)) {
		const o = op.options;
		let spec: OpOptionsSpec = {};
		if (o.kind === "conv2d")
			spec = {
				padding: o.padding,
				strideW: o.strideW,
				strideH: o.strideH,
				dilationW: o.dilationW,
				dilationH: o.dilationH,
				activation: o.activation,
			};
		else if (o.kind === "depthwise_conv2d")
			spec = {
				padding: o.padding,
				strideW: o.strideW,
				strideH: o.strideH,
				dilationW: o.dilationW,
				dilationH: o.dilationH,
				activation: o.activation,
				depthMultiplier: o.depthMultiplier,
			};
		else if (o.kind === "pool2d")
			spec = {
				padding: o.padding,
				strideW: o.strideW,
				strideH: o.strideH,
				filterW: o.filterW,
				filterH: o.filterH,
				activation: o.activation,
			};
		else if (o.kind === "fully_connected") spec = { activation: o.activation, keepNumDims: o.keepNumDims };
		else if (o.kind === "softmax") spec = { beta: o.beta };
		else if (o.kind === "add") spec = { activation: o.activation };
		else if (o.kind === "reshape" && o.newShape !== null) spec = { newShape: o.newShape };
		let inputs = op.inputs;
		// Full TFLite requires a bias on int8 CONV_2D (TFLM does not): an
		// omitted one is the same as zeros with the scale TFLite expects.
		if (
			options.zeroBiases === true &&
			(o.kind === "conv2d" || o.kind === "depthwise_conv2d") &&
			(inputs[2] ?? -1) < 0
		) {
			const input = model.tensors[inputs[0]!]!;
			const filter = model.tensors[inputs[1]!]!;
			const channels = o.kind === "conv2d" ? filter.shape[0]! : filter.shape[3]!;
			const scale = Array.from(filter.quantization!.scale, (s) => s * input.quantization!.scale[0]!);
			const bias = mb.addTensor({
				name: `zero_bias_${op.index}`,
				shape: [channels],
				type: "int32",
				data: new Int32Array(channels),
				quant: { scale, zeroPoint: scale.map(() => 0) },
			});
			inputs = [inputs[0]!, inputs[1]!, bias];
		}
		mb.addOp(op.builtinCode, inputs, op.outputs, spec);
	}
	// Weight inputs follow in tensor order, as weightInputs holds them.
	mb.setInputs([...model.inputs, ...Array.from(asInput).sort((a, b) => a - b)]).setOutputs(outputs);
	return { bytes: mb.finish(), weightInputs };
}
