// xsight flash with stand-in programmers on PATH: shell scripts named st-flash, openocd and
// dfu-util that record their arguments (dfu-util keeps what it is given per address and gives it
// back, as a board's flash would), so what would reach a board is checked without one.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildH7, h7Paths } from "../tools/boards/h7";
import { repoRoot } from "../tools/build/build";

const haveArm = spawnSync("arm-none-eabi-gcc", ["--version"], { stdio: "ignore" }).error === undefined;

/** A folder of stand-in tools; each appends its name and arguments, one per line, to calls.log. */
function standIns(scripts: Record<string, string>): { bin: string; calls: () => string[][] } {
	const bin = mkdtempSync(path.join(tmpdir(), "xsight-flash-test-"));
	const log = path.join(bin, "calls.log");
	for (const [name, body] of Object.entries(scripts)) {
		const file = path.join(bin, name);
		writeFileSync(
			file,
			`#!/bin/sh\nprintf '%s' "${name}" >> "${log}"\nfor a in "$@"; do printf '\\t%s' "$a" >> "${log}"; done\necho >> "${log}"\n${body}\n`,
		);
		chmodSync(file, 0o755);
	}
	const calls = () => {
		let text = "";
		try {
			text = readFileSync(log, "utf8");
		} catch {
			// nothing was called
		}
		return text
			.split("\n")
			.filter(Boolean)
			.map((line) => line.split("\t"))
			.filter((call) => call[1] !== "--version");
	};
	return { bin, calls };
}

function xsight(pathVar: string, ...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), "flash", ...args], {
		cwd: repoRoot,
		encoding: "utf8",
		env: { ...process.env, PATH: pathVar },
		timeout: 600_000,
	});
}

const fw = h7Paths();
const rel = (file: string) => path.relative(repoRoot, file);

describe.skipIf(!haveArm)("xsight flash (stand-in programmers; skipped without arm-none-eabi-gcc)", () => {
	// Built once here, as `xsight flash` builds (every run below flashes it with --no-build: a
	// build that is up to date still takes tens of seconds).
	beforeAll(() => buildH7({ quiet: true }), 900_000);

	test("st-flash: the store image at __fstore_start, then the firmware at its vector table with a reset", () => {
		const tools = standIns({ "st-flash": "exit 0" });
		const result = xsight(`${tools.bin}:${process.env["PATH"]}`, "--board", "stm32h743", "--no-build");
		expect(result.status, result.stderr).toBe(0);
		expect(tools.calls()).toEqual([
			["st-flash", "write", fw.store, "0x08180000"],
			["st-flash", "--reset", "write", fw.bin, "0x08000000"],
		]);
		expect(result.stdout).toContain(`store: ${rel(fw.store)} (`);
		expect(result.stdout).toMatch(
			/^firmware: build\/h7\/fw\.bin \(\d+ bytes\) written at 0x08000000 with st-flash, verified$/m,
		);
	});

	test("the first tool installed is used: openocd programs and verifies both images", () => {
		const tools = standIns({ openocd: "exit 0", "dfu-util": "exit 0" });
		const result = xsight(`${tools.bin}:${process.env["PATH"]}`, "--board", "stm32h743", "--no-build");
		expect(result.status, result.stderr).toBe(0);
		expect(tools.calls()).toEqual([
			[
				"openocd",
				"-f",
				"interface/stlink.cfg",
				"-f",
				"target/stm32h7x.cfg",
				"-c",
				`program ${fw.store} 0x08180000 verify`,
				"-c",
				`program ${fw.bin} 0x08000000 verify reset exit`,
			],
		]);
	});

	test("dfu-util: both images downloaded, read back and compared; a difference is an error naming the image", () => {
		// The stand-in keeps each download in its folder by address and uploads it back.
		const board = (corrupt: boolean) => `
dir=$(dirname "$0"); addr=; down=; up=
while [ $# -gt 0 ]; do case "$1" in -s) addr=\${2%%:*}; shift;; -D) down=$2; shift;; -U) up=$2; shift;; esac; shift; done
if [ -n "$down" ]; then cp "$down" "$dir/flash-$addr"; fi
if [ -n "$up" ]; then cp "$dir/flash-$addr" "$up"; ${corrupt ? `[ "$addr" = 0x08000000 ] && printf x >> "$up"` : ":"}; fi
exit 0`;
		const good = standIns({ "dfu-util": board(false) });
		const result = xsight(
			`${good.bin}:${process.env["PATH"]}`,
			"--board",
			"stm32h743",
			"--probe",
			"dfu-util",
			"--no-build",
		);
		expect(result.status, result.stderr).toBe(0);
		const calls = good.calls();
		expect(calls.slice(0, 2)).toEqual([
			["dfu-util", "-a", "0", "-s", "0x08180000", "-D", fw.store],
			["dfu-util", "-a", "0", "-s", "0x08000000", "-D", fw.bin],
		]);
		const sizes = [fw.store, fw.bin].map((file) => readFileSync(file).length);
		expect(calls.slice(2).map((call) => call.slice(0, 5))).toEqual([
			["dfu-util", "-a", "0", "-s", `0x08180000:${sizes[0]}`],
			["dfu-util", "-a", "0", "-s", `0x08000000:${sizes[1]}:leave`],
		]);
		expect(result.stdout).toContain("with dfu-util, verified");

		const bad = standIns({ "dfu-util": board(true) });
		const failed = xsight(
			`${bad.bin}:${process.env["PATH"]}`,
			"--board",
			"stm32h743",
			"--probe",
			"dfu-util",
			"--no-build",
		);
		expect(failed.status).toBe(1);
		expect(failed.stderr.trim().split("\n").at(-1)).toBe(
			`xsight flash: dfu-util: firmware at 0x08000000 reads back different from ${fw.bin}`,
		);
		expect(failed.stdout).not.toContain("verified");
	});

	test("a programmer that finds no probe: one line with its reason, exit 1", () => {
		const tools = standIns({
			"st-flash": `[ "$1" = --version ] && exit 0\necho "Couldn't find any ST-Link devices" >&2; exit 255`,
		});
		const result = xsight(`${tools.bin}:${process.env["PATH"]}`, "--board", "stm32h743", "--no-build");
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split("\n").at(-1)).toBe(
			"xsight flash: st-flash failed (does it see an ST-Link probe?): Couldn't find any ST-Link devices",
		);
		// The firmware is not written after the store failed.
		expect(tools.calls()).toHaveLength(1);
	});

	test("--dry-run prints the commands and runs none, even for a tool not installed", () => {
		const tools = standIns({ "st-flash": "exit 0" });
		const result = xsight(
			`${tools.bin}:${process.env["PATH"]}`,
			"--board",
			"stm32h743",
			"--probe",
			"openocd",
			"--dry-run",
			"--no-build",
		);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toBe(
			`openocd -f interface/stlink.cfg -f target/stm32h7x.cfg -c 'program ${fw.store} 0x08180000 verify' -c 'program ${fw.bin} 0x08000000 verify reset exit'\n`,
		);
		expect(tools.calls()).toEqual([]);
	});
});

describe("xsight flash: what is missing, in one line", () => {
	// An empty PATH: no programmer is installed (xsight runs from node's own path).
	const empty = mkdtempSync(path.join(tmpdir(), "xsight-flash-empty-"));
	mkdirSync(path.join(empty, "bin"));

	test("no programmer at all: each tool with the package that installs it, exit 1", () => {
		const result = xsight(path.join(empty, "bin"), "--board", "stm32h743");
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(
			"xsight flash: no flashing tool found: install one of st-flash (apt-get install stlink-tools), openocd (apt-get install openocd), dfu-util (apt-get install dfu-util)\n",
		);
	});

	test("the named programmer is not installed: its package, exit 1", () => {
		const tools = standIns({ "st-flash": "exit 0" });
		const result = xsight(tools.bin, "--board", "stm32h743", "--probe", "dfu-util");
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(
			"xsight flash: --probe dfu-util: dfu-util is not installed (apt-get install dfu-util)\n",
		);
		expect(tools.calls()).toEqual([]);
	});

	test("a board other than stm32h743, or an unknown probe, is a usage error (64)", () => {
		expect(xsight(path.join(empty, "bin"), "--board", "mps2-an500").status).toBe(64);
		expect(xsight(path.join(empty, "bin")).stderr).toContain("--board is required");
		const probe = xsight(path.join(empty, "bin"), "--board", "stm32h743", "--probe", "jlink");
		expect(probe.status).toBe(64);
		expect(probe.stderr).toContain("--probe jlink: expected st-flash, openocd, dfu-util");
	});
});
