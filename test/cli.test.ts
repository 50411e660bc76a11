// The xsight command line, run as a user runs it.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], { cwd: repoRoot, encoding: "utf8" });
}

describe("xsight CLI", () => {
	test("--help lists the commands", () => {
		const result = xsight("--help");
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/^\s+sim\s+run the field app/m);
		expect(result.stdout).toMatch(/^\s+build\s+/m);
	});

	test("an unknown flag prints the usage and exits 64", () => {
		const result = xsight("sim", "--frobnicate");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain("--frobnicate");
		expect(result.stderr).toContain("usage: xsight sim");
	});

	test("an unknown command exits 64", () => {
		const result = xsight("teleport");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain('unknown command "teleport"');
	});

	test("sim runs the field app on the built-in frames: a line per wake and the summary", () => {
		const result = xsight("sim");
		expect(result.status, result.stderr).toBe(0);
		const wakes = result.stdout.split("\n").filter((line) => /^\s+\d+  \d\d:\d\d:\d\d  /.test(line));
		expect(wakes).toHaveLength(readdirSync(path.join(repoRoot, "resources/frames")).filter((n) => n.endsWith(".pgm")).length);
		expect(wakes[0]).toMatch(/power-on\s+1 face: (no )?smile \d\.\d\d\s+awake [\d.]+ ms, [\d.]+ mC\s+\[01-smile\.pgm\]/);
		expect(result.stdout).toMatch(/^\d+ records: \d+ faces, \d+ smiles$/m);
		expect(result.stdout).toMatch(/^battery 1000 mAh 3\.7 V: [\d.]+ h = [\d.]+ days$/m);
	});

	test("mc/config comes from the manifest and --config overrides reach TypeScript", () => {
		const result = xsight("sim", "--main", "test/xs/fixtures/print-config", "--config", "sample=other.pgm", "--config", "detect.scale=1.25", "--config", "name=cam-7");
		expect(result.status, result.stderr).toBe(0);
		const line = /^config (.*)$/m.exec(result.stdout);
		expect(line).not.toBeNull();
		const manifest = JSON.parse(readFileSync(path.join(repoRoot, "manifest.json"), "utf8")) as { config: Record<string, unknown> };
		expect(JSON.parse(line?.[1] ?? "")).toEqual({ ...manifest.config, sample: "other.pgm", detect: { scale: 1.25 }, name: "cam-7" });
	});

	test("a missing --root folder is an error naming it", () => {
		const result = xsight("sim", "--root", "/no/such/folder");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("--root /no/such/folder: no such folder");
	});

	test("a bad --config is a usage error naming it", () => {
		const result = xsight("sim", "--config", "novalue");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("--config novalue: expected key=value");
	});
});
