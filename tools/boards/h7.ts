// The STM32H743 board (boards/stm32h743): `make h7-fw` builds the flashable
// firmware build/h7/fw.{elf,bin,hex,map} (XS, port, native libraries and
// bindings, the app's modules as XS bytecode, the board layer), and
// `make h7-fsimage` the flash store image with the app's cascade and model
// (and, through buildH7, the model's plan).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../build/build";
import { prepareStore } from "../build/plan";

export const h7Board = "stm32h743";

export interface H7Firmware {
	elf: string;
	bin: string;
	hex: string;
	map: string;
	/** The store image for flash address 0x08180000 (models, cascades; boards/stm32h743/include/h7_fstore.h). */
	store: string;
}

export function h7Paths(): H7Firmware {
	const dir = path.join(repoRoot, "build/h7");
	return {
		elf: path.join(dir, "fw.elf"),
		bin: path.join(dir, "fw.bin"),
		hex: path.join(dir, "fw.hex"),
		map: path.join(dir, "fw.map"),
		store: path.join(dir, "store.bin"),
	};
}

/** `make` targets, quietly or not; throws with make's output when one fails. */
function make(targets: string[], quiet: boolean | undefined): void {
	const result = spawnSync("make", ["-s", "-j2", ...targets], {
		cwd: repoRoot,
		stdio: ["ignore", quiet ? "pipe" : "inherit", "inherit"],
		encoding: "utf8",
	});
	if (result.error) throw new Error(`make ${targets[0]}: ${result.error.message}`);
	if (result.status !== 0) {
		if (quiet && result.stdout) process.stderr.write(result.stdout);
		throw new Error(`make ${targets.filter((t) => !t.includes("=")).join(" ")} failed (exit ${result.status})`);
	}
}

/**
 * The firmware, and the store image with the app's cascade, its model and the
 * model's plan (docs/model-plan.md) for the Cortex-M7's kernels, so that the
 * device never compiles the model on a wake, not even the first.
 */
export async function buildH7(options: { quiet?: boolean } = {}): Promise<H7Firmware> {
	const gcc = spawnSync("arm-none-eabi-gcc", ["--version"], { encoding: "utf8" });
	if (gcc.error || gcc.status !== 0)
		throw new Error(
			`the ${h7Board} board needs arm-none-eabi-gcc (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)`,
		);
	if (!options.quiet)
		process.stderr.write(
			`xsight: building the ${h7Board} firmware (XS, port, native libraries, board, modules as bytecode) and its flash store image\n`,
		);
	make(["h7-fw"], options.quiet);
	const root = path.join(repoRoot, "build/h7/store-root");
	rmSync(root, { recursive: true, force: true });
	const paths = await prepareStore(root, h7Board);
	make(["h7-fsimage", `H7_FSIMAGE_ROOT=${root}`, `H7_FSIMAGE_PATHS=${paths.join(" ")}`], options.quiet);
	return h7Paths();
}
