// The TFLite loader on XS itself, over models read through the file module.
// The vitest side points the data root at ../shared/models/tflm.
import { File } from "file";
import { readModel } from "nn/tflite";
import { deepEqual, equal, test, throws } from "./harness";

function load(path: string): Uint8Array {
	const file = new File(path);
	const bytes = new Uint8Array(file.read(ArrayBuffer));
	file.close();
	return bytes;
}

test("hello_world: three FULLY_CONNECTED ops, int8 in and out", () => {
	const model = readModel(load("/hello_world_int8.tflite"), "hello_world_int8.tflite");
	deepEqual(
		model.operators.map((op) => op.name),
		["FULLY_CONNECTED", "FULLY_CONNECTED", "FULLY_CONNECTED"],
		"operators",
	);
	const input = model.tensors[model.inputs[0] ?? -1];
	deepEqual(input?.shape, [1, 1], "input shape");
	equal(input?.type, 9, "input type (INT8)");
});

test("person_detect: 31 ops, 96x96x1 int8 input, two int8 outputs; weights stay views of the file", () => {
	const bytes = load("/person_detect.tflite");
	const start = Date.now();
	const model = readModel(bytes, "person_detect.tflite");
	trace(`# person_detect parsed on XS in ${Date.now() - start} ms\n`);
	equal(model.operators.length, 31, "operator count");
	deepEqual(model.tensors[model.inputs[0] ?? -1]?.shape, [1, 96, 96, 1], "input shape");
	deepEqual(model.tensors[model.outputs[0] ?? -1]?.shape, [1, 2], "output shape");
	const weights = model.tensors.find((t) => t.data !== null && t.data.length > 1000);
	equal(weights?.data?.buffer, bytes.buffer, "weights share the file's buffer");
});

test("a truncated model is an error naming the file", () => {
	const bytes = load("/person_detect.tflite");
	throws(() => readModel(bytes.subarray(0, 1000), "cut.tflite"), /cut\.tflite/, "truncated");
});
