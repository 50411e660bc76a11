// xsight build: the host board.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import { buildHost } from "../build/build";
import { buildH7, h7Board } from "../boards/h7";
import { buildM7, m7Board } from "../boards/m7";
import { UsageError, type Command } from "./command";

export const buildCommand: Command = {
	summary: "build a board: the host simulator (default), mps2-an500 or stm32h743 firmware",
	usage: `usage: xsight build [--board host|${m7Board}|${h7Board}]
Compiles the XS engine, the port, the native libraries and the board (make),
and the TypeScript modules (tsc), into build/host; with --board ${m7Board},
the Cortex-M7 firmware build/${m7Board}/fw.elf, its modules compiled to XS
bytecode at build time; with --board ${h7Board}, the STM32H743 firmware
build/h7/fw.elf (and fw.bin, fw.hex, fw.map) the same way, and
build/h7/store.bin, the flash store image (cascade, model and the model's plan,
made on ${m7Board} in QEMU: docs/model-plan.md) for 0x08180000.
  --board NAME        host (default), ${m7Board} or ${h7Board}
  -h, --help          this text`,
	options: { board: { type: "string" } },
	async run(values) {
		const board = (values["board"] as string | undefined) ?? "host";
		if (board === m7Board) {
			const firmware = buildM7();
			process.stderr.write(`xsight: built ${path.relative(process.cwd(), firmware.elf)}\n`);
			return 0;
		}
		if (board === h7Board) {
			const firmware = await buildH7();
			for (const file of [firmware.elf, firmware.bin, firmware.hex, firmware.store])
				process.stderr.write(`xsight: built ${path.relative(process.cwd(), file)}\n`);
			return 0;
		}
		if (board !== "host") throw new UsageError(`--board ${board}: expected host, ${m7Board} or ${h7Board}`);
		const build = await buildHost();
		process.stderr.write(`xsight: built ${path.relative(process.cwd(), build.program)}\n`);
		return 0;
	},
};
