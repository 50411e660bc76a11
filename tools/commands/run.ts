// xsight run: a module on a board — the host simulator or QEMU's mps2-an500.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build/build";
import { buildM7, m7Board, runOnM7 } from "../boards/m7";
import { overrideConfig, readManifest } from "../build/manifest";
import { runOnHost } from "../boards/host";
import { deviceStore } from "../power/scenario";
import { UsageError, type Command } from "./command";

export const run: Command = {
	summary: "build and run a module on a board (host or QEMU mps2-an500)",
	usage: `usage: xsight run [--board host|${m7Board}] [options]
Builds what is needed, then runs the app (manifest creation.main) or another
module on the board: "host" is the simulator on this computer; "${m7Board}"
boots the Cortex-M7 firmware in qemu-system-arm with semihosting, console on
stdout/stderr. Exit status: the firmware's (0, 1 uncaught exception, 2 XS
abort, 3 processor fault, 124 stopped by the time limit).
  --board NAME        host (default) or ${m7Board}
  --main MODULE       run another module instead of the manifest's main
  --root DIR          data root the "file" module reads (default: resources/)
  --config KEY=VALUE  override an mc/config value (repeatable; dotted keys, JSON values)
  --stats             print heap use when the module ends
  --icount            (${m7Board}) run under -icount shift=0: timer ticks count instructions
  --until MS          (${m7Board}) end the run at a sleep that would wake MS ms or more after
                      power-on; Standby resets the board until then (without it a Standby ends the run)
  --skip-sleep        (${m7Board}) sleeps jump the board's clock instead of waiting in WFI
  --h743              (${m7Board}) fw-h743.elf: the STM32H743's heap (the cap), stack, frame buffer
                      and flash-mapped resources, with manifest.json's stm32h743 creation sizes
  --frames DIR        the camera's frames (binary PGM); on ${m7Board} DIR's frames.list if it
                      has one, else its *.pgm in name order (semihosting cannot list a folder)
  --state DIR         the board's writable "/state/..." folder (the field app's results log; created)
  --update FILE       (${m7Board}) a field update's bundle (xsight bundle) for the update channel: put
                      in --state's inbox (inbox-1.xsb), it makes the first wake from Standby the
                      channel pin's (mc/config update.pin), which QEMU cannot raise, and the app
                      installs it into the device's store: a copy of --root in the state folder
                      (root/), which later runs with that --state use (xsight sim --scenario's update
                      event is the host simulator's way)
  --serial pty        (${m7Board}) UART0, the console protocol's line, as a pseudo-terminal, named
                      on stderr ("char device redirected to /dev/pts/N"): xsight monitor and log --port
  --timeout SECONDS   stop the board after this long (default 120)
  -h, --help          this text`,
	options: {
		board: { type: "string" },
		main: { type: "string" },
		root: { type: "string" },
		config: { type: "string", multiple: true },
		stats: { type: "boolean" },
		icount: { type: "boolean" },
		until: { type: "string" },
		"skip-sleep": { type: "boolean" },
		h743: { type: "boolean" },
		timeout: { type: "string" },
		frames: { type: "string" },
		state: { type: "string" },
		serial: { type: "string" },
		update: { type: "string" },
	},
	async run(values) {
		const board = (values["board"] as string | undefined) ?? "host";
		if (board !== "host" && board !== m7Board)
			throw new UsageError(`--board ${board}: expected host or ${m7Board}`);
		const givenRoot = path.resolve((values["root"] as string | undefined) ?? path.join(repoRoot, "resources"));
		if (!statSync(givenRoot, { throwIfNoEntry: false })?.isDirectory())
			throw new Error(`--root ${givenRoot}: no such folder`);
		const seconds = Number(values["timeout"] ?? 120);
		if (!(seconds > 0))
			throw new UsageError(`--timeout ${String(values["timeout"])}: expected a positive number of seconds`);
		const main = values["main"] as string | undefined;
		const overrides = (values["config"] as string[] | undefined) ?? [];
		const frames = values["frames"] as string | undefined;
		if (frames !== undefined && !statSync(frames, { throwIfNoEntry: false })?.isDirectory())
			throw new Error(`--frames ${frames}: no such folder`);
		const stateDir = values["state"] as string | undefined;
		if (stateDir !== undefined) mkdirSync(path.resolve(stateDir), { recursive: true });
		const update = values["update"] as string | undefined;
		if (update !== undefined) {
			if (board === "host")
				throw new UsageError(
					`--update: the ${m7Board} board's channel; on the host simulator a scenario's update event (xsight sim --scenario)`,
				);
			if (!statSync(update, { throwIfNoEntry: false })?.isFile())
				throw new Error(`--update ${update}: no such file`);
			if (stateDir === undefined)
				throw new UsageError("--update: needs --state DIR (the inbox is in the state folder)");
		}
		// Checked before anything is built or copied: the pin the board makes the bundle's wake.
		const pin =
			update === undefined
				? undefined
				: updatePin(overrideConfig(readManifest(path.join(repoRoot, "manifest.json")).config, overrides));
		const root =
			stateDir === undefined ? givenRoot : deviceStore(path.resolve(stateDir), givenRoot, update !== undefined);
		const stateArgs = stateDir !== undefined ? ["--state", path.resolve(stateDir)] : [];
		const common = {
			...(main ? { main } : {}),
			root,
			stats: values["stats"] === true,
			echo: true,
			timeoutMs: seconds * 1000,
		};
		if (board === "host") {
			if (values["h743"] === true)
				throw new UsageError(`--h743: a build of the ${m7Board} board (--board ${m7Board})`);
			if (values["serial"] !== undefined) throw new UsageError(`--serial: a QEMU option (--board ${m7Board})`);
			const build = await buildHost();
			const result = await runOnHost(build, {
				...common,
				config: overrideConfig(build.manifest.config, overrides),
				board: [...stateArgs, ...(frames !== undefined ? ["--frames", path.resolve(frames)] : [])],
			});
			if (result.stats)
				process.stderr.write(
					`xsight: peak XS heap ${result.stats.peakChunks + result.stats.peakSlots * result.stats.slotSize} bytes\n`,
				);
			return result.status;
		}
		const until = values["until"] as string | undefined;
		if (until !== undefined && !(Number(until) >= 0))
			throw new UsageError(`--until ${until}: expected milliseconds >= 0`);
		const serial = values["serial"] as string | undefined;
		if (serial !== undefined && serial !== "pty" && serial !== "none")
			throw new UsageError(`--serial ${serial}: expected pty or none`);
		const build = buildM7();
		const config = overrideConfig(build.manifest.config, overrides);
		const boardArgs = [
			...stateArgs,
			...(until !== undefined ? ["--until", String(Number(until))] : []),
			...(values["skip-sleep"] === true ? ["--skip-sleep"] : []),
			...(update !== undefined && stateDir !== undefined && pin !== undefined
				? inboxArgs(update, stateDir, pin)
				: []),
		];
		const result = await runOnM7(build, {
			...common,
			config,
			icount: values["icount"] === true,
			h743: values["h743"] === true,
			board: boardArgs,
			...(frames !== undefined ? { frames } : {}),
			...(serial !== undefined ? { serial } : {}),
		});
		for (const sleep of result.sleeps ?? [])
			process.stderr.write(
				`xsight: boot ${sleep.boot}, sleep (mode ${sleep.mode}): peak malloc ${sleep.mallocPeak} bytes, XS heap ${sleep.xsHeap} bytes, ${sleep.ticks} timer ticks\n`,
			);
		if (result.stats && result.m7)
			process.stderr.write(
				`xsight: peak XS heap ${result.stats.peakChunks + result.stats.peakSlots * result.stats.slotSize} bytes, peak malloc ${result.m7.mallocPeak} bytes, ${result.m7.ticks} timer ticks (25 MHz)\n`,
			);
		return result.status;
	},
};

/** The update channel's pin in mc/config, or a UsageError naming the setting. */
function updatePin(config: Record<string, unknown>): number {
	const pin = (config["update"] as { pin?: unknown } | undefined)?.pin;
	if (typeof pin !== "number" || !Number.isInteger(pin) || pin < 0 || pin > 5)
		throw new UsageError(
			`--update: mc/config update.pin is ${JSON.stringify(pin)}, expected the channel's wake pin 0..5 (--config 'update={"pin":N,"publicKey":"..."}')`,
		);
	return pin;
}

/** The board's arguments for `--update FILE`: the bundle put in the state folder's inbox, the channel's pin named. */
function inboxArgs(bundle: string, stateDir: string, pin: number): string[] {
	copyFileSync(bundle, path.join(path.resolve(stateDir), "inbox-1.xsb"));
	return ["--update-pin", String(pin)];
}
