// The field app's settings check (modules/field/settings.ts) on XS: every
// way a setting can be refused names the setting, and the detection and crop
// options are refused at boot exactly where detect() and cropInto() would
// refuse them at the first face.
// SPDX-License-Identifier: Apache-2.0
import { DEFAULTS, settingsFrom } from "field/settings";
import { deepEqual, equal, test, throws } from "./harness";

test("no settings: the defaults", () => {
	const settings = settingsFrom(undefined);
	deepEqual(settings.detect, DEFAULTS.detect, "detect");
	deepEqual(settings.crop, DEFAULTS.crop, "crop");
	equal(settings.stages, undefined, "stages");
	deepEqual(
		settingsFrom({ detect: { minSize: { width: 30, height: 40 } }, stages: 12 }).detect.minSize,
		{ width: 30, height: 40 },
		"a size",
	);
});

// [what, app config, the message expected]
const refused: [string, unknown, RegExp][] = [
	["not an object", [1], /^mc\/config app\.: expected an object, got \[1\]$/],
	[
		"an unknown setting",
		{ smileTreshold: 0.4 },
		/^mc\/config app\.smileTreshold: unknown setting \(known: cascade, /,
	],
	["a frame size", { frameSize: "vga" }, /^mc\/config app\.frameSize: expected "qqvga" or "qvga", got "vga"$/],
	["a frame size not a name", { frameSize: 320 }, /^mc\/config app\.frameSize: expected "qqvga" or "qvga", got 320$/],
	[
		"a frame size an object's own key only",
		{ frameSize: "toString" },
		/^mc\/config app\.frameSize: expected "qqvga" or "qvga", got "toString"$/,
	],
	["detect not an object", { detect: 3 }, /^mc\/config app\.detect: expected an object, got 3$/],
	[
		"an unknown detect option",
		{ detect: { roi: {} } },
		/^mc\/config app\.detect\.roi: unknown option \(known: threshold, /,
	],
	[
		"detect.scale below the app's bound",
		{ detect: { scale: 1.01 } },
		/^mc\/config app\.detect\.scale: expected 1\.05\.\.4 \(pyramid step\), got 1\.01$/,
	],
	["detect.threshold", { detect: { threshold: 2 } }, /^mc\/config app\.detect\.threshold: 2, expected 0\.\.1$/],
	[
		"detect.minNeighbors",
		{ detect: { minNeighbors: 2.5 } },
		/^mc\/config app\.detect\.minNeighbors: 2\.5, expected an integer in 0\.\.1000$/,
	],
	["detect.step", { detect: { step: 33 } }, /^mc\/config app\.detect\.step: 33, expected an integer in 0\.\.32$/],
	[
		"detect.merge",
		{ detect: { merge: "union" } },
		/^mc\/config app\.detect\.merge: union, expected "opencv" or "average"$/,
	],
	[
		"detect.minSize",
		{ detect: { minSize: "big" } },
		/^mc\/config app\.detect\.minSize: big, expected a number or \{width, height\}$/,
	],
	[
		"detect.maxSize.height",
		{ detect: { maxSize: { width: 100, height: 0 } } },
		/^mc\/config app\.detect\.maxSize\.height: 0, expected an integer in 1\.\.65535$/,
	],
	[
		"detect.minSize over maxSize",
		{ detect: { minSize: 80, maxSize: 60 } },
		/^mc\/config app\.detect\.minSize: 80x80 is larger than maxSize 60x60$/,
	],
	["crop not an object", { crop: "tight" }, /^mc\/config app\.crop: expected an object, got "tight"$/],
	[
		"an unknown crop option",
		{ crop: { marign: 0.1 } },
		/^mc\/config app\.crop\.marign: unknown option \(known: margin, /,
	],
	["crop.margin", { crop: { margin: 5 } }, /^mc\/config app\.crop\.margin: 5, expected -0\.45\.\.4$/],
	["crop.offsetY", { crop: { offsetY: -1.5 } }, /^mc\/config app\.crop\.offsetY: -1\.5, expected -1\.\.1$/],
	[
		"crop.resize",
		{ crop: { resize: "nearest" } },
		/^mc\/config app\.crop\.resize: nearest, expected "bilinear" or "area"$/,
	],
	[
		"crop.pixelScale",
		{ crop: { pixelScale: "1" } },
		/^mc\/config app\.crop\.pixelScale: 1, expected a finite number$/,
	],
	[
		"wakeOnPins not a list",
		{ wakeOnPins: { pin: 3 } },
		/^mc\/config app\.wakeOnPins: expected \[\{ pin, edge \}\], got \{"pin":3\}$/,
	],
	["cascade", { cascade: "" }, /^mc\/config app\.cascade: expected a file path, got ""$/],
	["model", { model: 7 }, /^mc\/config app\.model: expected a file path, got 7$/],
	["log", { log: ["a"] }, /^mc\/config app\.log: expected a file path, got \["a"\]$/],
	["maxFaces", { maxFaces: 0 }, /^mc\/config app\.maxFaces: expected an integer in 1\.\.32, got 0$/],
	[
		"smileThreshold",
		{ smileThreshold: "0.5" },
		/^mc\/config app\.smileThreshold: expected a number in 0\.\.1, got "0\.5"$/,
	],
	[
		"wakeEveryMs",
		{ wakeEveryMs: 999 },
		/^mc\/config app\.wakeEveryMs: expected an integer in 1000\.\.86400000, got 999$/,
	],
	[
		"logMaxBytes",
		{ logMaxBytes: 1e9 },
		/^mc\/config app\.logMaxBytes: expected an integer in 1024\.\.16777216, got 1000000000$/,
	],
	["stages", { stages: 0 }, /^mc\/config app\.stages: expected an integer in 1\.\.1000, got 0$/],
];
for (const [what, app, message] of refused)
	test(`settings refuse ${what}, naming it`, () => void throws(() => settingsFrom(app), message, what));
