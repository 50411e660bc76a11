// The Node side of the XS test harness: runs an XS test suite on the host
// simulator board and reports each of its cases as a vitest test.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import { describe, test } from "vitest";
import { hostBuildPaths, repoRoot } from "../../tools/build/build";
import { firmwarePaths, m7Board, runOnM7, type M7RunResult } from "../../tools/boards/m7";
import type { Creation } from "../../tools/build/manifest";
import { runOnHost, type RunResult } from "../../tools/boards/host";

export interface XsCase {
	name: string;
	ok: boolean;
	message?: string;
	stack?: string;
}

export interface XsSuiteRun {
	cases: XsCase[];
	done?: { passed: number; failed: number };
	result: RunResult;
}

export interface XsSuiteOptions {
	root?: string;
	config?: Record<string, unknown>;
	creation?: Creation;
	/** More host simulator board options (see tools/boards/host.ts), e.g. a --state folder. */
	hostArgs?: string[];
	/** Another build of the simulator (e.g. with sanitizers); default the one the global setup built. */
	program?: string;
	/** Run on QEMU's mps2-an500 (built by the caller: buildM7) instead of the host simulator. */
	board?: "host" | typeof m7Board;
	/** On mps2-an500: fw-h743.elf, the STM32H743's memory budget (tools/boards/m7.ts). */
	h743?: boolean;
	/** Print the run's heap figures (result.stats; on mps2-an500 also result.m7 and the sleeps'). */
	stats?: boolean;
}

export const resourcesRoot = path.join(repoRoot, "resources");

/** Run module `main` on XS with the manifest's sizes; the build comes from vitest's global setup. */
export function runXs(main: string, options: XsSuiteOptions = {}): Promise<M7RunResult> {
	const onM7 = options.board === m7Board;
	const host = hostBuildPaths();
	const build = onM7 ? firmwarePaths() : options.program ? { ...host, program: options.program } : host;
	const run = {
		main,
		root: options.root ?? resourcesRoot,
		config: { ...build.manifest.config, ...options.config },
		...(options.creation ? { creation: options.creation } : {}),
		...(options.hostArgs ? { board: options.hostArgs } : {}),
		...(options.stats ? { stats: true } : {}),
		timeoutMs: 60_000,
	};
	return onM7
		? runOnM7(firmwarePaths(), { ...run, ...(options.h743 ? { h743: true } : {}) })
		: runOnHost(options.program ? { ...host, program: options.program } : host, run);
}

export async function runXsSuite(suite: string, options: XsSuiteOptions = {}): Promise<XsSuiteRun> {
	const result = await runXs("test/xs/runner", { ...options, config: { ...options.config, test: suite } });
	const cases: XsCase[] = [];
	let done: XsSuiteRun["done"];
	for (const line of result.stdout.split("\n")) {
		if (line.startsWith("#xstest ")) cases.push(JSON.parse(line.slice(8)) as XsCase);
		else if (line.startsWith("#xstest-done ")) done = JSON.parse(line.slice(13)) as XsSuiteRun["done"];
	}
	return done ? { cases, done, result } : { cases, result };
}

/** Register every case of an XS suite as a vitest test (call at a test file's top level, with await). */
export async function defineXsSuite(suite: string, options: XsSuiteOptions = {}): Promise<void> {
	const run = await runXsSuite(suite, options);
	const on = options.board === m7Board ? `, ${m7Board}${options.h743 ? " in the H743's memory" : ""}` : "";
	const program = options.program ? `, ${path.relative(repoRoot, options.program)}` : "";
	describe(`${suite} (on XS${on}${program})`, () => {
		for (const xsCase of run.cases) {
			test(xsCase.name, () => {
				if (xsCase.ok) return;
				const error = new Error(xsCase.message ?? "failed");
				error.stack = `${xsCase.message}\n${xsCase.stack?.split("\n").slice(1).join("\n") ?? ""}`;
				throw error;
			});
		}
		test("the suite ran to its end", () => {
			if (!run.done || run.result.status !== 0)
				throw new Error(
					`suite ${suite} ended with status ${run.result.status} after ${run.cases.length} cases:\n${run.result.stderr}`,
				);
		});
	});
}
