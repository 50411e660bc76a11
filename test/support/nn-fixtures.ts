// Model files for the XS suite test/xs/nn.xs.ts: good and deliberately bad
// .tflite files, written into a temporary data root (with the real models
// from ../shared when they are there).
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Int8Net, convModel, kitchenSinkModel } from "../../tools/tflite/testmodels";
import { repoRoot } from "../../tools/build/build";
import { tflmModels } from "./paths";

function simple(
	body: (net: Int8Net, x: number) => number,
	options: { version?: number; identifier?: string } = {},
): Uint8Array {
	const net = new Int8Net(5);
	const x = net.input([1, 4, 4, 2]);
	const y = body(net, x);
	net.mb.setInputs([x]).setOutputs([y]);
	return net.mb.finish(options);
}

export function nnFixtures(): string {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-nn-fixtures-"));
	const write = (name: string, bytes: Uint8Array) => writeFileSync(path.join(root, name), bytes);
	const conv = convModel(1);
	write("conv.tflite", conv);
	write("sink.tflite", kitchenSinkModel(7));
	write("cut.tflite", conv.subarray(0, Math.floor(conv.length / 2)));
	write("empty.tflite", new Uint8Array(0));
	write(
		"ident.tflite",
		simple((net, x) => net.pool("MAX_POOL_2D", x, [1, 1]), { identifier: "TFL2" }),
	);
	write(
		"v2.tflite",
		simple((net, x) => net.pool("MAX_POOL_2D", x, [1, 1]), { version: 2 }),
	);
	// The root table offset pointing past the end of the file.
	const past = conv.slice();
	new DataView(past.buffer).setUint32(0, past.length + 100, true);
	write("past.tflite", past);
	write(
		"mean.tflite",
		simple((net, x) => {
			const y = net.act([1, 1, 1, 2], net.quantOf(x));
			net.mb.addOp("MEAN", [x], [y]);
			return y;
		}),
	);
	write(
		"huge.tflite",
		simple((net, x) => {
			const y = net.act([1, 65536, 65536, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { filterW: 1, filterH: 1 });
			return y;
		}),
	);
	write(
		"bufidx.tflite",
		simple((net, x) => {
			const w = net.mb.addTensor({
				name: "w",
				shape: [2, 1, 1, 2],
				type: "int8",
				buffer: 99,
				quant: { scale: [0.1], zeroPoint: [0] },
			});
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("CONV_2D", [x, w, -1], [y], { padding: "VALID" });
			return y;
		}),
	);
	write(
		"float.tflite",
		simple((net) => {
			const f = net.mb.addTensor({ name: "f", shape: [1, 4, 4, 2], type: "float32" });
			const w = net.mb.addTensor({ name: "w", shape: [2, 1, 1, 2], type: "float32", data: new Float32Array(4) });
			const y = net.mb.addTensor({ name: "g", shape: [1, 4, 4, 2], type: "float32" });
			net.mb.addOp("CONV_2D", [f, w, -1], [y], { padding: "VALID" });
			net.mb.setInputs([f]);
			return y;
		}),
	);
	write(
		"int16.tflite",
		simple((net, x) => {
			const y = net.mb.addTensor({
				name: "s",
				shape: [1, 4, 4, 2],
				type: "int16",
				quant: { scale: [0.1], zeroPoint: [0] },
			});
			net.mb.addOp("SOFTMAX", [x], [y], { beta: 1 });
			return y;
		}),
	);
	// Loads, but its output shape does not follow from the input (a prepare-time error).
	write(
		"shape.tflite",
		simple((net, x) => {
			const y = net.act([1, 3, 4, 2], net.quantOf(x));
			net.mb.addOp("MAX_POOL_2D", [x], [y], { filterW: 1, filterH: 1, strideW: 1, strideH: 1 });
			return y;
		}),
	);
	// Per-channel FULLY_CONNECTED weights need their scales on the units' dimension (0), not the inputs'.
	write(
		"perchannel-fc.tflite",
		simple((net, x) => {
			const w = net.mb.addTensor({
				name: "w",
				shape: [3, 32],
				type: "int8",
				data: new Int8Array(96),
				quant: {
					scale: Array.from({ length: 32 }, (_, i) => 0.01 * (i + 1)),
					zeroPoint: new Array<number>(32).fill(0),
					quantizedDimension: 1,
				},
			});
			const y = net.act([1, 3], net.quantOf(x));
			net.mb.addOp("FULLY_CONNECTED", [x, w, -1], [y]);
			return y;
		}),
	);
	// REVERSE_V2: a good one (width axis of a 3-channel image), and one per prepare-time refusal.
	write(
		"reverse.tflite",
		simple((net, x) => net.reverse(x, 2)),
	);
	// RESHAPE of a constant (copied once into the plan's constants), added to the input: with the
	// input at its zero point and one quantization everywhere, the output is the constant's values.
	write(
		"reshape-const.tflite",
		simple((net, x) => {
			const q = net.quantOf(x);
			const c = net.mb.addTensor({
				name: "constant",
				shape: [1, 32],
				type: "int8",
				data: Int8Array.from({ length: 32 }, (_, i) => i * 3 - 40),
				quant: { scale: [q.scale], zeroPoint: [q.zeroPoint] },
			});
			return net.add(x, net.reshape(c, [1, 4, 4, 2]), "NONE", q);
		}),
	);
	write(
		"reverse-range.tflite",
		simple((net, x) => net.reverse(x, 4)),
	);
	write(
		"reverse-negative.tflite",
		simple((net, x) => net.reverse(x, -5)),
	);
	write(
		"reverse-axes.tflite",
		simple((net, x) => {
			const a = net.mb.addTensor({ name: "axes", shape: [2], type: "int32", data: Int32Array.of(1, 2) });
			const y = net.act([1, 4, 4, 2], net.quantOf(x));
			net.mb.addOp("REVERSE_V2", [x, a], [y]);
			return y;
		}),
	);
	write(
		"reverse-quant.tflite",
		simple((net, x) => {
			const a = net.mb.addTensor({ name: "axis", shape: [1], type: "int32", data: Int32Array.of(2) });
			const y = net.act([1, 4, 4, 2], { scale: net.quantOf(x).scale * 2, zeroPoint: net.quantOf(x).zeroPoint });
			net.mb.addOp("REVERSE_V2", [x, a], [y]);
			return y;
		}),
	);
	// The axis as a graph input instead of a constant.
	{
		const net = new Int8Net(5);
		const x = net.input([1, 4, 4, 2]);
		const a = net.mb.addTensor({ name: "axis", shape: [1], type: "int32" });
		const y = net.act([1, 4, 4, 2], net.quantOf(x));
		net.mb.addOp("REVERSE_V2", [x, a], [y]);
		net.mb.setInputs([x, a]).setOutputs([y]);
		write("reverse-input-axis.tflite", net.mb.finish());
	}
	for (const name of ["person_detect.tflite", "hello_world_int8.tflite"]) {
		const file = path.join(tflmModels, name);
		if (existsSync(file)) copyFileSync(file, path.join(root, name));
	}
	return root;
}

/**
 * For test/xs/nn-plan.xs.ts: every model of resources/models and ../shared/models/tflm (when
 * there) and the generated kitchen sink, copied into a writable data root (plans go beside them).
 */
export function planModels(): { root: string; models: string[] } {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-nn-plans-"));
	const models: string[] = [];
	const folders = [path.join(repoRoot, "resources/models"), ...(existsSync(tflmModels) ? [tflmModels] : [])];
	for (const folder of folders)
		for (const name of readdirSync(folder)
			.filter((n) => n.endsWith(".tflite"))
			.sort()) {
			copyFileSync(path.join(folder, name), path.join(root, name));
			models.push(name);
		}
	writeFileSync(path.join(root, "sink.tflite"), kitchenSinkModel(7));
	models.push("sink.tflite");
	return { root, models };
}
