// Parsing real models (skipped without ../shared) and writer-built models,
// and every load-time rejection the loader promises.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { tflmModels } from "./support/paths";
import { TensorType, readModel } from "../modules/nn/tflite";
import { planArena } from "../modules/nn/planner";
import { ModelBuilder } from "../tools/tflite/writer";
import { Int8Net, kitchenSinkModel } from "../tools/tflite/testmodels";

const models = tflmModels;
const personPath = path.join(models, "person_detect.tflite");
const helloPath = path.join(models, "hello_world_int8.tflite");
const load = (p: string) => new Uint8Array(readFileSync(p));

describe.skipIf(!existsSync(personPath))("person_detect.tflite (needs ../shared)", () => {
	const bytes = existsSync(personPath) ? load(personPath) : new Uint8Array(0);

	test("structure: MobileNet v1 0.25, 96x96x1 int8 in, 1x2 int8 out", () => {
		const m = readModel(bytes, "person_detect.tflite");
		expect(m.version).toBe(3);
		expect(m.subgraphCount).toBe(1);
		expect(m.tensors).toHaveLength(89);
		expect(m.operators).toHaveLength(31);
		const input = m.tensors[m.inputs[0]!]!;
		const output = m.tensors[m.outputs[0]!]!;
		expect(input.shape).toEqual([1, 96, 96, 1]);
		expect(input.type).toBe(TensorType.INT8);
		expect(output.shape).toEqual([1, 2]);
		expect(output.type).toBe(TensorType.INT8);
		// 13 depthwise/pointwise pairs + the first conv (stored as depthwise with multiplier 8) + avg pool + final 1x1 conv + reshape + softmax
		const counts: Record<string, number> = {};
		for (const op of m.operators) counts[op.name] = (counts[op.name] ?? 0) + 1;
		expect(counts).toEqual({ DEPTHWISE_CONV_2D: 14, CONV_2D: 14, AVERAGE_POOL_2D: 1, RESHAPE: 1, SOFTMAX: 1 });
		expect(m.operators[30]!.options).toEqual({ kind: "softmax", beta: 1 });
		expect(m.operators[29]!.options).toEqual({ kind: "reshape", newShape: [1, 2] });
		expect(m.operators[0]!.options).toMatchObject({
			kind: "depthwise_conv2d",
			strideW: 2,
			strideH: 2,
			padding: "SAME",
			activation: "RELU6",
			depthMultiplier: 8,
		});
	});

	test("accepts rank-1 biases with quantized_dimension 3 (TFLM ignores it)", () => {
		const m = readModel(bytes, "person_detect.tflite");
		const odd = m.tensors.filter(
			(t) => t.shape.length === 1 && t.quantization !== null && t.quantization.quantizedDimension === 3,
		);
		expect(odd).toHaveLength(14);
		for (const t of odd) {
			expect(t.type).toBe(TensorType.INT32);
			expect(t.quantization!.scale).toHaveLength(t.shape[0]!);
		}
	});

	test("weights are zero-copy views of the file bytes", () => {
		const m = readModel(bytes, "person_detect.tflite");
		const consts = m.tensors.filter((t) => t.data !== null);
		expect(consts.length).toBeGreaterThan(40);
		for (const t of consts) {
			expect(t.data!.buffer).toBe(bytes.buffer);
			expect(t.data!.byteLength).toBeGreaterThanOrEqual(t.byteSize);
		}
		const totalWeights = consts.reduce((a, t) => a + t.byteSize, 0);
		expect(totalWeights).toBeGreaterThan(200_000); // ~250 KB model
	});

	test("planned arena", () => {
		const m = readModel(bytes, "person_detect.tflite");
		const plan = planArena(m);
		console.log(
			`person_detect: ${m.tensors.length} tensors, ${m.operators.length} ops, planned activation arena ${plan.peakBytes} bytes (RESHAPE aliased), ${planArena(m, { aliasReshape: false }).peakBytes} without aliasing`,
		);
		expect(plan.planner.anyOverlap()).toBe(false);
	});
});

describe.skipIf(!existsSync(helloPath))("hello_world_int8.tflite (needs ../shared)", () => {
	test("three FULLY_CONNECTED layers, 1x1 int8 in and out", () => {
		const m = readModel(load(helloPath), "hello_world_int8.tflite");
		expect(m.operators.map((o) => o.name)).toEqual(["FULLY_CONNECTED", "FULLY_CONNECTED", "FULLY_CONNECTED"]);
		expect(m.operators.map((o) => (o.options.kind === "fully_connected" ? o.options.activation : "?"))).toEqual([
			"RELU",
			"RELU",
			"NONE",
		]);
		expect(m.tensors[m.inputs[0]!]!.shape).toEqual([1, 1]);
		expect(m.tensors[m.outputs[0]!]!.shape).toEqual([1, 1]);
		// A newer converter: builtin_code set alongside deprecated_builtin_code.
		expect(m.operatorCodes).toEqual([{ builtinCode: 9, customCode: "", version: 4 }]);
	});
});

describe("writer-built models read back as written", () => {
	test("kitchen sink: every operator and option", () => {
		const m = readModel(kitchenSinkModel(), "sink.tflite");
		expect(m.operators.map((o) => o.name)).toEqual([
			"CONV_2D",
			"CONV_2D",
			"DEPTHWISE_CONV_2D",
			"AVERAGE_POOL_2D",
			"MAX_POOL_2D",
			"RESHAPE",
			"FULLY_CONNECTED",
			"QUANTIZE",
			"ADD",
			"RESHAPE",
			"FULLY_CONNECTED",
			"RESHAPE",
			"SOFTMAX",
			"DEQUANTIZE",
		]);
		const o = m.operators.map((op) => op.options);
		expect(o[0]).toEqual({
			kind: "conv2d",
			padding: "SAME",
			strideW: 1,
			strideH: 1,
			dilationW: 1,
			dilationH: 1,
			activation: "RELU6",
		});
		expect(o[1]).toEqual({
			kind: "conv2d",
			padding: "VALID",
			strideW: 1,
			strideH: 2,
			dilationW: 2,
			dilationH: 2,
			activation: "RELU",
		});
		expect(o[2]).toEqual({
			kind: "depthwise_conv2d",
			padding: "SAME",
			strideW: 1,
			strideH: 1,
			depthMultiplier: 2,
			dilationW: 1,
			dilationH: 1,
			activation: "NONE",
		});
		expect(o[3]).toEqual({
			kind: "pool2d",
			padding: "VALID",
			strideW: 1,
			strideH: 1,
			filterW: 2,
			filterH: 2,
			activation: "NONE",
		});
		expect(o[4]).toEqual({
			kind: "pool2d",
			padding: "SAME",
			strideW: 2,
			strideH: 2,
			filterW: 2,
			filterH: 2,
			activation: "NONE",
		});
		expect(o[5]).toMatchObject({ kind: "reshape" });
		expect(o[6]).toEqual({ kind: "fully_connected", activation: "NONE", weightsFormat: 0, keepNumDims: false });
		expect(o[7]).toEqual({ kind: "none" });
		expect(o[8]).toEqual({ kind: "add", activation: "RELU" });
		expect(o[9]).toEqual({ kind: "reshape", newShape: [1, 2, 8] });
		expect(o[10]).toEqual({ kind: "fully_connected", activation: "NONE", weightsFormat: 0, keepNumDims: true });
		expect(o[12]).toEqual({ kind: "softmax", beta: Math.fround(0.1) });
		expect(m.tensors[m.outputs[1]!]!.type).toBe(TensorType.FLOAT32);
		// Conv weights: OHWI, per-channel on dimension 0; depthwise on dimension 3.
		const w0 = m.tensors[m.operators[0]!.inputs[1]!]!;
		expect(w0.shape).toEqual([4, 3, 3, 2]);
		expect(w0.quantization!.scale).toHaveLength(4);
		const dw = m.tensors[m.operators[2]!.inputs[1]!]!;
		expect(dw.quantization!.quantizedDimension).toBe(3);
		expect(dw.quantization!.scale).toHaveLength(dw.shape[3]!);
	});

	test("external (>2GB-form) buffers: same tensors, data after the flatbuffer", () => {
		const inline = kitchenSinkModel(7, false);
		const ext = kitchenSinkModel(7, true);
		const a = readModel(inline, "inline.tflite");
		const b = readModel(ext, "external.tflite");
		expect(b.tensors.length).toBe(a.tensors.length);
		let compared = 0;
		for (let i = 0; i < a.tensors.length; i++) {
			const ta = a.tensors[i]!,
				tb = b.tensors[i]!;
			expect(tb.shape).toEqual(ta.shape);
			if (ta.data === null) {
				expect(tb.data).toBeNull();
				continue;
			}
			expect(Array.from(tb.data!)).toEqual(Array.from(ta.data));
			expect(tb.data!.buffer).toBe(ext.buffer);
			compared++;
		}
		expect(compared).toBeGreaterThan(5);
	});

	test("legacy files with only deprecated_builtin_code", () => {
		const net = new Int8Net(2);
		const x = net.input([1, 4, 4, 1]);
		const y = net.pool("MAX_POOL_2D", x, [2, 2], { strideH: 2, strideW: 2 });
		net.mb.setInputs([x]).setOutputs([y]);
		const m = readModel(net.mb.finish({ legacyOpcodes: true }), "legacy.tflite");
		expect(m.operators[0]!.name).toBe("MAX_POOL_2D");
	});

	test("an omitted optional conv bias (-1) is accepted", () => {
		const net = new Int8Net(2);
		const x = net.input([1, 4, 4, 1]);
		const y = net.conv(x, 2, [1, 1], { bias: false });
		const m = readModel(net.finish([x], [y]), "nobias.tflite");
		expect(m.operators[0]!.inputs[2]).toBe(-1);
	});
});

describe("rejections name the file and the culprit", () => {
	function simple(mut?: (net: Int8Net, x: number) => number): Uint8Array {
		const net = new Int8Net(5);
		const x = net.input([1, 4, 4, 2]);
		const y = mut ? mut(net, x) : net.conv(x, 2, [1, 1]);
		return net.finish([x], [y]);
	}

	test("wrong identifier", () => {
		const b = new Int8Net(1);
		const x = b.input([1, 2]);
		b.mb.setInputs([x]).setOutputs([x]);
		expect(() => readModel(b.mb.finish({ identifier: "XXXX" }), "a.tflite")).toThrow(
			/^a\.tflite: file identifier is "XXXX", expected "TFL3"/,
		);
		expect(() => readModel(new TextEncoder().encode("hello world, not a model"), "b.bin")).toThrow(
			/^b\.bin: file identifier/,
		);
		expect(() => readModel(new Uint8Array(3), "c.bin")).toThrow(/^c\.bin: file is 3 bytes/);
	});

	test("schema version other than 3", () => {
		const b = new Int8Net(1);
		const x = b.input([1, 2]);
		b.mb.setInputs([x]).setOutputs([x]);
		expect(() => readModel(b.mb.finish({ version: 2 }), "v2.tflite")).toThrow(
			"v2.tflite: model: schema version 2 is not supported (expected 3)",
		);
	});

	test("unsupported operator at load time", () => {
		const bytes = simple((net, x) => {
			const y = net.act([1, 2], net.quantOf(x));
			net.mb.addOp("MEAN", [x], [y]);
			return y;
		});
		expect(() => readModel(bytes, "mean.tflite")).toThrow("mean.tflite: unsupported operator MEAN at index 0");
		const custom = simple((net, x) => {
			const y = net.act([1, 2], net.quantOf(x));
			net.mb.addOp(net.conv(x, 2, [1, 1]) >= 0 ? "CUSTOM" : "CUSTOM", [x], [y], {}, "MyOp");
			return y;
		});
		expect(() => readModel(custom, "custom.tflite")).toThrow(
			"custom.tflite: unsupported operator CUSTOM(MyOp) at index 1",
		);
		// Inspection tools may still read it.
		expect(readModel(bytes, "mean.tflite", { allowUnsupported: true }).operators[0]!.name).toBe("MEAN");
	});

	test("buffer index out of range", () => {
		const bytes = simple((net, x) => {
			const w = net.mb.addTensor({
				name: "w",
				shape: [2, 1, 1, 2],
				type: "int8",
				buffer: 99,
				quant: { scale: [0.1], zeroPoint: [0] },
			});
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("CONV_2D", [x, w, -1], [y]);
			return y;
		});
		expect(() => readModel(bytes, "model.tflite")).toThrow(
			/^model\.tflite: subgraph 0 tensor 1 \(w\): buffer index 99 out of range \(\d+ buffers\)$/,
		);
	});

	test("tensor data too small for its shape and type", () => {
		const bytes = simple((net, x) => {
			const w = net.mb.addTensor({
				name: "w",
				shape: [2, 1, 1, 2],
				type: "int8",
				data: new Int8Array(3),
				quant: { scale: [0.1], zeroPoint: [0] },
			});
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("CONV_2D", [x, w, -1], [y]);
			return y;
		});
		expect(() => readModel(bytes, "small.tflite")).toThrow(
			"small.tflite: subgraph 0 tensor 1 (w): buffer 1 holds 3 bytes, but shape [2, 1, 1, 2] of INT8 needs 4",
		);
	});

	test("negative and absurd shapes", () => {
		const neg = simple((net, x) => {
			const y = net.act([1, -4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { filterW: 1, filterH: 1 });
			return y;
		});
		expect(() => readModel(neg, "neg.tflite")).toThrow(
			/neg\.tflite: subgraph 0 tensor 1 \(act_1\): shape \[1, -4, 4, 2\] has invalid dimension -4/,
		);
		const huge = simple((net, x) => {
			const y = net.act([1, 65536, 65536, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { filterW: 1, filterH: 1 });
			return y;
		});
		expect(() => readModel(huge, "huge.tflite")).toThrow(/has more than \d+ elements/);
	});

	test("float32 and int16 activations into int8 kernels", () => {
		const f32 = simple((net, x) => {
			const f = net.mb.addTensor({ name: "f", shape: [1, 4, 4, 2], type: "float32" });
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [f], { filterW: 1, filterH: 1 });
			net.mb.addOp("MAX_POOL_2D", [f], [y], { filterW: 1, filterH: 1 });
			return y;
		});
		expect(() => readModel(f32, "f32.tflite")).toThrow(
			"f32.tflite: subgraph 0 operator 0 (MAX_POOL_2D): output 0 tensor 1 (f) has type FLOAT32, expected INT8",
		);
		const i16 = simple((net, x) => {
			const y = net.mb.addTensor({
				name: "s",
				shape: [1, 4, 4, 2],
				type: "int16",
				quant: { scale: [0.1], zeroPoint: [0] },
			});
			net.mb.addOp("SOFTMAX", [x], [y], { beta: 1 });
			return y;
		});
		expect(() => readModel(i16, "i16.tflite")).toThrow(
			"i16.tflite: subgraph 0 operator 0 (SOFTMAX): output 0 tensor 1 (s) has type INT16, expected INT8",
		);
	});

	test("operator tensor index out of range, bad options", () => {
		const bad = simple((net, x) => {
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x + 50], [y], { filterW: 1, filterH: 1 });
			return y;
		});
		expect(() => readModel(bad, "idx.tflite")).toThrow(
			"idx.tflite: subgraph 0 operator 0 (MAX_POOL_2D) inputs: tensor index 50 at position 0 out of range (2 tensors)",
		);
		const stride0 = simple((net, x) => {
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { omit: true });
			return y;
		});
		expect(() => readModel(stride0, "s0.tflite")).toThrow(
			"s0.tflite: subgraph 0 operator 0 (MAX_POOL_2D): stride_w 0 must be between 1 and 65535",
		);
		const mismatch = simple((net, x) => {
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { optionsType: 1 });
			return y;
		});
		expect(() => readModel(mismatch, "mm.tflite")).toThrow(
			/mm\.tflite: subgraph 0 operator 0 \(MAX_POOL_2D\): builtin options type 1 does not match/,
		);
	});

	test("REVERSE_V2: read with empty options; its input counts and types are checked at load", () => {
		const ok = simple((net, x) => net.reverse(x, 2));
		const m = readModel(ok, "rev.tflite");
		expect(m.operators.map((o) => o.name)).toEqual(["REVERSE_V2"]);
		expect(m.operators[0]!.options).toEqual({ kind: "none" });
		expect(m.operatorCodes[0]).toEqual({ builtinCode: 105, customCode: "", version: 2 });
		const oneInput = simple((net, x) => {
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("REVERSE_V2", [x], [y]);
			return y;
		});
		expect(() => readModel(oneInput, "rev1.tflite")).toThrow(
			"rev1.tflite: subgraph 0 operator 0 (REVERSE_V2): has 1 inputs, expected 2",
		);
		const int8Axis = simple((net, x) => {
			const a = net.mb.addTensor({ name: "axis", shape: [1], type: "int8", data: Int8Array.of(2) });
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("REVERSE_V2", [x, a], [y]);
			return y;
		});
		expect(() => readModel(int8Axis, "rev8.tflite")).toThrow(
			"rev8.tflite: subgraph 0 operator 0 (REVERSE_V2): input 1 tensor 1 (axis) has type INT8, expected INT32",
		);
		// An axis nothing writes (not a constant) is refused by the graph check.
		const unwritten = simple((net, x) => {
			const a = net.mb.addTensor({ name: "axis", shape: [1], type: "int32" });
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("REVERSE_V2", [x, a], [y]);
			return y;
		});
		expect(() => readModel(unwritten, "revx.tflite")).toThrow(
			"revx.tflite: subgraph 0 operator 0 (REVERSE_V2): reads tensor 1 (axis) before anything writes it",
		);
	});

	test("graph order: reading a tensor nothing has written", () => {
		const bytes = simple((net, x) => {
			const t = net.act([1, 4, 4, 2], net.quantOf(x));
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [t], [y], { filterW: 1, filterH: 1, strideW: 1, strideH: 1 });
			net.mb.addOp("MAX_POOL_2D", [x], [t], { filterW: 1, filterH: 1, strideW: 1, strideH: 1 });
			return y;
		});
		expect(() => readModel(bytes, "order.tflite")).toThrow(
			"order.tflite: subgraph 0 operator 0 (MAX_POOL_2D): reads tensor 1 (act_1) before anything writes it",
		);
	});

	test("per-channel scale count must match the channel dimension", () => {
		const bytes = simple((net, x) => {
			const w = net.mb.addTensor({
				name: "w",
				shape: [2, 1, 1, 2],
				type: "int8",
				data: new Int8Array(4),
				quant: { scale: [0.1, 0.2, 0.3], zeroPoint: [0, 0, 0] },
			});
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("CONV_2D", [x, w, -1], [y]);
			return y;
		});
		expect(() => readModel(bytes, "pc.tflite")).toThrow(
			"pc.tflite: subgraph 0 tensor 1 (w): 3 per-channel scales, but dimension 0 has size 2",
		);
	});
});

describe("a ModelBuilder with nothing in it", () => {
	test("an empty graph is a valid (useless) model", () => {
		const m = readModel(new ModelBuilder().finish(), "empty.tflite");
		expect(m.tensors).toHaveLength(0);
		expect(m.operators).toHaveLength(0);
		expect(m.buffers).toHaveLength(1);
	});
});
