// SPDX-License-Identifier: Apache-2.0
// The field app's record of one wake: the results log's record and the `#wake {json}` console line
// (modules/main.ts writes both). Declarations only, so the tools and tests on Node read the same type
// without importing any module of the app.

export interface FaceResult {
	x: number;
	y: number;
	width: number;
	height: number;
	/** Absent, with the score, when the model could not be loaded (the record's error says why). */
	smile?: boolean;
	/** P(smile) from the model's two outputs. */
	score?: number;
}

export interface WakeRecord {
	boot: number;
	time: number;
	reason: string;
	pin?: number;
	frame?: string;
	/** Why the cascade, the capture or the model failed, when one did (the cycle goes on). */
	error?: string;
	faces: FaceResult[];
	awakeMs: number;
	warnings?: string[];
}
