// The C unit tests of every native library (native/<lib>/test/test_*.c), and
// native/nn's once more with double rounding (nn-double-rounding): built by the
// global setup (make native-tests), run as plain programs, each TAP line a
// vitest case.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { makeWouldWrite } from "./support/make";
import { parseTap, tapCases } from "./support/tap";

const programs: string[] = [];
const testsRoot = path.join(repoRoot, "build/host/tests");
for (const lib of readdirSync(testsRoot)) {
	const dir = path.join(testsRoot, lib, "test");
	for (const name of readdirSync(dir)) if (name.startsWith("test_")) programs.push(path.join(dir, name));
}

for (const program of programs.sort()) {
	// From the repo root: some tests read committed resources by relative path.
	tapCases(
		path.relative(testsRoot, program),
		spawnSync(program, [], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 }),
	);
}

describe("TAP from the C tests", () => {
	test("a program that skips (test_haar_opencv without the shared crops) is a skipped case, not a passed one", () => {
		const program = path.join(testsRoot, "vision/test/test_haar_opencv");
		const missing = path.join(repoRoot, "build/no-such-shared");
		const result = spawnSync(program, [], {
			cwd: repoRoot,
			encoding: "utf8",
			env: { ...process.env, XSIGHT_SHARED: missing },
		});
		expect(result.status).toBe(0);
		expect(parseTap(result.stdout)).toEqual([
			{
				name: "haar_opencv_dump",
				status: "skip",
				detail: `${missing}/images/faces/misc/lfw_subset_200x25x25_u8.bin not readable`,
			},
		]);
	});

	test("failures keep the diagnostics printed before them; a SKIP on a failing line is still a failure", () => {
		const tap = [
			"# rounding: single",
			"ok 1 - first",
			"# test_x.c:12: a == 1, expected b == 2",
			"not ok 2 - second",
			"not ok 3 - third # SKIP no",
			"ok 4 - fourth # skip later",
			"1..4",
		].join("\n");
		expect(parseTap(tap)).toEqual([
			{ name: "first", status: "ok", detail: "rounding: single" },
			{ name: "second", status: "not ok", detail: "test_x.c:12: a == 1, expected b == 2" },
			{ name: "third", status: "not ok", detail: "" },
			{ name: "fourth", status: "skip", detail: "later" },
		]);
	});
});

test("nn-double-rounding is native/nn's tests built with TFLite Micro's double rounding, nn the default single", () => {
	const rounding = (lib: string) =>
		/^# rounding: (\w+)$/m.exec(
			spawnSync(path.join(testsRoot, lib, "test/test_requantize"), [], { encoding: "utf8" }).stdout,
		)?.[1];
	expect(rounding("nn")).toBe("single");
	expect(rounding("nn-double-rounding")).toBe("double");
	expect(readdirSync(path.join(testsRoot, "nn-double-rounding/test")).filter((n) => n.startsWith("test_"))).toEqual(
		readdirSync(path.join(testsRoot, "nn/test")).filter((n) => n.startsWith("test_")),
	);
});

describe("the C programs rebuild when a header they include changes (make -n -W HEADER)", () => {
	const program = "build/host/tests/nn/test/test_requantize";
	test.each([
		"native/nn/src/arm_nnsupportfunctions.h",
		"native/nn/test/nn_test.h",
		"native/test/unit.h",
		"native/nn/include/arm_nn_types.h",
	])("host test program, %s", (header) => {
		expect(makeWouldWrite(program)).not.toContain(program);
		expect(makeWouldWrite(program, header)).toContain(program);
	});

	test("the sanitizer build: XS's own objects and the nn binding", () => {
		const xs = "build/host-asan/obj/xs/xsAPI.o",
			binding = "build/host-asan/obj/native/nn/nn_xs.o";
		expect(makeWouldWrite("host-asan")).toEqual([]);
		expect(makeWouldWrite("host-asan", "node_modules/@agoric/xsnap/moddable/xs/sources/xsAll.h")).toContain(xs);
		expect(makeWouldWrite("host-asan", "native/xs/xs_platform.h")).toContain(xs);
		expect(makeWouldWrite("host-asan", "native/nn/include/arm_nnfunctions.h")).toEqual(
			expect.arrayContaining([binding, "build/host-asan/xsight-sim"]),
		);
	});
});

// make CMSIS_NN_PATH=...: native/nn's C tests and the M7 build against a CMSIS-NN checkout, whose
// arm_nnfunctions.h does not define XSIGHT_NN_SINGLE_ROUNDING. A stand-in checkout (ours with that
// define cut out, no sources) gives the same headers without one.
describe("the CMSIS_NN_PATH build", () => {
	const scratch = mkdtempSync(path.join(tmpdir(), "xsight-cmsis-nn-"));
	const cmsis = path.join(scratch, "CMSIS-NN");
	mkdirSync(path.join(cmsis, "Include"), { recursive: true });
	mkdirSync(path.join(cmsis, "Source"));
	const header = readFileSync(path.join(repoRoot, "native/nn/include/arm_nnfunctions.h"), "utf8");
	const define =
		/^#if defined\(CMSIS_NN_USE_SINGLE_ROUNDING\)\n#define XSIGHT_NN_SINGLE_ROUNDING 1\n[\s\S]*?^#endif\n/m;
	expect(header).toMatch(define);
	writeFileSync(path.join(cmsis, "Include/arm_nnfunctions.h"), header.replace(define, ""));
	copyFileSync(path.join(repoRoot, "native/nn/include/arm_nn_types.h"), path.join(cmsis, "Include/arm_nn_types.h"));
	const build = path.join(scratch, "build");
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));
	const make = (...args: string[]) =>
		spawnSync("make", [`BUILD=${build}`, `CMSIS_NN_PATH=${cmsis}`, ...args], { cwd: repoRoot, encoding: "utf8" });

	test("native/nn's C tests compile, pass and check the rounding the build asked for", () => {
		const programs = ["nn/test/test_fully_connected", "nn-double-rounding/test/test_fully_connected"].map((p) =>
			path.join(build, "host/tests", p),
		);
		const built = make(...programs);
		expect(built.stderr).not.toMatch(/error/);
		expect(built.status).toBe(0);
		const rounding = programs.map((program) => {
			const run = spawnSync(program, [], { encoding: "utf8" });
			expect(parseTap(run.stdout).filter((c) => c.status !== "ok")).toEqual([]);
			expect(run.status).toBe(0);
			return /^# rounding: (\w+)$/m.exec(run.stdout)?.[1];
		});
		expect(rounding).toEqual(["single", "double"]);
	});

	test("the M7 compiles with CMSIS-NN's single rounding as the host does, and without it when asked to round twice", () => {
		const flags = (...args: string[]) => {
			const dry = make(
				"-n",
				"-B",
				...args,
				path.join(build, "mps2-an500/obj/native/nn/nn_xs.o"),
				path.join(build, "host/obj/native/nn/nn_xs.o"),
			);
			expect(dry.status).toBe(0);
			const compiles = dry.stdout.split("\n").filter((line) => line.includes(" -c ") && line.includes("nn_xs.o"));
			return ["/mps2-an500/obj/", "/host/obj/"].map((board) =>
				compiles
					.find((line) => line.includes(board))!
					.split(" ")
					.includes("-DCMSIS_NN_USE_SINGLE_ROUNDING"),
			);
		};
		expect(flags()).toEqual([true, true]); // [M7, host]
		expect(flags("XSIGHT_NN_DOUBLE_ROUNDING=1")).toEqual([false, false]);
	});
});

describe("the board contract (native/board/include): a header's change rebuilds its binding and the host board's side (make -n -W)", () => {
	const obj = (file: string) => `build/host/obj/${file}.o`;
	test.each([
		["power_board.h", ["native/power/power_xs", "host-sim/power"]],
		["timer_board.h", ["native/timer/timer_xs", "host-sim/timer", "host-sim/board"]],
		["camera_board.h", ["native/camera/camera_xs", "boards/common/camera_replay"]],
		["file_board.h", ["native/file/file_xs", "host-sim/file"]],
		["resource_board.h", ["native/resource/resource_xs", "host-sim/resource"]],
	])("%s", (header, sources) => {
		expect(makeWouldWrite("host")).toEqual([]);
		expect(makeWouldWrite("host", `native/board/include/${header}`)).toEqual(
			expect.arrayContaining([...sources.map(obj), "build/host/xsight-sim"]),
		);
	});

	test("no board header elsewhere in native/", () => {
		const elsewhere = readdirSync(path.join(repoRoot, "native"), { withFileTypes: true })
			.filter((entry) => entry.isDirectory() && entry.name !== "board")
			.flatMap((entry) =>
				readdirSync(path.join(repoRoot, "native", entry.name), { recursive: true, encoding: "utf8" }).map(
					(file) => `native/${entry.name}/${file}`,
				),
			)
			.filter((file) => file.endsWith("_board.h"));
		expect(elsewhere).toEqual([]);
	});
});
