// xsight bench power: how fast the host simulator runs a day of duty cycles
// (real time per simulated boot), and what the default profile projects; and
// the real time of the field app's day as `xsight sim` runs it (issue 17: 15 s at most).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildHost, repoRoot } from "../build/build";
import { DEFAULT_PROFILE } from "../power/profile";
import { simulate } from "../power/simulate";
import type { BenchSuite } from "./suite";

/** The command the field app's day is timed as, what a user types. */
const FIELD_DAY = ["sim", "--hours", "24", "--wake-every", "60s", "--json"];

/** Real seconds of `xsight sim` over a day of the built-in frames, as a user runs it (Node's start and the build check included), and its boots. */
function fieldDay(): { seconds: number; boots: number } {
	const state = mkdtempSync(path.join(tmpdir(), "xsight-bench-field-"));
	try {
		const started = performance.now();
		const run = spawnSync(
			process.execPath,
			["--import", "tsx", path.join(repoRoot, "tools/xsight.ts"), ...FIELD_DAY, "--state", state],
			{ cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 28 },
		);
		const seconds = (performance.now() - started) / 1000;
		if (run.status !== 0)
			throw new Error(`xsight ${FIELD_DAY.join(" ")} failed: ${run.error?.message ?? run.stderr}`);
		const day = JSON.parse(run.stdout) as { wakes: unknown[] };
		return { seconds, boots: day.wakes.length };
	} finally {
		rmSync(state, { recursive: true, force: true });
	}
}

export const power: BenchSuite = {
	summary:
		"a simulated day at one wake a minute (examples/duty): real time, boots, battery projection; the field app's day (xsight sim) in real time",
	async run(options) {
		const build = await buildHost();
		const runs = Math.min(options.runs, 3); // a run is a whole day: a few suffice
		const times: number[] = [];
		let last: Awaited<ReturnType<typeof simulate>> | undefined;
		for (let i = 0; i < runs; i++) {
			const state = mkdtempSync(path.join(tmpdir(), "xsight-bench-power-"));
			const started = performance.now();
			last = await simulate({
				build,
				hours: 24,
				profile: DEFAULT_PROFILE,
				root: path.join(repoRoot, "resources"),
				state,
				main: "examples/duty",
				config: { ...build.manifest.config, power: { wakeEveryMs: 60_000 } },
			});
			times.push((performance.now() - started) / 1000);
			rmSync(state, { recursive: true, force: true });
			if (last.result.status !== 0) throw new Error(`the simulation failed: ${last.result.stderr}`);
		}
		const field = Array.from({ length: runs }, fieldDay).sort((a, b) => a.seconds - b.seconds)[
			Math.floor(runs / 2)
		]!;
		const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
		const s = last?.report.summary;
		if (!s) return;
		const awake = (last?.report.wakes ?? []).map((w) => w.awakeMs);
		const result = {
			realSeconds: median,
			boots: s.boots,
			realMsPerBoot: (median * 1000) / s.boots,
			awakeMsPerWake: {
				min: Math.min(...awake),
				mean: awake.reduce((a, b) => a + b, 0) / awake.length,
				max: Math.max(...awake),
			},
			averageUa: s.averageMa * 1000,
			batteryDays: s.batteryDays,
			field: {
				realSeconds: field.seconds,
				boots: field.boots,
				realMsPerBoot: (field.seconds * 1000) / field.boots,
			},
		};
		if (options.json) {
			process.stdout.write(`${JSON.stringify({ suite: "power", runs, ...result })}\n`);
			return;
		}
		process.stdout.write(`power: 24 h at one wake a minute, default profile (median of ${runs} runs)
  real time             ${result.realSeconds.toFixed(2)} s for ${result.boots} boots (${result.realMsPerBoot.toFixed(2)} ms a boot)
  awake per wake        ${result.awakeMsPerWake.min.toFixed(2)} / ${result.awakeMsPerWake.mean.toFixed(2)} / ${result.awakeMsPerWake.max.toFixed(2)} ms (min / mean / max, cost model)
  average current       ${result.averageUa.toFixed(2)} uA
  battery (1000 mAh)    ${result.batteryDays.toFixed(1)} days
  field app's day       ${field.seconds.toFixed(2)} s for ${field.boots} boots (${result.field.realMsPerBoot.toFixed(2)} ms a boot): xsight ${FIELD_DAY.join(" ")}, Node's start included
`);
	},
};
