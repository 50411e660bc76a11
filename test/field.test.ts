// The field app end to end on XS (`xsight sim`): wake, capture, faces, smiles,
// log, sleep, over camera frames with known content.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import {
	copyFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { WakeRecord } from "../modules/field/record";
import { hostBuildPaths } from "../tools/build/build";
import { decodePgm } from "../tools/support/image";
import { overrideConfig } from "../tools/build/manifest";
import { DEFAULT_PROFILE } from "../tools/power/profile";
import { simulate } from "../tools/power/simulate";
import { convModel, mirrorAveragedModel } from "../tools/tflite/testmodels";
import { detectOnXs } from "../tools/boards/host-detect";
import { iou } from "./support/face-truth";
import { classifierFromFile, detectMultiScale, loadOpenCv } from "./support/opencv-oracle";
import { repoRoot } from "./support/paths";

const FRAMES = path.join(repoRoot, "resources/frames");
const OPENCV_XML = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

interface FieldJson {
	wakes: {
		reason: string;
		awakeMs: number;
		sleep?: { mode: string };
		counts: Record<string, number>;
		parts: Record<string, number>;
		awakeCharge: number;
		record: WakeRecord | null;
	}[];
	totals: { faces: number; smiles: number; failedCaptures: number };
	summary: {
		hours: number;
		wakes: number;
		boots: number;
		charge: number;
		averageMa: number;
		batteryHours: number;
		end: string;
		byState: Record<string, { ms: number; charge: number }>;
	};
}

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
		maxBuffer: 64 << 20,
	});
}

function temp(name: string): string {
	return mkdtempSync(path.join(tmpdir(), `xsight-field-${name}-`));
}

function simJson(...args: string[]): FieldJson {
	const result = xsight("sim", "--json", ...args);
	expect(result.status, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as FieldJson;
}

/**
 * A boot the app refuses: the board as `xsight sim` runs it, without the CLI's
 * check of the settings before the run (cli.test.ts tests that one), so what
 * is tested is the app's own check at boot; the energy report says whether
 * the camera ever got power.
 */
async function refusedAtBoot(setting: string, root = path.join(repoRoot, "resources")) {
	const build = hostBuildPaths();
	const config = overrideConfig(build.manifest.config, [setting]);
	const { result, report } = await simulate({
		build,
		config,
		root,
		frames: FRAMES,
		hours: 1 / 60,
		profile: DEFAULT_PROFILE,
		state: temp("refused"),
	});
	return {
		status: result.status,
		stderr: result.stderr,
		records: result.stdout.match(/^#wake /gm)?.length ?? 0,
		byState: report.summary.byState,
	};
}

/**
 * A data root with the app's cascade and, in models/, a model whose input is
 * not a grayscale image ([1, 8, 8, 3]) and one with three outputs.
 */
function badModelsRoot(): string {
	const root = temp("root");
	cpSync(path.join(repoRoot, "resources/cascades"), path.join(root, "cascades"), { recursive: true });
	mkdirSync(path.join(root, "models"));
	writeFileSync(path.join(root, "models/rgb.tflite"), convModel(1));
	writeFileSync(path.join(root, "models/three.tflite"), mirrorAveragedModel(31, [1, 16, 16, 1]));
	writeFileSync(
		path.join(root, "cascades/cut.cascade"),
		readFileSync(path.join(repoRoot, "resources/cascades/frontalface.cascade")).subarray(0, 100),
	);
	return root;
}

/** The power-on boot only sleeps; the app first runs after the alarm a minute later (test/xs/fixtures/field/after-alarm.ts). */
const AFTER_ALARM = ["--main", "test/xs/fixtures/field/after-alarm", "--hours", String(2 / 60)];

/** The alarm's wake and the app's record: the power-on boot writes none, so the sim pairs the one record with the first wake. */
function alarmWake(run: FieldJson) {
	expect(run.wakes.map((w) => w.reason)).toEqual(["power-on", "rtc"]);
	expect(run.wakes[1]?.record).toBeNull();
	return { wake: run.wakes[1], record: run.wakes[0]?.record };
}

describe("the field app on the host simulator", () => {
	let builtIn: FieldJson;
	beforeAll(() => {
		builtIn = simJson("--state", temp("builtin"));
	});

	test("the built-in frames: faces and smiles as their content, one record per wake, a frame with no face gives a record with none", () => {
		const records = builtIn.wakes.map((w) => w.record);
		expect(records.map((r) => r?.frame?.replace(/^\d+-/, ""))).toEqual([
			"01-smile.pgm",
			"02-neutral.pgm",
			"03-astronaut.pgm",
			"04-empty.pgm",
		]);
		expect(records.map((r) => r?.faces.map((f) => f.smile))).toEqual([[true], [false], [true], []]);
		expect(builtIn.wakes.map((w) => w.reason)).toEqual(["power-on", "rtc", "rtc", "rtc"]);
		// The model is loaded at power-on and after an alarm only when a face needs it.
		expect(builtIn.wakes.map((w) => w.counts["nn.loads"] ?? 0)).toEqual([1, 1, 1, 0]);
		expect(builtIn.totals).toEqual({ faces: 3, smiles: 2, failedCaptures: 0 });
	});

	test("each wake by phase (power.mark): the app's phases in order, adding up to the awake time; the retained store written once a wake", () => {
		const upFront = [
			"boot",
			"imports",
			"config",
			"retained",
			"cascade",
			"nn-import",
			"model",
			"log-open",
			"capture",
			"detect",
			"crop",
			"invoke",
			"log",
			"retained-save",
			"sleep",
		];
		const atFirstFace = [
			"boot",
			"imports",
			"config",
			"retained",
			"cascade",
			"log-open",
			"capture",
			"detect",
			"nn-import",
			"model",
			"crop",
			"invoke",
			"log",
			"retained-save",
			"sleep",
		];
		const noFace = [
			"boot",
			"imports",
			"config",
			"retained",
			"cascade",
			"log-open",
			"capture",
			"detect",
			"log",
			"retained-save",
			"sleep",
		];
		expect(builtIn.wakes.map((w) => Object.keys(w.parts))).toEqual([upFront, atFirstFace, atFirstFace, noFace]);
		for (const wake of builtIn.wakes) {
			expect(Object.values(wake.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(wake.awakeMs, 6);
			// The parts are the meter's: the boot is the cost model's boot, the frame's readout in the capture.
			expect(wake.parts["boot"]).toBeCloseTo(DEFAULT_PROFILE.costUs["boot"]! / 1000, 2); // the meter reports parts in ms to 3 decimals
			expect(wake.parts["capture"]).toBeGreaterThan(DEFAULT_PROFILE.costUs["camera.frames"]! / 1000);
		}
		// nn's modules are imported only when a model is needed, and an empty store is checked in C:
		// a wake's imports cost the same at power-on, after an alarm, with a face or without.
		const imports = builtIn.wakes.map((w) => w.parts["imports"]!);
		expect(Math.max(...imports)).toBeLessThan(Math.min(...imports) * 1.5);
		expect(builtIn.wakes[3]!.parts["nn-import"]).toBeUndefined();
		// Once a wake, at its end; at power-on the empty store is stamped with the app's version first.
		expect(builtIn.wakes.map((w) => w.counts["retained.writes"])).toEqual([2, 1, 1, 1]);
	});

	test.skipIf(!existsSync(OPENCV_XML))(
		"the faces found are vision detect()'s at the app's settings, and OpenCV's detectMultiScale's without its step",
		async () => {
			await loadOpenCv();
			const cascade = classifierFromFile(OPENCV_XML);
			const names = readdirSync(FRAMES)
				.filter((n) => n.endsWith(".pgm"))
				.sort();
			const frames = names.map((name) => decodePgm(readFileSync(path.join(FRAMES, name)), name));
			// mc/config app.detect defaults: scale 1.25, minSize 40, minNeighbors 2, windows every 2 px refined after
			// 2 stages (threshold 0.5 = OpenCV's own).
			const runs = await detectOnXs(hostBuildPaths(), frames, {
				options: { scale: 1.25, minSize: 40, minNeighbors: 2, step: 2, refine: 2 },
			});
			const largest = <T extends { width: number; height: number }>(boxes: T[]) =>
				[...boxes].sort((a, b) => b.width * b.height - a.width * a.height).slice(0, 4);
			names.forEach((name, i) => {
				const got = (builtIn.wakes[i]?.record?.faces ?? []).map(({ x, y, width, height }) => ({
					x,
					y,
					width,
					height,
				}));
				expect(got, name).toEqual(
					largest(runs[i]!.rects).map(({ x, y, width, height }) => ({ x, y, width, height })),
				);
				// OpenCV has no step: its search (1 px steps from a level's scale 2) finds the same faces, boxes a few px apart.
				const opencv = largest(
					detectMultiScale(cascade, frames[i]!, { scale: 1.25, minNeighbors: 3, minSize: 40 }),
				);
				expect(got.length, name).toBe(opencv.length);
				got.forEach((face, k) => expect(iou(face, opencv[k]!), name).toBeGreaterThanOrEqual(0.8));
			});
		},
	);

	test("the log holds exactly the records the wakes printed, in order", () => {
		const state = temp("log");
		const run = simJson("--state", state);
		const log = xsight("log", "--state", state, "--json");
		expect(log.status, log.stderr).toBe(0);
		const lines = log.stdout
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { seq: number; record: unknown });
		expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
		expect(lines.map((l) => l.record)).toEqual(run.wakes.map((w) => w.record));
	});

	test("40 bytes flipped in the rotated log: xsight log prints every intact record and writes nothing; the next run numbers on", () => {
		const state = temp("corrupt-log");
		simJson("--state", state, "--hours", "0.5", "--config", "app.logMaxBytes=2048");
		const logged = () => {
			const result = xsight("log", "--state", state, "--json");
			expect(result.status, result.stderr).toBe(0);
			return {
				seqs: result.stdout
					.trim()
					.split("\n")
					.map((l) => (JSON.parse(l) as { seq: number }).seq),
				stderr: result.stderr,
			};
		};
		const all = logged().seqs;
		// The oldest records rotated out; the rest in order, up to the 30th wake.
		expect(all).toEqual(Array.from({ length: all.length }, (_, i) => 31 - all.length + i));
		const rotated = path.join(state, "results.log.1");
		const bytes = readFileSync(rotated);
		// The records the flipped bytes touch, from the format (docs in modules/resultlog.ts): 24 bytes and the payload.
		const middle = bytes.length >> 1;
		const hit: number[] = [];
		for (let offset = 0; offset < bytes.length; offset += 24 + bytes.readUInt32LE(offset + 4))
			if (offset < middle + 40 && offset + 24 + bytes.readUInt32LE(offset + 4) > middle)
				hit.push(bytes.readUInt32LE(offset + 8));
		for (let i = middle; i < middle + 40; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
		writeFileSync(rotated, bytes);
		const current = readFileSync(path.join(state, "results.log"));
		const after = logged();
		expect(after.seqs).toEqual(all.filter((seq) => !hit.includes(seq)));
		expect(after.stderr).toMatch(
			new RegExp(`corrupt bytes skipped between intact records: ${hit.length} records? lost`),
		);
		expect(readFileSync(rotated).equals(bytes)).toBe(true);
		expect(readFileSync(path.join(state, "results.log")).equals(current)).toBe(true);
		// The app opens the same log at its next boot: nothing intact is cut, numbers go on from the highest.
		simJson("--state", state, "--hours", String(2 / 60), "--config", "app.logMaxBytes=2048");
		expect(logged().seqs.slice(-3)).toEqual([30, 31, 32]);
	}, 300_000);

	test("a run on a state folder used before goes on from its clock: log times never go back", () => {
		const state = temp("clock");
		simJson("--state", state, "--hours", String(3 / 60));
		simJson("--state", state, "--hours", String(2 / 60));
		const log = xsight("log", "--state", state, "--json");
		expect(log.status, log.stderr).toBe(0);
		const lines = log.stdout
			.trim()
			.split("\n")
			.map((l) => JSON.parse(l) as { seq: number; time: number });
		expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
		const start = Date.UTC(2026, 0, 1);
		// The first run wakes at 0, 1 and 2 minutes and ends at 3; the second powers on then.
		expect(lines.map((l) => Math.floor((l.time - start) / 60_000))).toEqual([0, 1, 2, 3, 4]);
	}, 120_000);

	test("an unreadable frame is logged as a failed capture and the cycle goes on", () => {
		const frames = temp("frames");
		copyFileSync(path.join(FRAMES, "01-smile.pgm"), path.join(frames, "a.pgm"));
		writeFileSync(path.join(frames, "b.pgm"), "P5\n320 240\n255\nnot enough pixels");
		writeFileSync(path.join(frames, "c.pgm"), "not a pgm at all");
		copyFileSync(path.join(FRAMES, "04-empty.pgm"), path.join(frames, "d.pgm"));
		const state = temp("bad-frames");
		const run = simJson("--frames", frames, "--state", state);
		const records = run.wakes.map((w) => w.record);
		expect(records).toHaveLength(4);
		expect(records[0]?.faces).toHaveLength(1);
		// Named by the user's file, not by the copy the camera replayed.
		expect(records[1]?.error).toBe(`camera capture: frame ${frames}/b.pgm: truncated`);
		expect(records[2]?.error).toBe(`camera capture: frame ${frames}/c.pgm: not a binary 8-bit PGM`);
		expect(records[3]).toMatchObject({ faces: [] });
		expect(run.totals.failedCaptures).toBe(2);
		const text = xsight("sim", "--frames", frames, "--state", temp("bad-frames-text"));
		expect(text.stdout).toContain(`camera capture: frame ${frames}/b.pgm: truncated`);
		expect(text.stdout).not.toContain("xsight-sim-");
		// The device's own log names the frame by the name it replayed, never by the simulator's folder.
		const log = xsight("log", "--state", state, "--json");
		expect(log.stdout).toContain("camera capture: frame 00001-b.pgm: truncated");
		expect(log.stdout).not.toContain("xsight-sim-");
	});

	test("an image that does not decode stops the sim before it runs, naming the file and the decoder's reason", () => {
		const frames = temp("undecodable");
		copyFileSync(path.join(FRAMES, "01-smile.pgm"), path.join(frames, "a.pgm"));
		writeFileSync(path.join(frames, "b.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 2, 0, 0]));
		const result = xsight("sim", "--frames", frames, "--state", temp("undecodable-state"));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`^xsight sim: ${frames}/b\\.jpg: JPEG: .+\n$`));
		expect(result.stdout).toBe("");
	});

	test("a missing model stops the app with a clear error before it sleeps, and the sim exits non-zero", () => {
		const result = xsight("sim", "--state", temp("no-model"), "--config", "app.model=models/missing.tflite");
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/models\/missing\.tflite: cannot load: .*No such file/);
		expect(result.stdout).toMatch(/no record: the app stopped/);
		expect(result.stdout).not.toMatch(/standby/);
		// No summary: a battery life projected from a run that stopped would be made up.
		expect(result.stdout).not.toMatch(/battery|average current/);
	});

	test("a setting out of range is refused at boot, naming it", () => {
		// `xsight run`: the app as a board boots it (`xsight sim` checks the settings before its run).
		const result = xsight("run", "--state", temp("bad-config"), "--config", "app.detect.scale=0.9");
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/mc\/config app\.detect\.scale: expected 1\.05\.\.4/);
		const unknown = xsight("run", "--state", temp("bad-config2"), "--config", "app.smileTreshold=0.4");
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toMatch(/mc\/config app\.smileTreshold: unknown setting/);
		const sim = xsight("sim", "--state", temp("bad-config3"), "--config", "app.smileTreshold=0.4");
		expect(sim.status).toBe(64);
		expect(sim.stderr).toMatch(
			/^xsight sim: --config app\.smileTreshold=0\.4: mc\/config app\.smileTreshold: unknown setting/m,
		);
		expect(sim.stdout).toBe("");
	});

	test("a crop margin the crop would refuse at the first face is refused at boot, before the camera is powered", async () => {
		const { status, stderr, records, byState } = await refusedAtBoot("app.crop.margin=5");
		expect(status).toBe(1);
		expect(stderr).toMatch(/mc\/config app\.crop\.margin: 5, expected -0\.45\.\.4/);
		expect(records).toBe(0);
		// The board ran (the boot is in the trace), and the camera never got power.
		expect(byState["run"]?.ms).toBeGreaterThan(0);
		expect(byState["cameraOn"]?.ms).toBe(0);
		expect(byState["cameraStandby"]?.ms).toBe(0);
	});

	test("a wake pin the board cannot wake on is refused at boot, naming the setting", async () => {
		const { status, stderr, byState } = await refusedAtBoot('app.wakeOnPins=[{"pin":99,"edge":1}]');
		expect(status).toBe(1);
		expect(stderr).toMatch(
			/mc\/config app\.wakeOnPins: power\.sleep: wakeOnPins\[0\]\.pin: 99 cannot wake this board/,
		);
		expect(byState["cameraOn"]?.ms).toBe(0);
	});

	test.each([
		[
			"a model whose input is not a grayscale image",
			"app.model=models/rgb.tflite",
			/models\/rgb\.tflite: input 0\.shape: \[1, 8, 8, 3\], expected \[1, height, width, 1\]/,
		],
		[
			"a model with three outputs",
			"app.model=models/three.tflite",
			/models\/three\.tflite: output 0 has shape \[1, 1, 1, 3\], expected 2 values/,
		],
		["a missing cascade", "app.cascade=cascades/missing.cascade", /cascades\/missing\.cascade.*No such file/],
		["a truncated cascade", "app.cascade=cascades/cut.cascade", /cascades\/cut\.cascade/],
	])(
		"at power-on %s stops the app with the file named, before the camera is powered",
		async (_what, setting, message) => {
			const { status, stderr, records, byState } = await refusedAtBoot(setting, badModelsRoot());
			expect(status).toBe(1);
			expect(stderr).toMatch(message);
			expect(records).toBe(0);
			expect(byState["cameraOn"]?.ms).toBe(0);
		},
	);

	test.each([
		["missing", "app.model=models/missing.tflite", /^model models\/missing\.tflite: cannot load: .*No such file/],
		[
			"with three outputs",
			"app.model=models/three.tflite",
			/^model models\/three\.tflite: output 0 has shape \[1, 1, 1, 3\], expected 2 values/,
		],
		[
			"with an RGB input",
			"app.model=models/rgb.tflite",
			/^model models\/rgb\.tflite: input 0\.shape: \[1, 8, 8, 3\]/,
		],
	])(
		"after an alarm a model %s, first loaded at a face, is that wake's error: the face recorded unscored, and the app sleeps",
		(_what, setting, message) => {
			const run = simJson(
				...AFTER_ALARM,
				"--root",
				badModelsRoot(),
				"--state",
				temp("alarm-model"),
				"--config",
				setting,
			);
			const { wake, record } = alarmWake(run);
			expect(record?.reason).toBe("rtc");
			expect(record?.error).toMatch(message);
			// The face the cascade found, with its box and no score.
			expect(record?.faces).toHaveLength(1);
			expect(Object.keys(record?.faces[0] ?? {}).sort()).toEqual(["height", "width", "x", "y"]);
			expect(wake?.sleep?.mode).toBe("standby");
			expect(run.summary.end).not.toMatch(/failed/);
		},
	);

	test("after an alarm a cascade that does not load is that wake's error: the camera stays off, and the app sleeps", () => {
		const root = badModelsRoot();
		copyFileSync(path.join(repoRoot, "resources/models/smile.tflite"), path.join(root, "models/smile.tflite"));
		const run = simJson(
			...AFTER_ALARM,
			"--root",
			root,
			"--state",
			temp("alarm-cascade"),
			"--config",
			"app.cascade=cascades/cut.cascade",
		);
		const { wake, record } = alarmWake(run);
		expect(record?.error).toMatch(/^cascade .*cascades\/cut\.cascade/);
		expect(record?.faces).toEqual([]);
		expect(wake?.counts["camera.frames"] ?? 0).toBe(0);
		expect(run.summary.byState["cameraOn"]?.ms).toBe(0);
		expect(wake?.sleep?.mode).toBe("standby");
	});

	test.each([
		["not JSON", "garbage", /^results log: retained position unusable \(.+\): read it whole$/, 3],
		["not a position", '{"seq":-1}', /^results log: retained position unusable \(.*resume.*\): read it whole$/, 3],
		// A kept number is never given out again, even when the log does not hold it.
		[
			"a position the log does not hold",
			'{"seq":9,"start":4000,"end":4100}',
			/^results log: retained position does not match the log: read it whole$/,
			10,
		],
	])(
		"a retained log position that is %s: the log is read whole, the wake says so, appends after the last record and sleeps",
		(_what, position, warning, next) => {
			const state = temp("log-position");
			simJson("--state", state, "--hours", String(2 / 60));
			const run = simJson(
				...AFTER_ALARM,
				"--state",
				state,
				"--config",
				`fixture.log=${JSON.stringify(position)}`,
			);
			const { wake, record } = alarmWake(run);
			expect(record?.warnings).toHaveLength(1);
			expect(record?.warnings?.[0]).toMatch(warning);
			expect(wake?.sleep?.mode).toBe("standby");
			const log = xsight("log", "--state", state, "--json");
			expect(log.status, log.stderr).toBe(0);
			const lines = log.stdout
				.trim()
				.split("\n")
				.map((l) => JSON.parse(l) as { seq: number; record: { warnings?: string[] } });
			expect(lines.map((l) => l.seq)).toEqual([1, 2, next]);
			expect(lines[2]?.record.warnings).toEqual(record?.warnings);
		},
	);

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
		const day = simJson(
			"--hours",
			"24",
			"--wake-every",
			"60s",
			"--state",
			state,
			"--config",
			'app.frameSize="qqvga"',
		);
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
		console.log(
			`a day of 1,440 wakes: ${seconds.toFixed(1)} s real time; average ${(s.averageMa * 1000).toFixed(1)} uA; battery ${(s.batteryHours / 24).toFixed(0)} days`,
		);
	}, 600_000);
});
