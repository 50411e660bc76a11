// The C unit tests of every native library (native/<lib>/test/test_*.c):
// built by the global setup (make native-tests), run as plain programs, each
// TAP line a vitest case.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "vitest";
import { repoRoot } from "../tools/build";

const programs: string[] = [];
const testsRoot = path.join(repoRoot, "build/host/tests");
for (const lib of readdirSync(testsRoot)) {
	const dir = path.join(testsRoot, lib, "test");
	for (const name of readdirSync(dir)) if (name.startsWith("test_")) programs.push(path.join(dir, name));
}

for (const program of programs.sort()) {
	// From the repo root: some tests read committed resources by relative path.
	const result = spawnSync(program, [], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
	const lines = result.stdout.split("\n");
	describe(path.relative(testsRoot, program), () => {
		let diagnostics: string[] = [];
		for (const line of lines) {
			const match = /^(ok|not ok) \d+ - (.*)$/.exec(line);
			if (line.startsWith("# ")) diagnostics.push(line.slice(2));
			if (!match) continue;
			const failure = diagnostics.join("\n");
			diagnostics = [];
			test(match[2] ?? line, () => {
				if (match[1] !== "ok") throw new Error(failure || "failed");
			});
		}
		test("the program ran to its end", () => {
			if (result.status !== 0 || !/^1\.\.\d+$/m.test(result.stdout))
				throw new Error(`exit ${result.status}${result.signal ? ` (${result.signal})` : ""}\n${result.stderr}`);
		});
	});
}
