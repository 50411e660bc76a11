// The host simulator's cost model held to the Cortex-M7 board: each built-in
// frame's simulated awake time against the M7's own wake (tools/power/m7-wakes.json,
// written by `xsight bench --board mps2-an500`): its guest instructions at the
// H743's rate, plus what the M7 cannot emulate (the boot's wake-up and clocks, the
// sensor's readout, the storage), the same datasheet figures on both sides.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { M7_WAKES, type M7WakeTable } from "../tools/bench/m7";
import { repoRoot } from "../tools/build/build";
import { BOOT_HARDWARE_US, DEFAULT_PROFILE, H743_INSTRUCTIONS_PER_SECOND } from "../tools/power/profile";
import { resourcesCopy } from "./support/resources";

interface SimWake {
	awakeMs: number;
	counts: Record<string, number>;
	record: { frame?: string } | null;
}

/** Counted work the M7's instructions do not include: hardware time, at the profile's (datasheet) costs. */
const HARDWARE = [
	"camera.frames",
	"camera.syncs",
	"camera.sccb.clocks",
	"camera.waits",
	"console.bytes",
	"file.bytes",
	"file.flushes",
] as const;

test("each built-in frame's wake: the simulator's awake time within 10% of the M7's instructions at the H743's rate plus the hardware's times", async () => {
	const table = JSON.parse(readFileSync(M7_WAKES, "utf8")) as M7WakeTable;
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	// The M7's wakes start from the model's plan (its bench writes one for its kernels), so the
	// simulator's do too, from the host's.
	const root = await resourcesCopy("host");
	const sim = spawnSync(
		process.execPath,
		[
			tsx,
			path.join(repoRoot, "tools/xsight.ts"),
			"sim",
			"--json",
			"--root",
			root,
			"--state",
			mkdtempSync(path.join(tmpdir(), "xsight-calibration-")),
		],
		{ cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 },
	);
	expect(sim.status, sim.stderr).toBe(0);
	const wakes = (JSON.parse(sim.stdout) as { wakes: SimWake[] }).wakes;
	expect(wakes.map((w) => w.record?.frame?.replace(/^\d{5}-/, "") ?? null)).toEqual(table.wakes.map((w) => w.frame));
	const cost = DEFAULT_PROFILE.costUs;
	const rows = wakes.map((wake, i) => {
		const m7 = table.wakes[i]!;
		const hardwareUs =
			BOOT_HARDWARE_US + HARDWARE.reduce((sum, name) => sum + (wake.counts[name] ?? 0) * cost[name]!, 0);
		const m7Ms = ((m7.instructions / H743_INSTRUCTIONS_PER_SECOND) * 1e6 + hardwareUs) / 1000;
		return { frame: m7.frame, simMs: wake.awakeMs, m7Ms, off: wake.awakeMs / m7Ms - 1 };
	});
	for (const row of rows) expect(Math.abs(row.off), JSON.stringify(rows)).toBeLessThan(0.1);
});

test("every cost-model coefficient names its source in a comment beside it", () => {
	const source = readFileSync(path.join(repoRoot, "tools/power/profile.ts"), "utf8");
	const block = /\n\tcostUs: \{\n([\s\S]*?)\n\t\},/.exec(source)?.[1];
	expect(block, "DEFAULT_PROFILE.costUs in tools/power/profile.ts").toBeDefined();
	const lines = block!.split("\n");
	const keys = Object.keys(DEFAULT_PROFILE.costUs);
	for (const key of keys) {
		const at = lines.findIndex((line) =>
			line.trimStart().startsWith(`${/^[a-z]+$/.test(key) ? key : JSON.stringify(key)}:`),
		);
		expect(at, key).toBeGreaterThanOrEqual(0);
		// The comment above it (a pair of coefficients may share the one above the first) names an M7
		// row, a datasheet or says it is an estimate.
		let i = at - 1;
		while (i >= 0 && /^\s*"?[\w.]+"?: /.test(lines[i]!)) i--;
		const comment: string[] = [];
		while (i >= 0 && /^\s*\/\//.test(lines[i]!)) comment.unshift(lines[i--]!);
		expect(comment.join(" "), key).toMatch(/field-wake-|DS12110|datasheet|docs\/boards|[Ee]stimate/);
	}
});
