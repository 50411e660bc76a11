// The console protocol on the emulated Cortex-M7: the field app runs in QEMU's mps2-an500 with
// UART0 as a pseudo-terminal (`xsight run --serial pty`), and `xsight monitor` and `xsight log
// --port` read it as they would a board's USB serial port. What they print is checked against the
// board's own console (its `#wake` lines) and its results log read afterwards from its state folder.
// SPDX-License-Identifier: Apache-2.0
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { m7Board, missingM7Tools } from "../tools/boards/m7";
import { repoRoot } from "../tools/build/build";
import { ANSWER_LIMITS, ConsolePort } from "../tools/console/port";
import type { WakeRecord } from "../modules/field/record";
import { publicKeyOf } from "../modules/update/signature";
import { writeBundle } from "../tools/commands/bundle";
import { wakeLine } from "../tools/commands/sim";
import { resourcesCopy } from "./support/resources";

const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
const xsightArgs = (args: string[]) => [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args];

/** An xsight command run to its end without blocking the event loop (the board's output keeps flowing). */
function xsight(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, xsightArgs(args), { cwd: repoRoot });
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.on("close", (status) => resolve({ status, stdout, stderr }));
	});
}

const missing = missingM7Tools();

describe.skipIf(missing.length > 0)(
	`the console protocol on QEMU's mps2-an500${missing.length ? ` (skipped: no ${missing.join(", ")})` : ""}`,
	() => {
		const state = mkdtempSync(path.join(tmpdir(), "xsight-console-m7-"));
		// The key whose bundles the board installs (xsight update --port).
		const secretKey = randomBytes(32);
		let board: ChildProcess;
		let boardOut = "";
		let pty = "";
		let holder: number | undefined;
		/** The board's own record of each wake, from its console (semihosting), by boot. */
		const wakes = () =>
			new Map(
				boardOut
					.split("\n")
					.filter((line) => line.startsWith("#wake "))
					.map((line) => {
						const record = JSON.parse(line.slice(6)) as WakeRecord;
						return [record.boot, record] as const;
					}),
			);

		beforeAll(async () => {
			// Wakes back to back (--skip-sleep), two seconds apart on the board's clock; the test ends the run.
			board = spawn(
				process.execPath,
				xsightArgs([
					"run",
					"--board",
					"mps2-an500",
					"--serial",
					"pty",
					"--frames",
					"resources/frames",
					"--state",
					state,
					"--skip-sleep",
					"--config",
					"app.wakeEveryMs=2000",
					"--config",
					`update={"publicKey":"${Buffer.from(publicKeyOf(secretKey)).toString("hex")}"}`,
					// The device's store, which an update writes into: a copy, not resources/.
					"--root",
					await resourcesCopy(m7Board),
					"--until",
					"100000000",
					"--timeout",
					"600",
				]),
				{ cwd: repoRoot },
			);
			board.stderr?.on("data", (chunk: Buffer) => {
				boardOut += chunk.toString();
			});
			pty = await new Promise<string>((resolve, reject) => {
				board.stdout?.on("data", (chunk: Buffer) => {
					boardOut += chunk.toString();
					const found = /char device redirected to (\/dev\/pts\/\d+)/.exec(boardOut);
					if (found?.[1]) resolve(found[1]);
				});
				board.on("close", () => reject(new Error(`the board ended first:\n${boardOut}`)));
			});
			// The line stays open between the commands, as a USB serial port's does while the board is
			// plugged in: a pseudo-terminal that nobody holds is reset to an echoing, line-buffered
			// terminal at its last close (and QEMU stops reading it until it notices a new reader).
			holder = openSync(pty, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
			expect(spawnSync("stty", ["raw", "-echo"], { stdio: [holder, "ignore", "inherit"] }).status).toBe(0);
		}, 600_000);

		afterAll(() => {
			board?.kill("SIGTERM");
			if (holder !== undefined) closeSync(holder);
		});

		test("xsight monitor prints the board's wakes with xsight sim's columns, each the board's own record", async () => {
			const result = await xsight("monitor", "--port", pty, "--wakes", "3", "--timeout", "60");
			expect(result.status, result.stderr).toBe(0);
			const [header, ...lines] = result.stdout.trimEnd().split("\n");
			expect(header).toBe("  wake  time      reason    result                                    cost");
			expect(lines).toHaveLength(3);
			const byBoot = wakes();
			const boots = lines.map((line) => Number(/^\s+(\d+) /.exec(line)?.[1]));
			// In order; wakes the line dropped while nobody read it are reported, not shown.
			expect(boots[1]).toBeGreaterThan(boots[0]!);
			expect(boots[2]).toBeGreaterThan(boots[1]!);
			for (const [i, line] of lines.entries()) {
				const record = byBoot.get(boots[i]!);
				expect(record, `wake ${boots[i]} on the board's console`).toBeDefined();
				// The time column counts from the first boot, whose time the board's first record has.
				const first = byBoot.get(1)!.time;
				expect(line).toBe(wakeLine(boots[i]! - 1, undefined, record, undefined, record!.time - first));
				expect(line).toMatch(
					/^\s+\d+ {2}\d\d:\d\d:\d\d {2}(power-on|rtc)\s+(no face|\d faces?: .*)\s+awake \d+\.\d ms {2}\[0\d-\w+\.pgm\]$/,
				);
			}
		}, 120_000);

		test("xsight monitor --info: the board's firmware, model and cascade versions and its retained counters", async () => {
			const result = await xsight("monitor", "--port", pty, "--info", "--json", "--wait", "60");
			expect(result.status, result.stderr).toBe(0);
			const { versions, counters } = JSON.parse(result.stdout) as {
				versions: unknown;
				counters: { status: string; values: Record<string, unknown> };
			};
			const model = readFileSync(path.join(repoRoot, "resources/models/smile.tflite"));
			const cascade = readFileSync(path.join(repoRoot, "resources/cascades/frontalface.cascade"));
			const git = spawnSync("git", ["describe", "--always", "--dirty"], { cwd: repoRoot, encoding: "utf8" });
			const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
			expect(versions).toEqual({
				firmware: { version: pkg.version, commit: git.stdout.trim() },
				model: { path: "models/smile.tflite", bytes: model.length, crc32: crc32(model) },
				cascade: { path: "cascades/frontalface.cascade", bytes: cascade.length, crc32: crc32(cascade) },
			});
			expect(counters.status).toBe("ok");
			// The wake that answered had written its record and its counters first.
			const boots = counters.values["boots"] as number;
			expect(wakes().get(boots)?.boot).toBe(boots);
			const kept = [...wakes().values()].filter((wake) => wake.boot <= boots);
			expect(counters.values["faces"]).toBe(kept.reduce((n, wake) => n + wake.faces.length, 0));
		}, 120_000);

		test("a log position past the end: the board's refusal, in one line naming the port", async () => {
			const result = await xsight("log", "--port", pty, "--from", "1000000", "--wait", "60");
			expect(result.status).toBe(1);
			expect(result.stderr).toMatch(
				new RegExp(
					`^xsight log: ${pty}: the device refused "L": log: position 1000000 is past the end \\(the last record is \\d+\\)\n$`,
				),
			);
			expect(result.stdout).toBe("");
		}, 120_000);

		test("an upload out of order, or whose size or CRC-32 is not what the board received: refused, saying why; a chunk sent again is not", async () => {
			const port = ConsolePort.open(pty);
			const limits = { ...ANSWER_LIMITS, notice: () => {} };
			const part = (offset: number, bytes: number[]) => {
				const frame = new Uint8Array(4 + bytes.length);
				new DataView(frame.buffer).setUint32(0, offset, true);
				frame.set(bytes, 4);
				return frame;
			};
			try {
				await port.hello(60_000);
				await expect(port.request("U", part(8, [1, 2, 3]), limits)).rejects.toThrow(
					`${pty}: the device refused "U": update upload: offset 8, but the part holds 0 bytes`,
				);
				expect(await port.request("U", part(0, [1, 2, 3, 4]), limits)).toEqual({ next: 4 });
				expect(await port.request("U", part(4, [5]), limits)).toEqual({ next: 5 });
				// The same chunk again (its answer lost, the host asks again): answered as received, not written twice.
				expect(await port.request("U", part(4, [5]), limits)).toEqual({ next: 5 });
				await expect(port.request("I", { bytes: 5, crc32: 1 }, limits)).rejects.toThrow(
					`${pty}: the device refused "I": update upload: received 5 bytes, CRC-32 ${crc32(Uint8Array.of(1, 2, 3, 4, 5)).toString(16)}; the host sent 5, 1: send it again`,
				);
				// The part went with the refusal: nothing is left to install.
				await expect(port.request("I", { bytes: 5, crc32: 1 }, limits)).rejects.toThrow(
					`${pty}: the device refused "I": update upload: nothing received`,
				);
				await port.request("Q", undefined, limits);
			} finally {
				port.close();
			}
		}, 120_000);

		test("xsight update --port: the bundle into the board's inbox in frames; its next wake installs it, each step in its log", async () => {
			const bundle = path.join(mkdtempSync(path.join(tmpdir(), "xsight-console-m7-update-")), "u.xsb");
			writeFileSync(
				bundle,
				writeBundle(
					{ version: 3, files: [{ role: "config", name: "app.json", bytes: Buffer.from('{"maxFaces":2}') }] },
					secretKey,
				),
			);
			const sent = await xsight("update", "--port", pty, bundle, "--wait", "60");
			expect(sent.status, sent.stderr).toBe(0);
			expect(sent.stdout).toContain("in the board's inbox (/state/inbox-1.xsb)");
			expect(sent.stderr).toContain(
				`xsight update: ${readFileSync(bundle).length} of ${readFileSync(bundle).length} bytes`,
			);
			// The next wake installs it (the verification takes seconds under QEMU): its steps, read over the port.
			let steps: unknown[] = [];
			for (let tries = 0; tries < 10 && !steps.includes("switched"); tries++) {
				const log = await xsight("log", "--port", pty, "--json", "--wait", "60");
				expect(log.status, log.stderr).toBe(0);
				steps = log.stdout
					.trim()
					.split("\n")
					.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record)
					.filter((record) => "update" in record)
					.map((record) => record["update"]);
			}
			expect(steps).toEqual(["verified", "written", "checked", "switched"]);
		}, 600_000);

		test("xsight log --port lists the board's log as xsight log --state lists the same file", async () => {
			const pulled = await xsight("log", "--port", pty, "--wait", "60");
			expect(pulled.status, pulled.stderr).toBe(0);
			const lines = pulled.stdout.trimEnd().split("\n");
			expect(lines.length).toBeGreaterThanOrEqual(1);
			// Every wake the board logged so far, from the first.
			expect(lines.map((line) => Number(/^\s+(\d+) /.exec(line)?.[1]))).toEqual(lines.map((_, i) => i + 1));
			board.kill("SIGTERM");
			await new Promise((resolve) => board.on("close", resolve));
			const local = await xsight("log", "--state", state);
			expect(local.status, local.stderr).toBe(0);
			expect(local.stdout.split("\n").slice(0, lines.length)).toEqual(lines);
		}, 180_000);
	},
);

describe("xsight monitor and log --port: a port that is not there", () => {
	test("one line naming the port, exit 1", async () => {
		const log = await xsight("log", "--port", "/dev/xsight-no-such-port");
		expect(log.status).toBe(1);
		expect(log.stderr).toBe("xsight log: /dev/xsight-no-such-port: no such port\n");
		const monitor = await xsight("monitor", "--port", "/dev/null");
		expect(monitor.status).toBe(1);
		expect(monitor.stderr).toBe("xsight monitor: /dev/null: not a serial port or terminal\n");
		const usage = await xsight("log", "--port", "/dev/null", "--state", "x");
		expect(usage.status).toBe(64);
		// A file that is no bundle is refused before the port is opened.
		const notBundle = await xsight("update", "--port", "/dev/xsight-no-such-port", "package.json");
		expect(notBundle.status).toBe(1);
		expect(notBundle.stderr).toBe(
			"xsight update: package.json: not a bundle: it does not start with XSB1 (make one with xsight bundle)\n",
		);
	}, 60_000);
});
