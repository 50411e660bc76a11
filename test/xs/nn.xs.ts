// The "nn" module on XS: the Model API, load-time errors that name the file
// and the operator or tensor, and the model's plan: kept beside the model,
// refused by C when it is not exactly this model's (never trusting what JS
// hands it), rebuilt then. Fixtures: test/support/nn-fixtures.ts.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
import Resource from "Resource";
import { crc32 } from "native/bytes";
import { Model } from "nn";
import { decodeUtf8 } from "nn/utf8";
import { readMeta } from "nn/plan";
import { convMultipliers as tsMultipliers } from "nn/quantize";
import { readModel } from "nn/compiler";
import { useNativeQuantization } from "nn/tflite";
import { Arena, Plan, checkScales, convMultipliers, planBuild, zeroPoints } from "native/nn";
import { assert, deepEqual, equal, rejects, test, throws } from "./harness";

test("Resource maps a file of the data root read-only, outside the XS heap", () => {
	const r = new Resource("conv.tflite");
	const bytes = new Uint8Array(r);
	assert(bytes.length > 100, "size");
	equal(String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!), "TFL3", "identifier");
	throws(
		() => {
			bytes[0] = 1;
			if (bytes[0] !== 1) throw new TypeError("read-only");
		},
		undefined,
		"write",
	);
	equal(Resource.exists("conv.tflite"), true, "exists");
	equal(Resource.exists("nothing.tflite"), false, "exists (missing)");
	equal(new Uint8Array(r.slice(4, 8))[0], bytes[4], "slice copies");
	throws(() => new Resource("../etc/passwd"), /not allowed/, "..");
	throws(() => new Resource("nothing.tflite"), /nothing\.tflite/, "missing");
});

test("decodeUtf8 on XS: its native fast path only where it equals the decoder by hand", () => {
	// Bytes at an offset inside a larger buffer, as names sit in a model file.
	const at = (bytes: number[]) => {
		const buffer = new Uint8Array(bytes.length + 5);
		buffer.set(bytes, 3);
		return decodeUtf8(buffer.subarray(1), 2, bytes.length);
	};
	equal(at([0x63, 0x6f, 0x6e, 0x76, 0x2f, 0x31]), "conv/1", "ASCII");
	equal(at([0x61, 0x00, 0x62]), "a\u0000b", "a 0 byte is a character, not the end");
	equal(at([0x61, 0xc3, 0xa9]), "a\u00e9", "two-byte sequence");
	equal(at([0xf0, 0x9f, 0x98, 0x80]), "\ud83d\ude00", "four-byte sequence");
	equal(at([0xff, 0x41, 0xc3]), "\ufffdA\ufffd", "invalid lead, truncated pair");
	equal(at([0xc0, 0x80]), "\ufffd\ufffd", "overlong NUL");
	equal(at([0xed, 0xa0, 0x80]), "\ufffd\ufffd\ufffd", "encoded surrogate");
	equal(at([]), "", "empty");
});

test("per-channel multipliers in C equal quantize.ts's, in both rounding modes", () => {
	// xorshift32: scales with random significands over 2^-40..2^10, as float32 values (what a model holds).
	let x = 12345;
	const next = (): number => {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		return x;
	};
	const bits = new Uint32Array(1);
	const f32 = new Float32Array(bits.buffer);
	const scale = (): number => {
		bits[0] = (((87 + (next() % 50)) << 23) | (next() & 0x7fffff)) >>> 0;
		return f32[0]!;
	};
	for (let round = 0; round < 40; round++) {
		const n = 1 + (next() % 24);
		const filter = new Float32Array(n);
		for (let c = 0; c < n; c++) filter[c] = scale();
		const input = scale(),
			output = scale();
		for (const singleRounding of [false, true]) {
			const want = tsMultipliers(input, Array.from(filter), output, n, { singleRounding });
			const multipliers = new Int32Array(n),
				shifts = new Int32Array(n);
			convMultipliers(input, filter, output, singleRounding, multipliers, shifts);
			deepEqual(Array.from(multipliers), Array.from(want.multipliers), `multipliers, round ${round}`);
			deepEqual(Array.from(shifts), Array.from(want.shifts), `shifts, round ${round}`);
		}
	}
	const one = new Int32Array(2),
		two = new Int32Array(2);
	convMultipliers(0.5, Float32Array.of(0.25), 0.125, false, one, two);
	deepEqual(Array.from(one), [1 << 30, 1 << 30], "one scale broadcast: 1.0 = 2^30 * 2^(1-31)");
	deepEqual(Array.from(two), [1, 1], "shift 1");
	throws(() => convMultipliers(1, Float32Array.of(1, -1), 1, false, one, two), /convMultipliers/, "a negative scale");
	throws(
		() => convMultipliers(1, Float32Array.of(1, 1, 1), 1, false, one, two),
		/convMultipliers/,
		"3 scales for 2 channels",
	);
	throws(
		() => convMultipliers(1, Float32Array.of(1), 1, false, one, new Int32Array(3)),
		/convMultipliers/,
		"shifts of another length",
	);
	equal(checkScales(Float32Array.of(1, 2, 0, NaN)), 2, "checkScales: the first bad one");
	equal(checkScales(Float32Array.of(1, 2)), -1, "checkScales: all good");
	const out = new Int32Array(2);
	equal(zeroPoints(Int32Array.of(-5, -1, 7, 0), out), -2, "zeroPoints in range, not all 0");
	deepEqual(Array.from(out), [-5, 7], "zeroPoints values");
	equal(zeroPoints(Int32Array.of(0, 0, 0, 1), out), 1, "zeroPoints: 2^32 is out of range");
	equal(zeroPoints(Int32Array.of(0, 0, 0, 0), null), -1, "zeroPoints: all 0, only checked");
	equal(zeroPoints(Int32Array.of(0, 0, 3, 0), null), -2, "zeroPoints: not all 0, only checked");
});

test("the loader's quantization vectors: typed views checked in C, the same values as the JS loops", () => {
	const bytes = new Uint8Array(new Resource("conv.tflite"));
	const native = readModel(bytes, "conv.tflite");
	useNativeQuantization(null);
	let plain;
	try {
		plain = readModel(bytes, "conv.tflite");
	} finally {
		useNativeQuantization({ checkScales, zeroPoints });
	}
	let quantized = 0;
	native.tensors.forEach((t, i) => {
		const q = t.quantization,
			p = plain.tensors[i]!.quantization;
		if (q === null || p === null) {
			equal(q, p, `tensor ${i} quantization`);
			return;
		}
		quantized++;
		assert(q.scale instanceof Float32Array && q.zeroPoint instanceof Int32Array, `tensor ${i}: typed arrays`);
		assert(Array.isArray(p.scale) && Array.isArray(p.zeroPoint), `tensor ${i}: arrays without native checks`);
		deepEqual(Array.from(q.scale), Array.from(p.scale), `tensor ${i} scales`);
		deepEqual(Array.from(q.zeroPoint), Array.from(p.zeroPoint), `tensor ${i} zero points`);
	});
	assert(quantized >= 3, "the model has quantized tensors");
});

test("Model: tensors are NHWC views of the arena with scale and zero point; invoke fills outputs", async () => {
	const model = await Model.load("conv.tflite");
	const input = model.input(0);
	deepEqual(input.shape, [1, 8, 8, 3], "input shape");
	equal(input.type, "int8", "type");
	assert(input.data instanceof Int8Array, "Int8Array");
	equal(input.data.length, 192, "input length");
	assert(input.scale > 0, "scale");
	equal(model.inputs.length, 1, "inputs");
	deepEqual(model.output(0).shape, [1, 8, 8, 4], "output shape");
	assert(model.arenaBytes >= 192 + 256, `arena ${model.arenaBytes}`);
	equal(model.macs, 8 * 8 * 4 * 3 * 3 * 3, "MACs");
	// Each operator's own figures, compiled and read back from the plan (the second load).
	for (const loaded of [model, await Model.load("conv.tflite")]) {
		deepEqual(
			loaded.operators.map((o) => [o.index, o.name, o.macs]),
			[[0, "CONV_2D", 8 * 8 * 4 * 3 * 3 * 3]],
			`operators (from plan: ${loaded.fromPlan})`,
		);
		equal(loaded.operators[0]!.scratchBytes, loaded.scratchBytes, "the operator's scratch");
	}
	assert(model.weightBytes >= 4 * 3 * 3 * 3 + 16, `weights ${model.weightBytes}`);
	for (let i = 0; i < input.data.length; i++) input.data[i] = ((i * 7) % 256) - 128;
	model.output(0).data.fill(99);
	model.invoke();
	const out = Array.from(model.output(0).data);
	// RELU6: everything inside [zero point, 6 / scale + zero point].
	const o = model.output(0);
	assert(
		out.every((v) => v >= o.zeroPoint && v <= Math.round(6 / o.scale) + o.zeroPoint),
		"RELU6 range",
	);
	assert(
		out.some((v) => v !== 99),
		"written",
	);
	// The same input gives the same output (scratch and arena reuse are clean).
	model.invoke();
	deepEqual(Array.from(model.output(0).data), out, "repeatable");
	throws(() => model.input(1), /conv\.tflite: no input 1/, "input(1)");
});

test("every operator loads and runs (kitchen sink); float32 outputs have values", async () => {
	const model = await Model.load("sink.tflite");
	equal(model.outputs.length, 2, "outputs");
	model.invoke();
	const probs = model.output(0).data;
	let sum = 0;
	for (let i = 0; i < 5; i++) sum += probs[i]! + 128;
	assert(Math.abs(sum - 256) <= 6, `softmax row sums to ${sum}/256`);
	equal(model.output(1).type, "float32", "dequantized output type");
	assert(model.output(1).values instanceof Float32Array, "values");
});

test("bad files: clear errors naming the file and what is wrong", async () => {
	await rejects(() => Model.load("cut.tflite"), /^cut\.tflite: .*past the end/, "truncated");
	await rejects(() => Model.load("empty.tflite"), /^empty\.tflite: file is 0 bytes/, "empty");
	await rejects(() => Model.load("ident.tflite"), /^ident\.tflite: file identifier is "TFL2"/, "identifier");
	await rejects(() => Model.load("v2.tflite"), /^v2\.tflite: model: schema version 2 is not supported/, "version");
	await rejects(() => Model.load("past.tflite"), /^past\.tflite: .*past the end/, "offset past the end");
	await rejects(
		() => Model.load("mean.tflite"),
		/^mean\.tflite: unsupported operator MEAN at index 0$/,
		"unsupported operator",
	);
	await rejects(
		() => Model.load("huge.tflite"),
		/^huge\.tflite: subgraph 0 tensor 1 .*more than \d+ elements/,
		"absurd shape",
	);
	await rejects(
		() => Model.load("bufidx.tflite"),
		/^bufidx\.tflite: subgraph 0 tensor 1 \(w\): buffer index 99 out of range/,
		"buffer index",
	);
	await rejects(
		() => Model.load("float.tflite"),
		/^float\.tflite: .*CONV_2D.*FLOAT32, expected INT8/,
		"float32 model",
	);
	await rejects(
		() => Model.load("int16.tflite"),
		/^int16\.tflite: .*SOFTMAX.*INT16, expected INT8/,
		"int16 activations",
	);
	await rejects(
		() => Model.load("shape.tflite"),
		/^shape\.tflite: operator 0 \(MAX_POOL_2D\): output shape \[1, 3, 4, 2\] does not follow/,
		"output shape",
	);
	await rejects(
		() => Model.load("perchannel-fc.tflite"),
		/^perchannel-fc\.tflite: operator 0 \(FULLY_CONNECTED\): weights have 32 scales on dimension 1: per-channel weights need one per unit \(3\) on dimension 0$/,
		"per-channel FC weights scaled along their inputs",
	);
	await rejects(() => Model.load("missing.tflite"), /^missing\.tflite: cannot load/, "missing file");
});

test("REVERSE_V2: the output is the input mirrored along the width, in its own bytes, with its quantization", async () => {
	const model = await Model.load("reverse.tflite");
	const input = model.input(0),
		output = model.output(0);
	deepEqual(output.shape, [1, 4, 4, 2], "shape");
	equal(output.scale, input.scale, "scale");
	equal(output.zeroPoint, input.zeroPoint, "zero point");
	assert(
		output.data.byteOffset >= input.data.byteOffset + 32 || input.data.byteOffset >= output.data.byteOffset + 32,
		"not aliased",
	);
	for (let i = 0; i < 32; i++) input.data[i] = i * 7 - 100;
	model.invoke();
	for (let h = 0; h < 4; h++)
		for (let w = 0; w < 4; w++)
			for (let c = 0; c < 2; c++)
				equal(output.data[(h * 4 + w) * 2 + c], input.data[(h * 4 + 3 - w) * 2 + c], `h ${h} w ${w} c ${c}`);
	equal(model.macs, 0, "no MACs");
});

test("REVERSE_V2 refusals name the file, the operator and the axis or quantization at fault", async () => {
	await rejects(
		() => Model.load("reverse-range.tflite"),
		/^reverse-range\.tflite: operator 0 \(REVERSE_V2\): axis tensor 2 \(axis_\d+\) holds 4, outside \[-4, 3\] for the rank 4 input$/,
		"axis 4",
	);
	await rejects(
		() => Model.load("reverse-negative.tflite"),
		/^reverse-negative\.tflite: operator 0 \(REVERSE_V2\): axis tensor 2 \(axis_\d+\) holds -5, outside/,
		"axis -5",
	);
	await rejects(
		() => Model.load("reverse-axes.tflite"),
		/^reverse-axes\.tflite: operator 0 \(REVERSE_V2\): axis tensor 1 \(axes\) has shape \[2\], expected one value/,
		"two axes",
	);
	await rejects(
		() => Model.load("reverse-quant.tflite"),
		/^reverse-quant\.tflite: operator 0 \(REVERSE_V2\): output quantization \(scale [\d.e-]+, zero point -3\) must equal the input's/,
		"requantizing output",
	);
	await rejects(
		() => Model.load("reverse-input-axis.tflite"),
		/^reverse-input-axis\.tflite: subgraph 0 input tensor 1 \(axis\): type INT32 is not supported/,
		"axis not a constant",
	);
});

test("RESHAPE of a constant reads the constant's bytes from the plan, compiled and from the plan", async () => {
	for (const fromPlan of [false, true]) {
		if (!fromPlan && File.exists("reshape-const.tflite.plan")) File.delete("reshape-const.tflite.plan");
		const model = await Model.load("reshape-const.tflite");
		equal(model.fromPlan, fromPlan, "load");
		model.input(0).data.fill(model.input(0).zeroPoint);
		model.invoke();
		deepEqual(
			Array.from(model.output(0).data),
			Array.from({ length: 32 }, (_, i) => i * 3 - 40),
			`output (from plan: ${fromPlan})`,
		);
	}
});

test("a model larger than the arena given is refused at load, naming the largest tensor", async () => {
	const need = (await Model.load("conv.tflite")).arenaBytes;
	equal((await Model.load("conv.tflite", { arenaBytes: need })).arenaBytes, need, "exactly enough");
	await rejects(
		() => Model.load("conv.tflite", { arenaBytes: need - 1 }),
		/^conv\.tflite: needs \d+ bytes of arena, only \d+ given \(largest tensor \d+ "act_\d+" \[1, 8, 8, 4\] is 256 bytes\)$/,
		"too small",
	);
});

function readFile(path: string): Uint8Array {
	const file = new File(path);
	try {
		return new Uint8Array(file.read(ArrayBuffer));
	} finally {
		file.close();
	}
}

function writeFile(path: string, bytes: Uint8Array): void {
	if (File.exists(path)) File.delete(path);
	const file = new File(path, true);
	file.write(bytes.slice().buffer);
	file.close();
}

/** The outputs of one invoke on a fixed input pattern. */
function run(model: Model): number[][] {
	for (const t of model.inputs) for (let i = 0; i < t.data.length; i++) t.data[i] = ((i * 37 + 11) % 256) - 128;
	model.invoke();
	return model.outputs.map((t) => Array.from(t.data));
}

test("a model's plan: written beside it at the first load, the next load starts from it with the same figures and outputs", async () => {
	if (File.exists("sink.tflite.plan")) File.delete("sink.tflite.plan");
	const first = await Model.load("sink.tflite");
	equal(first.fromPlan, false, "no plan yet: compiled");
	assert(File.exists("sink.tflite.plan"), "plan written");
	assert(!File.exists("sink.tflite.plan.new"), "no temporary file left");
	const second = await Model.load("sink.tflite");
	equal(second.fromPlan, true, "second load from the plan");
	deepEqual(run(second), run(first), "outputs");
	equal(second.arenaBytes, first.arenaBytes, "arenaBytes");
	equal(second.macs, first.macs, "macs");
	equal(second.weightBytes, first.weightBytes, "weightBytes");
	deepEqual(second.operators, first.operators, "operators");
	deepEqual(
		second.inputs.map((t) => [t.name, t.shape, t.scale, t.zeroPoint, t.type]),
		first.inputs.map((t) => [t.name, t.shape, t.scale, t.zeroPoint, t.type]),
		"inputs",
	);
	deepEqual(
		second.outputs.map((t) => [t.name, t.shape, t.scale, t.zeroPoint, t.type]),
		first.outputs.map((t) => [t.name, t.shape, t.scale, t.zeroPoint, t.type]),
		"outputs' tensors",
	);
	equal(
		(await second.tensor(first.inputs[0]!.index))?.data.byteOffset,
		first.inputs[0]!.data.byteOffset,
		"tensor() parses on demand",
	);
	// fromBytes has no file: it compiles, with the same result.
	deepEqual(run(await Model.fromBytes(readFile("sink.tflite"), "sink.tflite")), run(first), "fromBytes");
});

/** A copy of `plan` with words set (byte offset -> value) and its CRC-32 made right again. */
function patched(plan: Uint8Array, words: [number, number][]): Uint8Array {
	const copy = plan.slice();
	const view = new DataView(copy.buffer);
	for (const [at, value] of words) view.setInt32(at, value, true);
	view.setUint32(24, crc32(copy.subarray(28)), true);
	return copy;
}

test("a plan of another model, version or kernel build, torn, bit-flipped or pointing outside is refused by C, then rebuilt", async () => {
	if (File.exists("conv.tflite.plan")) File.delete("conv.tflite.plan");
	const reference = run(await Model.load("conv.tflite"));
	const good = readFile("conv.tflite.plan");
	await Model.load("sink.tflite");
	const other = readFile("sink.tflite.plan");
	const model = new Resource("conv.tflite");
	const view = new DataView(good.buffer);
	const arenaBytes = view.getUint32(28, true);
	const block = 56 + 16; // op 0 (CONV_2D): its block after kind, words, weights offset and length
	const flipped = good.slice();
	flipped[good.length - 3]! ^= 4;
	const meta = view.getUint32(44, true);
	const variants: [string, Uint8Array, RegExp][] = [
		["another model's plan", other, /nn: plan: made for a model of \d+ bytes/],
		["another format version", patched(good, [[4, 1]]), /format version 1, this build reads 2/],
		[
			"another kernel build",
			patched(good, [[8, planBuild ^ 2]]),
			/made for kernel build \d, these kernels are build \d/,
		],
		["torn (a byte short)", good.subarray(0, good.length - 1), /torn/],
		["a bit flipped", flipped, /CRC-32 [0-9a-f]{8}, its header says/],
		["not a plan", new Uint8Array(8), /shorter than the header/],
		[
			"an input outside the arena",
			patched(good, [[block + 4 * 0, arenaBytes]]),
			/op 0: input at \d+ \(192 bytes\) is not an aligned part of the \d+-byte arena/,
		],
		[
			"weights outside the model",
			patched(good, [[56 + 8, model.byteLength - 4]]),
			/op 0: weights at \d+ .* outside the \d+-byte model/,
		],
		[
			"multipliers outside the constants",
			patched(good, [[block + 4 * 24, 1 << 20]]),
			/op 0: multipliers at 1048576 .* outside the plan's/,
		],
		["a shift out of range", patched(good, [[view.getUint32(36, true) + 4 * 4, 40]]), /op 0: shift 0 is 40/],
		["an unknown op", patched(good, [[56, 99]]), /op 0: kind 99/],
		["too many ops", patched(good, [[32, 1 << 28]]), /ops at 56 do not fit/],
		["scratch smaller than the kernel asks", patched(good, [[block + 4 * 28, -1]]), /op 0: scratch of -1 bytes/],
	];
	for (const [what, bytes, message] of variants) {
		throws(
			() => {
				const plan = new Plan(model, bytes);
				plan.prepare(new Arena(Math.max(plan.arenaBytes, 16)));
			},
			message,
			what,
		);
		writeFile("conv.tflite.plan", bytes);
		const loaded = await Model.load("conv.tflite");
		equal(loaded.fromPlan, false, `${what}: not trusted`);
		deepEqual(run(loaded), reference, `${what}: outputs`);
		deepEqual(Array.from(readFile("conv.tflite.plan")), Array.from(good), `${what}: rebuilt`);
		equal((await Model.load("conv.tflite")).fromPlan, true, `${what}: the rebuilt plan is used`);
	}
	// A description that does not fit itself: C accepts the plan (its CRC is right), the loader does not.
	const tensors = view.getInt32(meta + 4 * 4, true);
	const operators = view.getInt32(meta + 4 * 5, true);
	const input = meta + 4 * (8 + tensors + 5 * operators); // the first tensor record
	const descriptions: [string, [number, number][], RegExp][] = [
		[
			"more tensors than it holds",
			[[meta + 4 * 4, 0x7b7b7b7b]],
			/2071690107 tensors and \d+ operators do not fit its \d+ bytes/,
		],
		["a negative operator count", [[meta + 4 * 5, -1]], /tensors and -1 operators do not fit/],
		[
			"an operator's name past its end",
			[[meta + 4 * (8 + tensors + 3), 1 << 20]],
			/operator 0's name at 1048576 \(\d+ bytes\) is outside its \d+ bytes/,
		],
		["a tensor past its offsets", [[input, tensors]], /tensor record 0 \(tensor \d+ of \d+\) is malformed/],
		["a shape past its end", [[input + 4 * 9, 1 << 20]], /tensor record 0 is outside its \d+ bytes/],
		["more outputs than records", [[meta + 4 * 7, 50]], /tensor record \d+ is outside its \d+ bytes/],
		[
			"a misaligned description",
			[
				[44, meta + 2],
				[48, view.getUint32(48, true) - 2],
			],
			/bytes at \d+ are not a description/,
		],
	];
	for (const [what, words, message] of descriptions) {
		const bytes = patched(good, words);
		throws(() => readMeta(bytes), message, what);
		writeFile("conv.tflite.plan", bytes);
		equal((await Model.load("conv.tflite")).fromPlan, false, `${what}: not trusted`);
		deepEqual(Array.from(readFile("conv.tflite.plan")), Array.from(good), `${what}: rebuilt`);
	}
});

test("the binding's plan and arena refuse misuse", () => {
	const model = new Resource("conv.tflite");
	const plan = new Plan(model, readFile("conv.tflite.plan"));
	throws(() => plan.run(), /not prepared/, "run before prepare");
	throws(() => plan.prepare(new Arena(16)), /needs an aligned arena of \d+ bytes, 16 given/, "arena too small");
	plan.prepare(new Arena(plan.arenaBytes));
	throws(() => plan.prepare(new Arena(plan.arenaBytes)), /already prepared/, "prepared twice");
	plan.run();
	throws(() => Plan.prototype.run.call(new Arena(16)), /./, "run on something else");
	throws(
		() => new Plan(new ArrayBuffer(8) as unknown as HostBuffer, readFile("conv.tflite.plan")),
		/./,
		"a model that is not a host buffer",
	);
	throws(() => new Arena(0), /arena size/, "empty arena");
	throws(() => new Arena(1e12), /arena size/, "absurd arena");
});

/** A plan prepared over a model and an arena that nothing but the plan refers to. */
function planAlone(): Plan {
	const plan = new Plan(new Resource("conv.tflite"), readFile("conv.tflite.plan"));
	plan.prepare(new Arena(plan.arenaBytes));
	return plan;
}

// The steps point into both buffers: were they collected, run() would use freed
// memory (a report under AddressSanitizer: test/xs.test.ts runs this suite there too).
test("a plan keeps its model and arena alive through collections", () => {
	const plans = [planAlone(), planAlone()];
	// Nor can JavaScript make it let them go.
	for (const key of ["model", "arena"]) {
		equal(Reflect.set(plans[1]!, key, null), false, `${key} replaced`);
		equal(Reflect.deleteProperty(plans[1]!, key), false, `${key} deleted`);
	}
	// Garbage, many times the 4,096-slot initial heap: the collector runs several times.
	let slots = 0;
	for (let i = 0; i < 100_000; i++) slots += [i, { i }].length;
	equal(slots, 200_000, "garbage made");
	for (const plan of plans) plan.run();
});
