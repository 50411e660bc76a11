// Duty cycles on the host simulator board: a day of wakes, pin interrupts,
// power loss while logging, the retained store, what Stop and Standby keep,
// energy accounting against a hand calculation, and bad input.
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, test } from "vitest";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { account, type EnergySummary } from "../tools/power/energy";
import {
	DEFAULT_PROFILE,
	mergeProfile,
	PROFILES,
	readProfile,
	selectProfile,
	SLEEP_STATES,
	stateCurrent,
} from "../tools/power/profile";
import { reportHtml, reportSvg } from "../tools/power/report";
import { parseDuration, parseScenario } from "../tools/power/scenario";
import { simulate } from "../tools/power/simulate";
import { hostArgs, runOnHost } from "../tools/boards/host";
import { resourcesRoot } from "./support/xs";

const build = hostBuildPaths();
const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `xsight-${name}-`));

/**
 * A reader of the results log written from its format description, independent of modules/resultlog.ts:
 * a record that fails a check is skipped up to the next one that passes them all with a later number.
 * `tail`: the bytes after the last intact record.
 */
function readLog(file: string): {
	records: { seq: number; time: number; text: string; start: number; end: number }[];
	tail: number;
} {
	const records: { seq: number; time: number; text: string; start: number; end: number }[] = [];
	if (!existsSync(file)) return { records, tail: 0 };
	const bytes = readFileSync(file);
	let end = 0;
	for (let offset = 0; offset + 24 <= bytes.length; offset++) {
		if (bytes.readUInt16LE(offset) !== 0x4c52 || bytes[offset + 3] !== 1 || (bytes[offset + 2] ?? 2) > 1) continue;
		const size = bytes.readUInt32LE(offset + 4);
		if (offset + 24 + size > bytes.length) continue;
		if (crc32(bytes.subarray(offset, offset + 20 + size)) >>> 0 !== bytes.readUInt32LE(offset + 20 + size))
			continue;
		const seq = bytes.readUInt32LE(offset + 8);
		if (seq <= (records[records.length - 1]?.seq ?? 0)) continue;
		end = offset + 24 + size;
		records.push({
			seq,
			time: bytes.readDoubleLE(offset + 12),
			text: bytes.subarray(offset + 20, end - 4).toString("utf8"),
			start: offset,
			end,
		});
		offset = end - 1;
	}
	return { records, tail: bytes.length - end };
}

/** Only the boot costs time: awake time is then exactly known. */
const bootOnly = mergeProfile(
	DEFAULT_PROFILE,
	{
		costUs: Object.fromEntries(
			Object.keys(DEFAULT_PROFILE.costUs).map((name) => [name, name === "boot" ? 40_000 : 0]),
		),
	},
	"test profile",
);

describe("a day at one wake a minute", async () => {
	const state = temp("day");
	const started = performance.now();
	const run = await simulate({
		build,
		hours: 24,
		profile: bootOnly,
		root: resourcesRoot,
		state,
		config: { ...build.manifest.config, power: { wakeEveryMs: 60_000 } },
		main: "examples/duty",
	});
	const seconds = (performance.now() - started) / 1000;
	console.log(`power: 1,440 boots simulated in ${seconds.toFixed(2)} s of real time`);
	const log = [...readLog(path.join(state, "duty.log.1")).records, ...readLog(path.join(state, "duty.log")).records];
	const records = log.map((r) => ({
		...(JSON.parse(r.text) as { boots: number; reason: string; store: string; resumed: boolean }),
		seq: r.seq,
		time: r.time,
	}));

	test("the run ends at the end of the day, cleanly", () => {
		expect(run.result.status, run.result.stderr).toBe(0);
		expect(run.report.summary.end).toBe("end of simulation");
		expect(run.report.summary.hours).toBeCloseTo(24, 9);
	});

	test("1,440 boots: the first a power-on, every other an RTC wake", () => {
		const wakes = run.report.wakes;
		expect(run.report.summary.boots).toBe(1440);
		expect(wakes.length).toBe(1440);
		expect(wakes[0]?.reason).toBe("power-on");
		expect(wakes.slice(1).every((w) => w.reason === "rtc")).toBe(true);
		// On the minute grid from the first boot's clock (40 ms into it).
		wakes.slice(1).forEach((w, i) => expect(w.atMs).toBeCloseTo(40 + 60_000 * (i + 1), 6));
	});

	test("the retained boot counter goes up by exactly one per boot, as the app logged it", () => {
		// The log rotates: the newest records are kept, in order, each boot one record.
		expect(records.length).toBeGreaterThan(100);
		const last = records[records.length - 1];
		expect(last?.boots).toBe(1440);
		records.forEach((r, i) => {
			if (i === 0) return;
			expect(r.boots).toBe((records[i - 1]?.boots ?? 0) + 1);
			expect(r.seq).toBe(r.boots);
			expect(r.reason).toBe("rtc");
			// Each boot opened the log from the position kept in retained memory, rotations included.
			expect(r.resumed).toBe(true);
		});
		// Date.now() followed the virtual clock: each record 60 s after the last.
		expect((last?.time ?? 0) - (records[records.length - 2]?.time ?? 0)).toBeCloseTo(60_000, 6);
	});

	test("the battery projection matches a hand calculation from the profile within 1%", () => {
		const runMa = bootOnly.currents.run;
		const standby = stateCurrent(bootOnly.currents, "standby");
		const awakeS = 1440 * 0.04;
		const averageMa = (awakeS * runMa + (86_400 - awakeS) * standby) / 86_400;
		const hours = 1000 / averageMa;
		const projected = run.report.summary.batteryHours;
		expect(Math.abs(projected - hours) / hours).toBeLessThan(0.01);
		expect(run.report.summary.byState.run.ms).toBeCloseTo(awakeS * 1000, 3);
		expect(run.report.summary.byState.standby.ms).toBeCloseTo((86_400 - awakeS) * 1000, 3);
	});
});

describe("pin interrupts from a scenario", async () => {
	const state = temp("pins");
	const events = parseScenario(
		"pins.json",
		JSON.stringify({
			events: [
				{ at: "90.5s", type: "pin", pin: 3, edge: "rising" },
				{ at: "100s", type: "pin", pin: 4, edge: "rising" }, // not armed
				{ at: "130s", type: "pin", pin: 3, edge: "falling" }, // wrong edge
				{ at: "200s", type: "rtc" },
			],
		}),
	);
	const run = await simulate({
		build,
		hours: 0.1,
		profile: bootOnly,
		root: resourcesRoot,
		state,
		events,
		main: "examples/duty",
		config: { ...build.manifest.config, power: { wakeEveryMs: 60_000, wakeOnPins: [{ pin: 3, edge: 1 }] } },
	});

	test("wake with reason pin and the pin named, only for armed pins and edges", () => {
		expect(run.result.status, run.result.stderr).toBe(0);
		const wakes = run.report.wakes.map((w) => [w.reason, w.pin ?? null, Math.round(w.atMs)]);
		expect(wakes).toEqual([
			["power-on", null, 0],
			["rtc", null, 60_040],
			["pin", 3, 90_500],
			["rtc", null, 120_040],
			["rtc", null, 180_040],
			["rtc", null, 200_000],
			["rtc", null, 240_040],
			["rtc", null, 300_040],
		]);
		const logged = readLog(path.join(state, "duty.log")).records.map(
			(r) => JSON.parse(r.text) as { reason: string; pin?: number },
		);
		expect(logged[2]).toMatchObject({ reason: "pin", pin: 3 });
		expect(run.result.stdout).toContain('"reason":"pin","pin":3');
	});
});

describe("camera states and counted work", () => {
	test("detect() counts its own windows, features and pixels, whoever calls it", async () => {
		const run = await simulate({
			build,
			hours: 0.01,
			profile: bootOnly,
			root: resourcesRoot,
			main: "test/xs/fixtures/power/detect",
		});
		expect(run.result.status, run.result.stderr).toBe(0);
		const counts = run.report.wakes[0]?.counts ?? {};
		// 04-empty.pgm at the field app's settings: its haar-field-04-empty bench row's windows and features.
		expect(counts["vision.windows"]).toBe(7884);
		expect(counts["vision.features"]).toBe(331366);
		expect(counts["vision.pixels"]).toBe(320 * 240);
	});

	test("are charged from the profile", async () => {
		const profile = mergeProfile(bootOnly, { costUs: { "nn.macs": 0.005 } }, "test profile");
		const run = await simulate({
			build,
			hours: 0.01,
			profile,
			root: resourcesRoot,
			main: "test/xs/fixtures/power/camera",
		});
		expect(run.result.status, run.result.stderr).toBe(0);
		const s = run.report.summary.byState;
		expect(s.cameraOn.ms).toBeCloseTo(110, 6);
		// Awake only: through the Stop the sensor is the Stop's sensor part.
		expect(s.cameraStandby.ms).toBeCloseTo(50, 6);
		expect(s.run.ms).toBeCloseTo(200 + 40, 6);
		expect(s.stop.ms).toBeCloseTo(1000, 6);
		expect(s.standby.ms).toBeCloseTo(36_000 - 240 - 1000, 6);
		expect(run.report.wakes[0]?.counts["nn.macs"]).toBe(2_000_000);
		const c = profile.currents;
		const expected =
			0.24 * c.run +
			0.11 * c.cameraOn +
			0.05 * c.cameraStandby +
			1 * stateCurrent(c, "stop") +
			34.76 * stateCurrent(c, "standby");
		expect(run.report.summary.charge).toBeCloseTo(expected, 6);
	});
});

describe("a reset from a scenario", () => {
	test("the reset pin reboots the board from Stop with reason reset", async () => {
		const events = parseScenario("reset.json", '{ "events": [{ "at": "150s", "type": "reset" }] }');
		const run = await simulate({
			build,
			hours: 0.05,
			profile: bootOnly,
			root: resourcesRoot,
			events,
			main: "examples/duty",
			config: { ...build.manifest.config, power: { wakeEveryMs: 60_000, mode: "stop" } },
		});
		expect(run.result.status, run.result.stderr).toBe(0);
		expect(run.report.wakes.map((w) => [w.boot, w.reason, Math.round(w.atMs)])).toEqual([
			[1, "power-on", 0],
			[1, "rtc", 60_040],
			[1, "rtc", 120_040],
			[2, "reset", 150_000],
		]);
		expect(run.report.summary.boots).toBe(2);
		expect(run.report.summary.byState.stop.ms).toBeGreaterThan(140_000);
	});
});

describe("what survives a sleep", () => {
	test("Stop keeps a JS object; Standby boots a fresh heap", async () => {
		const result = await runOnHost(build, {
			main: "test/xs/fixtures/power/stop-standby",
			root: resourcesRoot,
			board: ["--until", "60000", "--state", temp("stop"), "--cost", "boot=1000"],
		});
		expect(result.status, result.stderr).toBe(0);
		const steps = result.stdout
			.split("\n")
			.filter((l) => l.startsWith("#step "))
			.map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
		expect(steps).toEqual([
			{ step: 0, reason: "power-on", survivor: null },
			{ step: "after stop", reason: "rtc", same: true, survivor: { boot: 1 }, sleptMs: 5000 },
			{ step: 1, reason: "rtc", survivor: null },
		]);
	});
});

describe("Moddable timers on the virtual clock", () => {
	test("timers fire at their virtual times; waiting for them is charged as Sleep", async () => {
		const run = await simulate({
			build,
			hours: 10 / 3600,
			profile: bootOnly,
			root: resourcesRoot,
			main: "test/xs/fixtures/power/timers",
		});
		expect(run.result.status, run.result.stderr).toBe(0);
		const fired = JSON.parse(/^#timers (.*)$/m.exec(run.result.stdout)?.[1] ?? "null") as unknown;
		expect(fired).toEqual([
			["delay", 50],
			["once", 100],
			["repeat", 250],
			["repeat", 500],
			["repeat", 750],
		]);
		// Boot 40 ms + delay 50 ms awake; the waits between timers (50 + 150 + 250 + 250 ms) in Sleep.
		expect(run.report.summary.byState.run.ms).toBeCloseTo(90, 6);
		expect(run.report.summary.byState.sleep.ms).toBeCloseTo(700, 6);
		expect(run.report.summary.end).toBe("app ended without sleeping");
	});
});

describe("the retained store", () => {
	test("a corrupted store is detected at boot and the app starts clean", async () => {
		const state = temp("corrupt");
		const config = { ...build.manifest.config, power: { wakeEveryMs: 60_000 } };
		const first = await simulate({
			build,
			hours: 0.05,
			profile: bootOnly,
			root: resourcesRoot,
			state,
			config,
			main: "examples/duty",
		});
		expect(first.result.status, first.result.stderr).toBe(0);
		const file = path.join(state, "retained.bin");
		const bytes = readFileSync(file);
		bytes[17] = (bytes[17] ?? 0) ^ 0x01; // one bit of the first key
		writeFileSync(file, bytes);
		const second = await simulate({
			build,
			hours: 0.05,
			profile: bootOnly,
			root: resourcesRoot,
			state,
			config,
			main: "examples/duty",
		});
		expect(second.result.status, second.result.stderr).toBe(0);
		const records = readLog(path.join(state, "duty.log")).records.map(
			(r) => JSON.parse(r.text) as { boots: number; store: string },
		);
		// First run: 3 boots (0, 1, 2 min); the second run starts over at 1, having seen "corrupt".
		expect(records.map((r) => [r.boots, r.store])).toEqual([
			[1, "empty"],
			[2, "ok"],
			[3, "ok"],
			[1, "corrupt"],
			[2, "ok"],
			[3, "ok"],
		]);
	});

	test("the store and the clock are rewritten in place, whole: a run on the same folder goes on from both", async () => {
		const state = temp("in-place");
		const config = { ...build.manifest.config, power: { wakeEveryMs: 60_000 } };
		const files = ["retained.bin", "clock"].map((name) => path.join(state, name));
		// A boot of 40.001 ms: the wakes' clock texts (1767225660040.001) are longer than the end's (1767225780000).
		const profile = mergeProfile(bootOnly, { costUs: { boot: 40_001 } }, "odd boot");
		const run = async () => {
			const result = await simulate({
				build,
				hours: 0.05,
				profile,
				root: resourcesRoot,
				state,
				config,
				main: "examples/duty",
			});
			expect(result.result.status, result.result.stderr).toBe(0);
		};
		await run();
		// A second name for each file: a write in place changes what it reads, a new file renamed over
		// the old (a block allocated, written and freed at every write) would leave it as it was.
		for (const file of files) linkSync(file, `${file}.link`);
		const before = files.map((file) => readFileSync(file));
		await run();
		for (const [i, file] of files.entries()) {
			expect(readFileSync(file).equals(before[i]!)).toBe(false);
			expect(readFileSync(`${file}.link`).equals(readFileSync(file))).toBe(true);
		}
		expect(statSync(files[0]!).size).toBe(4096);
		expect(readFileSync(files[1]!, "utf8")).toBe(`${Date.UTC(2026, 0, 1) + 6 * 60_000}\n`);
		const records = readLog(path.join(state, "duty.log")).records.map(
			(r) => JSON.parse(r.text) as { boots: number; store: string },
		);
		expect(records.map((r) => [r.boots, r.store])).toEqual([
			[1, "empty"],
			[2, "ok"],
			[3, "ok"],
			[4, "ok"],
			[5, "ok"],
			[6, "ok"],
		]);
	});
});

describe("power loss while appending to the results log", () => {
	test("after SIGKILL at 200 random points, and bits flipped in committed records of both files, the log holds exactly the committed records not hit, in order", async () => {
		const state = temp("kill");
		const scratch = temp("kill-args");
		const args = hostArgs(
			build,
			{ main: "test/xs/fixtures/power/log-writer", root: resourcesRoot, board: ["--state", state] },
			scratch,
		);
		let random = 0x2545f491;
		const next = () => {
			random ^= random << 13;
			random ^= random >>> 17;
			random ^= random << 5;
			return (random >>> 0) / 2 ** 32;
		};
		let committed = 0;
		let killedWhileAppending = 0;
		// Committed records corrupted on purpose: each is lost, and only it.
		const lost = new Set<number>();
		let rotatedHits = 0;
		const payload = (seq: number) => `record ${seq} ${"x".repeat(seq % 37)}`;
		for (let trial = 0; trial < 200; trial++) {
			const output = await new Promise<string>((resolve, reject) => {
				const child = spawn(build.program, args, { stdio: ["ignore", "pipe", "pipe"] });
				let stdout = "";
				let stderr = "";
				let armed = false;
				child.stdout.setEncoding("utf8").on("data", (text: string) => {
					stdout += text;
					// Once appends are under way, kill after a random number of them.
					if (!armed && stdout.includes("#committed")) {
						armed = true;
						const wait = Math.floor(next() * 4);
						setTimeout(() => child.kill("SIGKILL"), wait);
					}
				});
				child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
				child.on("error", reject);
				child.on("close", (_status, signal) =>
					signal === "SIGKILL"
						? resolve(stdout)
						: reject(new Error(`writer ended without being killed: ${stderr}`)),
				);
			});
			const open = /^#open (.*)$/m.exec(output);
			expect(open, output.slice(0, 300)).not.toBeNull();
			const found = JSON.parse(open?.[1] ?? "{}") as { lastSeq: number; dropped: number };
			// The previous trial's committed records are all there; at most the one in flight is added.
			expect(
				found.lastSeq === committed || found.lastSeq === committed + 1,
				`trial ${trial}: reopened at ${found.lastSeq}, committed ${committed}`,
			).toBe(true);
			const marks = [...output.matchAll(/^#committed (\d+)$/gm)].map((m) => Number(m[1]));
			if (marks.length) committed = marks[marks.length - 1] as number;
			else committed = found.lastSeq;
			const older = readLog(path.join(state, "kill.log.1"));
			const current = readLog(path.join(state, "kill.log"));
			const log = [...older.records, ...current.records];
			if (current.tail > 0) killedWhileAppending++;
			const last = log[log.length - 1]?.seq ?? 0;
			expect(
				last === committed || last === committed + 1,
				`trial ${trial}: log ends at ${last}, committed ${committed}`,
			).toBe(true);
			// Every record from the oldest kept on, but those hit.
			const first = log[0]?.seq ?? 1;
			expect(
				log.map((r) => r.seq),
				`trial ${trial}`,
			).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i).filter((seq) => !lost.has(seq)));
			for (const r of log) expect(r.text).toBe(payload(r.seq));
			committed = last;
			// Every fourth trial, flip one bit inside a committed record, in either file, or cut the
			// rotated file's end. Not the newest record: without a kept position (the writer keeps none)
			// its number cannot be known once its header is hit (test/xs/power.xs.ts covers that case).
			if (trial % 4 === 3) {
				const inRotated = trial % 8 === 3 && older.records.length > 0;
				const file = path.join(state, inRotated ? "kill.log.1" : "kill.log");
				const candidates = (inRotated ? older.records : current.records).filter((r) => r.seq !== last);
				const cut = inRotated && trial % 16 === 11 && older.records[older.records.length - 1]?.seq !== last;
				const hit = cut
					? candidates[candidates.length - 1]
					: candidates[Math.floor(next() * candidates.length)];
				if (hit) {
					const bytes = readFileSync(file);
					if (cut) {
						// The rotated file's last record cut short.
						writeFileSync(file, bytes.subarray(0, hit.end - 1 - Math.floor(next() * 8)));
					} else {
						const at = hit.start + Math.floor(next() * (hit.end - hit.start));
						bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(next() * 8));
						writeFileSync(file, bytes);
					}
					lost.add(hit.seq);
					if (inRotated) rotatedHits++;
				}
			}
		}
		console.log(
			`power: 200 kills, ${killedWhileAppending} left a torn record, ${lost.size} committed records corrupted (${rotatedHits} in kill.log.1), last committed ${committed}`,
		);
		// Some kills landed inside a record (the writer flushes it in 8-byte pieces), so recovery was exercised;
		// so was the search past a corrupt record, in both files.
		expect(killedWhileAppending).toBeGreaterThan(0);
		expect(rotatedHits).toBeGreaterThan(5);
		expect(lost.size - rotatedHits).toBeGreaterThan(5);
		// A last open through the module itself: every record there, none corrupt.
		const final = await runOnHost(build, {
			main: "test/xs/fixtures/power/log-writer",
			root: resourcesRoot,
			board: ["--state", state],
			config: { ...build.manifest.config, appends: 0 },
		});
		expect(final.status, final.stderr).toBe(0);
		const open = JSON.parse(/^#open (.*)$/m.exec(final.stdout)?.[1] ?? "{}") as {
			lastSeq: number;
			count: number;
			first: number;
		};
		expect(open.lastSeq).toBe(committed);
		expect(open.count).toBe(committed - open.first + 1 - [...lost].filter((seq) => seq > open.first).length);
		expect(committed).toBeGreaterThan(200);
	}, 120_000);
});

describe("bad input", () => {
	test("a malformed scenario names the line and field", () => {
		expect(() =>
			parseScenario(
				"s.json",
				'{\n  "events": [\n    { "at": "1s", "type": "pin", "pin": 3, "edge": "up" }\n  ]\n}',
			),
		).toThrow('s.json:3: events[0].edge: expected "rising" or "falling", got "up"');
		expect(() =>
			parseScenario(
				"s.json",
				'{ "events": [\n{ "at": "1s", "type": "rtc" },\n{ "at": "soon", "type": "rtc" }] }',
			),
		).toThrow("s.json:3: events[1].at: expected milliseconds or a duration");
		expect(() =>
			parseScenario("s.json", '{ "events": [{ "at": 5, "type": "pin", "pin": 9, "edge": "rising" }] }'),
		).toThrow("events[0].pin: expected a wake pin (0, 1, 2, 3, 4, 5), got 9");
		expect(() => parseScenario("s.json", '{ "events": [{ "at": 5, "type": "alarm" }] }')).toThrow(
			'events[0].type: expected "rtc", "reset", "pin" or "update", got "alarm"',
		);
		expect(() => parseScenario("s.json", '{ "events": [\n  { "at": 5, \n "type": "rtc" },,\n] }')).toThrow(
			/^s\.json:3:\d+: malformed JSON/,
		);
		expect(() => parseScenario("s.json", '{ "event": [] }')).toThrow(
			's.json: event: unknown field (expected "events")',
		);
	});

	test("a malformed power profile names the field", () => {
		expect(() => mergeProfile(DEFAULT_PROFILE, { currents: { run: -5 } }, "p.json")).toThrow(
			"p.json.currents.run: expected a number >= 0 (mA), got -5",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { currents: { turbo: 5 } }, "p.json")).toThrow(
			"p.json.currents.turbo: unknown state",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { battery: { capacityMah: "big" } }, "p.json")).toThrow(
			"p.json.battery.capacityMah: expected a number >= 0 (mAh)",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { costUs: { "nn.macs": null } }, "p.json")).toThrow(
			"p.json.costUs.nn.macs: expected a number",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { voltage: 3 }, "p.json")).toThrow("p.json.voltage: unknown field");
		const file = path.join(temp("profile"), "bad.json");
		writeFileSync(file, '{\n  "currents": {\n    "run": 100,\n  }\n}');
		expect(() => readProfile(file)).toThrow(new RegExp(`${file.replace(/[.]/g, "\\.")}:4:\\d+: malformed JSON`));
	});

	test("durations", () => {
		expect([
			parseDuration("60s"),
			parseDuration("5m"),
			parseDuration("500ms"),
			parseDuration("2h"),
			parseDuration(250),
		]).toEqual([60_000, 300_000, 500, 7_200_000, 250]);
		expect(parseDuration("-1s")).toBeUndefined();
		expect(parseDuration("soon")).toBeUndefined();
	});

	test("the simulator refuses a malformed scenario line by number", () => {
		const file = path.join(temp("scenario"), "s.txt");
		writeFileSync(file, "1000 rtc\n500 pin 3 1\n");
		const result = spawnSync(build.program, ["--scenario", file, "main"], { encoding: "utf8" });
		expect(result.status).toBe(64);
		expect(result.stderr).toContain(`${file}:2: expected`);
	});
});

describe("energy accounting", () => {
	test("charge by state from a hand-made trace", () => {
		const trace = [
			{ t: "wake", boot: 1, reason: "power-on", pin: -1, at: 0 },
			{ t: "awake", from: 0, to: 100_000, counts: {}, camera: { on: 50_000, standby: 0 } },
			{ t: "sleep", mode: "stop", from: 100_000, to: 1_100_000, camera: "standby" },
			{ t: "wake", boot: 1, reason: "pin", pin: 2, at: 1_100_000, resume: true },
			{ t: "awake", from: 1_100_000, to: 1_200_000, counts: {}, camera: { on: 0, standby: 100_000 } },
			{ t: "sleep", mode: "standby", from: 1_200_000, to: 10_000_000, camera: "off" },
			{ t: "end", at: 10_000_000, why: "end of simulation" },
		]
			.map((line) => JSON.stringify(line))
			.join("\n");
		const c = {
			...DEFAULT_PROFILE.currents,
			stop: stateCurrent(DEFAULT_PROFILE.currents, "stop"),
			standby: stateCurrent(DEFAULT_PROFILE.currents, "standby"),
		};
		const report = account(trace, DEFAULT_PROFILE);
		// The camera's standby is charged while awake (0.1 s); through the Stop the Stop's parts hold the sensor.
		const expected = 0.2 * c.run + 0.05 * c.cameraOn + 0.1 * c.cameraStandby + 1 * c.stop + 8.8 * c.standby;
		expect(report.summary.charge).toBeCloseTo(expected, 9);
		expect(report.summary.averageMa).toBeCloseTo(expected / 10, 9);
		expect(report.summary.boots).toBe(1);
		expect(report.wakes.map((w) => [w.reason, w.pin ?? null])).toEqual([
			["power-on", null],
			["pin", 2],
		]);
		expect(report.wakes[0]?.sleep).toEqual({ mode: "stop", ms: 1000, charge: c.stop * 1 });
		expect(reportSvg(report)).toMatch(/^<svg[\s\S]*<rect class="bar"[\s\S]*<\/svg>$/);
		const html = reportHtml(report);
		expect(html.match(/<tr><td>/g)?.length).toBe(2); // one row per reason
		expect(html).toContain("<td>pin 2</td>");
	});
});

describe("work the core waits for in Sleep", () => {
	const readoutTrace = (frames: number) =>
		[
			{ t: "wake", boot: 1, reason: "power-on", pin: -1, at: 0 },
			{
				t: "awake",
				from: 0,
				to: 100_000,
				counts: { "camera.frames": frames },
				camera: { on: 40_000, standby: 0 },
			},
			{ t: "end", at: 100_000, why: "end of simulation" },
		]
			.map((line) => JSON.stringify(line))
			.join("\n");

	test("a frame's readout is charged at Sleep's current on the default board, at Run's on OpenMV's", () => {
		const frame = DEFAULT_PROFILE.costUs["camera.frames"]!;
		expect(DEFAULT_PROFILE.inSleep).toEqual(["camera.frames", "camera.syncs", "camera.waits"]);
		const sleep = stateCurrent(DEFAULT_PROFILE.currents, "sleep");
		const run = DEFAULT_PROFILE.currents.run;
		const report = account(readoutTrace(1), DEFAULT_PROFILE);
		const expected = ((100_000 - frame) * run + frame * sleep + 40_000 * DEFAULT_PROFILE.currents.cameraOn) / 1e6;
		expect(report.summary.charge).toBeCloseTo(expected, 9);
		expect(report.summary.byState.sleep.ms).toBeCloseTo(frame / 1000, 9);
		expect(report.wakes[0]?.awakeMs).toBe(100);
		// More frames than the wake lasted cannot make the wake's run time negative.
		expect(account(readoutTrace(10), DEFAULT_PROFILE).summary.byState.run.ms).toBe(0);
		const openmv = PROFILES["openmv-h7"]!;
		expect(account(readoutTrace(1), openmv).summary.byState.sleep.ms).toBe(0);
	});

	test("a profile file's inSleep names counters that costUs prices, or is refused naming the field", () => {
		expect(mergeProfile(DEFAULT_PROFILE, { inSleep: [] }, "p.json").inSleep).toEqual([]);
		expect(() => mergeProfile(DEFAULT_PROFILE, { inSleep: ["no.such"] }, "p.json")).toThrow(/^p\.json\.inSleep: /);
		expect(() => mergeProfile(DEFAULT_PROFILE, { inSleep: "camera.frames" }, "p.json")).toThrow(
			/^p\.json\.inSleep: /,
		);
	});
});

describe("the board's sleep current by part", () => {
	const sleepTrace = (mode: string, camera: string) =>
		[
			{ t: "wake", boot: 1, reason: "power-on", pin: -1, at: 0 },
			{ t: "awake", from: 0, to: 0, counts: {}, camera: { on: 0, standby: 0 } },
			{ t: "sleep", mode, from: 0, to: 10e6, camera },
			{ t: "end", at: 10e6, why: "end of simulation" },
		]
			.map((line) => JSON.stringify(line))
			.join("\n");

	test("each sleep state's current is the sum of its parts, charged for the whole sleep, in both shipped profiles", () => {
		expect(Object.keys(PROFILES)).toEqual(["default", "openmv-h7"]);
		for (const profile of Object.values(PROFILES)) {
			for (const state of SLEEP_STATES) {
				let sum = 0;
				for (const mA of Object.values(profile.currents[state])) sum += mA;
				expect(stateCurrent(profile.currents, state), `${profile.name} ${state}`).toBeCloseTo(sum, 12);
				// 10 s asleep, the camera in standby or off: the parts, the sensor's among them, and nothing else.
				for (const camera of ["standby", "off"]) {
					const report = account(sleepTrace(state, camera), profile);
					expect(report.summary.byState[state].charge, `${profile.name} ${state} ${camera}`).toBeCloseTo(
						10 * sum,
						9,
					);
					expect(report.summary.charge).toBeCloseTo(10 * sum, 9);
					expect(report.summary.byState.cameraStandby.ms).toBe(0);
				}
				// A camera left streaming through the sleep adds its own current.
				const streaming = account(sleepTrace(state, "on"), profile);
				expect(streaming.summary.charge).toBeCloseTo(10 * (sum + profile.currents.cameraOn), 9);
				expect(streaming.wakes[0]?.sleep?.charge).toBeCloseTo(10 * (sum + profile.currents.cameraOn), 9);
			}
		}
	});

	test("the default board's parts are the sourced figures of tools/power/profile.ts", () => {
		// DS12110: Standby 3.8 uA, Stop 1.4 mA, Sleep 50.7 mA; OV7725 datasheet: power-down < 20 uA;
		// TPS7A02: 25 nA quiescent; DS12110 I/O leakage 250 nA a pin, 16 pins to the sensor. In Standby
		// the sensor's supply is switched off: the TPS22919's 2 nA off, its 8 uA on while awake.
		const board = { sensor: 0.02, regulator: 25e-6, leakage: 16 * 250e-6 };
		expect(DEFAULT_PROFILE.currents.standby).toEqual({ mcu: 0.0038, ...board, sensor: 2e-6 });
		expect(DEFAULT_PROFILE.currents.cameraStandby).toBeCloseTo(0.02 + 0.008, 12);
		expect(DEFAULT_PROFILE.currents.stop).toEqual({ mcu: 1.4, ...board });
		expect(DEFAULT_PROFILE.currents.sleep).toEqual({ mcu: 50.7, ...board });
		// The OpenMV Cam H7 in Stop is what its users measured (openmv/openmv issue 889: 7.1 mA).
		expect(stateCurrent(PROFILES["openmv-h7"]?.currents ?? DEFAULT_PROFILE.currents, "stop")).toBeCloseTo(7.1, 12);
	});

	test("--profile: a shipped board by name, a file's parts over the default, an unknown name lists the shipped ones", () => {
		expect(selectProfile(undefined, undefined)).toBe(DEFAULT_PROFILE);
		expect(selectProfile("default", undefined)).toBe(DEFAULT_PROFILE);
		expect(selectProfile("openmv-h7", undefined)).toBe(PROFILES["openmv-h7"]);
		// The manifest's config goes over the board named.
		const bigger = selectProfile("openmv-h7", { battery: { capacityMah: 2000 } });
		expect(bigger.battery.capacityMah).toBe(2000);
		expect(bigger.currents.standby).toEqual(PROFILES["openmv-h7"]?.currents.standby);
		expect(bigger.name).toBe("openmv-h7 + manifest config.power.profile");
		// A file replaces one part and keeps the others.
		const file = path.join(temp("profile-parts"), "register-sleep.json");
		writeFileSync(file, JSON.stringify({ currents: { standby: { sensor: 1 } } }));
		const profile = selectProfile(file, undefined);
		expect(profile.currents.standby).toEqual({ ...DEFAULT_PROFILE.currents.standby, sensor: 1 });
		expect(stateCurrent(profile.currents, "standby")).toBeCloseTo(
			stateCurrent(DEFAULT_PROFILE.currents, "standby") - 2e-6 + 1,
			12,
		);
		expect(profile.currents.stop).toEqual(DEFAULT_PROFILE.currents.stop);
		expect(profile.name).toBe(`default + ${file}`);
		expect(() => selectProfile("openmv-h8", undefined)).toThrow(
			"--profile openmv-h8: no such file, nor a shipped profile (default, openmv-h7)",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { currents: { standby: 0.5 } }, "p.json")).toThrow(
			"p.json.currents.standby: expected the board's parts in this state, mA each",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { currents: { stop: { sensor: -1 } } }, "p.json")).toThrow(
			"p.json.currents.stop.sensor: expected a number >= 0 (mA), got -1",
		);
		expect(() => mergeProfile(DEFAULT_PROFILE, { currents: { stop: { "": 1 } } }, "p.json")).toThrow(
			'p.json.currents.stop: bad part name ""',
		);
	});

	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	const sim = (...args: string[]) =>
		spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), "sim", ...args], {
			cwd: repoRoot,
			encoding: "utf8",
		});

	test("xsight sim --profile openmv-h7 projects the battery life its users' measured sleep current implies", () => {
		const result = sim("--hours", "0.05", "--profile", "openmv-h7", "--state", temp("openmv-h7"), "--json");
		expect(result.status, result.stderr).toBe(0);
		const summary = (JSON.parse(result.stdout) as { summary: EnergySummary }).summary;
		// Standby on that board, from the published figures: the 7.1 mA measured in Stop
		// (openmv/openmv issue 889) less the MCU's Stop, plus its Standby (DS12110).
		const standbyMa = 7.1 - 1.4 + 0.0038;
		const { run: runMa, cameraOn, cameraStandby } = (PROFILES["openmv-h7"] ?? DEFAULT_PROFILE).currents;
		const b = summary.byState;
		expect(b.standby.ms).toBeGreaterThan(0.9 * summary.hours * 3_600_000);
		const charge =
			(b.run.ms * runMa +
				b.cameraOn.ms * cameraOn +
				b.cameraStandby.ms * cameraStandby +
				b.standby.ms * standbyMa) /
			1000;
		const hours = 1000 / (charge / (summary.hours * 3600));
		expect(summary.batteryHours).toBeCloseTo(hours, 6);
	});

	test("the summary lists the sleep current by part, and an unknown profile name is refused with the shipped ones", () => {
		const result = sim("--hours", "0.05", "--profile", "openmv-h7", "--state", temp("parts-summary"));
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(
			/the board asleep, by part \(profile openmv-h7\):\n {2}standby +5\.704 mA\n {4}mcu +3\.80 uA +0\.1%\n {4}sensor +20\.00 uA +0\.4%\n {4}board +5\.680 mA +99\.6%\n/,
		);
		const unknown = sim("--hours", "0.05", "--profile", "openmv-h8");
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain(
			"--profile openmv-h8: no such file, nor a shipped profile (default, openmv-h7)",
		);
	});
});

describe("xsight sim --hours", () => {
	test("simulates an hour, prints the summary and writes the report", () => {
		const out = path.join(temp("report"), "day.svg");
		const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
		const result = spawnSync(
			process.execPath,
			[
				tsx,
				path.join(repoRoot, "tools/xsight.ts"),
				"sim",
				"--hours",
				"1",
				"--wake-every",
				"60s",
				"--report",
				out,
			],
			{ cwd: repoRoot, encoding: "utf8" },
		);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/simulated 1\.00 h: 60 wakes, 60 boots \(end of simulation\)/);
		expect(result.stdout).toMatch(/average current [\d.]+ uA/);
		expect(result.stdout).toMatch(/battery 1000 mAh 3\.7 V: [\d.]+ h = [\d.]+ days/);
		expect(readFileSync(out, "utf8")).toMatch(/^<svg/);
	});

	test("bad duty flags are errors naming them", () => {
		const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
		const sim = (...args: string[]) =>
			spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), "sim", ...args], {
				cwd: repoRoot,
				encoding: "utf8",
			});
		expect(sim("--hours", "0").stderr).toContain("--hours 0: expected a number of hours > 0");
		expect(sim("--wake-every", "often").stderr).toContain("--wake-every often: expected a duration like 60s");
		expect(sim("--report", "out.png").stderr).toContain("--report out.png: expected a .svg or .html file name");
		expect(sim("--help").stdout).toContain("--hours N");
	});

	test("a malformed scenario is an error naming it", () => {
		const file = path.join(temp("cli-scenario"), "bad.json");
		writeFileSync(file, '{ "events": [{ "at": "1s", "type": "pin", "pin": 3 }] }');
		const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
		const result = spawnSync(
			process.execPath,
			[tsx, path.join(repoRoot, "tools/xsight.ts"), "sim", "--hours", "1", "--scenario", file],
			{ cwd: repoRoot, encoding: "utf8" },
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`${file}:1: events[0].edge: expected "rising" or "falling"`);
	});
});
