// The field app end to end on XS (`xsight sim`): wake, capture, faces, smiles,
// log, sleep, over camera frames with known content.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { decodePgm } from "../tools/image";
import { classifierFromFile, detectMultiScale, loadOpenCv } from "./support/opencv-oracle";
import { repoRoot } from "./support/paths";

const FRAMES = path.join(repoRoot, "resources/frames");
const OPENCV_XML = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

interface Face {
	x: number;
	y: number;
	width: number;
	height: number;
	smile: boolean;
	score: number;
}

interface FieldJson {
	wakes: { reason: string; awakeMs: number; counts: Record<string, number>; awakeCharge: number; record: { boot: number; frame?: string; error?: string; faces: Face[]; warnings?: string[]; reason: string } | null }[];
	totals: { faces: number; smiles: number; failedCaptures: number };
	summary: { hours: number; wakes: number; boots: number; charge: number; averageMa: number; batteryHours: number; byState: Record<string, { ms: number; charge: number }> };
}

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 });
}

function temp(name: string): string {
	return mkdtempSync(path.join(tmpdir(), `xsight-field-${name}-`));
}

function simJson(...args: string[]): FieldJson {
	const result = xsight("sim", "--json", ...args);
	expect(result.status, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as FieldJson;
}

describe("the field app on the host simulator", () => {
	let builtIn: FieldJson;
	beforeAll(() => {
		builtIn = simJson("--state", temp("builtin"));
	});

	test("the built-in frames: faces and smiles as their content, one record per wake, a frame with no face gives a record with none", () => {
		const records = builtIn.wakes.map((w) => w.record);
		expect(records.map((r) => r?.frame?.replace(/^\d+-/, ""))).toEqual(["01-smile.pgm", "02-neutral.pgm", "03-astronaut.pgm", "04-empty.pgm"]);
		expect(records.map((r) => r?.faces.map((f) => f.smile))).toEqual([[true], [false], [true], []]);
		expect(builtIn.wakes.map((w) => w.reason)).toEqual(["power-on", "rtc", "rtc", "rtc"]);
		// The model is loaded at power-on and after an alarm only when a face needs it.
		expect(builtIn.wakes.map((w) => w.counts["nn.loads"] ?? 0)).toEqual([1, 1, 1, 0]);
		expect(builtIn.totals).toEqual({ faces: 3, smiles: 2, failedCaptures: 0 });
	});

	test.skipIf(!existsSync(OPENCV_XML))("the faces found are OpenCV's detectMultiScale on the same frames at the app's settings", async () => {
		await loadOpenCv();
		const cascade = classifierFromFile(OPENCV_XML);
		const names = readdirSync(FRAMES).filter((n) => n.endsWith(".pgm")).sort();
		names.forEach((name, i) => {
			const frame = decodePgm(readFileSync(path.join(FRAMES, name)), name);
			// mc/config app.detect defaults: scale 1.25, minNeighbors 3, minSize 40 (threshold 0.5 = OpenCV's own).
			const expected = detectMultiScale(cascade, frame, { scale: 1.25, minNeighbors: 3, minSize: 40 })
				.sort((a, b) => b.width * b.height - a.width * a.height)
				.slice(0, 4);
			const got = (builtIn.wakes[i]?.record?.faces ?? []).map(({ x, y, width, height }) => ({ x, y, width, height }));
			expect(got, name).toEqual(expected);
		});
	});

	test("the log holds exactly the records the wakes printed, in order", () => {
		const state = temp("log");
		const run = simJson("--state", state);
		const log = xsight("log", "--state", state, "--json");
		expect(log.status, log.stderr).toBe(0);
		const lines = log.stdout.trim().split("\n").map((l) => JSON.parse(l) as { seq: number; record: unknown });
		expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
		expect(lines.map((l) => l.record)).toEqual(run.wakes.map((w) => w.record));
	});

	test("an unreadable frame is logged as a failed capture and the cycle goes on", () => {
		const frames = temp("frames");
		copyFileSync(path.join(FRAMES, "01-smile.pgm"), path.join(frames, "a.pgm"));
		writeFileSync(path.join(frames, "b.pgm"), "P5\n320 240\n255\nnot enough pixels");
		writeFileSync(path.join(frames, "c.png"), "not a png at all");
		copyFileSync(path.join(FRAMES, "04-empty.pgm"), path.join(frames, "d.pgm"));
		const run = simJson("--frames", frames, "--state", temp("bad-frames"));
		const records = run.wakes.map((w) => w.record);
		expect(records).toHaveLength(4);
		expect(records[0]?.faces).toHaveLength(1);
		expect(records[1]?.error).toMatch(/^camera capture: frame .*b\.pgm: truncated$/);
		expect(records[2]?.error).toMatch(/^camera capture: frame .*c\.pgm: not a binary 8-bit PGM$/);
		expect(records[3]).toMatchObject({ faces: [] });
		expect(run.totals.failedCaptures).toBe(2);
	});

	test("a missing model stops the app with a clear error before it sleeps, and the sim exits non-zero", () => {
		const result = xsight("sim", "--state", temp("no-model"), "--config", "app.model=models/missing.tflite");
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/models\/missing\.tflite: cannot load: .*No such file/);
		expect(result.stdout).toMatch(/no record: the app stopped/);
		expect(result.stdout).not.toMatch(/standby/);
	});

	test("a setting out of range is refused at boot, naming it", () => {
		const result = xsight("sim", "--state", temp("bad-config"), "--config", "app.detect.scale=0.9");
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/mc\/config app\.detect\.scale: expected 1\.05\.\.4/);
		const unknown = xsight("sim", "--state", temp("bad-config2"), "--config", "app.smileTreshold=0.4");
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toMatch(/mc\/config app\.smileTreshold: unknown setting/);
	});

	test("a corrupt retained store is reset with a warning in the log, and the counters start again", () => {
		const state = temp("corrupt");
		simJson("--state", state, "--hours", String(2 / 60));
		const file = path.join(state, "retained.bin");
		const bytes = readFileSync(file);
		// Inside the first entry's key: the CRC no longer matches.
		bytes.writeUInt8(bytes.readUInt8(20) ^ 0x5a, 20);
		writeFileSync(file, bytes);
		const run = simJson("--state", state, "--hours", String(1 / 60));
		expect(run.wakes[0]?.record?.warnings).toEqual(["retained store was corrupt: reset"]);
		expect(run.wakes[0]?.record).toMatchObject({ boot: 1 });
	});

	test("a simulated day at one wake a minute: 1,440 wakes, and the battery life printed is the energy accounting's own", () => {
		const state = temp("day");
		mkdirSync(state, { recursive: true });
		const started = performance.now();
		const day = simJson("--hours", "24", "--wake-every", "60s", "--state", state, "--config", "app.frameSize=\"qqvga\"");
		const seconds = (performance.now() - started) / 1000;
		const s = day.summary;
		expect(s.wakes).toBe(1440);
		expect(day.wakes.filter((w) => w.record === null)).toHaveLength(0);
		// The totals add up: charge by state, average current over the day, life on 1000 mAh.
		const byState = Object.values(s.byState).reduce((sum, b) => sum + b.charge, 0);
		expect(byState).toBeCloseTo(s.charge, 6);
		expect(s.averageMa).toBeCloseTo(s.charge / (24 * 3600), 9);
		expect(s.batteryHours).toBeCloseTo(1000 / s.averageMa, 6);
		const text = xsight("sim", "--hours", String(3 / 60), "--state", temp("text"));
		expect(text.stdout).toMatch(/battery 1000 mAh 3\.7 V: [\d.]+ h = [\d.]+ days/);
		console.log(`a day of 1,440 wakes: ${seconds.toFixed(1)} s real time; average ${(s.averageMa * 1000).toFixed(1)} uA; battery ${(s.batteryHours / 24).toFixed(0)} days`);
	}, 600_000);
});
