// The xsight command line, run as a user runs it.
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { exitStatus } from "../tools/boards/host";
import { wakeLine } from "../tools/commands/sim";
import type { WakeRecord } from "../modules/field/record";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
	});
}

describe("xsight CLI", () => {
	test("--help lists the commands", () => {
		const result = xsight("--help");
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/^\s+sim\s+run the field app/m);
		expect(result.stdout).toMatch(/^\s+build\s+/m);
	});

	test("an unknown flag prints the usage and exits 64", () => {
		const result = xsight("sim", "--frobnicate");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain("--frobnicate");
		expect(result.stderr).toContain("usage: xsight sim");
	});

	test("an unknown command exits 64", () => {
		const result = xsight("teleport");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain('unknown command "teleport"');
	});

	test("sim runs the field app on the built-in frames: a line per wake and the summary", () => {
		const result = xsight("sim");
		expect(result.status, result.stderr).toBe(0);
		const wakes = result.stdout.split("\n").filter((line) => /^\s+\d+ {2}\d\d:\d\d:\d\d {2}/.test(line));
		expect(wakes).toHaveLength(
			readdirSync(path.join(repoRoot, "resources/frames")).filter((n) => n.endsWith(".pgm")).length,
		);
		expect(wakes[0]).toMatch(
			/power-on\s+1 face: (no )?smile \d\.\d\d\s+awake [\d.]+ ms, [\d.]+ mC\s+\[01-smile\.pgm\]/,
		);
		expect(result.stdout).toMatch(/^\d+ records: \d+ faces, \d+ smiles$/m);
		expect(result.stdout).toMatch(/^battery 1000 mAh 3\.7 V: [\d.]+ h = [\d.]+ days$/m);
	});

	// The record keeps a face the model did not score (modules/field/record.d.ts): the printers say so, not throw.
	test("a wake's line names a face without a smile score as unscored", () => {
		const record: WakeRecord = {
			boot: 3,
			time: 0,
			reason: "rtc",
			faces: [
				{ x: 1, y: 2, width: 30, height: 30 },
				{ x: 40, y: 2, width: 30, height: 30, smile: true, score: 0.912 },
			],
			awakeMs: 12.5,
		};
		expect(wakeLine(2, undefined, record, undefined, 61_000)).toBe(
			`    3  00:01:01  rtc       ${"2 faces: unscored, smile 0.91".padEnd(40)}  awake 12.5 ms`,
		);
	});

	test("mc/config comes from the manifest and --config overrides reach TypeScript", () => {
		const result = xsight(
			"sim",
			"--main",
			"test/xs/fixtures/print-config",
			"--config",
			"sample=other.pgm",
			"--config",
			"detect.scale=1.25",
			"--config",
			"name=cam-7",
		);
		expect(result.status, result.stderr).toBe(0);
		const line = /^config (.*)$/m.exec(result.stdout);
		expect(line).not.toBeNull();
		const manifest = JSON.parse(readFileSync(path.join(repoRoot, "manifest.json"), "utf8")) as {
			config: Record<string, unknown>;
		};
		expect(JSON.parse(line?.[1] ?? "")).toEqual({
			...manifest.config,
			sample: "other.pgm",
			detect: { scale: 1.25 },
			name: "cam-7",
		});
	});

	test("a missing --root folder is an error naming it", () => {
		const result = xsight("sim", "--root", "/no/such/folder");
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("--root /no/such/folder: no such folder");
	});

	test("a bad --config is a usage error naming it", () => {
		const result = xsight("sim", "--config", "novalue");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain("--config novalue: expected key=value");
	});

	test("an option's bad value exits 64 before anything runs", () => {
		const result = xsight("sim", "--hours", "abc");
		expect(result.status).toBe(64);
		expect(result.stderr).toBe(
			"xsight sim: --hours abc: expected a number of hours > 0, at most 87660 (ten years)\n",
		);
		expect(result.stdout).toBe("");
	});

	test("--hours beyond ten years is refused, not cut short by Node's timer into a summary of nothing", () => {
		const result = xsight("sim", "--hours", "1e9");
		expect(result.status).toBe(64);
		expect(result.stderr).toBe(
			"xsight sim: --hours 1e9: expected a number of hours > 0, at most 87660 (ten years)\n",
		);
		expect(result.stdout).toBe("");
	});

	test("a setting the field app refuses names the option that gave it, exits 64 and runs nothing", () => {
		let result = xsight("sim", "--config", "app.wakeEveryMs=-1");
		expect(result.status).toBe(64);
		expect(result.stderr).toMatch(
			/^xsight sim: --config app\.wakeEveryMs=-1: mc\/config app\.wakeEveryMs: expected an integer in 1000\.\.86400000, got -1$/m,
		);
		expect(result.stdout).toBe("");
		result = xsight("sim", "--config", 'app.detect={"scale":0.5}');
		expect(result.status).toBe(64);
		expect(result.stderr).toMatch(
			/^xsight sim: --config app\.detect=\{"scale":0\.5\}: mc\/config app\.detect\.scale: expected 1\.05\.\.4/m,
		);
		expect(result.stdout).toBe("");
		result = xsight("sim", "--wake-every", "500ms");
		expect(result.status).toBe(64);
		expect(result.stderr).toMatch(
			/^xsight sim: --wake-every 500ms: mc\/config app\.wakeEveryMs: expected an integer in 1000\.\.86400000, got 500$/m,
		);
		expect(result.stdout).toBe("");
	});

	test("a --report that cannot be written is refused before the run", () => {
		const result = xsight("sim", "--report", "/nonexistent/r.html");
		expect(result.status).toBe(1);
		expect(result.stderr).toBe("xsight sim: --report /nonexistent/r.html: no such folder /nonexistent\n");
		expect(result.stdout).toBe("");
	});

	test("a run stopped at its time limit exits 124 and says so", () => {
		const result = xsight("run", "--main", "test/xs/fixtures/spins", "--timeout", "1");
		expect(result.status).toBe(124);
		expect(result.stderr).toContain("xsight: stopped after the 1 s time limit");
	});

	test("a time limit longer than Node's longest timer (24.8 days) does not stop the run at once", () => {
		const result = xsight("run", "--main", "test/xs/fixtures/print-config", "--timeout", "3000000");
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^config \{/m);
	});

	test("a run killed by a signal exits 128 + its number, as a shell reports it", () => {
		const killed = spawnSync("sh", ["-c", "kill -TERM $$"]);
		expect(killed.signal).toBe("SIGTERM");
		expect(exitStatus(killed.status, killed.signal, false)).toBe(143);
		expect(exitStatus(null, "SIGKILL", false)).toBe(137);
		expect(exitStatus(0, null, false)).toBe(0);
	});

	test("an output folder that does not exist is refused before the work, not after it (train, quantize, cascade convert)", () => {
		// Without the check, training ran for minutes first: the time limit turns that into a failure here.
		const train = spawnSync(
			process.execPath,
			[
				path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"),
				path.join(repoRoot, "tools/xsight.ts"),
				"train",
				"mnist",
				"--out",
				"/nonexistent/lenet.tflite",
			],
			{ cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
		);
		expect(train.status).toBe(1);
		expect(train.stderr).toBe("xsight train: --out /nonexistent/lenet.tflite: no such folder /nonexistent\n");
		const quantize = xsight("quantize", "--checkpoint", "missing.float.json", "--out", "/nonexistent/lenet.tflite");
		expect(quantize.status).toBe(1);
		expect(quantize.stderr).toBe("xsight quantize: --out /nonexistent/lenet.tflite: no such folder /nonexistent\n");
		const convert = xsight("cascade", "convert", "test/fixtures/none.xml", "/nonexistent/x.cascade");
		expect(convert.status).toBe(1);
		expect(convert.stderr).toBe(
			"xsight cascade: OUT.cascade /nonexistent/x.cascade: no such folder /nonexistent\n",
		);
	});

	test("run: a --frames folder that does not exist is refused before the board boots", () => {
		const result = xsight("run", "--frames", "/nonexistent/frames");
		expect(result.status).toBe(1);
		expect(result.stderr).toBe("xsight run: --frames /nonexistent/frames: no such folder\n");
		expect(result.stdout).toBe("");
	});
});

/** A process's state letter and parent from /proc (Linux), undefined once it is reaped. */
function procStat(pid: number): { state: string; ppid: number; name: string } | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, "utf8");
		const close = text.lastIndexOf(")");
		const [state = "", ppid = "0"] = text.slice(close + 2).split(" ");
		return { state, ppid: Number(ppid), name: text.slice(text.indexOf("(") + 1, close) };
	} catch {
		return undefined;
	}
}

async function until(done: () => boolean, what: string): Promise<void> {
	for (let i = 0; !done(); i++) {
		if (i === 1200) throw new Error(`still waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const childOf = (parent: number, name: string) =>
	readdirSync("/proc")
		.map(Number)
		.find((pid) => procStat(pid)?.ppid === parent && procStat(pid)?.name === name);

describe.skipIf(!existsSync("/proc/self/stat"))("killing the CLI", () => {
	const cases = [
		{ signal: "SIGTERM", through: "node", main: "main" },
		{ signal: "SIGINT", through: "node", main: "main" },
		{ signal: "SIGKILL", through: "node", main: "main" },
		// Prints nothing after its first boot: no broken pipe ends it, only its parent's end does.
		{ signal: "SIGKILL", through: "node", main: "examples/duty" },
		// npm run sim: tsx's CLI runs xsight in a child node; killing the wrapper must end that too.
		{ signal: "SIGKILL", through: "tsx", main: "main" },
	] as const;
	for (const { signal, through, main } of cases)
		test(`${signal} to xsight sim --main ${main} (run by ${through}) ends its simulator, and its temporary folders are removed`, async () => {
			const state = mkdtempSync(path.join(tmpdir(), "xsight-cli-kill-"));
			const start =
				through === "tsx" ? [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs")] : ["--import", "tsx"];
			const front = spawn(
				process.execPath,
				[...start, "tools/xsight.ts", "sim", "--main", main, "--hours", "240", "--state", state],
				{ cwd: repoRoot, stdio: "ignore" },
			);
			let cli: number | undefined;
			let sim: number | undefined;
			const ended = (pid: number | undefined) =>
				pid === undefined || [undefined, "Z", "X"].includes(procStat(pid)?.state);
			try {
				await until(() => {
					cli = through === "tsx" ? childOf(front.pid as number, "node") : front.pid;
					sim = cli === undefined ? undefined : childOf(cli, "xsight-sim");
					return (
						sim !== undefined && existsSync(path.join(state, main === "main" ? "results.log" : "duty.log"))
					);
				}, "the simulator to log");
				const ours = () =>
					readdirSync(tmpdir()).filter((name) => name.startsWith("xsight-") && name.includes(`-${cli}-`));
				expect(ours().filter((name) => name.startsWith("xsight-sim-"))).toHaveLength(1);
				const exited = new Promise((resolve) => front.on("exit", (_code, by) => resolve(by)));
				front.kill(signal);
				expect(await exited).toBe(signal);
				// Gone, or a zombie its new parent has yet to reap: they run no more.
				await until(() => ended(cli) && ended(sim), "xsight and its simulator to end");
				if (signal === "SIGKILL" && through === "node") {
					// Nothing runs in a killed process: the next xsight run removes what it left.
					expect(ours().length).toBeGreaterThan(0);
					const log = xsight(
						"log",
						"--state",
						state,
						"--path",
						main === "main" ? "/state/results.log" : "/state/duty.log",
					);
					expect(log.status, log.stderr).toBe(0);
				}
				if (signal === "SIGKILL" && main === "main") {
					// A run on the killed run's state goes on from its clock: the log's times never go back.
					expect(xsight("sim", "--state", state, "--hours", String(2 / 60)).status).toBe(0);
					const log = xsight("log", "--state", state, "--json");
					const times = log.stdout
						.trim()
						.split("\n")
						.map((line) => (JSON.parse(line) as { time: number }).time);
					expect(times.length).toBeGreaterThan(2);
					times.forEach((time, i) => expect(time, `record ${i}`).toBeGreaterThanOrEqual(times[i - 1] ?? 0));
				}
				expect(ours()).toEqual([]);
			} finally {
				// A failure must not leave them running.
				for (const pid of [sim, cli]) if (!ended(pid)) process.kill(pid as number, "SIGKILL");
			}
		}, 180_000);
});

describe("stopping xsight train", () => {
	for (const signal of ["SIGTERM", "SIGINT"] as const)
		test(`${signal} stops it within a batch or so, says where, writes nothing and ends as the signal would`, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), "xsight-cli-train-"));
			// 625 steps an epoch, three epochs: the trainer that ran every epoch before a handler
			// could see the signal wrote its checkpoint first, and ended far past the first epoch.
			const train = spawn(
				process.execPath,
				[
					...["--import", "tsx", "tools/xsight.ts", "train", "mnist"],
					...["--limit", "20000", "--epochs", "3", "--out", path.join(dir, "lenet.tflite")],
				],
				{ cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"], timeout: 100_000, killSignal: "SIGKILL" },
			);
			let stderr = "";
			train.stderr.setEncoding("utf8").on("data", (text: string) => {
				stderr += text;
			});
			const ended = new Promise<number>((resolve) =>
				train.on("close", (code, by) => resolve(exitStatus(code, by, false))),
			);
			await until(() => /^epoch 1\/3 step \d+\/625 /m.test(stderr), "a progress line");
			const seen = Math.max(...[...stderr.matchAll(/^epoch 1\/3 step (\d+)\//gm)].map((m) => Number(m[1])));
			train.kill(signal);
			expect(await ended, stderr).toBe(signal === "SIGTERM" ? 143 : 130);
			const stopped = new RegExp(
				`^xsight train: ${signal}: stopped at epoch 1/3, step (\\d+)/625; nothing written$`,
			);
			const step = Number(stopped.exec(stderr.trimEnd().split("\n").at(-1) ?? "")?.[1]);
			expect(step, stderr).toBeGreaterThanOrEqual(seen);
			expect(readdirSync(dir)).toEqual([]);
		}, 120_000);
});
