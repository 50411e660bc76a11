// The host build as a user meets it: up to date means no compiler and no
// message; a changed source rebuilds its stage only, and says what it does.
// Run on a copy of the sources and of build/host (times kept), so that
// touching a source does not make the other suites' commands rebuild.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	realpathSync,
	rmSync,
	statSync,
	symlinkSync,
	utimesSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";

const SOURCES = [
	"Makefile",
	"boards",
	"host-sim",
	"native",
	"tools",
	"modules",
	"test/xs",
	"tsconfig.json",
	"manifest.json",
	"package.json",
];
let copy = "";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(copy, "tools/xsight.ts"), ...args], {
		cwd: copy,
		encoding: "utf8",
	});
}

/** When the build last wrote the program, one C object and one compiled module. */
function outputTimes() {
	const time = (file: string) => statSync(path.join(copy, "build/host", file)).mtimeMs;
	return {
		program: time("xsight-sim"),
		object: time("obj/native/bytes/src/bytes_crc32.o"),
		module: time("tsc/modules/main.js"),
	};
}

function touch(file: string): void {
	const now = new Date();
	utimesSync(path.join(copy, file), now, now);
}

beforeAll(() => {
	copy = mkdtempSync(path.join(tmpdir(), "xsight-build-"));
	// Not build/host/state: other suites' simulations write there while this one runs.
	const outputs = ["xsight-sim", "obj", "gen", "tsc", "natives", "stamp.json"].map((name) => `build/host/${name}`);
	const cp = spawnSync("cp", ["-a", "--parents", ...SOURCES, ...outputs, copy], { cwd: repoRoot, encoding: "utf8" });
	expect(cp.status, cp.stderr).toBe(0);
	symlinkSync(realpathSync(path.join(repoRoot, "node_modules")), path.join(copy, "node_modules"));
	symlinkSync(path.join(repoRoot, "resources"), path.join(copy, "resources"));
});

afterAll(() => {
	if (copy) rmSync(copy, { recursive: true, force: true });
});

// A compile, a link or a tsc run each; slow on a busy machine.
describe("the host build", { timeout: 300_000 }, () => {
	test("with nothing changed a command runs no compiler and prints nothing of the build", () => {
		const before = outputTimes();
		const result = xsight("sim", "--main", "test/xs/fixtures/print-config");
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^config \{/m);
		expect(result.stderr).toBe("");
		expect(outputTimes()).toEqual(before);
	});

	test("--help builds nothing, even with a source changed", () => {
		touch("native/bytes/src/bytes_crc32.c");
		const before = outputTimes();
		for (const args of [["--help"], ["sim", "--help"], ["build", "--help"]]) {
			const result = xsight(...args);
			expect(result.status).toBe(0);
			expect(result.stdout).toMatch(/^usage: xsight/m);
			expect(result.stderr).toBe("");
		}
		expect(outputTimes()).toEqual(before);
	});

	test("a changed C source is compiled again with progress, the modules are left alone, and the next build does nothing", () => {
		touch("native/bytes/src/bytes_crc32.c");
		const before = outputTimes();
		const first = xsight("build");
		expect(first.status, first.stderr).toBe(0);
		expect(first.stderr.split("\n")).toEqual([
			"xsight: building the host simulator (C: XS engine, port, native libraries): 1 C file to compile, then link",
			"xsight: [1/2] native/bytes/src/bytes_crc32.c (50%)",
			"xsight: [2/2] link build/host/xsight-sim (100%)",
			"xsight: built build/host/xsight-sim",
			"",
		]);
		const after = outputTimes();
		expect(after.object).toBeGreaterThan(before.object);
		expect(after.program).toBeGreaterThan(before.program);
		expect(after.module).toBe(before.module);
		const again = xsight("build");
		expect(again.stderr).toBe("xsight: built build/host/xsight-sim\n");
		expect(outputTimes()).toEqual(after);
	});

	test("a changed module is compiled by tsc; the C program is not relinked", () => {
		touch("modules/main.ts");
		const before = outputTimes();
		const result = xsight("build");
		expect(result.status, result.stderr).toBe(0);
		expect(result.stderr).toMatch(/^xsight: compiling the TypeScript modules: \d+ files \(tsc\)$/m);
		expect(result.stderr).not.toContain("building the host simulator");
		const after = outputTimes();
		expect(after.module).toBeGreaterThan(before.module);
		expect(after.program).toBe(before.program);
	});

	test("a module deleted from modules/ is gone from the build, not left loadable", () => {
		const extra = path.join(copy, "modules/examples/leftover.ts");
		writeFileSync(extra, 'trace("leftover\\n");\n');
		expect(xsight("build").status).toBe(0);
		const built = path.join(copy, "build/host/tsc/modules/examples/leftover.js");
		expect(existsSync(built)).toBe(true);
		rmSync(extra);
		const result = xsight("build");
		expect(result.status, result.stderr).toBe(0);
		expect(existsSync(built)).toBe(false);
	});

	test("a failed stage names the file, is not taken as done: the next run fails the same way until it is fixed", () => {
		const main = path.join(copy, "modules/main.ts");
		const text = readFileSync(main, "utf8");
		writeFileSync(main, `${text}\nconst broken: number = "text";\n`);
		for (let run = 0; run < 2; run++) {
			const result = xsight("build");
			expect(result.status).toBe(1);
			expect(result.stderr).toMatch(/^modules\/main\.ts\(\d+,\d+\): error TS2322/m);
			expect(result.stderr).toMatch(/^xsight build: tsc failed \(exit \d+\)$/m);
		}
		writeFileSync(main, text);
		const fixed = xsight("build");
		expect(fixed.status, fixed.stdout + fixed.stderr).toBe(0);
	});

	test("a build output removed is built again", () => {
		rmSync(path.join(copy, "build/host/tsc/modules/main.js"));
		rmSync(path.join(copy, "build/host/xsight-sim"));
		const result = xsight("sim", "--main", "test/xs/fixtures/print-config");
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^config \{/m);
		expect(result.stderr).toMatch(/^xsight: building the host simulator .*: link only$/m);
		expect(result.stderr).toMatch(/^xsight: compiling the TypeScript modules/m);
	});
});
