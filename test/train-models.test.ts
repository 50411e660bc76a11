// The committed default models (resources/models): they load in our parser, use only the
// operators xsight runs, fit the size budget, and keep their accuracy in the real TFLite runtime.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { classifierFromFile, detectMultiScale, loadOpenCv } from "./support/opencv-oracle";
import { readModel } from "../modules/nn/tflite";
import { decodeGrayJpeg, loadImageFolders, loadMnist, splitOf } from "../tools/train/data";
import { argmax } from "../tools/train/net";
import { presets } from "../tools/train/presets";
import { scoresOf } from "../tools/train/trainer";
import { repoRoot, sharedRoot } from "./support/paths";
import { openTflite } from "../tools/tflite/oracle";
import { inferOnXs } from "./support/nn-run";

const SUPPORTED = new Set([0, 1, 3, 4, 6, 9, 17, 22, 25, 105, 114]); // ADD .. QUANTIZE, as in the runtime
const smiles = path.join(sharedRoot, "datasets/smilesmiled");

function load(name: string): Uint8Array {
	return new Uint8Array(readFileSync(path.join(repoRoot, "resources/models", name)));
}

async function predict(bytes: Uint8Array, images: Uint8Array[]): Promise<number[]> {
	const session = await openTflite(bytes);
	try {
		return images.map((img) => argmax(session.run([Int8Array.from(img, (p) => p - 128)])[0]!));
	} finally {
		session.close();
	}
}

function checkFile(bytes: Uint8Array, name: string, input: number[], classes: number): void {
	expect(bytes.byteLength).toBeLessThanOrEqual(64 * 1024);
	const m = readModel(bytes, name);
	for (const op of m.operators)
		expect(SUPPORTED.has(m.operatorCodes[op.opcodeIndex]!.builtinCode), `${name} operator ${op.index}`).toBe(true);
	const t = m.tensors[m.inputs[0]!]!;
	expect(t.shape).toEqual(input);
	// The documented input convention: int8 = pixel - 128.
	expect(t.quantization!.scale).toEqual([Math.fround(1 / 255)]);
	expect(t.quantization!.zeroPoint).toEqual([-128]);
	expect(m.tensors[m.outputs[0]!]!.shape).toEqual([1, classes]);
}

/** The side of the smile model's square input: the crops are shrunk to it (resources/models/smile.md). */
function smileSize(bytes: Uint8Array): number {
	const m = readModel(bytes, "smile.tflite");
	return m.tensors[m.inputs[0]!]!.shape[1]!;
}

describe("committed models", () => {
	test("lenet.tflite: >= 98.5% on the 10,000 MNIST test digits (the card: 98.96%)", async () => {
		const bytes = load("lenet.tflite");
		checkFile(bytes, "lenet.tflite", [1, 28, 28, 1], 10);
		const data = loadMnist("test");
		const s = scoresOf(await predict(bytes, data.images), data.targets, 10);
		expect(s.accuracy).toBeGreaterThanOrEqual(0.985);
		// The first 2,000 (the harder half's start): 98.25% when the model was committed.
		const first = scoresOf(await predict(bytes, data.images.slice(0, 2000)), data.targets.slice(0, 2000), 10);
		expect(first.accuracy).toBeCloseTo(0.9825, 4);
	});

	// The model card's command is `xsight train smile`: the committed file must be the preset's net
	// (input side, layer by layer, one pass or mirror-averaged), or that command builds another model.
	test("smile.tflite is the smile preset's architecture", () => {
		const m = readModel(load("smile.tflite"), "smile.tflite");
		const { spec } = presets.smile;
		expect(m.tensors[m.inputs[0]!]!.shape).toEqual([1, ...spec.input]);
		const names: Record<number, string> = {
			0: "ADD",
			3: "CONV_2D",
			9: "FULLY_CONNECTED",
			17: "MAX_POOL_2D",
			22: "RESHAPE",
			25: "SOFTMAX",
			105: "REVERSE_V2",
		};
		const ops = m.operators.map((op) => {
			const name = names[op.builtinCode] ?? `builtin ${op.builtinCode}`;
			const weights = m.tensors[op.inputs[1]!]?.shape;
			return name === "CONV_2D"
				? `CONV_2D ${weights![1]}x${weights![2]} ${weights![0]}`
				: name === "FULLY_CONNECTED"
					? `FULLY_CONNECTED ${weights![0]}`
					: name;
		});
		const pass = spec.layers.map((l) =>
			l.type === "conv"
				? `CONV_2D ${l.kernel}x${l.kernel} ${l.filters}`
				: l.type === "dense"
					? `FULLY_CONNECTED ${l.units}`
					: l.type === "maxpool"
						? "MAX_POOL_2D"
						: "RESHAPE",
		);
		expect(ops).toEqual(
			spec.mirrorAverage === true ? ["REVERSE_V2", ...pass, ...pass, "ADD", "SOFTMAX"] : [...pass, "SOFTMAX"],
		);
	});

	test.skipIf(!existsSync(smiles))(
		`smile.tflite: the test split of ${smiles} (skipped when it is absent)`,
		async () => {
			const bytes = load("smile.tflite");
			const size = smileSize(bytes);
			checkFile(bytes, "smile.tflite", [1, size, size, 1], 2);
			const { data } = loadImageFolders(smiles, {
				labels: ["negatives", "positives"],
				size,
				onBadImage: "fail",
				filter: (f) => splitOf(f) === "test",
			});
			const s = scoresOf(await predict(bytes, data.images), data.targets, 2);
			// As committed (resources/models/smile.md): 89.36% accuracy, 87.95% balanced on 1,090 images.
			expect(s.accuracy).toBeCloseTo(0.8936, 4);
			expect(s.balancedAccuracy).toBeCloseTo(0.8795, 4);
		},
	);

	// The int8 outputs of our runtime on XS are the real TFLite runtime's, element for element.
	async function sameOnXs(bytes: Uint8Array, images: Uint8Array[]): Promise<void> {
		const inputs = images.map((img) => Int8Array.from(img, (p) => p - 128));
		const session = await openTflite(bytes);
		const expected = inputs.map((input) => Array.from(session.run([input])[0]!));
		session.close();
		const run = await inferOnXs(bytes, inputs);
		expect(run.result.status, run.result.stderr).toBe(0);
		expect(run.inferences.map((inference) => inference.raw[0])).toEqual(expected);
	}

	test("lenet.tflite on XS equals the TFLite runtime on the first 300 MNIST test digits", async () => {
		await sameOnXs(load("lenet.tflite"), loadMnist("test").images.slice(0, 300));
	});

	test.skipIf(!existsSync(smiles))(
		"smile.tflite on XS equals the TFLite runtime on 300 test-split crops",
		async () => {
			const bytes = load("smile.tflite");
			const { data } = loadImageFolders(smiles, {
				labels: ["negatives", "positives"],
				size: smileSize(bytes),
				onBadImage: "fail",
				filter: (f) => splitOf(f) === "test",
			});
			await sameOnXs(bytes, data.images.slice(0, 300));
		},
	);

	// The field app crops a detection the way SMILEsmileD framed the smile model's training crops:
	// OpenCV's frontal-face box found on 300 crops (each on a gray canvas) gives the size and the
	// place of a crop inside a box, which modules/field/settings.ts's crop defaults must match.
	const XML = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
	test.skipIf(!existsSync(smiles) || !existsSync(XML))(
		"the field app's crop frames a face box as the SMILEsmileD crops are framed",
		async () => {
			await loadOpenCv();
			const faces = classifierFromFile(XML);
			const sides: number[] = [];
			const shifts: number[] = [];
			for (const label of ["positives", "negatives"]) {
				const files = readdirSync(path.join(smiles, label))
					.filter((f) => f.endsWith(".jpg"))
					.sort();
				for (let k = 0; k < 150; k++) {
					const file = path.join(smiles, label, files[Math.floor((k * files.length) / 150)]!);
					const crop = decodeGrayJpeg(new Uint8Array(readFileSync(file)), file);
					const pad = crop.width;
					const side = 3 * crop.width;
					const data = new Uint8Array(side * side).fill(128);
					for (let y = 0; y < crop.height; y++)
						data.set(crop.pixels.subarray(y * crop.width, (y + 1) * crop.width), (y + pad) * side + pad);
					const boxes = detectMultiScale(
						faces,
						{ width: side, height: side, data },
						{ scale: 1.05, minNeighbors: 3, minSize: 24 },
					);
					const centre = (b: { x: number; y: number; width: number; height: number }) =>
						Math.hypot(b.x + b.width / 2 - side / 2, b.y + b.height / 2 - side / 2);
					const box = boxes.sort((a, b) => centre(a) - centre(b))[0];
					if (box === undefined) continue;
					sides.push(crop.width / box.width);
					shifts.push((side / 2 - (box.y + box.height / 2)) / box.height);
				}
			}
			const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
			// The app's defaults, read from its source (an XS module: its imports do not resolve on Node).
			const source = readFileSync(path.join(repoRoot, "modules/field/settings.ts"), "utf8");
			const found = /crop: \{ margin: (-?[\d.]+), offsetY: (-?[\d.]+)/.exec(source);
			expect(found, "modules/field/settings.ts: crop: { margin: M, offsetY: D, ... }").not.toBeNull();
			const [margin, offsetY] = [Number(found![1]), Number(found![2])];
			expect(sides.length).toBeGreaterThan(250);
			// crop side = box side x (1 + 2 margin); crop centre = box centre + offsetY x box height.
			expect(Math.abs((median(sides) - 1) / 2 - margin)).toBeLessThan(0.02);
			expect(Math.abs(median(shifts) - offsetY)).toBeLessThan(0.02);
		},
	);
});
