// The two default models: their architectures and training settings (what `xsight train smile`
// and `xsight train mnist` run unless flags override them).
// SPDX-License-Identifier: Apache-2.0
import type { NetSpec } from "./net";
import { NO_AUGMENT, type TrainOptions } from "./trainer";

export type PresetName = "smile" | "mnist";

export interface Preset {
	spec: NetSpec;
	options: Omit<TrainOptions, "progress">;
	/** Calibration samples drawn from the training split for activation ranges. */
	calibration: number;
}

export const SMILE_LABELS = ["negatives", "positives"];
export const SMILE_SIZE = 32;

export const presets: Record<PresetName, Preset> = {
	smile: {
		// Three 3x3 conv + 2x2 max-pool stages like the seed's SmileNet, on a 32x32 gray crop.
		spec: {
			name: "smile",
			input: [SMILE_SIZE, SMILE_SIZE, 1],
			layers: [
				{ type: "conv", filters: 8, kernel: 3, padding: "SAME", activation: "RELU" },
				{ type: "maxpool", size: 2 },
				{ type: "conv", filters: 16, kernel: 3, padding: "SAME", activation: "RELU" },
				{ type: "maxpool", size: 2 },
				{ type: "conv", filters: 32, kernel: 3, padding: "SAME", activation: "RELU" },
				{ type: "maxpool", size: 2 },
				{ type: "flatten" },
				{ type: "dense", units: 32, activation: "RELU" },
				{ type: "dense", units: 2, activation: "NONE" },
			],
			labels: SMILE_LABELS,
		},
		options: {
			epochs: 24,
			batch: 32,
			lr: 2e-3,
			lrDecay: 0.88,
			weightDecay: 1e-4,
			seed: 7,
			augment: { flip: true, shift: 2, contrast: 0.2, brightness: 0.1 },
			balanceClasses: true,
		},
		calibration: 500,
	},
	mnist: {
		// LeNet-5: 5x5 VALID convs with 6 and 16 filters, 2x2 max pools, dense 120-84-10.
		spec: {
			name: "lenet",
			input: [28, 28, 1],
			layers: [
				{ type: "conv", filters: 6, kernel: 5, padding: "VALID", activation: "RELU" },
				{ type: "maxpool", size: 2 },
				{ type: "conv", filters: 16, kernel: 5, padding: "VALID", activation: "RELU" },
				{ type: "maxpool", size: 2 },
				{ type: "flatten" },
				{ type: "dense", units: 120, activation: "RELU" },
				{ type: "dense", units: 84, activation: "RELU" },
				{ type: "dense", units: 10, activation: "NONE" },
			],
			labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
		},
		options: {
			epochs: 8,
			batch: 32,
			lr: 1e-3,
			lrDecay: 0.75,
			weightDecay: 0,
			seed: 7,
			augment: NO_AUGMENT,
			balanceClasses: false,
		},
		calibration: 500,
	},
};
