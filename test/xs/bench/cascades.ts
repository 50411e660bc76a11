// Cascade types compared on the mps2-an500 board through vision detect():
// each cascade of mc/config `cascadeBench` on the QQVGA frame the app bench
// searches with Haar (the same frame and settings as its haar-detect-qqvga
// row), and on each built-in QVGA frame at the field app's settings.
// mc/config cascadeBench: { cascades: [{ name, path, qqvga? }], qqvga: path,
// field: [{ name, path }] } (the field rows search at the field app's settings).
// Prints `#bench <cascade>-detect-qqvga` (for those with qqvga: true) and
// `#bench <cascade>-field-<frame>` lines.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { settingsFrom } from "field/settings";
import { Cascade } from "vision/cascade";
import { detect, newDetectStats, type DetectOptions } from "vision/detect";
import { readPgm } from "vision/frame";
import { instructionsPerTick, ticks } from "xsight/ticks";

interface CascadeBench {
	cascades: { name: string; path: string; qqvga?: boolean }[];
	qqvga: string;
	field: { name: string; path: string }[];
}

const bench = config["cascadeBench"] as CascadeBench | undefined;
if (typeof bench !== "object" || bench === null || !Array.isArray(bench.cascades) || !Array.isArray(bench.field))
	throw new Error("mc/config cascadeBench: expected { cascades: [...], qqvga, field: [...] }");

function run(row: string, cascade: Cascade, path: string, options: DetectOptions, settings: string): void {
	const frame = readPgm(path);
	const stats = newDetectStats();
	const t0 = ticks();
	const found = detect(frame, cascade, { ...options, stats });
	const instructions = (ticks() - t0) * instructionsPerTick;
	trace(
		`#bench ${row} ${instructions} vision detect() with ${cascade.source} (${cascade.featureType}) ${frame.width}x${frame.height}, ${settings}: ${found.length} faces, ${stats.levels} levels, ${stats.windows} windows, ${stats.features} features (${Math.round(instructions / Math.max(1, stats.features))} instructions per feature)\n`,
	);
	frame.close();
}

for (const entry of bench.cascades) {
	const cascade = Cascade.load(entry.path);
	if (entry.qqvga)
		run(
			`${entry.name}-detect-qqvga`,
			cascade,
			bench.qqvga,
			{},
			"scale 1.1, minNeighbors 3, min = window (haar-detect-qqvga's settings)",
		);
	// The field app's own settings (field/settings over mc/config app), as the app searches.
	// Refining is the Haar scan's: an LBP cascade searches every window of the step's grid.
	const app = settingsFrom(config["app"]).detect;
	const d = cascade.featureType === "haar" ? app : { ...app, refine: 0 };
	for (const frame of bench.field)
		run(
			`${entry.name}-field-${frame.name}`,
			cascade,
			frame.path,
			d,
			`scale ${d.scale}, minNeighbors ${d.minNeighbors}, min ${d.minSize} px, step ${d.step ?? 0}, refine ${d.refine ?? 0} (the field app's${d === app ? "" : ", but refine"})`,
		);
}
