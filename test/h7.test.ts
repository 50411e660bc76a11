// The STM32H743 board: its host unit tests (boards/stm32h743/test/test_*.c,
// each TAP line a vitest case) and, when arm-none-eabi-gcc is installed, the
// placement rules of the linked bring-up image read back with arm-none-eabi-nm
// and -objdump: DMA buffers outside DTCM, retained state in backup SRAM, every
// output section inside its RAM bank, text within the flash budget.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { makeWouldWrite } from "./support/make";
import { tapCases } from "./support/tap";

const make = (target: string) => spawnSync("make", ["-s", "-j2", target], { cwd: repoRoot, encoding: "utf8" });

const built = make("h7-tests");
const testsDir = path.join(repoRoot, "build/h7/tests");
const programs = existsSync(testsDir)
	? readdirSync(testsDir)
			.filter((n) => n.startsWith("test_"))
			.sort()
	: [];

test("make h7-tests builds", () => {
	if (built.status !== 0) throw new Error(built.stdout + built.stderr);
	expect(programs.length).toBeGreaterThanOrEqual(4);
});

test("a test program rebuilds when a header it includes changes, the board's or a library's (make -n -W)", () => {
	const program = "build/h7/tests/test_h7_retained";
	expect(makeWouldWrite(program)).not.toContain(program);
	for (const header of [
		"boards/stm32h743/include/h7_retained.h",
		"native/bytes/include/bytes.h",
		"native/test/unit.h",
	])
		expect(makeWouldWrite(program, header), header).toContain(program);
});

for (const name of programs)
	tapCases(
		`stm32h743/${name}`,
		spawnSync(path.join(testsDir, name), [], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 }),
	);

test("the XS file binding over the flash store compiles against the XS headers", () => {
	const check = make("h7-xs-check");
	if (check.status !== 0) throw new Error(check.stdout + check.stderr);
});

describe("h7fs-image: store images for the internal flash", () => {
	const tool = path.join(repoRoot, "build/h7/h7fs-image");
	const store = path.join(repoRoot, "build/h7/store.bin");
	const packed = make("h7-fsimage");
	const run = (...args: string[]) => spawnSync(tool, args, { cwd: repoRoot, encoding: "buffer" });

	test("packs the app's cascade and model and reads every file back byte for byte, in place in flash", () => {
		if (packed.status !== 0) throw new Error(packed.stdout + packed.stderr);
		const image = readFileSync(store);
		expect(image.length).toBe(512 * 1024);
		const listed = run("list", store)
			.stdout.toString()
			.trim()
			.split("\n")
			.filter((l) => !l.startsWith("free "))
			.sort();
		const files = ["cascades/NOTICE", "cascades/frontalface.cascade", "models/smile.tflite"];
		expect(listed.map((l) => l.replace(/ @0x[0-9A-F]{8}$/, ""))).toEqual(
			files.map((f) => `${readFileSync(path.join(repoRoot, "resources", f)).length} ${f}`).sort(),
		);
		for (const name of files) {
			const out = run("cat", store, name);
			const want = readFileSync(path.join(repoRoot, "resources", name));
			expect(out.status).toBe(0);
			expect(Buffer.compare(out.stdout, want)).toBe(0);
			// Packed whole: the address Resource maps holds exactly the file's bytes.
			const at = /@0x([0-9A-F]{8})$/.exec(
				listed.find((l) => l.endsWith(` ${name}`) || l.includes(` ${name} @`)) ?? "",
			);
			expect(at, `${name} is in one record`).not.toBeNull();
			const offset = parseInt(at![1]!, 16) - 0x08180000;
			expect(Buffer.compare(image.subarray(offset, offset + want.length), want), name).toBe(0);
		}
	});

	// The layout by hand (include/h7fs.h): a half is a 32-byte header word, then per file a
	// create record (a word + the name padded to words) and one write record (a word + the data
	// padded to words); `free` is what one more record's data can take.
	const word = 32;
	const padded = (n: number) => Math.ceil(n / word) * word;
	const freeAfter = (files: { name: string; size: number }[]) =>
		256 * 1024 -
		word -
		files.reduce((sum, f) => sum + word + padded(f.name.length) + word + padded(f.size), 0) -
		word;

	test("list reports the free space of a half, as computed by hand from the files' sizes", () => {
		if (packed.status !== 0) throw new Error(packed.stdout + packed.stderr);
		const free = /^free (\d+) of (\d+)/m.exec(run("list", store).stdout.toString());
		expect(free).not.toBeNull();
		expect(Number(free![2])).toBe(256 * 1024);
		const files = ["cascades/NOTICE", "cascades/frontalface.cascade", "models/smile.tflite"].map((name) => ({
			name,
			size: readFileSync(path.join(repoRoot, "resources", name)).length,
		}));
		expect(Number(free![1])).toBe(freeAfter(files));
	});

	test("the cascade and a 50 KB (64x64-input) smile model fit, with room left for the log", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "h7fs-"));
		try {
			mkdirSync(path.join(dir, "cascades"));
			mkdirSync(path.join(dir, "models"));
			const cascade = readFileSync(path.join(repoRoot, "resources/cascades/frontalface.cascade"));
			writeFileSync(path.join(dir, "cascades/frontalface.cascade"), cascade);
			const model = Buffer.alloc(50 * 1024);
			for (let i = 0; i < model.length; i++) model[i] = (i * 131 + 7) & 0xff; // synthetic, not the real model
			writeFileSync(path.join(dir, "models/smile.tflite"), model);
			const out = path.join(dir, "store.bin");
			const r = run("pack", out, dir);
			expect(r.status, r.stderr.toString()).toBe(0);
			const free = /^free (\d+) of/m.exec(run("list", out).stdout.toString());
			expect(Number(free?.[1])).toBe(
				freeAfter([
					{ name: "cascades/frontalface.cascade", size: cascade.length },
					{ name: "models/smile.tflite", size: model.length },
				]),
			);
			expect(Number(free?.[1])).toBeGreaterThan(100 * 1024);
			expect(Buffer.compare(run("cat", out, "models/smile.tflite").stdout, model)).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test("bad input is a clear error naming the file", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "h7fs-"));
		try {
			mkdirSync(path.join(dir, "a"));
			writeFileSync(path.join(dir, "a", "x".repeat(60)), "too long a name");
			let r = run("pack", path.join(dir, "out.bin"), dir);
			expect(r.status).toBe(1);
			expect(r.stderr.toString()).toMatch(/x{60}.*name too long/);
			rmSync(path.join(dir, "a"), { recursive: true });
			// One file larger than a store half (256 KB): refused before anything is written.
			writeFileSync(path.join(dir, "big.tflite"), Buffer.alloc(256 * 1024 + 1, 7));
			r = run("pack", path.join(dir, "out.bin"), dir);
			expect(r.status).toBe(1);
			expect(r.stderr.toString()).toMatch(
				/big\.tflite: file store full: the file is larger than a 256 KB store half/,
			);
			expect(existsSync(path.join(dir, "out.bin"))).toBe(false);
			// At the edge: in an empty half after its header and the file's create record (a name
			// of up to 32 bytes), one write record takes 256 KB - 4 words of data, and no byte more.
			const edge = 256 * 1024 - 4 * 32;
			writeFileSync(path.join(dir, "big.tflite"), Buffer.alloc(edge, 7));
			r = run("pack", path.join(dir, "out.bin"), dir);
			expect(r.status, r.stderr.toString()).toBe(0);
			expect(run("list", path.join(dir, "out.bin")).stdout.toString()).toMatch(
				new RegExp(`^${edge} big\\.tflite @0x[0-9A-F]{8}\nfree 0 of 262144`),
			);
			rmSync(path.join(dir, "out.bin"));
			writeFileSync(path.join(dir, "big.tflite"), Buffer.alloc(edge + 1, 7));
			r = run("pack", path.join(dir, "out.bin"), dir);
			expect(r.status).toBe(1);
			expect(r.stderr.toString()).toMatch(
				new RegExp(`big\\.tflite: file store full: ${edge + 1} bytes, ${edge} left in the 256 KB half`),
			);
			expect(existsSync(path.join(dir, "out.bin"))).toBe(false);
			// Files that each fit but not together: the error names the one that did not fit.
			rmSync(path.join(dir, "big.tflite"));
			writeFileSync(path.join(dir, "a.bin"), Buffer.alloc(150 * 1024, 1));
			writeFileSync(path.join(dir, "b.bin"), Buffer.alloc(150 * 1024, 2));
			r = run("pack", path.join(dir, "out.bin"), dir);
			expect(r.status).toBe(1);
			expect(r.stderr.toString()).toMatch(
				/b\.bin: file store full: 153600 bytes, \d+ left in the 256 KB half after the files before it/,
			);
			rmSync(path.join(dir, "b.bin"));
			writeFileSync(path.join(dir, "big.tflite"), Buffer.alloc(1, 0));
			r = run("cat", store, "missing.bin");
			expect(r.status).toBe(1);
			expect(r.stderr.toString()).toMatch(/missing\.bin: no such file/);
			r = run("list", path.join(dir, "big.tflite"));
			expect(r.stderr.toString()).toMatch(/not a 524288-byte store image/);
			expect(run().status).toBe(64);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

// ---- the same unit tests compiled for the Cortex-M7 and run under QEMU (mps2-an500)
const haveArm = spawnSync("arm-none-eabi-gcc", ["--version"]).status === 0;
const haveQemu = spawnSync("qemu-system-arm", ["--version"]).status === 0;
describe.skipIf(!haveArm || !haveQemu)(
	"stm32h743 unit tests on a Cortex-M7 under QEMU (skipped without arm-none-eabi-gcc and qemu-system-arm)",
	() => {
		const built = haveArm && haveQemu ? make("h7-qemu-tests") : undefined;
		test("make h7-qemu-tests builds", () => {
			if (built?.status !== 0) throw new Error(`${built?.stdout}\n${built?.stderr}`);
		});
		if (built?.status !== 0) return;
		const dir = path.join(repoRoot, "build/h7/qemu");
		for (const name of readdirSync(dir)
			.filter((n) => n.endsWith(".elf"))
			.sort()) {
			const args = [
				"-M",
				"mps2-an500",
				"-nographic",
				"-semihosting-config",
				"enable=on,target=native",
				"-kernel",
				path.join(dir, name),
			];
			tapCases(
				`m7/${name}`,
				spawnSync("qemu-system-arm", args, { cwd: repoRoot, encoding: "utf8", timeout: 120_000 }),
			);
		}
	},
);

// ---- the linked image (needs the Arm toolchain)
const banks = {
	FLASH: [0x08000000, 1536 * 1024],
	DTCM: [0x20000000, 128 * 1024],
	AXI_SRAM: [0x24000000, 512 * 1024],
	SRAM12: [0x30000000, 256 * 1024],
	BKPSRAM: [0x38800000, 4 * 1024],
} as const;
const sectionBank: Record<string, keyof typeof banks> = {
	".isr_vector": "FLASH",
	".text": "FLASH",
	".stack": "DTCM",
	".data": "DTCM",
	".bss": "DTCM",
	".axi_sram": "AXI_SRAM",
	".dma_buffer": "SRAM12",
	".retained": "BKPSRAM",
};
const inBank = (bank: keyof typeof banks, addr: number, size = 0) =>
	addr >= banks[bank][0] && addr + size <= banks[bank][0] + banks[bank][1];

/** An image's section headers and symbols, from arm-none-eabi-objdump -h -t. */
function readImage(image: string) {
	const objdump = spawnSync("arm-none-eabi-objdump", ["-h", "-t", image], { encoding: "utf8" }).stdout ?? "";
	// Section headers: "  3 .stack  00008000  20000000  20000000 ..."
	const sections = new Map<string, { size: number; vma: number }>();
	for (const m of objdump.matchAll(/^\s*\d+\s+(\.\S+)\s+([0-9a-f]{8})\s+([0-9a-f]{8})/gm))
		sections.set(m[1]!, { size: parseInt(m[2]!, 16), vma: parseInt(m[3]!, 16) });
	// Symbol table: "30000000 l     O .dma_buffer	00012c00 frame"
	const symbols: { addr: number; section: string; size: number; name: string }[] = [];
	for (const m of objdump.matchAll(/^([0-9a-f]{8}) [ lgw!]\s*\S*\s+(\.\S+)\s+([0-9a-f]{8}) (\S+)$/gm))
		symbols.push({ addr: parseInt(m[1]!, 16), section: m[2]!, size: parseInt(m[3]!, 16), name: m[4]! });
	const abs = (name: string) => {
		const m = new RegExp(`^([0-9a-f]{8}) .*\\*ABS\\*\\s+[0-9a-f]{8} ${name}$`, "m").exec(objdump);
		return m ? parseInt(m[1]!, 16) : undefined;
	};
	return { objdump, sections, symbols, abs };
}

/** The placement rules every linked H743 image keeps; `names` are symbols the image must place. */
function placementRules(image: string, names: { dma: string[]; retained: string[]; axi: string[] }) {
	const { sections, symbols, abs } = readImage(image);

	test("every output section lies inside its memory bank", () => {
		for (const [name, bank] of Object.entries(sectionBank)) {
			const s = sections.get(name);
			if (!s) continue; // an empty section may be dropped
			expect(inBank(bank, s.vma, s.size), `${name} at 0x${s.vma.toString(16)} + ${s.size} in ${bank}`).toBe(true);
		}
		expect(sections.get(".isr_vector")?.vma).toBe(0x08000000);
	});

	test("static RAM per bank stays within the bank", () => {
		const used = new Map<string, number>();
		for (const [name, s] of sections) {
			const bank = (Object.keys(banks) as (keyof typeof banks)[]).find((b) => b !== "FLASH" && inBank(b, s.vma));
			if (bank) used.set(bank, (used.get(bank) ?? 0) + s.size);
			else if (name !== ".ARM.exidx" && s.vma !== 0 && !inBank("FLASH", s.vma))
				throw new Error(`${name} at 0x${s.vma.toString(16)} is in no bank`);
		}
		for (const [bank, size] of used) expect(size, bank).toBeLessThanOrEqual(banks[bank as keyof typeof banks][1]);
	});

	test("the file store's flash is bank 2 sectors 4-7 (two 256 KB halves), the size h7fs-image packs", () => {
		expect(abs("__fstore_start")).toBe(0x08180000);
		expect(abs("__fstore_size")).toBe(512 * 1024);
		expect(abs("__fstore_start")! + abs("__fstore_size")!).toBe(0x08200000); // the end of bank 2
		const text = sections.get(".text")!;
		expect(text.vma + text.size).toBeLessThanOrEqual(0x08180000);
	});

	test("text stays within 1.5 MB of flash", () => {
		const text =
			(sections.get(".isr_vector")?.size ?? 0) +
			(sections.get(".text")?.size ?? 0) +
			(sections.get(".data")?.size ?? 0);
		expect(text).toBeLessThanOrEqual(1.5 * 1024 * 1024);
	});

	test("DMA buffers are in SRAM1-2, never in DTCM", () => {
		const dma = symbols.filter((s) => s.section === ".dma_buffer");
		for (const name of names.dma) expect(dma.map((s) => s.name)).toContain(name);
		for (const s of dma) {
			expect(inBank("SRAM12", s.addr, s.size), s.name).toBe(true);
			expect(inBank("DTCM", s.addr), s.name).toBe(false);
		}
	});

	test("retained state is in backup SRAM, the stack in DTCM, the store's scratch in AXI SRAM", () => {
		const retained = symbols.filter((s) => s.section === ".retained");
		for (const name of names.retained) expect(retained.map((s) => s.name)).toContain(name);
		for (const s of retained) expect(inBank("BKPSRAM", s.addr, s.size), s.name).toBe(true);
		const top = symbols.find((s) => s.name === "__stack_top");
		expect(top && top.addr > banks.DTCM[0] && top.addr <= banks.DTCM[0] + banks.DTCM[1]).toBe(true);
		const limit = symbols.find((s) => s.name === "__stack_limit");
		expect(limit && inBank("DTCM", limit.addr)).toBe(true);
		for (const name of names.axi) {
			const s = symbols.find((x) => x.name === name);
			expect(s && inBank("AXI_SRAM", s.addr, s.size), name).toBe(true);
		}
	});
	return { sections, symbols };
}

describe.skipIf(!haveArm)("stm32h743 bring-up image placement (skipped without arm-none-eabi-gcc)", () => {
	const image = path.join(repoRoot, "build/h7/bringup.elf");
	const build = haveArm ? make("h7") : undefined;

	test("make h7 builds the library and the bring-up image", () => {
		if (build?.status !== 0) throw new Error(`${build?.stdout}\n${build?.stderr}`);
		for (const ext of [".elf", ".bin", ".hex", ".map"]) expect(existsSync(image.replace(/\.elf$/, ext))).toBe(true);
	});
	if (haveArm) placementRules(image, { dma: ["frame"], retained: ["retained_area"], axi: ["store_scratch"] });
});

// ---- the firmware: XS, the port, every native library and binding, the app's modules as
// bytecode and the board layer (make h7-fw)
describe.skipIf(!haveArm)("stm32h743 firmware fw.elf (skipped without arm-none-eabi-gcc)", () => {
	const image = path.join(repoRoot, "build/h7/fw.elf");
	const build = haveArm ? make("h7-fw") : undefined;

	test("make h7-fw builds fw.elf, fw.bin, fw.hex and fw.map", () => {
		if (build?.status !== 0) throw new Error(`${build?.stdout}\n${build?.stderr}`);
		for (const ext of [".elf", ".bin", ".hex", ".map"]) expect(existsSync(image.replace(/\.elf$/, ext))).toBe(true);
	});

	test("its build-time XS compiler rebuilds when an XS header or its own changes (make -n -W)", () => {
		const xsc = "build/h7/xsight-xsc";
		expect(makeWouldWrite(xsc)).toEqual([]);
		expect(makeWouldWrite(xsc, "boards/common/module_file.h")).toEqual([
			"build/h7/hostobj/xsc.o",
			"build/h7/hostobj/module_file.o",
			xsc,
		]);
		expect(makeWouldWrite(xsc, "node_modules/@agoric/xsnap/moddable/xs/sources/xsAll.h")).toEqual(
			expect.arrayContaining(["build/host/obj/xs/xsAPI.o", "build/h7/hostobj/xsc.o", xsc]),
		);
	});
	if (!haveArm || build?.status !== 0) return;

	const size = spawnSync("arm-none-eabi-size", [image], { encoding: "utf8" });
	const [text, data, bss] = (/^\s*(\d+)\s+(\d+)\s+(\d+)/m.exec(size.stdout) ?? []).slice(1).map(Number);
	const { sections, symbols } = placementRules(image, {
		dma: ["gDmaFrame"],
		retained: ["gAppRetained", "gBootArea"],
		axi: ["store_scratch"],
	});

	test("arm-none-eabi-size: text within 1.5 MB of the 2 MB flash (sizes per bank printed)", () => {
		expect(size.status).toBe(0);
		expect(text).toBeGreaterThan(0);
		expect(text! + data!).toBeLessThanOrEqual(1.5 * 1024 * 1024);
		const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
		const per = (...names: string[]) => names.reduce((sum, n) => sum + (sections.get(n)?.size ?? 0), 0);
		const heap =
			(symbols.find((s) => s.name === "__heap_end")?.addr ?? 0) -
			(symbols.find((s) => s.name === "__heap_start")?.addr ?? 0);
		console.log(
			[
				`fw.elf: text ${text} data ${data} bss ${bss} (arm-none-eabi-size)`,
				`  FLASH     ${kb(text! + data!)} of 1536 KB (code + rodata + .data image; the store has the last 512 KB)`,
				`  DTCM      ${kb(per(".stack", ".data", ".bss"))} of 128 KB (stack ${kb(per(".stack"))}, data ${kb(per(".data"))}, bss ${kb(per(".bss"))})`,
				`  AXI SRAM  ${kb(per(".axi_sram"))} static of 512 KB; malloc heap (XS, NN arena, frames) ${kb(heap)}`,
				`  SRAM1-2   ${kb(per(".dma_buffer"))} of 256 KB (DCMI DMA frame)`,
				`  BKPSRAM   ${kb(per(".retained"))} of 4 KB (retained)`,
			].join("\n"),
		);
	});

	test("no JavaScript parser: fxParseScript is the refusing one, XS's compiler is dropped", () => {
		const map = readFileSync(image.replace(/\.elf$/, ".map"), "utf8");
		expect(map).toMatch(/\.text\.fxParseScript\s+0x[0-9a-f]+\s+0x[0-9a-f]+ \S*noparse\.o/);
		expect(symbols.some((s) => s.name === "fxParserCreate" || s.name === "fxParserTree")).toBe(false);
		// Every native library's binding and the board's own module are linked in.
		for (const name of [
			"xs_nn_plan_invoke",
			"xs_vision_haar_scan",
			"xs_camera_capture",
			"xs_power_sleep",
			"xs_file_write",
			"xs_resource",
			"xs_timer_register",
			"xs_board_config",
			"xs_bytes_crc32",
		])
			expect(
				symbols.some((s) => s.name === name),
				name,
			).toBe(true);
		expect(symbols.some((s) => s.name === "boardModules")).toBe(true);
	});

	test("the malloc heap (XS heap, NN arena) is the AXI SRAM left over, at least 384 KB", () => {
		const start = symbols.find((s) => s.name === "__heap_start");
		const end = symbols.find((s) => s.name === "__heap_end");
		expect(start && inBank("AXI_SRAM", start.addr)).toBe(true);
		expect(end?.addr).toBe(banks.AXI_SRAM[0] + banks.AXI_SRAM[1]);
		expect(end!.addr - start!.addr).toBeGreaterThanOrEqual(384 * 1024);
	});
});
