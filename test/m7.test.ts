// The XS suites on the Cortex-M7 board (QEMU mps2-an500), each case a vitest
// test, plus the board's own behaviour: exit statuses, fault reports, the
// file system over semihosting. Runs when arm-none-eabi-gcc and
// qemu-system-arm are installed (.ci/run installs them); skips otherwise.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { wakeParts } from "../tools/bench/m7";
import {
	buildM7,
	INSTRUCTIONS_PER_TICK,
	m7Board,
	missingM7Tools,
	M7_EXIT_FAULT,
	runOnM7,
	runProgramOnM7,
} from "../tools/boards/m7";
import { makeWouldWrite } from "./support/make";
import { nnFixtures, planModels } from "./support/nn-fixtures";
import { sharedRoot, tflmModels } from "./support/paths";
import { resourcesCopy } from "./support/resources";
import { readGrayImage } from "../tools/support/image";
import { detectOnXs } from "../tools/boards/host-detect";
import { classifierFromFile, detectMultiScale, loadOpenCv } from "./support/opencv-oracle";
import { alt2Xml, visionRoot } from "./support/vision-data";
import { tapCases } from "./support/tap";
import { defineXsSuite, runXs } from "./support/xs";

const missing = missingM7Tools();
if (missing.length > 0) {
	const reason = `${m7Board} board tests skipped: ${missing.join(" and ")} not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)`;
	console.warn(reason);
	describe.skip(reason, () => test("skipped", () => {}));
} else {
	buildM7({ quiet: true, nativeTests: true });
	const board = m7Board;

	// native/nn's and native/camera's C tests on the M7: the DSP paths (compiled only here) against the
	// tests' naive references.
	for (const lib of ["nn", "camera"]) {
		const testsDir = path.join(repoRoot, "build", m7Board, `tests/${lib}/test`);
		for (const name of readdirSync(testsDir)
			.filter((file) => file.endsWith(".elf"))
			.sort()) {
			tapCases(
				`${lib}/test/${name.replace(/\.elf$/, "")} on ${m7Board}`,
				runProgramOnM7(path.join(testsDir, name)),
			);
		}
	}
	test("those programs, and the host's XS compiler the firmware is built with, rebuild when a header they include changes (make -n -W)", () => {
		const elf = `build/${m7Board}/tests/nn/test/test_requantize.elf`;
		const xsc = "build/host/xsight-xsc";
		expect(makeWouldWrite(elf)).toEqual([]);
		expect(makeWouldWrite(elf, "native/nn/test/nn_test.h")).toEqual([elf]);
		expect(makeWouldWrite(elf, "native/nn/src/arm_nnsupportfunctions.h")).toContain(elf);
		expect(makeWouldWrite(xsc)).toEqual([]);
		expect(makeWouldWrite(xsc, "node_modules/@agoric/xsnap/moddable/xs/sources/xsAll.h")).toEqual(
			expect.arrayContaining(["build/host/obj/xs/xsAPI.o", xsc]),
		);
	});

	await defineXsSuite("test/xs/modules.xs", { board });
	await defineXsSuite("test/xs/buffers.xs", { board });

	const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-files-"));
	mkdirSync(path.join(root, "data"));
	writeFileSync(
		path.join(root, "data/bytes.bin"),
		Uint8Array.from({ length: 256 }, (_, i) => i),
	);
	await defineXsSuite("test/xs/file.xs", { root, board });

	if (existsSync(tflmModels)) await defineXsSuite("test/xs/tflite.xs", { root: tflmModels, board });
	else
		describe.skip("test/xs/tflite.xs on mps2-an500 (needs ../shared/models/tflm)", () => test("skipped", () => {}));

	// The power suite as on the host, with a state folder for its logs; the
	// 90 s Stop jumps the board's clock (--skip-sleep) instead of waiting in WFI.
	await defineXsSuite("test/xs/power.xs", {
		board,
		hostArgs: ["--state", mkdtempSync(path.join(tmpdir(), "xsight-m7-power-state-")), "--skip-sleep"],
	});
	await defineXsSuite("test/xs/vision.xs", { root: visionRoot(), board });

	// Trees on the M7's FPU and scan (double sums, the table's corners, forward child links): a cascade of
	// 2-node trees (frontalface_alt2) on photos of ../shared, OpenCV's raw candidates and grouped boxes.
	const photos = ["dlib/2008_001322.jpg", "misc/messi5.jpg", "misc/227943776_1.jpg"].map((f) =>
		path.join(sharedRoot, "images/faces", f),
	);
	describe.skipIf(!existsSync(alt2Xml) || !photos.every((p) => existsSync(p)))(`a tree cascade on ${board}`, () => {
		test("frontalface_alt2 finds OpenCV's raw candidates and boxes", { timeout: 600_000 }, async () => {
			const images = photos.map((p) => readGrayImage(p));
			await loadOpenCv();
			const c = classifierFromFile(alt2Xml);
			const key = (r: { x: number; y: number; width: number; height: number }) =>
				`${r.x},${r.y},${r.width},${r.height}`;
			for (const options of [
				{ scale: 1.1, minNeighbors: 0, minSize: 20 },
				{ scale: 1.1, minNeighbors: 3, minSize: 20 },
			]) {
				const runs = await detectOnXs(buildM7({ quiet: true }), images, { cascade: alt2Xml, options });
				images.forEach((image, i) =>
					expect(runs[i]!.rects.map(key).sort(), `${photos[i]} minNeighbors ${options.minNeighbors}`).toEqual(
						detectMultiScale(c, image, options).map(key).sort(),
					),
				);
				if (options.minNeighbors === 0)
					expect(runs.reduce((n, r) => n + r.rects.length, 0)).toBeGreaterThan(100);
			}
		});
	});
	await defineXsSuite("test/xs/nn.xs", { root: nnFixtures(), board });
	const plans = planModels();
	await defineXsSuite("test/xs/nn-plan.xs", { root: plans.root, config: { models: plans.models }, board });

	describe(`${board} power`, () => {
		const steps = (stdout: string) =>
			stdout
				.split("\n")
				.filter((l) => l.startsWith("#step "))
				.map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
		test("Standby is a system reset: a fresh heap, the retained store kept, an rtc wake, the clock carried over", async () => {
			const result = await runXs("test/xs/fixtures/power/stop-standby", {
				board,
				hostArgs: ["--until", "60000", "--skip-sleep"],
			});
			expect(result.status, result.stderr).toBe(0);
			const got = steps(result.stdout);
			// The host simulator's virtual clock has no awake time without a cost model; the M7's has its instructions.
			const slept = got[1]?.["sleptMs"] as number;
			expect(slept).toBeGreaterThanOrEqual(5000);
			expect(slept).toBeLessThan(5100);
			expect(got).toEqual([
				{ step: 0, reason: "power-on", survivor: null },
				{ step: "after stop", reason: "rtc", same: true, survivor: { boot: 1 }, sleptMs: slept },
				{ step: 1, reason: "rtc", survivor: null },
			]);
		});

		test("power.mark(): each sleep's --stats line carries the marks since the sleep before, in order; Standby's reset boot none", async () => {
			const result = await runOnM7(buildM7({ quiet: true }), {
				main: "test/xs/fixtures/power/stop-standby",
				root: mkdtempSync(path.join(tmpdir(), "xsight-m7-marks-")),
				stats: true,
				board: ["--until", "60000", "--skip-sleep"],
			});
			expect(result.status, result.stderr).toBe(0);
			const sleeps = result.sleeps ?? [];
			expect(sleeps.map((sleep) => [sleep.boot, sleep.mode, sleep.marks?.map(([name]) => name)])).toEqual([
				[1, 1, ["before-stop"]],
				[1, 2, ["after-stop"]],
				[2, 2, []],
			]);
			// Ticks since this boot's main(), each mark before its sleep.
			const [stop, standby] = sleeps;
			expect(stop!.marks![0]![1]).toBeLessThanOrEqual(stop!.ticks);
			expect(standby!.marks![0]![1]).toBeGreaterThan(stop!.ticks);
			expect(standby!.marks![0]![1]).toBeLessThanOrEqual(standby!.ticks);
		});

		test("Moddable timers fire in order, waiting in WFI on the CMSDK alarm (real time)", async () => {
			const result = await runXs("test/xs/fixtures/power/timers", { board });
			expect(result.status, result.stderr).toBe(0);
			const fired = JSON.parse(/^#timers (.*)$/m.exec(result.stdout)?.[1] ?? "null") as [string, number][];
			expect(fired.map(([name]) => name)).toEqual(["delay", "once", "repeat", "repeat", "repeat"]);
			// Each no earlier than due; late by at most QEMU's scheduling.
			[50, 100, 250, 500, 750].forEach((due, i) => {
				expect(fired[i]?.[1]).toBeGreaterThanOrEqual(due);
				expect(fired[i]?.[1]).toBeLessThan(due + 200);
			});
		});
	});

	describe(`${board} board`, () => {
		test("xsight run --board mps2-an500 boots QEMU and returns the firmware's status", () => {
			const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
			const cli = (...args: string[]) =>
				spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
					cwd: repoRoot,
					encoding: "utf8",
				});
			const thrown = cli("run", "--board", board, "--main", "test/xs/fixtures/throws");
			expect(thrown.status).toBe(1);
			expect(thrown.stderr).toContain("RangeError: sensor reading out of range");
			const unknown = cli("run", "--board", "pdp11");
			expect(unknown.status).toBe(64);
			expect(unknown.stderr).toContain("--board pdp11: expected host or mps2-an500");
		});

		test("an uncaught exception prints its stack with .ts lines and exits 1", async () => {
			const result = await runXs("test/xs/fixtures/throws", { board });
			expect(result.status).toBe(1);
			expect(result.stderr).toMatch(
				/RangeError: sensor reading out of range\n at readSensor \(.*test\/xs\/fixtures\/throws\.ts:\d+\)/,
			);
		});

		test("an XS abort (memory full) is reported and exits 2", async () => {
			const creation = {
				chunk: { initial: 32768, incremental: 0 },
				heap: { initial: 2048, incremental: 0 },
				stack: 256,
				keys: { initial: 2048, incremental: 0 },
				main: "main",
			};
			const result = await runXs("test/xs/fixtures/grow", { board, creation });
			expect(result.status).toBe(2);
			expect(result.stderr).toContain("fatal: XS abort: memory full");
		});

		test("a processor fault is reported with its pc and exits 3, not hangs", async () => {
			const result = await runXs("test/xs/fixtures/fault", { board });
			expect(result.stdout).toContain("about to fault");
			expect(result.stderr).toMatch(/fatal: UsageFault \(exception 6\) at pc 0x[0-9a-f]{8}/);
			expect(result.status).toBe(M7_EXIT_FAULT);
		});

		test("a module missing from the firmware is a usage error naming it", async () => {
			const result = await runXs("no/such/module", { board });
			expect(result.status).toBe(64);
			expect(result.stderr).toContain('module "no/such/module" is not built into this firmware');
		});

		test("the firmware has no JavaScript parser: eval is refused, clearly", async () => {
			const result = await runXs("test/xs/fixtures/no-parser", { board });
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toMatch(/eval refused: SyntaxError: .*no JavaScript parser in this firmware/);
		});

		test("mc/config comes from the runner's JSON", async () => {
			const result = await runXs("test/xs/fixtures/print-config", {
				board,
				config: { sample: "x/y.pgm", nested: { n: 3 } },
			});
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toContain(`"sample":"x/y.pgm"`);
			expect(result.stdout).toContain(`"nested":{"n":3}`);
		});
	});

	// The field app (the manifest's main, from bytecode in flash) end to end on
	// the M7, its model, cascade and frames read over semihosting: the built-in
	// frames through three Standby resets, compared with the host simulator's
	// records of the same frames (`xsight sim --json`).
	describe(`the field app on ${board}`, () => {
		interface Wake {
			boot: number;
			reason: string;
			frame?: string;
			error?: string;
			faces: { x: number; y: number; width: number; height: number; smile: boolean; score: number }[];
		}
		const wakes = (stdout: string) =>
			stdout
				.split("\n")
				.filter((l) => l.startsWith("#wake "))
				.map((l) => JSON.parse(l.slice(6)) as Wake);
		const frames = path.join(repoRoot, "resources/frames");
		const m7Run = async (config: Record<string, unknown> | undefined, stats = false) => {
			const state = mkdtempSync(path.join(tmpdir(), "xsight-m7-field-"));
			const build = buildM7({ quiet: true });
			// Wakes at 0, 60, 120 and 180 s; the Standby after the fourth would wake at 240 s and ends the run.
			return runOnM7(build, {
				root: await resourcesCopy(m7Board),
				frames,
				...(config ? { config } : {}),
				board: ["--state", state, "--skip-sleep", "--until", "240000"],
				stats,
				timeoutMs: 300_000,
			});
		};

		test("four frames through Standby resets: the host simulator's faces, boxes and smile labels, and its phases in each wake's breakdown", async () => {
			const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
			const sim = spawnSync(
				process.execPath,
				[
					tsx,
					path.join(repoRoot, "tools/xsight.ts"),
					"sim",
					"--json",
					"--state",
					mkdtempSync(path.join(tmpdir(), "xsight-m7-field-host-")),
				],
				{ cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 },
			);
			expect(sim.status, sim.stderr).toBe(0);
			const hostWakes = (
				JSON.parse(sim.stdout) as { wakes: { record: Wake | null; parts: Record<string, number> }[] }
			).wakes;
			const host = hostWakes.map((w) => w.record);
			const result = await m7Run(undefined, true);
			expect(result.status, result.stderr).toBe(0);
			const got = wakes(result.stdout);
			// What the frames show (resources/frames/NOTICE), whoever computed it.
			expect(got.map((w) => [w.boot, w.reason, w.frame, w.faces.map((f) => f.smile)])).toEqual([
				[1, "power-on", "01-smile.pgm", [true]],
				[2, "rtc", "02-neutral.pgm", [false]],
				[3, "rtc", "03-astronaut.pgm", [true]],
				[4, "rtc", "04-empty.pgm", []],
			]);
			// And the same boxes and scores as the host's XS and C computed.
			expect(got.map((w) => w.faces)).toEqual(host.map((r) => r?.faces));
			expect(got.map((w) => w.frame)).toEqual(host.map((r) => r?.frame?.replace(/^\d{5}-/, "")));
			// The per-wake breakdown (power.mark, reported with each Standby's --stats line): the host's
			// phases in the host's order (bar its boot, before main(), which this board does not count),
			// adding up to the wake's instructions.
			const standbys = (result.sleeps ?? []).filter((sleep) => sleep.mode === 2);
			expect(standbys.map((sleep) => Object.keys(wakeParts(sleep)))).toEqual(
				hostWakes.map((w) => Object.keys(w.parts).filter((part) => part !== "boot")),
			);
			for (const sleep of standbys)
				expect(Object.values(wakeParts(sleep)).reduce((a, b) => a + b, 0)).toBe(
					sleep.ticks * INSTRUCTIONS_PER_TICK,
				);
		});

		test("a missing model stops the app with a clear error and a non-zero exit before it sleeps", async () => {
			const config = JSON.parse(readFileSync(path.join(repoRoot, "manifest.json"), "utf8")).config as Record<
				string,
				Record<string, unknown>
			>;
			const result = await m7Run({ ...config, app: { ...config["app"], model: "models/missing.tflite" } });
			expect(result.status).not.toBe(0);
			expect(result.stderr).toContain("models/missing.tflite");
			// No Standby reset happened: nothing ran a second boot.
			expect(wakes(result.stdout).filter((w) => w.boot > 1)).toEqual([]);
		});
	});
}
