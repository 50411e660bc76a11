// The field app's look at a frame: its largest faces, and a smile score for each. One place for
// a wake (modules/main.ts) and for an update's self-test (update/install), which must find what
// the app finds.
// SPDX-License-Identifier: Apache-2.0
import type { FaceResult } from "field/record";
import type { Settings } from "field/settings";
import type { Model, Tensor } from "nn";
import { count, mark } from "power";
import { type Cascade, cropInto, cropTarget, detect, type Frame, type Rect } from "vision";

export interface Classifier {
	model: Model;
	input: Tensor;
	output: Tensor;
	/** A model that ends in SOFTMAX gives probabilities; otherwise its outputs are logits. */
	givesProbabilities: boolean;
}

/**
 * The loaded `model` (from `path`) as the smile classifier, or an Error naming the path when it
 * is not one: its input must be what cropInto fills, its output two values.
 */
export function classifierOf(model: Model, path: string): Classifier {
	const input = model.input(0);
	const output = model.output(0);
	if (input.type !== "int8")
		throw new Error(
			`${path}: input 0 is ${input.type} [${input.shape.join(", ")}], expected int8 [1, height, width, 1] (a grayscale image)`,
		);
	// What cropInto will write a face into, checked before the camera is on.
	cropTarget(input, `${path}: input 0`);
	if (output.shape.reduce((a, b) => a * b, 1) !== 2)
		throw new Error(
			`${path}: output 0 has shape [${output.shape.join(", ")}], expected 2 values (no smile, smile)`,
		);
	if (output.type !== "int8" && output.type !== "float32")
		throw new Error(`${path}: output 0 is ${output.type}, expected int8 or float32`);
	return {
		model,
		input,
		output,
		givesProbabilities: model.lastOperator === "SOFTMAX",
	};
}

/** The largest faces in the frame, at most settings.maxFaces. */
export function largestFaces(frame: Frame, cascade: Cascade, settings: Settings): Rect[] {
	const faces = detect(frame, cascade, settings.detect);
	faces.sort((a, b) => b.width * b.height - a.width * a.height);
	return faces.slice(0, settings.maxFaces);
}

/** The face with its smile score, or without one when there is no classifier (the model did not load). */
export function classify(frame: Frame, face: Rect, classifier: Classifier | undefined, settings: Settings): FaceResult {
	const box = { x: face.x, y: face.y, width: face.width, height: face.height };
	if (!classifier) return box;
	cropInto(frame, face, classifier.input, settings.crop);
	count("vision.crops", 1);
	count("vision.crop.pixels", face.width * face.height);
	mark("crop");
	classifier.model.invoke();
	mark("invoke");
	const score = smileProbability(classifier);
	return { ...box, smile: score >= settings.smileThreshold, score: Math.round(score * 1000) / 1000 };
}

/** P(smile): the softmax of the two outputs (logits or probabilities alike), dequantized. */
function smileProbability({ output, givesProbabilities }: Classifier): number {
	const values = output.type === "float32" && output.values ? output.values : null;
	const real = (i: number) => (values ? (values[i] ?? 0) : ((output.data[i] ?? 0) - output.zeroPoint) * output.scale);
	const no = real(0),
		yes = real(1);
	if (givesProbabilities) return yes / Math.max(no + yes, 1e-9);
	return 1 / (1 + Math.exp(no - yes));
}
