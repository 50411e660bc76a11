// xsight sim: the field app on the host simulator board: a virtual clock, a
// camera that replays frames, and energy accounting.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot, type HostBuild } from "../build/build";
import { encodePgm, readGrayImage } from "../support/image";
import { overrideConfig } from "../build/manifest";
import { clock, formatSummary, type EnergyReport, type WakeReport } from "../power/energy";
import { selectProfile } from "../power/profile";
import { reportHtml, reportSvg } from "../power/report";
import { deliverUpdates, deviceStore, parseDuration, readScenario } from "../power/scenario";
import { simulate } from "../power/simulate";
import { runOnHost, xsException } from "../boards/host";
import { makeTemp, removeTemp } from "../support/temp";
import type { FaceResult, WakeRecord } from "../../modules/field/record";
import { checkWritable, UsageError, type Command } from "./command";

/** The simulated device's state folder when --state is not given (emptied at each run; `xsight log` reads it). */
export const DEFAULT_STATE = path.join(repoRoot, "build/host/state");
const DEFAULT_FRAMES = path.join(repoRoot, "resources/frames");
const IMAGE = /\.(pgm|png|jpe?g|bmp)$/i;

export const sim: Command = {
	summary: "run the field app on the host simulator board",
	usage: `usage: xsight sim [options]
Runs the field app (manifest creation.main) on the XS engine on this computer,
as a device in the field: it wakes, captures a frame, finds faces, scores
smiles, logs and sleeps, on a virtual clock (sleeping takes no real time).
Prints one line per wake and a summary: faces, smiles, charge, battery life.
  --frames DIR        the camera's frames, in name order (PGM, PNG, JPEG, BMP;
                      default: resources/frames, the built-in samples)
  --hours N           simulated time (default: one wake per frame)
  --wake-every TIME   wake period, e.g. 60s, 5m (mc/config app.wakeEveryMs)
  --scenario FILE     JSON events: pin edges, RTC alarms, resets at virtual times
  --inbox DIR         field updates waiting: each bundle (*.xsb, in name order)
                      arrives as a scenario update event does, the first half a
                      wake period into the run, the next a period later
  --profile NAME|FILE a shipped board (default, openmv-h7: the OpenMV Cam H7 as
                      measured) or a JSON profile over the default (currents,
                      the sleep states' parts, battery, costUs)
  --report OUT        a picture (.svg or .html): the average current per hour, a
                      typical wake and what it went on, the charge by state
  --state DIR         the device's state folder (retained memory, results log, clock:
                      a run on it goes on from the last run's time), kept;
                      default build/host/state, emptied at each run
  --root DIR          data root the app's files are read from (default: resources/)
  --config KEY=VALUE  override an mc/config value (repeatable; dotted keys, JSON values)
  --json              print the wakes and the summary as JSON
  --main MODULE       run another module (e.g. examples/duty); with no duty option
                      given it runs once, without the virtual clock
  --stats             with --main alone: print the XS heap in use when it ends
  -h, --help          this text`,
	options: {
		frames: { type: "string" },
		hours: { type: "string" },
		"wake-every": { type: "string" },
		scenario: { type: "string" },
		inbox: { type: "string" },
		profile: { type: "string" },
		report: { type: "string" },
		state: { type: "string" },
		root: { type: "string" },
		config: { type: "string", multiple: true },
		json: { type: "boolean" },
		main: { type: "string" },
		stats: { type: "boolean" },
	},
	async run(values) {
		const root = path.resolve((values["root"] as string | undefined) ?? path.join(repoRoot, "resources"));
		if (!statSync(root, { throwIfNoEntry: false })?.isDirectory())
			throw new Error(`--root ${root}: no such folder`);
		const duty = ["frames", "hours", "wake-every", "scenario", "inbox", "profile", "report", "state", "json"].some(
			(name) => values[name] !== undefined,
		);
		if (values["main"] !== undefined && !duty) return runOnce(values, root);
		return simulateField(values, root);
	},
};

/** A module run once, as it is: no virtual clock (tests and examples). */
async function runOnce(values: Record<string, unknown>, root: string): Promise<number> {
	const build = await buildHost();
	const config = overrideConfig(build.manifest.config, (values["config"] as string[] | undefined) ?? []);
	const result = await runOnHost(build, {
		main: values["main"] as string,
		config,
		root,
		stats: values["stats"] === true,
		echo: true,
		timeoutMs: 24 * 3600_000,
	});
	if (result.stats) {
		const heap = result.stats.chunks + result.stats.slots * result.stats.slotSize;
		process.stderr.write(
			`xsight: XS heap in use ${heap} bytes (chunks ${result.stats.chunks}, ${result.stats.slots} slots of ${result.stats.slotSize}); peak ${result.stats.peakChunks + result.stats.peakSlots * result.stats.slotSize}\n`,
		);
	}
	return result.status;
}

/**
 * The camera replays binary PGM files: other images are converted to gray
 * PGM (tools/support/image.ts) in a temporary folder. One that does not decode stops
 * the run before it starts, with the decoder's reason: the device could only
 * call its bytes "not a binary 8-bit PGM". PGM files go to the device as they
 * are, so that it meets an unreadable one the way it would in the field (a
 * failed capture, logged).
 */
function prepareFrames(dir: string, temp: string): Frames {
	if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--frames ${dir}: no such folder`);
	const names = readdirSync(dir)
		.filter((name) => IMAGE.test(name))
		.sort();
	if (names.length === 0) throw new Error(`--frames ${dir}: no images (.pgm, .png, .jpg, .bmp)`);
	const out = path.join(temp, "frames");
	mkdirSync(out);
	names.forEach((name, i) => {
		// The index keeps the folder's order whatever the converted names sort as.
		const target = path.join(out, `${String(i).padStart(5, "0")}-${name.replace(IMAGE, "")}.pgm`);
		const source = path.join(dir, name);
		if (/\.pgm$/i.test(name)) copyFileSync(source, target);
		else writeFileSync(target, encodePgm(readGrayImage(source)));
	});
	return { dir: out, sources: names.map((name) => path.join(dir, name)) };
}

interface Frames {
	/** The folder the camera replays: NNNNN-name.pgm, NNNNN the index into `sources`. */
	dir: string;
	/** The user's files, in the camera's order. */
	sources: string[];
}

/** The user's file behind a replayed frame's name (NNNNN-...), or undefined. */
function sourceOf(frames: Frames, name: string): string | undefined {
	const index = /^(\d{5})-/.exec(name)?.[1];
	return index === undefined ? undefined : frames.sources[Number(index)];
}

/** The device names a frame by its replayed copy's name (NNNNN-...); the user gave another file. */
function userError(frames: Frames, error: string): string {
	return error.replace(/\bframe (\d{5}-[^\s:]*)/g, (whole, name: string) => {
		const source = sourceOf(frames, name);
		return source === undefined ? whole : `frame ${source}`;
	});
}

/** A face's smile and score; without them when the model could not be loaded (the record's error says why). */
export function smileText(face: FaceResult): string {
	return face.score === undefined ? "unscored" : `${face.smile ? "smile" : "no smile"} ${face.score.toFixed(2)}`;
}

/** The columns of wakeLine's lines. */
export const WAKE_HEADER = `  wake  time      reason    result                                    cost\n`;

/** One wake's line; a board's (no energy report, no replayed frames) is timed by `atMs` and costed by its awake time. */
export function wakeLine(
	index: number,
	energy: WakeReport | undefined,
	wake: WakeRecord | undefined,
	frames?: Frames,
	atMs = 0,
): string {
	const at = clock(energy?.atMs ?? atMs);
	const pin = energy ? energy.pin : wake?.pin;
	const reason = pin !== undefined ? `pin ${pin}` : (energy?.reason ?? wake?.reason ?? "?");
	let what: string;
	if (!wake) what = "(no record: the app stopped)";
	else if (wake.error) what = wake.error;
	else if (wake.faces.length === 0) what = "no face";
	else what = `${wake.faces.length} face${wake.faces.length > 1 ? "s" : ""}: ${wake.faces.map(smileText).join(", ")}`;
	const cost = energy
		? `awake ${energy.awakeMs.toFixed(1)} ms, ${energy.awakeCharge.toFixed(2)} mC`
		: wake
			? `awake ${wake.awakeMs.toFixed(1)} ms`
			: "";
	const source = wake?.frame === undefined || !frames ? undefined : sourceOf(frames, wake.frame);
	const frame = wake?.frame ? `  [${source === undefined ? wake.frame : path.basename(source)}]` : "";
	return `${String(index + 1).padStart(5)}  ${at}  ${reason.padEnd(8)}  ${what.padEnd(40)}  ${cost}${frame}`;
}

/** Ten years: longer runs are refused (the summary projects the battery's life from a shorter one). */
const MAX_HOURS = 87_660;

/** An mc/config override and the option that gave it. */
interface Override {
	option: string;
	override: string;
}

/**
 * The field app's settings, checked before the run by the app's own settingsFrom on XS
 * (modules/tools/check-settings.ts): a setting it refuses names the option that gave it (a bad
 * command line), or else the manifest.
 */
async function fieldSettings(
	build: HostBuild,
	config: Record<string, unknown>,
	overrides: readonly Override[],
	root: string,
): Promise<{ wakeEveryMs: number }> {
	const result = await runOnHost(build, { main: "tools/check-settings", config, root });
	const line = /^#settings (.*)$/m.exec(result.stdout)?.[1];
	if (result.status === 0 && line !== undefined) return JSON.parse(line) as { wakeEveryMs: number };
	const message = xsException(result.stderr)?.replace(/^\w*Error: /, "");
	if (message === undefined)
		throw new Error(`checking mc/config app on XS: ${result.stderr.trim() || `status ${result.status}`}`);
	const key = /^mc\/config (\S*?)\.?:/.exec(message)?.[1] ?? "app";
	// The last override of that setting, or of an object holding it, is the one the app saw.
	const given = [...overrides].reverse().find(({ override }) => {
		const set = override.slice(0, override.indexOf("="));
		return set === key || key.startsWith(`${set}.`);
	});
	if (given) throw new UsageError(`${given.option}: ${message}`);
	throw new Error(`${build.manifest.file}: ${message}`);
}

async function simulateField(values: Record<string, unknown>, root: string): Promise<number> {
	const text = (name: string) => values[name] as string | undefined;
	const report = text("report");
	if (report !== undefined) {
		if (!/\.(svg|html?)$/i.test(report))
			throw new UsageError(`--report ${report}: expected a .svg or .html file name`);
		checkWritable("--report", report);
	}
	const scenario = text("scenario") !== undefined ? readScenario(text("scenario") as string) : [];
	const inbox = text("inbox");
	if (inbox !== undefined && !statSync(inbox, { throwIfNoEntry: false })?.isDirectory())
		throw new Error(`--inbox ${inbox}: no such folder`);
	const bundles =
		inbox === undefined
			? []
			: readdirSync(inbox, { withFileTypes: true })
					.filter((entry) => entry.isFile() && entry.name.endsWith(".xsb"))
					.map((entry) => entry.name)
					.sort();
	if (inbox !== undefined && bundles.length === 0) throw new UsageError(`--inbox ${inbox}: no bundle (*.xsb) in it`);
	const hoursGiven = text("hours") === undefined ? undefined : Number(text("hours"));
	if (hoursGiven !== undefined && !(hoursGiven > 0 && hoursGiven <= MAX_HOURS))
		throw new UsageError(
			`--hours ${text("hours")}: expected a number of hours > 0, at most ${MAX_HOURS} (ten years)`,
		);
	const overrides: Override[] = ((values["config"] as string[] | undefined) ?? []).map((override) => ({
		option: `--config ${override}`,
		override,
	}));
	const every = text("wake-every");
	if (every !== undefined) {
		const ms = parseDuration(every);
		if (ms === undefined || ms <= 0)
			throw new UsageError(`--wake-every ${every}: expected a duration like 60s, 5m or 500ms`);
		// The field app's period, and examples/duty's.
		overrides.unshift(
			{ option: `--wake-every ${every}`, override: `app.wakeEveryMs=${ms}` },
			{ option: `--wake-every ${every}`, override: `power.wakeEveryMs=${ms}` },
		);
	}
	const main = text("main");
	const temp = makeTemp("sim");
	try {
		const frames = prepareFrames(path.resolve(text("frames") ?? DEFAULT_FRAMES), temp);
		const build = await buildHost();
		const config = overrideConfig(
			build.manifest.config,
			overrides.map(({ override }) => override),
		);
		const settings =
			main === undefined || main === build.manifest.creation.main
				? await fieldSettings(build, config, overrides, root)
				: undefined;
		const app = config["app"] as Record<string, unknown> | undefined;
		const period =
			settings?.wakeEveryMs ??
			(typeof app?.["wakeEveryMs"] === "number" && app["wakeEveryMs"] > 0 ? app["wakeEveryMs"] : 60_000);
		const hours = hoursGiven ?? (frames.sources.length * period) / 3_600_000;
		// The inbox's bundles as update events, half a period apart from the wakes; all in time order.
		const events = [
			...scenario,
			...bundles.map((name, i) => ({
				at: Math.round((i + 0.5) * period),
				type: "update" as const,
				bundle: path.join(inbox as string, name),
				where: `--inbox ${inbox}: ${name}`,
			})),
		].sort((a, b) => a.at - b.at);
		const power = config["power"] as Record<string, unknown> | undefined;
		const profile = selectProfile(text("profile"), power?.["profile"]);
		let state = DEFAULT_STATE;
		if (text("state") !== undefined) state = path.resolve(text("state") as string);
		else rmSync(state, { recursive: true, force: true });
		mkdirSync(state, { recursive: true });
		const dataRoot = deviceStore(
			state,
			root,
			events.some((event) => event.type === "update"),
		);
		const started = performance.now();
		const { report: energy, result } = await simulate({
			build,
			...(main ? { main } : {}),
			hours,
			profile,
			config,
			root: dataRoot,
			state,
			events: deliverUpdates(events, (config["update"] as Record<string, unknown> | undefined)?.["pin"], state),
			frames: frames.dir,
			timeoutMs: Math.max(600_000, hours * 60_000),
		});
		const seconds = (performance.now() - started) / 1000;
		const wakes = result.stdout
			.split("\n")
			.filter((line) => line.startsWith("#wake "))
			.map((line) => JSON.parse(line.slice(6)) as WakeRecord)
			.map((wake) => (wake.error === undefined ? wake : { ...wake, error: userError(frames, wake.error) }));
		const other = result.stdout.split("\n").filter((line) => line && !line.startsWith("#wake "));
		// A run that failed or was stopped has no summary: a battery life projected from it would be made up.
		const ok = result.status === 0;
		if (values["json"] === true) {
			process.stdout.write(`${JSON.stringify(fieldJson(energy, wakes, ok), null, 1)}\n`);
		} else {
			for (const line of other) process.stdout.write(`${line}\n`);
			printField(energy, wakes, frames, ok);
			process.stdout.write(
				`real time ${seconds.toFixed(2)} s; results log in ${path.relative(process.cwd(), state) || "."} (xsight log)\n`,
			);
		}
		process.stderr.write(result.stderr);
		if (report !== undefined && ok) {
			writeFileSync(report, /\.svg$/i.test(report) ? reportSvg(energy) : reportHtml(energy));
			if (values["json"] !== true) process.stdout.write(`report: ${report}\n`);
		}
		return result.status;
	} finally {
		removeTemp(temp);
	}
}

function totals(wakes: readonly WakeRecord[]) {
	const faces = wakes.reduce((n, w) => n + w.faces.length, 0);
	const smiles = wakes.reduce((n, w) => n + w.faces.filter((f) => f.smile).length, 0);
	const failed = wakes.filter((w) => w.error?.startsWith("camera ")).length;
	return { faces, smiles, failedCaptures: failed };
}

function printField(energy: EnergyReport, wakes: readonly WakeRecord[], frames: Frames, summary: boolean): void {
	const rows = Math.max(energy.wakes.length, wakes.length);
	if (wakes.length > 0 || rows > 0) process.stdout.write(WAKE_HEADER);
	for (let i = 0; i < rows; i++) process.stdout.write(`${wakeLine(i, energy.wakes[i], wakes[i], frames)}\n`);
	const t = totals(wakes);
	process.stdout.write(
		`${wakes.length} records: ${t.faces} faces, ${t.smiles} smiles${t.failedCaptures ? `, ${t.failedCaptures} failed captures` : ""}\n`,
	);
	if (summary) process.stdout.write(`${formatSummary(energy, { wakes: false })}\n`);
}

function fieldJson(energy: EnergyReport, wakes: readonly WakeRecord[], summary: boolean) {
	return {
		wakes: energy.wakes.map((w, i) => ({ ...w, record: wakes[i] ?? null })),
		totals: totals(wakes),
		...(summary ? { summary: energy.summary } : {}),
	};
}
