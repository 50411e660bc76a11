// The xsight command line, run as a user runs it.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { crc32 as zlibCrc32 } from "node:zlib";
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

	test("sim runs the app on XS and prints what it computed from the sample", () => {
		const result = xsight("sim");
		expect(result.status, result.stderr).toBe(0);
		const sample = readFileSync(path.join(repoRoot, "resources/samples/gradient.pgm"));
		const mean = sample.reduce((sum, byte) => sum + byte, 0) / sample.length;
		// CRC-32 check value from Node's own zlib, an independent implementation.
		const crc = (zlibCrc32(sample) >>> 0).toString(16).padStart(8, "0");
		expect(result.stdout).toContain(`read samples/gradient.pgm: ${sample.length} bytes, crc32 ${crc}, mean byte ${mean.toFixed(1)}`);
	});

	test("mc/config comes from the manifest and --config overrides reach TypeScript", () => {
		const result = xsight("sim", "--main", "test/xs/fixtures/print-config", "--config", "sample=other.pgm", "--config", "detect.scale=1.25", "--config", "name=cam-7");
		expect(result.status, result.stderr).toBe(0);
		const line = /^config (.*)$/m.exec(result.stdout);
		expect(line).not.toBeNull();
		expect(JSON.parse(line?.[1] ?? "")).toEqual({ file: { root: "/" }, sample: "other.pgm", detect: { scale: 1.25 }, name: "cam-7" });
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
