// The mps2-an500 firmware inside the STM32H743's memory budget (fw-h743.elf, boards/mps2-an500/
// link-h743.ld): the H743's heap as the cap, its stack and frame buffer, Resource mapped outside
// the heap as the H743 maps flash, manifest.json's stm32h743 creation sizes. Runs when
// arm-none-eabi-gcc and qemu-system-arm are installed, as test/m7.test.ts.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build";
import { buildM7, m7Board, missingM7Tools } from "../tools/m7";
import { runXs } from "./support/xs";

const missing = missingM7Tools();
if (missing.length > 0) {
	const reason = `${m7Board} H743-budget tests skipped: ${missing.join(" and ")} not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)`;
	console.warn(reason);
	describe.skip(reason, () => test("skipped", () => {}));
} else {
	const build = buildM7({ quiet: true });
	const board = m7Board;

	describe(`${board} in the STM32H743's memory (fw-h743.elf)`, () => {
		const symbols = () => {
			const nm = spawnSync("arm-none-eabi-nm", [build.h743Elf], { encoding: "utf8" });
			return new Map(nm.stdout.split("\n").filter(Boolean).map((line) => {
				const [addr, , name] = line.split(" ");
				return [name!, parseInt(addr!, 16)];
			}));
		};
		// What boards/stm32h743/include/h7_memory.h says, through the C preprocessor as the linker scripts read it.
		const h7 = (name: string) => {
			const expression = spawnSync("arm-none-eabi-gcc", ["-E", "-P", "-undef", "-x", "c", "-include", "boards/stm32h743/include/h7_memory.h", "-"], { cwd: repoRoot, input: name, encoding: "utf8" }).stdout.trim();
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
			expect(at.get("__dma_buffer_end")! - at.get("__dma_buffer_start")!).toBe(h7("H7_SRAM12_SIZE"));
		});

		test("Resource maps a file outside the heap, as the H743 maps flash; fw.elf copies it into the heap", async () => {
			const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-resource-"));
			// 450,000 bytes: more than the H743's heap holds beside XS, less than its flash store.
			writeFileSync(path.join(root, "big.bin"), Uint8Array.from({ length: 450_000 }, (_, i) => (i * 7) & 255));
			let sum = 0;
			for (let i = 0; i < 450_000; i += 997) sum += (i * 7) & 255;
			const h743 = await runXs("test/xs/fixtures/map-resource", { board, h743: true, root, config: { resource: "big.bin" }, stats: true });
			expect(h743.status, h743.stderr).toBe(0);
			expect(h743.stdout).toContain(`mapped 450000 450000 ${sum}`);
			const copied = await runXs("test/xs/fixtures/map-resource", { board, root, config: { resource: "big.bin" }, stats: true });
			expect(copied.status, copied.stderr).toBe(0);
			expect(copied.stdout).toContain(`mapped 450000 450000 ${sum}`);
			// fw.elf holds both maps in the heap; fw-h743.elf neither.
			expect(copied.m7!.mallocPeak - h743.m7!.mallocPeak).toBeGreaterThanOrEqual(2 * 450_000);
		});

		test("a file larger than the flash store is refused, naming it and the store", async () => {
			const root = mkdtempSync(path.join(tmpdir(), "xsight-m7-h743-resource-"));
			writeFileSync(path.join(root, "huge.bin"), new Uint8Array(600_000));
			const result = await runXs("test/xs/fixtures/map-resource", { board, h743: true, root, config: { resource: "huge.bin" } });
			expect(result.status).toBe(1);
			expect(result.stderr).toContain("huge.bin does not fit the flash store (0 of its 524288 bytes taken by 0 files)");
		});
	});
}
