// The field app's settings: mc/config "app", checked completely at boot. A
// value out of range stops the app with a message naming it, before it spends
// power or sleeps; a missing value takes the default below. The detection and
// crop options are checked by the same functions detect() and cropInto() use.
// SPDX-License-Identifier: Apache-2.0
import { FRAME_SIZES, type FrameSize } from "camera";
import type { WakePin } from "power";
import type { CropOptions } from "vision/crop";
import type { DetectOptions } from "vision/detect";
import { checkCropOptions, checkDetectOptions } from "vision/options";

export interface Settings {
	/** Binary cascade (data-root path), e.g. from `xsight cascade convert`. */
	cascade: string;
	/** Evaluate only this many stages (default: all). */
	stages?: number;
	/** int8 .tflite: input [1, h, w, 1], output two values (no smile, smile). */
	model: string;
	frameSize: FrameSize;
	detect: Pick<
		DetectOptions,
		"threshold" | "scale" | "minSize" | "maxSize" | "minNeighbors" | "step" | "refine" | "merge"
	>;
	crop: CropOptions;
	/** The largest faces first; the rest are not classified. */
	maxFaces: number;
	/** P(smile) at or above this is a smile. */
	smileThreshold: number;
	wakeEveryMs: number;
	wakeOnPins: WakePin[];
	log: string;
	logMaxBytes: number;
}

export const DEFAULTS: Readonly<Settings> = Object.freeze({
	cascade: "cascades/frontalface.cascade",
	model: "models/smile.tflite",
	frameSize: "qvga",
	// The seed demo's pyramid step. Windows every 2 px at every level (OpenCV steps 1 px from a
	// level's scale 2, and after a stage-0 rejection skips one): half the M7's instructions on the
	// built-in frames (43.7-54.6 M -> 20.9-22.7 M), and with 2 neighbours, not 3, the same recall
	// and precision on the labelled dlib photos (7/18, 7/7) and the same faces on the built-in frames.
	// Refined after 2 stages (the windows 4 px apart first, the 2 px ones only beside one that passed
	// 2 stages): 34-44% fewer windows and 15-19% fewer features on the built-in frames, the same boxes
	// with the same hits there and on the dlib photos (docs/vision.md); after 3 stages a dlib face is lost.
	detect: { threshold: 0.5, scale: 1.25, minSize: 40, minNeighbors: 2, step: 2, refine: 2 },
	// The smile model was trained on SMILEsmileD face crops, scaled by area averaging. Those
	// crops are tighter than OpenCV's frontal-face box and sit low in it: on 299 of them (padded
	// with gray), the box's median side is 84 px for the 64 px crop and its centre 6.5 px above
	// the crop's. So the app crops 0.76 of the box (margin -0.12), 0.08 of its height lower.
	crop: { margin: -0.12, offsetY: 0.08, resize: "area" },
	maxFaces: 4,
	smileThreshold: 0.5,
	wakeEveryMs: 60_000,
	wakeOnPins: [],
	log: "/state/results.log",
	logMaxBytes: 65536,
} satisfies Settings);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(key: string, what: string, value: unknown): never {
	throw new RangeError(`mc/config app.${key}: ${what}, got ${JSON.stringify(value)}`);
}

function text(json: Json, key: string, fallback: string): string {
	const value = json[key] ?? fallback;
	if (typeof value !== "string" || value.length === 0) fail(key, "expected a file path", value);
	return value;
}

function number(json: Json, key: string, fallback: number, min: number, max: number, integer = false): number {
	const value = json[key] ?? fallback;
	if (typeof value !== "number" || !(value >= min && value <= max) || (integer && !Number.isInteger(value)))
		fail(key, `expected ${integer ? "an integer" : "a number"} in ${min}..${max}`, value);
	return value;
}

// The names each object may hold, as objects rather than Sets: a Set is made from its array through XS's
// iterator protocol, and this module loads on every wake.
const KNOWN = names(
	"cascade",
	"stages",
	"model",
	"frameSize",
	"detect",
	"crop",
	"maxFaces",
	"smileThreshold",
	"wakeEveryMs",
	"wakeOnPins",
	"log",
	"logMaxBytes",
);
const DETECT_KEYS = names("threshold", "scale", "minSize", "maxSize", "minNeighbors", "step", "refine", "merge");
const CROP_KEYS = names("margin", "offsetY", "resize", "pixelScale");

/** Fails on the first key of `json` that `known` lacks, naming it (`path` before it) and the known ones. An
    indexed loop: for-of runs XS's iterator protocol for each key, and the settings are checked every wake. */
function onlyKnown(json: Json, known: Record<string, true>, path: string, what: string): void {
	const keys = Object.keys(json);
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i]!;
		if (!Object.hasOwn(known, key))
			fail(`${path}${key}`, `${what} (known: ${Object.keys(known).join(", ")})`, json[key]);
	}
}

function names(...list: string[]): Record<string, true> {
	const set: Record<string, true> = {};
	for (let i = 0; i < list.length; i++) set[list[i]!] = true;
	return set;
}

export function settingsFrom(config: unknown): Settings {
	const json = config ?? {};
	if (!isObject(json)) fail("", "expected an object", json);
	onlyKnown(json, KNOWN, "", "unknown setting");
	const frameSize = json["frameSize"] ?? DEFAULTS.frameSize;
	if (typeof frameSize !== "string" || !Object.hasOwn(FRAME_SIZES, frameSize))
		fail(
			"frameSize",
			`expected ${Object.keys(FRAME_SIZES)
				.map((size) => JSON.stringify(size))
				.join(" or ")}`,
			frameSize,
		);
	const detect = { ...DEFAULTS.detect, ...(isObject(json["detect"]) ? json["detect"] : {}) } as Json;
	if (json["detect"] !== undefined && !isObject(json["detect"])) fail("detect", "expected an object", json["detect"]);
	onlyKnown(detect, DETECT_KEYS, "detect.", "unknown option");
	// Narrower than the detector's own limit: a finer pyramid would waste a wake.
	if (typeof detect["scale"] !== "number" || !(detect["scale"] >= 1.05 && detect["scale"] <= 4))
		fail("detect.scale", "expected 1.05..4 (pyramid step)", detect["scale"]);
	checkDetectOptions(detect as DetectOptions, "mc/config app.detect.");
	const crop = { ...DEFAULTS.crop, ...(isObject(json["crop"]) ? json["crop"] : {}) } as Json;
	if (json["crop"] !== undefined && !isObject(json["crop"])) fail("crop", "expected an object", json["crop"]);
	onlyKnown(crop, CROP_KEYS, "crop.", "unknown option");
	checkCropOptions(crop as CropOptions, "mc/config app.crop.");
	const pins = json["wakeOnPins"] ?? [];
	if (!Array.isArray(pins)) fail("wakeOnPins", "expected [{ pin, edge }]", pins);
	const settings: Settings = {
		cascade: text(json, "cascade", DEFAULTS.cascade),
		model: text(json, "model", DEFAULTS.model),
		frameSize: frameSize as FrameSize,
		detect: detect as Settings["detect"],
		crop: crop as CropOptions,
		maxFaces: number(json, "maxFaces", DEFAULTS.maxFaces, 1, 32, true),
		smileThreshold: number(json, "smileThreshold", DEFAULTS.smileThreshold, 0, 1),
		// At least a second between wakes; at most a day (the RTC alarm reaches further, the app's schedule need not).
		wakeEveryMs: number(json, "wakeEveryMs", DEFAULTS.wakeEveryMs, 1000, 86_400_000, true),
		wakeOnPins: pins as WakePin[],
		log: text(json, "log", DEFAULTS.log),
		logMaxBytes: number(json, "logMaxBytes", DEFAULTS.logMaxBytes, 1024, 16 * 1024 * 1024, true),
	};
	if (json["stages"] !== undefined) settings.stages = number(json, "stages", 0, 1, 1000, true);
	return settings;
}
