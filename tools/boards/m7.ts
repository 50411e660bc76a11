// The mps2-an500 board (QEMU's Cortex-M7): builds its firmware (make m7) and
// runs a module on it in qemu-system-arm, with the host simulator's options
// passed over semihosting, the console on stdout/stderr and QEMU's exit
// status the firmware's (semihosting SYS_EXIT_EXTENDED).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../build/build";
import { creationFor, readManifest, type Manifest } from "../build/manifest";
import { type BoardRun, creationArgs, EXIT_TIMEOUT, runBoardProcess, type RunOptions, type RunResult } from "./host";
import { makeTemp, removeTemp } from "../support/temp";

export const m7Board = "mps2-an500";
/** The manifest platform whose creation sizes fw-h743.elf runs. */
export const h743Platform = "stm32h743";
/** Firmware status for a processor fault (HardFault, BusFault, ...): see boards/mps2-an500/startup.c. */
export const M7_EXIT_FAULT = 3;
/** A CMSDK timer tick at 25 MHz is 40 guest instructions under `-icount shift=0`. */
export const INSTRUCTIONS_PER_TICK = 40;

export interface FirmwareBuild {
	/** Modules compiled to XS bytecode at build time. */
	elf: string;
	/** The same modules as JavaScript text, parsed on the device. */
	parseElf: string;
	/** fw.elf's objects in the STM32H743's RAM budget (boards/mps2-an500/link-h743.ld). */
	h743Elf: string;
	manifest: Manifest;
}

export function firmwarePaths(manifest = readManifest(path.join(repoRoot, "manifest.json"))): FirmwareBuild {
	const out = path.join(repoRoot, "build", m7Board);
	return {
		elf: path.join(out, "fw.elf"),
		parseElf: path.join(out, "fw-parse.elf"),
		h743Elf: path.join(out, "fw-h743.elf"),
		manifest,
	};
}

/** Which of the tools the board needs are missing from PATH. */
export function missingM7Tools(): string[] {
	return ["arm-none-eabi-gcc", "qemu-system-arm"].filter(
		(tool) => spawnSync(tool, ["--version"], { stdio: "ignore" }).error !== undefined,
	);
}

/**
 * Build the firmware (incremental). `parse` also builds the parse-on-device
 * variant, `nativeTests` native/nn's C tests for the board (build/mps2-an500/tests).
 */
export function buildM7(options: { quiet?: boolean; parse?: boolean; nativeTests?: boolean } = {}): FirmwareBuild {
	const missing = missingM7Tools();
	if (missing.length)
		throw new Error(
			`the ${m7Board} board needs ${missing.join(" and ")} (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)`,
		);
	if (!options.quiet)
		process.stderr.write(
			`xsight: building the ${m7Board} firmware (XS, port, native libraries, board, modules as bytecode)\n`,
		);
	const targets = [
		"m7",
		"m7-h743",
		...(options.parse ? ["m7-parse"] : []),
		...(options.nativeTests ? ["m7-native-tests"] : []),
	];
	const result = spawnSync("make", ["-s", "-j2", ...targets], {
		cwd: repoRoot,
		stdio: ["ignore", options.quiet ? "pipe" : "inherit", "inherit"],
		encoding: "utf8",
	});
	if (result.error) throw new Error(`make ${targets.join(" ")}: ${result.error.message}`);
	if (result.status !== 0) {
		if (options.quiet && result.stdout) process.stderr.write(result.stdout);
		throw new Error(`make ${targets.join(" ")} failed (exit ${result.status})`);
	}
	return firmwarePaths();
}

/** fw-h743.elf's malloc heap, the STM32H743's (link-h743.ld): the cap every run of it has, bytes. */
export function h743HeapCap(build: FirmwareBuild): number {
	const nm = spawnSync("arm-none-eabi-nm", [build.h743Elf], { encoding: "utf8" });
	const at = (name: string) => {
		const line = nm.stdout.split("\n").find((l) => l.endsWith(` ${name}`));
		if (!line) throw new Error(`${build.h743Elf}: no ${name} (make m7-h743)`);
		return parseInt(line, 16);
	};
	return at("__heap_end") - at("__heap_start");
}

/** Run a bare C program (a native library's test) on the board: its console output and exit status. */
export function runProgramOnM7(elf: string, timeoutMs = 120_000): { status: number; stdout: string; stderr: string } {
	const result = spawnSync(
		"qemu-system-arm",
		[
			"-M",
			m7Board,
			"-nographic",
			"-monitor",
			"none",
			"-serial",
			"none",
			"-semihosting-config",
			"enable=on,target=native",
			"-kernel",
			elf,
		],
		{ cwd: repoRoot, encoding: "utf8", timeout: timeoutMs },
	);
	if (result.error && !result.signal) throw new Error(`cannot start qemu-system-arm: ${result.error.message}`);
	return {
		status: result.signal ? EXIT_TIMEOUT : (result.status ?? 128),
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

export interface M7RunOptions extends RunOptions {
	/** Run this ELF instead of the bytecode firmware. */
	elf?: string;
	/** Run fw-h743.elf with the stm32h743 platform's creation sizes: the H743's heap, stack and banks. */
	h743?: boolean;
	/** `-icount shift=0`: one guest instruction per virtual ns, so timer ticks count instructions. */
	icount?: boolean;
	/** The camera's frames: a folder of binary PGM files (see framesFolder). */
	frames?: string;
	/** UART0's QEMU backend (default none): "pty" makes it a pseudo-terminal, named on stderr, for the console protocol. */
	serial?: "none" | "pty";
}

/**
 * The board's camera reads `<DIR>/frames.list` over semihosting, which
 * cannot list a folder (boards/mps2-an500/camera.c). A folder that has its
 * own frames.list is used as it is; for any other, a frames.list naming its
 * *.pgm files by absolute path, in name order as the host simulator's camera
 * takes them, is written in `temp`, and that folder is the board's.
 */
export function framesFolder(dir: string, temp: string): string {
	const folder = path.resolve(dir);
	if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--frames ${dir}: no such folder`);
	if (existsSync(path.join(folder, "frames.list"))) return folder;
	const names = readdirSync(folder)
		.filter((name) => name.length > 4 && name.endsWith(".pgm"))
		.sort();
	if (names.length === 0) throw new Error(`--frames ${dir}: no .pgm frames (and no frames.list)`);
	const out = path.join(temp, "frames");
	mkdirSync(out);
	writeFileSync(path.join(out, "frames.list"), names.map((name) => `${path.join(folder, name)}\n`).join(""));
	return out;
}

/** QEMU's option syntax: a comma inside a value is written twice. */
function semihostArg(value: string): string {
	if (/\s/.test(value)) throw new Error(`${value}: the ${m7Board} command line cannot carry spaces`);
	return `arg=${value.replaceAll(",", ",,")}`;
}

/** What the firmware's --stats line adds to the host's: the C heap and timer ticks. */
export interface M7Stats {
	/** Highest break of newlib's heap: every malloc, the XS heaps included. */
	mallocPeak: number;
	/** Bytes of the 128 KB main stack ever used (painted at reset). */
	stackPeak: number;
	/** Timer ticks from reset to the end of the run, and to the first console output. */
	ticks: number;
	firstOutputTicks: number;
}

/** With `stats`: one per sleep the firmware entered, its boot and timer ticks from that boot's main() (boards/mps2-an500/power.c). */
export interface M7Sleep {
	boot: number;
	/** power_board.h's power_mode: 0 Sleep, 1 Stop, 2 Standby. */
	mode: number;
	ticks: number;
	/** This boot's peaks up to the sleep, bytes: malloc's high-water mark (XS included), and XS's part (its chunk and slot blocks). */
	mallocPeak: number;
	xsHeap: number;
	/** The sleep after an XS abort (boards/mps2-an500/power.c boardPowerAbort): no xsHeap, but the board times it sleeps from and to, ms. */
	abort?: true;
	fromMs?: number;
	toMs?: number;
	/** power.mark()s since the last sleep (none on an abort's sleep): [phase, ticks at its end] (power_board.h). */
	marks?: [string, number][];
}

export type M7RunResult = RunResult & { m7?: M7Stats; sleeps?: M7Sleep[] };

export function runOnM7(build: FirmwareBuild, options: M7RunOptions): Promise<M7RunResult> {
	const creation = options.creation ?? creationFor(build.manifest, options.h743 ? h743Platform : m7Board);
	// The frames folder is checked before the temporary folder exists, so a bad --frames leaves nothing behind.
	const framesDir = options.frames !== undefined ? path.resolve(options.frames) : undefined;
	if (framesDir !== undefined && !statSync(framesDir, { throwIfNoEntry: false })?.isDirectory())
		throw new Error(`--frames ${options.frames}: no such folder`);
	const temp = makeTemp("m7");
	let frames: string | undefined;
	try {
		if (framesDir !== undefined) frames = framesFolder(framesDir, temp);
	} catch (error) {
		removeTemp(temp);
		throw error;
	}
	const configFile = path.join(temp, "config.json");
	writeFileSync(configFile, JSON.stringify(options.config ?? build.manifest.config));
	const firmwareArgs = [
		"fw",
		"--config",
		configFile,
		"--root",
		path.resolve(options.root),
		...creationArgs(creation),
		...(options.stats ? ["--stats"] : []),
		...(frames !== undefined ? ["--frames", frames] : []),
		// Board options: --state DIR and --until MS as on the host simulator;
		// --skip-sleep jumps the clock over sleeps instead of waiting in WFI.
		...(options.board ?? []),
		options.main ?? creation.main,
	];
	const args = [
		"-M",
		m7Board,
		"-nographic",
		"-monitor",
		"none",
		"-serial",
		options.serial ?? "none",
		...(options.icount ? ["-icount", "shift=0"] : []),
		"-semihosting-config",
		["enable=on", "target=native", ...firmwareArgs.map(semihostArg)].join(","),
		"-kernel",
		options.elf ?? (options.h743 ? build.h743Elf : build.elf),
	];
	return runBoardProcess("qemu-system-arm", args, options, ["xs-stats", "m7-sleep"], temp, `${m7Board}: `, "").then(
		m7Result,
	);
}

/** The firmware's run with its --stats lines read: the XS and C heap figures, and each sleep's. */
function m7Result(run: BoardRun): M7RunResult {
	const result: M7RunResult = { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
	const sleeps = run.lines["m7-sleep"]!.map((line) => JSON.parse(line) as M7Sleep);
	if (sleeps.length) result.sleeps = sleeps;
	const statsLine = run.lines["xs-stats"]![0];
	if (statsLine) {
		const stats = JSON.parse(statsLine) as NonNullable<RunResult["stats"]> & M7Stats;
		result.stats = stats;
		result.m7 = {
			mallocPeak: stats.mallocPeak,
			stackPeak: stats.stackPeak,
			ticks: stats.ticks,
			firstOutputTicks: stats.firstOutputTicks,
		};
	}
	return result;
}
