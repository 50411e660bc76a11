// The harness itself: XS cases become vitest cases, a failing XS case fails
// vitest, and the host board's exit statuses and messages are what the
// README promises.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { runXs, runXsSuite } from "./support/xs";

describe("XS test harness", () => {
	test("reports each XS case on its own, failures with message and stack", async () => {
		const run = await runXsSuite("test/xs/fixtures/failing.xs");
		expect(run.cases.map((c) => [c.name, c.ok])).toEqual([
			["passes", true],
			["fails on purpose", false],
		]);
		expect(run.cases[1]?.message).toBe("AssertionError: sum: expected 3, got 2");
		expect(run.cases[1]?.stack).toMatch(/test\/xs\/harness\.ts:\d+/);
		expect(run.done).toEqual({ passed: 1, failed: 1 });
	});

	test("a failing XS case makes vitest fail", () => {
		const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");
		const result = spawnSync(process.execPath, [vitest, "run", "--config", "test/fixtures/vitest.config.ts"], {
			cwd: repoRoot,
			encoding: "utf8",
			env: { ...process.env, CI: "true", FORCE_COLOR: "0" },
		});
		const output = result.stdout + result.stderr;
		expect(result.status, output).toBe(1);
		expect(output).toContain("fails on purpose");
		expect(output).toContain("sum: expected 3, got 2");
		expect(output).toMatch(/1 failed/);
		expect(output).toMatch(/2 passed/);
	});

	test("CI stops before installing anything when the shared data is missing, naming the folder", () => {
		// A copy of .ci/run in an empty folder: whatever it reaches runs there, not in this checkout.
		const root = mkdtempSync(path.join(tmpdir(), "xsight-ci-"));
		try {
			mkdirSync(path.join(root, ".ci"));
			copyFileSync(path.join(repoRoot, ".ci/run"), path.join(root, ".ci/run"));
			const missing = path.join(root, "no-shared");
			const result = spawnSync("bash", [path.join(root, ".ci/run")], {
				encoding: "utf8",
				env: { ...process.env, CI: "true", XSIGHT_SHARED: missing },
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toBe(
				`.ci/run: ${missing}/models/tflm is missing: CI needs the shared data (set XSIGHT_SHARED to its folder), or the tests that read it would skip\n`,
			);
			expect(result.stdout).toBe("");
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});

describe("host board behaviour on errors", () => {
	test("an app exception exits 1 with its message and the .ts file and line", async () => {
		const result = await runXs("test/xs/fixtures/throws");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("RangeError: sensor reading out of range");
		expect(result.stderr).toMatch(/at readSensor \(.*test\/xs\/fixtures\/throws\.ts:3\)/);
	});

	test("an unhandled rejection exits 1 with its message", async () => {
		const result = await runXs("test/xs/fixtures/rejects");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("unhandled rejection: TypeError: nobody handles this");
	});

	test("memory full under small creation sizes exits 2 with the reason", async () => {
		const result = await runXs("test/xs/fixtures/grow", {
			creation: {
				chunk: { initial: 32768, incremental: 0 },
				heap: { initial: 2048, incremental: 0 },
				stack: 256,
				keys: { initial: 2048, incremental: 0 },
				main: "main",
			},
		});
		expect(result.signal).toBeNull();
		expect(result.status).toBe(2);
		expect(result.stderr).toContain("fatal: XS abort: memory full");
	});

	test("a missing entry module exits 1 naming it", async () => {
		const result = await runXs("no/such/module");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('module "no/such/module" not found');
	});
});
