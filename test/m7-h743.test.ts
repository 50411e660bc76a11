// The mps2-an500 firmware inside the STM32H743's memory budget (fw-h743.elf, boards/mps2-an500/
// link-h743.ld): the H743's heap as the cap, its stack and frame buffer, Resource mapped outside
// the heap as the H743 maps flash, manifest.json's stm32h743 creation sizes. Runs when
// arm-none-eabi-gcc and qemu-system-arm are installed, as test/m7.test.ts.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { creationSource } from "../tools/build/firmware-modules";
import { buildM7, h743HeapCap, h743Platform, m7Board, missingM7Tools, runOnM7 } from "../tools/boards/m7";
import { creationFor, prelinked, readManifest, type Creation } from "../tools/build/manifest";
import { makeWouldWrite } from "./support/make";
import { nnFixtures } from "./support/nn-fixtures";
import { tflmModels } from "./support/paths";
import { resourcesCopy } from "./support/resources";
import { visionRoot } from "./support/vision-data";
import { defineXsSuite, runXs } from "./support/xs";

/** A manifest.json of `json` in a fresh folder (the readers' own checks, without the repository's). */
function writeManifest(json: unknown): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), "xsight-manifest-")), "manifest.json");
	writeFileSync(file, JSON.stringify(json));
	return file;
}
const creation = {
	chunk: { initial: 65536, incremental: 16384 },
	heap: { initial: 4096, incremental: 1024 },
	stack: 768,
	keys: { initial: 512, incremental: 128 },
	main: "main",
};

describe("XS creation sizes per platform (manifest.json platforms.NAME.creation)", () => {
	test("a platform's block replaces the fields it names, the rest are the top level's; other platforms get the top level", () => {
		const manifest = readManifest(
			writeManifest({
				creation,
				modules: {},
				platforms: { stm32h743: { creation: { chunk: { initial: 32768, incremental: 8192 }, stack: 512 } } },
			}),
		);
		expect(creationFor(manifest, "stm32h743")).toEqual({
			...creation,
			chunk: { initial: 32768, incremental: 8192 },
			stack: 512,
		});
		expect(creationFor(manifest, "mps2-an500")).toEqual(creation);
		const source = creationSource(manifest, "stm32h743");
		expect(source).toContain(".initialChunkSize = 32768,");
		expect(source).toContain(".incrementalChunkSize = 8192,");
		expect(source).toContain(".stackCount = 512,");
		expect(source).toContain(".initialHeapCount = 4096,");
		expect(creationSource(manifest, "mps2-an500")).toContain(".initialChunkSize = 65536,");
	});

	test("a wrong field in a platform's block is named", () => {
		expect(() =>
			readManifest(
				writeManifest({ creation, modules: {}, platforms: { stm32h743: { creation: { stack: 8 } } } }),
			),
		).toThrow("manifest.json.platforms.stm32h743.creation.stack: expected an integer >= 64, got 8");
		expect(() =>
			readManifest(writeManifest({ creation, modules: {}, platforms: { stm32h743: { creation: { keys: 3 } } } })),
		).toThrow("manifest.json.platforms.stm32h743.creation.keys: expected { initial, incremental }");
		expect(() => readManifest(writeManifest({ creation, modules: {}, platforms: [] }))).toThrow(
			"manifest.json.platforms: expected an object",
		);
	});
});

describe("prelinked modules (manifest.json prelink)", () => {
	test("an entry names a module or a folder's modules; none is the default; a wrong list is named", () => {
		const manifest = readManifest(writeManifest({ creation, modules: {}, prelink: ["main", "vision/*"] }));
		expect(
			["main", "vision/detect", "vision/frame", "vision", "nn/compiler", "mainly"].filter((name) =>
				prelinked(manifest, name),
			),
		).toEqual(["main", "vision/detect", "vision/frame"]);
		expect(readManifest(writeManifest({ creation, modules: {} })).prelink).toEqual([]);
		expect(() => readManifest(writeManifest({ creation, modules: {}, prelink: ["main", 3] }))).toThrow(
			"manifest.json.prelink: expected a list of module names",
		);
	});

	test("the app's manifest prelinks what a wake loads, not the model compiler, updates or tests", () => {
		const manifest = readManifest(path.join(repoRoot, "manifest.json"));
		for (const name of [
			"main",
			"power/retained",
			"vision/detect",
			"native/vision",
			"nn",
			"nn/interpreter",
			"resultlog",
		])
			expect(prelinked(manifest, name), name).toBe(true);
		for (const name of ["nn/compiler", "nn/tflite", "update/install", "console/session", "test/xs/field.xs"])
			expect(prelinked(manifest, name), name).toBe(false);
	});
});

const missing = missingM7Tools();
if (missing.length > 0) {
	const reason = `${m7Board} H743-budget tests skipped: ${missing.join(" and ")} not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)`;
	console.warn(reason);
	describe.skip(reason, () => test("skipped", () => {}));
} else {
	const build = buildM7({ quiet: true });
	const board = m7Board;

	// The XS suites test/m7.test.ts runs on fw.elf, inside the H743's heap.
	const h743 = true;
	await defineXsSuite("test/xs/modules.xs", { board, h743 });
	await defineXsSuite("test/xs/buffers.xs", { board, h743 });
	const files = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-files-"));
	mkdirSync(path.join(files, "data"));
	writeFileSync(
		path.join(files, "data/bytes.bin"),
		Uint8Array.from({ length: 256 }, (_, i) => i),
	);
	await defineXsSuite("test/xs/file.xs", { root: files, board, h743 });
	if (existsSync(tflmModels)) await defineXsSuite("test/xs/tflite.xs", { root: tflmModels, board, h743 });
	else
		describe.skip("test/xs/tflite.xs on fw-h743.elf (needs ../shared/models/tflm)", () =>
			test("skipped", () => {}));
	await defineXsSuite("test/xs/power.xs", {
		board,
		h743,
		hostArgs: ["--state", mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-power-state-")), "--skip-sleep"],
	});
	await defineXsSuite("test/xs/vision.xs", { root: visionRoot(), board, h743 });
	await defineXsSuite("test/xs/nn.xs", { root: nnFixtures(), board, h743 });

	describe("the field app in the H743's heap", () => {
		const cap = h743HeapCap(build);
		const wakes = (stdout: string) =>
			stdout
				.split("\n")
				.filter((l) => l.startsWith("#wake "))
				.map(
					(l) =>
						JSON.parse(l.slice(6)) as {
							boot: number;
							frame?: string;
							error?: string;
							faces: { smile: boolean }[];
						},
				);

		test("the built-in frames' four wakes: the same faces as fw.elf, each wake's peak malloc at most 384 KB (75% of the cap)", async () => {
			expect(cap).toBe(512 * 1024 - 512);
			const run = async (h743: boolean) =>
				runOnM7(build, {
					root: await resourcesCopy(m7Board),
					frames: path.join(repoRoot, "resources/frames"),
					stats: true,
					h743,
					timeoutMs: 300_000,
					board: [
						"--state",
						mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-field-")),
						"--skip-sleep",
						"--until",
						"240000",
					],
				});
			const [inCap, plain] = await Promise.all([run(true), run(false)]);
			expect(inCap.status, inCap.stderr).toBe(0);
			expect(wakes(inCap.stdout).map((w) => [w.boot, w.frame, w.error, w.faces])).toEqual(
				wakes(plain.stdout).map((w) => [w.boot, w.frame, w.error, w.faces]),
			);
			expect(wakes(inCap.stdout).map((w) => w.faces.map((f) => f.smile))).toEqual([[true], [false], [true], []]);
			const standbys = inCap.sleeps!.filter((sleep) => sleep.mode === 2);
			expect(standbys.map((sleep) => sleep.boot)).toEqual([1, 2, 3, 4]);
			for (const sleep of standbys)
				expect(sleep.mallocPeak, `boot ${sleep.boot}`).toBeLessThanOrEqual(384 * 1024);
			// XS grows a heap only when a collection did not free enough: each wake keeps to the creation's
			// first chunk and slot blocks (16-byte slots), so it grew none and collected seldom.
			const creation = creationFor(build.manifest, h743Platform);
			for (const sleep of standbys)
				expect(sleep.xsHeap, `boot ${sleep.boot}`).toBeLessThanOrEqual(
					creation.chunk.initial + 16 * creation.heap.initial,
				);
			// fw.elf, with megabytes of RAM, holds the model and cascade files and XS in its heap.
			expect(plain.sleeps!.find((sleep) => sleep.boot === 1)!.mallocPeak).toBeGreaterThan(cap);
		});

		test.skipIf(!existsSync(tflmModels))(
			"person_detect loaded and invoked beside a QVGA face search fits the cap (needs ../shared/models/tflm)",
			async () => {
				const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-person-"));
				copyFileSync(path.join(tflmModels, "person_detect.tflite"), path.join(root, "person_detect.tflite"));
				copyFileSync(
					path.join(repoRoot, "resources/cascades/frontalface.cascade"),
					path.join(root, "frontalface.cascade"),
				);
				copyFileSync(path.join(repoRoot, "resources/frames/01-smile.pgm"), path.join(root, "qvga.pgm"));
				const result = await runXs("test/xs/fixtures/person-beside-search", {
					board,
					h743,
					root,
					stats: true,
					config: { model: "person_detect.tflite", cascade: "frontalface.cascade", frame: "qvga.pgm" },
				});
				expect(result.status, result.stderr).toBe(0);
				expect(result.stdout).toContain(`#person {"width":320,"height":240,"faces":1,"same":true}`);
				expect(result.m7!.mallocPeak).toBeLessThanOrEqual(cap);
				console.log(
					`person_detect beside a QVGA search on fw-h743.elf: peak malloc ${result.m7!.mallocPeak} of ${cap} bytes`,
				);
			},
		);

		test("a wake that runs out of memory is logged by the next wake (why and where) and the device sleeps to its next wake, never a reset loop", async () => {
			// XS held to the H743 creation's first chunk and slot blocks, not allowed to grow: the no-face
			// wake (04-empty.pgm) fits them, a face wake without the model's plan beside it (it compiles the
			// model: nn's compiler imported, the model parsed and planned) overflows them.
			const h743Creation = creationFor(build.manifest, h743Platform);
			const creation = {
				...h743Creation,
				chunk: { initial: h743Creation.chunk.initial, incremental: 0 },
				heap: { initial: h743Creation.heap.initial, incremental: 0 },
			};
			const state = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-abort-"));
			const result = await runOnM7(build, {
				root: await resourcesCopy(null),
				frames: path.join(repoRoot, "resources/frames"),
				h743: true,
				creation,
				stats: true,
				timeoutMs: 300_000,
				board: ["--state", state, "--skip-sleep", "--until", "240000"],
			});
			// Power-on aborts (the model is loaded up front) and is retried 10 s later, and so on until
			// the empty frame's wake fits and sleeps on the 60 s grid; then 60, 120 and 180 s abort.
			const aborts = result.stderr
				.split("\n")
				.filter((line) => line.startsWith("fatal: XS abort: memory full (status 1) in "));
			expect(aborts, result.stderr).toHaveLength(7);
			// In the model's load: nn's modules imported (loadClassifier) or nn's code.
			expect(aborts[0]).toMatch(/ in (loadClassifier \(.*modules\/main|\S.* \(.*modules\/nn\/\S+)\.ts:\d+\)$/);
			// The run ends at --until on an abort's sleep: XS's status.
			expect(result.status).toBe(2);
			// Each abort slept: 10 s after the power-on's, the app's period (60 s less its awake time) after the others'.
			const slept = result.sleeps!.filter((sleep) => sleep.abort).map((sleep) => sleep.toMs! - sleep.fromMs!);
			expect(slept).toHaveLength(7);
			for (const ms of slept.slice(0, 4)) expect(ms).toBeGreaterThan(9_000);
			for (const ms of slept.slice(4)) expect(ms).toBeGreaterThan(55_000);
			const records = result.stdout
				.split("\n")
				.filter((l) => l.startsWith("#wake "))
				.map((l) => JSON.parse(l.slice(6)) as { boot: number; frame?: string; warnings?: string[] });
			expect(records.map((r) => [r.boot, r.frame])).toEqual([[5, "04-empty.pgm"]]);
			expect(records[0]!.warnings).toEqual([
				expect.stringMatching(
					/^wake 4 stopped: XS abort: memory full in \S.* \(.*\.ts:\d+\) \(4 wakes in a row\)$/,
				),
			]);
			// And it is in the results log on the board's storage, as the device's own reader sees it.
			const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
			const log = spawnSync(
				process.execPath,
				[tsx, path.join(repoRoot, "tools/xsight.ts"), "log", "--state", state, "--json"],
				{ cwd: repoRoot, encoding: "utf8" },
			);
			expect(log.status, log.stderr).toBe(0);
			expect(log.stdout).toContain("wake 4 stopped: XS abort: memory full in ");
		});

		test("a run past the cap ends with XS's memory-full status, named, at the cap", async () => {
			const result = await runXs("test/xs/fixtures/grow", { board, h743, stats: true });
			expect(result.status).toBe(2);
			expect(result.stderr).toContain("fatal: XS abort: memory full");
			expect(result.m7!.mallocPeak).toBeLessThanOrEqual(cap);
			expect(result.m7!.mallocPeak).toBeGreaterThan(cap - 64 * 1024);
		});
	});

	describe("the creation sizes generated into the firmware", () => {
		// gBoardCreation's first seven words (txCreation's order) as the ELF holds them.
		const built = (elf: string): number[] => {
			const symbol = spawnSync("arm-none-eabi-nm", ["-S", elf], { encoding: "utf8" })
				.stdout.split("\n")
				.find((line) => line.endsWith(" gBoardCreation"));
			if (!symbol) throw new Error(`${elf}: no gBoardCreation`);
			const address = parseInt(symbol.split(" ")[0]!, 16);
			const dump = spawnSync(
				"arm-none-eabi-objdump",
				["-s", `--start-address=${address}`, `--stop-address=${address + 28}`, elf],
				{ encoding: "utf8" },
			).stdout;
			const hex = [...dump.matchAll(/^ [0-9a-f]+ ((?:[0-9a-f]{8} ?){1,4})/gm)].flatMap((m) =>
				m[1]!.trim().split(" "),
			);
			return hex.slice(0, 7).map((word) => Buffer.from(word, "hex").readInt32LE(0));
		};
		const words = (c: Creation) => [
			c.chunk.initial,
			c.chunk.incremental,
			c.heap.initial,
			c.heap.incremental,
			c.stack,
			c.keys.initial,
			c.keys.incremental,
		];

		test("fw-h743.elf carries manifest.json's stm32h743 sizes, fw.elf its mps2-an500 ones", () => {
			expect(built(build.h743Elf)).toEqual(words(creationFor(build.manifest, h743Platform)));
			expect(built(build.elf)).toEqual(words(creationFor(build.manifest, m7Board)));
			// The STM32H743's own firmware, when test/h7.test.ts (or make h7-fw) has built it.
			const h7 = path.join(repoRoot, "build/h7/fw.elf");
			if (existsSync(h7)) expect(built(h7)).toEqual(words(creationFor(build.manifest, h743Platform)));
		});

		test("a change to manifest.json rebuilds them (make -n -W)", () => {
			const elf = `build/${m7Board}/fw-h743.elf`;
			expect(makeWouldWrite(elf, "manifest.json")).toEqual(
				expect.arrayContaining([`build/${m7Board}/obj/gen/creation-stm32h743.o`, elf]),
			);
		});
	});

	describe(`${board} in the STM32H743's memory (fw-h743.elf)`, () => {
		const symbols = () => {
			const nm = spawnSync("arm-none-eabi-nm", [build.h743Elf], { encoding: "utf8" });
			return new Map(
				nm.stdout
					.split("\n")
					.filter(Boolean)
					.map((line) => {
						const [addr, , name] = line.split(" ");
						return [name!, parseInt(addr!, 16)];
					}),
			);
		};
		// What boards/stm32h743/include/h7_memory.h says, through the C preprocessor as the linker scripts read it.
		const h7 = (name: string) => {
			const expression = spawnSync(
				"arm-none-eabi-gcc",
				["-E", "-P", "-undef", "-x", "c", "-include", "boards/stm32h743/include/h7_memory.h", "-"],
				{ cwd: repoRoot, input: name, encoding: "utf8" },
			).stdout.trim();
			if (!/^[\d\s()*+-]+$/.test(expression)) throw new Error(`${name}: ${expression}`);
			return Number(new Function(`return ${expression}`)());
		};

		test("its heap, stack and frame buffer have the H743 linker script's sizes (h7_memory.h)", () => {
			const at = symbols();
			expect(h7("H7_HEAP_SIZE")).toBe(512 * 1024 - 512);
			expect(at.get("__heap_end")! - at.get("__heap_start")!).toBe(h7("H7_HEAP_SIZE"));
			expect(at.get("__stack_top")! - at.get("__stack_limit")!).toBe(h7("H7_FW_STACK_SIZE"));
			// The stack at the bottom of the DTCM bank, .data and .bss after it, all inside the bank.
			expect(at.get("__stack_limit")).toBe(0x20000000);
			expect(at.get("__bss_end")! - 0x20000000).toBeLessThanOrEqual(h7("H7_DTCM_SIZE"));
			// The frame buffer holds a QVGA frame (and its PGM header); XS takes the rest of SRAM1-3.
			expect(at.get("__dma_buffer_end")! - at.get("__dma_buffer_start")!).toBe(h7("H7_DMA_FRAME_BYTES") + 64);
			expect(at.get("__xs_bank0_end")! - at.get("__dma_buffer_start")!).toBe(
				h7("H7_SRAM12_SIZE") + h7("H7_SRAM3_SIZE"),
			);
			expect(at.get("__xs_bank1_end")! - at.get("__stack_limit")!).toBe(h7("H7_DTCM_SIZE"));
			expect(at.get("__xs_bank2_end")! - at.get("__xs_bank2_start")!).toBe(h7("H7_SRAM4_SIZE"));
		});

		test("Resource maps a file outside the heap, as the H743 maps flash; fw.elf copies it into the heap", async () => {
			const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-resource-"));
			// 450,000 bytes: more than the H743's heap holds beside XS, less than its flash store.
			writeFileSync(
				path.join(root, "big.bin"),
				Uint8Array.from({ length: 450_000 }, (_, i) => (i * 7) & 255),
			);
			let sum = 0;
			for (let i = 0; i < 450_000; i += 997) sum += (i * 7) & 255;
			const h743 = await runXs("test/xs/fixtures/map-resource", {
				board,
				h743: true,
				root,
				config: { resource: "big.bin" },
				stats: true,
			});
			expect(h743.status, h743.stderr).toBe(0);
			expect(h743.stdout).toContain(`mapped 450000 450000 ${sum}`);
			const copied = await runXs("test/xs/fixtures/map-resource", {
				board,
				root,
				config: { resource: "big.bin" },
				stats: true,
			});
			expect(copied.status, copied.stderr).toBe(0);
			expect(copied.stdout).toContain(`mapped 450000 450000 ${sum}`);
			// fw.elf holds both maps in the heap; fw-h743.elf neither.
			expect(copied.m7!.mallocPeak - h743.m7!.mallocPeak).toBeGreaterThanOrEqual(2 * 450_000);
		});

		test("a file larger than the flash store is refused, naming it and the store", async () => {
			const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-resource-"));
			writeFileSync(path.join(root, "huge.bin"), new Uint8Array(600_000));
			const result = await runXs("test/xs/fixtures/map-resource", {
				board,
				h743: true,
				root,
				config: { resource: "huge.bin" },
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(
				"huge.bin does not fit the flash store (0 of its 524288 bytes taken by 0 files)",
			);
		});
	});
}
