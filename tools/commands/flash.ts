// xsight flash: the STM32H743 firmware and its flash store image onto a board, with whichever
// programming tool is installed (st-flash, OpenOCD or dfu-util).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { buildH7, h7Board, h7Paths, type H7Firmware } from "../boards/h7";
import { makeTemp, removeTemp } from "../support/temp";
import { UsageError, type Command } from "./command";

/** Each tool, the package that installs it, and what it needs connected. */
const probes = {
	"st-flash": { install: "apt-get install stlink-tools", needs: "an ST-Link probe" },
	openocd: { install: "apt-get install openocd", needs: "an ST-Link probe" },
	"dfu-util": {
		install: "apt-get install dfu-util",
		needs: "the board in its DFU bootloader (BOOT0 high, then reset)",
	},
} as const;
type Probe = keyof typeof probes;

/** What goes where: the addresses are the linked firmware's own symbols, not copies of the linker script's. */
interface Image {
	name: string;
	file: string;
	address: number;
}

function installed(tool: string): boolean {
	return spawnSync(tool, ["--version"], { stdio: "ignore" }).error === undefined;
}

function hex(address: number): string {
	return `0x${address.toString(16).padStart(8, "0")}`;
}

/**
 * The firmware at its vector table (the start of fw.bin, as objcopy writes it from the lowest
 * address) and the store image at the file store's start (boards/stm32h743/include/h7_fstore.h,
 * which the linker script exports as __fstore_start), read from fw.elf.
 */
export function flashImages(firmware: H7Firmware): Image[] {
	const nm = spawnSync("arm-none-eabi-nm", [firmware.elf], { encoding: "utf8" });
	if (nm.error || nm.status !== 0)
		throw new Error(`${firmware.elf}: arm-none-eabi-nm cannot read it (${nm.error?.message ?? nm.stderr.trim()})`);
	const at = (symbol: string) => {
		const line = nm.stdout.split("\n").find((l) => l.endsWith(` ${symbol}`));
		if (!line) throw new Error(`${firmware.elf}: no symbol ${symbol} (make h7-fw)`);
		return parseInt(line, 16);
	};
	return [
		{ name: "store", file: firmware.store, address: at("__fstore_start") },
		{ name: "firmware", file: firmware.bin, address: at("h7_vectors") },
	];
}

/** The command lines that write (and verify) the images, store first: the firmware's reset starts the app with its files. */
export function flashCommands(probe: Probe, images: Image[], temp: string): string[][] {
	const [store, firmware] = images as [Image, Image];
	switch (probe) {
		case "st-flash":
			// st-flash reads back what it wrote ("Flash written and verified").
			return [
				["st-flash", "write", store.file, hex(store.address)],
				["st-flash", "--reset", "write", firmware.file, hex(firmware.address)],
			];
		case "openocd":
			return [
				[
					"openocd",
					"-f",
					"interface/stlink.cfg",
					"-f",
					"target/stm32h7x.cfg",
					"-c",
					`program ${store.file} ${hex(store.address)} verify`,
					"-c",
					`program ${firmware.file} ${hex(firmware.address)} verify reset exit`,
				],
			];
		case "dfu-util":
			// dfu-util does not verify: each image is read back (-U) and compared, then the last leaves DFU.
			return [
				...images.map((image) => ["dfu-util", "-a", "0", "-s", hex(image.address), "-D", image.file]),
				...images.map((image, i) => [
					"dfu-util",
					"-a",
					"0",
					"-s",
					`${hex(image.address)}:${statSync(image.file).size}${i === images.length - 1 ? ":leave" : ""}`,
					"-U",
					readBackFile(temp, image),
				]),
			];
	}
}

function readBackFile(temp: string, image: Image): string {
	return path.join(temp, `${image.name}.read.bin`);
}

/** A shell-ready line, for --dry-run and errors. */
function shellLine(command: string[]): string {
	return command.map((arg) => (/^[\w./:=+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(" ");
}

export const flash: Command = {
	summary: "write the STM32H743 firmware and flash store image to a board",
	usage: `usage: xsight flash --board ${h7Board} [--probe st-flash|openocd|dfu-util] [--dry-run] [--no-build]
Builds the firmware and the flash store image if needed (xsight build --board
${h7Board}), then writes the store image and the firmware at the addresses the
linked fw.elf gives (__fstore_start, the vector table), verifies them and resets
the board.
  --board NAME        ${h7Board} (the only board that is flashed)
  --probe TOOL        st-flash (stlink-tools), openocd or dfu-util; default the
                      first of them installed
  --dry-run           print the commands instead of running them
  --no-build          flash build/h7 as it is (the same images to board after board)
  -h, --help          this text`,
	options: {
		board: { type: "string" },
		probe: { type: "string" },
		"dry-run": { type: "boolean" },
		"no-build": { type: "boolean" },
	},
	async run(values) {
		const board = values["board"] as string | undefined;
		if (board === undefined) throw new UsageError(`--board is required (${h7Board})`);
		if (board !== h7Board) throw new UsageError(`--board ${board}: only ${h7Board} is flashed`);
		const named = values["probe"] as string | undefined;
		if (named !== undefined && !(named in probes))
			throw new UsageError(`--probe ${named}: expected ${Object.keys(probes).join(", ")}`);
		const dryRun = values["dry-run"] === true;
		let probe = named as Probe | undefined;
		if (probe !== undefined && !dryRun && !installed(probe))
			throw new Error(`--probe ${probe}: ${probe} is not installed (${probes[probe].install})`);
		probe ??= (Object.keys(probes) as Probe[]).find(installed);
		if (probe === undefined) {
			const all = Object.entries(probes).map(([tool, { install }]) => `${tool} (${install})`);
			throw new Error(`no flashing tool found: install one of ${all.join(", ")}`);
		}
		const firmware = values["no-build"] === true ? h7Paths() : await buildH7({ quiet: true });
		for (const file of [firmware.elf, firmware.bin, firmware.store])
			if (!existsSync(file)) throw new Error(`${file}: missing (xsight build --board ${h7Board})`);
		const images = flashImages(firmware);
		const temp = makeTemp("flash");
		try {
			const commands = flashCommands(probe, images, temp);
			if (dryRun) {
				for (const command of commands) process.stdout.write(`${shellLine(command)}\n`);
				return 0;
			}
			for (const command of commands) {
				process.stderr.write(`xsight: ${shellLine(command)}\n`);
				const result = spawnSync(command[0]!, command.slice(1), { encoding: "utf8", timeout: 300_000 });
				if (result.error || result.status !== 0) {
					const said = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n").at(-1) ?? "";
					const why = result.error?.message ?? (said || `exit ${result.status ?? result.signal}`);
					throw new Error(`${probe} failed (does it see ${probes[probe].needs}?): ${why}`);
				}
			}
			if (probe === "dfu-util")
				for (const image of images)
					if (!readFileSync(readBackFile(temp, image)).equals(readFileSync(image.file)))
						throw new Error(
							`dfu-util: ${image.name} at ${hex(image.address)} reads back different from ${image.file}`,
						);
			for (const image of images)
				process.stdout.write(
					`${image.name}: ${path.relative(process.cwd(), image.file)} (${statSync(image.file).size} bytes) written at ${hex(image.address)} with ${probe}, verified\n`,
				);
			return 0;
		} finally {
			removeTemp(temp);
		}
	},
};
