// Temporary folders of the CLI and its runs: each is removed when its work
// ends, and whatever is left when the process ends, however it ends: normally,
// on an error, on SIGINT, SIGTERM or SIGHUP, or when its parent goes (the
// simulator, a child, ends with its parent by itself: host-sim/board.c).
// Nothing runs on a SIGKILL, so a folder carries its process's id and the next
// one made removes those whose process is gone.
// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const live = new Set<string>();
/** xsight-NAME-PID-XXXXXX, as makeTemp names them (mkdtemp's six characters). */
const OURS = /^xsight-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;
let started = false;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: someone else's process, alive.
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

function removeAll(): void {
	for (const dir of live) removeTemp(dir);
}

/** A new folder in the system's temporary folder, `xsight-NAME-PID-XXXXXX`. */
export function makeTemp(name: string): string {
	if (!started) {
		started = true;
		process.on("exit", removeAll);
		for (const entry of readdirSync(tmpdir())) {
			const pid = Number(OURS.exec(entry)?.[1] ?? process.pid);
			if (pid !== process.pid && !alive(pid))
				rmSync(path.join(tmpdir(), entry), { recursive: true, force: true });
		}
	}
	const dir = mkdtempSync(path.join(tmpdir(), `xsight-${name}-${process.pid}-`));
	live.add(dir);
	return dir;
}

export function removeTemp(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
	live.delete(dir);
}

/**
 * For the CLI: on SIGINT, SIGTERM or SIGHUP, remove the folders and end as the
 * signal would have; the same as a SIGHUP when the parent goes (a wrapper such
 * as tsx or npm killed), which would otherwise leave this process running, and
 * the simulator with it.
 */
export function endCleanly(): void {
	const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
	const end = (signal: NodeJS.Signals) => {
		for (const other of signals) process.removeListener(other, end);
		removeAll();
		process.kill(process.pid, signal);
	};
	for (const signal of signals) process.on(signal, end);
	// process.ppid is read once, at start: whether that process still is, is the question.
	const parent = process.ppid;
	setInterval(() => alive(parent) || end("SIGHUP"), 500).unref();
}
