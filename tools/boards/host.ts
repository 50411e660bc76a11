// Runs a module on the host simulator board: the XS engine in a child
// process, with the manifest's creation sizes and config.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import type { HostBuild } from "../build/build";
import type { Creation } from "../build/manifest";
import { makeTemp, removeTemp } from "../support/temp";

export interface RunOptions {
	/** Entry module (default: the manifest's creation.main). */
	main?: string;
	/** mc/config (default: the manifest's config). */
	config?: Record<string, unknown>;
	/** Data root of the "file" module. */
	root: string;
	/** Creation sizes (default: the manifest's). */
	creation?: Creation;
	/** Pass output through as it comes, as well as collecting it. */
	echo?: boolean;
	/** Report heap use (a #xs-stats line on stderr). */
	stats?: boolean;
	timeoutMs?: number;
	/** More simulator board options (power: --until, --state, --trace, --scenario, --cost...). */
	board?: string[];
}

export interface RunResult {
	status: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	stats?: {
		chunks: number;
		peakChunks: number;
		slots: number;
		peakSlots: number;
		slotSize: number;
		/** The host simulator's module imports and parses, all boots together (a module is parsed once a run until its file changes). */
		moduleLoads?: number;
		moduleParses?: number;
	};
}

/** A run stopped at its time limit exits 124, as under timeout(1). */
export const EXIT_TIMEOUT = 124;

/** Node's timers hold at most 2^31 - 1 ms (24.8 days): a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `stop` after `ms` (at most Node's longest timer, so a long limit does not end a run at once). */
function timeLimit(ms: number, stop: () => void): NodeJS.Timeout {
	return setTimeout(stop, Math.min(ms, MAX_TIMER_MS));
}

/** A child's exit status as a shell reports it: a signal that killed it is 128 + its number. */
export function exitStatus(status: number | null, signal: NodeJS.Signals | null, timedOut: boolean): number {
	if (timedOut) return EXIT_TIMEOUT;
	return status ?? 128 + (signal ? constants.signals[signal] : 0);
}

/** The message of the exception that ended an XS run ("RangeError: ..."), without its stack. */
export function xsException(stderr: string): string | undefined {
	return /^(?:uncaught exception|unhandled rejection): (.*)$/m.exec(stderr)?.[1];
}

/** The XS creation sizes as every board's command line takes them. */
export function creationArgs(creation: Creation): string[] {
	return [
		"--chunk",
		`${creation.chunk.initial},${creation.chunk.incremental}`,
		"--heap",
		`${creation.heap.initial},${creation.heap.incremental}`,
		"--stack",
		String(creation.stack),
		"--keys",
		`${creation.keys.initial},${creation.keys.incremental}`,
	];
}

/** What a board's process left: `stderr` without its machine-readable lines, `lines` those lines' JSON texts by tag. */
export interface BoardRun {
	status: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	lines: Record<string, string[]>;
}

/**
 * Runs a board's process (the simulator, QEMU): stdout and stderr collected, and with
 * options.echo passed through as they come (stderr by whole lines, so the lines tagged
 * `#<tag> ` for a tag in `tags` can be held back); stopped after options.timeoutMs (120 s
 * by default) with a line saying so (`name` prefixes it); `temp` removed when it ends.
 */
export function runBoardProcess(
	command: string,
	args: string[],
	options: Pick<RunOptions, "echo" | "timeoutMs">,
	tags: string[],
	temp: string,
	name: string,
	cannotStart: string,
): Promise<BoardRun> {
	const tagged = new RegExp(`^#(?:${tags.join("|")}) .*\n?`, "gm");
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
		let stdout = "";
		let stderr = "";
		const limit = options.timeoutMs ?? 120_000;
		let timedOut = false;
		// The time limit: a run that hangs (a wait that never ends, a fault loop) is stopped.
		const timer = timeLimit(limit, () => {
			timedOut = true;
			child.kill("SIGKILL");
		});
		child.stdout.setEncoding("utf8").on("data", (text: string) => {
			stdout += text;
			if (options.echo) process.stdout.write(text);
		});
		let echoed = 0;
		child.stderr.setEncoding("utf8").on("data", (text: string) => {
			stderr += text;
			if (!options.echo) return;
			const end = stderr.lastIndexOf("\n") + 1;
			if (end > echoed) {
				process.stderr.write(stderr.slice(echoed, end).replace(tagged, ""));
				echoed = end;
			}
		});
		child.on("error", (error) => {
			clearTimeout(timer);
			removeTemp(temp);
			reject(new Error(`cannot start ${command}: ${error.message}${cannotStart}`));
		});
		child.on("close", (status, signal) => {
			clearTimeout(timer);
			removeTemp(temp);
			if (timedOut) {
				const message = `xsight: ${name}stopped after the ${limit / 1000} s time limit\n`;
				stderr += message;
				if (options.echo) process.stderr.write(message);
			}
			const lines: Record<string, string[]> = {};
			for (const tag of tags)
				lines[tag] = [...stderr.matchAll(new RegExp(`^#${tag} (.*)$`, "gm"))].map((match) => match[1]!);
			resolve({
				status: exitStatus(status, signal, timedOut),
				signal,
				stdout,
				stderr: stderr.replace(tagged, ""),
				lines,
			});
		});
	});
}

/** The simulator's command line for a run; mc/config is written into `temp`. */
export function hostArgs(build: HostBuild, options: RunOptions, temp: string): string[] {
	const creation = options.creation ?? build.manifest.creation;
	const configFile = path.join(temp, "config.json");
	writeFileSync(configFile, JSON.stringify(options.config ?? build.manifest.config));
	return [
		...build.moduleDirs.flatMap((dir) => ["--modules", dir]),
		"--natives",
		build.nativeDir,
		"--config",
		configFile,
		"--root",
		options.root,
		...creationArgs(creation),
		...(options.stats ? ["--stats"] : []),
		...(options.board ?? []),
		options.main ?? creation.main,
	];
}

export function runOnHost(build: HostBuild, options: RunOptions): Promise<RunResult> {
	const temp = makeTemp("run");
	const args = hostArgs(build, options, temp);
	return runBoardProcess(build.program, args, options, ["xs-stats"], temp, "", " (run the build first)").then(
		(run) => {
			const stats = run.lines["xs-stats"]![0];
			return {
				status: run.status,
				signal: run.signal,
				stdout: run.stdout,
				stderr: run.stderr,
				...(stats ? { stats: JSON.parse(stats) as NonNullable<RunResult["stats"]> } : {}),
			};
		},
	);
}
