// The field app: wake, look once, find faces, classify each as smiling or
// not, record the result where no power loss can corrupt it, sleep.
// SPDX-License-Identifier: Apache-2.0
//
// Every boot is a wake from Standby (or the first power-on): the app starts
// from scratch, so whatever must outlive a sleep is in retained memory (the
// counters, the camera's last exposure, where the log ends) or in the results
// log. Everything the work needs (the cascade, the model) is loaded before the
// camera is powered (the model, after an alarm or a pin, only once a face
// needs it), and any setting or file that is wrong stops the app with a clear
// error *before* it sleeps: a device that sleeps with a broken setup only
// wastes its battery. After an alarm or a pin the setup has passed that check
// at power-on: a cascade or model that fails to load then is that wake's
// error, recorded, and the device sleeps as planned and tries again at the
// next wake (a stopped device would record nothing more at all).
//
// One line per wake goes to the console as `#wake {json}` (machine-readable;
// `xsight sim` turns it into its per-wake line) and one record per wake to the
// results log. Each phase ends with a mark() (boards that count report the
// per-wake breakdown with the sleep); the retained store is written once, at
// the end of the wake.
import { Camera, type Capture } from "camera";
import { announce, asked } from "console/device";
import { type Classifier, classifierOf, classify, largestFaces } from "field/look";
import type { WakeRecord } from "field/record";
import { settingsFrom, type Settings } from "field/settings";
import config from "mc/config";
import { checkSleep, count, lastAbort, mark, Rising, report, retained, sleep, type WakePin, wake } from "power";
import { ResultLog, type LogPosition } from "resultlog";
import { Cascade } from "vision";

/** Bump when the retained layout changes: an older store is then reset, not misread. */
const RETAINED_VERSION = 1;

// From the board's start to here: the XS machine, and the imports (each module's body) this one needs.
mark("imports");
const bootTime = Date.now();
const warnings: string[] = [];

// ---- 1. settings and retained state
// A field update's settings ("" for none) are kept in retained memory; only when they are not there
// (the store lost, an install cut short) is the update's record read (modules/update/record.ts), so a
// normal wake reads nothing.
const keptApp = retained.status === "ok" ? retained.get("updateApp") : undefined;
let updateApp = typeof keptApp === "string" ? keptApp : await restoredUpdate();
// The first boot on a new update is on probation: it counts in retained memory before its work and clears
// the count when it reaches its sleep; after two boots that did not, the device returns to the previous set.
const trial = retained.status === "ok" ? retained.get("updateTrial") : undefined;
if (typeof trial === "number") {
	if (trial >= 2) updateApp = await rolledBack();
	else retained.set("updateTrial", trial + 1);
}
const settings: Settings = settingsFrom(updateApp ? JSON.parse(updateApp) : config["app"]);
// The board's update channel wakes the app on this pin (modules/update/channel.ts).
const updatePin = (config["update"] as { pin?: unknown } | undefined)?.pin;
const wakeOnPins: readonly WakePin[] =
	typeof updatePin === "number" ? [...settings.wakeOnPins, { pin: updatePin, edge: Rising }] : settings.wakeOnPins;
// The sleep this wake will end with, checked now: wrong wake pins must stop the app before the work.
// (The period is checked with the settings: what is left is the pins, which only the board knows.)
try {
	checkSleep({
		mode: "standby",
		wakeAfterMs: settings.wakeEveryMs,
		...(wakeOnPins.length ? { wakeOnPins } : {}),
	});
} catch (error) {
	throw new RangeError(`mc/config app.wakeOnPins: ${(error as Error).message}`);
}
mark("config");
const woke = wake();
/** After an alarm or a pin; otherwise (power-on, reset, watchdog) the setup is checked up front. */
const scheduled = woke.reason === "rtc" || woke.reason === "pin";
const storeStatus = retained.status;
if (storeStatus === "corrupt" || storeStatus === "incompatible")
	warnings.push(`retained store was ${storeStatus}: reset`);
retained.require(RETAINED_VERSION);
// The last wake ran out of memory (or stack): its XS stopped before it could write its record or
// its retained state, and the board slept to this wake. This record says so, with where it happened;
// the wakes that stopped (the board counts them: "(N wakes in a row)") still count as boots.
const aborted = lastAbort();
const abortedWakes = aborted ? Number(/\((\d+) wakes in a row\)$/.exec(aborted)?.[1] ?? 1) : 0;
const boot = retained.number("boots", 0) + 1 + abortedWakes;
if (aborted) warnings.push(`wake ${boot - 1} stopped: ${aborted}`);
const start = retained.number("start", bootTime);
const record: WakeRecord = {
	boot,
	time: bootTime,
	reason: woke.reason,
	...(woke.pin === undefined ? {} : { pin: woke.pin }),
	faces: [],
	awakeMs: 0,
};
mark("retained");

// ---- 2. what the work needs, before any power is spent on the camera
let cascade: Cascade | undefined;
try {
	cascade = Cascade.load(settings.cascade, settings.stages === undefined ? {} : { stages: settings.stages });
} catch (error) {
	recordOrStop("cascade", error);
}
mark("cascade");
// The model is loaded up front after a power-on or a reset, so a bad model stops the app before it
// ever sleeps; after an alarm or a pin it is loaded only when a face needs it: parsing it costs
// about 54 M instructions on the Cortex-M7, some 40% of a wake that finds no face
// (docs/benchmarks.md).
let classifier: Classifier | undefined = scheduled ? undefined : await loadClassifier();
const log = openLog();
if (log.recovery.droppedBytes > 0)
	warnings.push(`results log: dropped a torn tail of ${log.recovery.droppedBytes} bytes`);
mark("log-open");

// ---- 3. look (not without a cascade: the frame would go unused)
const lastExposure = retained.number("exposureUs", 0);
let camera: Camera | undefined;
let capture: Capture | undefined;
if (cascade) {
	try {
		camera = new Camera({ size: settings.frameSize, ...(lastExposure > 0 ? { exposureUs: lastExposure } : {}) });
		capture = camera.capture();
		// The frame is in C memory now: the sensor (about 40 mA) need not stay on while we look at it.
		camera.standby();
		record.frame = capture.source;
	} catch (error) {
		// The board's message starts with the failing call (open, capture).
		record.error = `camera ${(error as Error).message}`;
	}
	mark("capture");
}

// ---- 4. faces, then a smile score for each
const frame = camera && capture ? camera.frame : undefined;
const faces = frame && cascade ? largestFaces(frame, cascade, settings) : [];
mark("detect");
if (faces.length > 0 && !classifier) {
	try {
		classifier = await loadClassifier();
	} catch (error) {
		recordOrStop("model", error);
	}
}
if (frame) record.faces = faces.map((face) => classify(frame, face, classifier, settings));
camera?.close();

// ---- 5. record, then sleep
const smiles = record.faces.filter((face) => face.smile).length;
if (warnings.length) record.warnings = warnings;
record.awakeMs = Date.now() - bootTime;
// The record as JSON once: for the log, the tool that runs the board and the console.
const recordJson = JSON.stringify(record);
log.append(recordJson);
// A field update, when its channel woke the app (its pin), or when the last wake's console session received one
// into the inbox (`xsight update --port`: retained updateWaiting): installed now, used from the next wake.
const updateWaiting = retained.status === "ok" && retained.get("updateWaiting") === true;
const installed =
	(woke.reason === "pin" && woke.pin === updatePin) || updateWaiting
		? await (await import("update/channel")).receiveUpdate(
				log,
				config["app"] as Record<string, unknown>,
				config["update"],
			)
		: undefined;
const position = log.position;
log.close();
mark("log");
// The wake's state in one write, after the log: a power loss before it leaves the previous wake's
// (the log position then does not match the log: a full scan next time, never a lost record).
retained.update({
	boots: boot,
	start,
	faces: retained.number("faces", 0) + record.faces.length,
	smiles: retained.number("smiles", 0) + smiles,
	...(capture ? { exposureUs: capture.exposureUs } : {}),
	...(position ? { log: JSON.stringify(position) } : {}),
	updateApp: installed ?? updateApp,
	// A new update's probation starts at the next boot; this one reached its sleep.
	...(installed === undefined ? {} : { updateTrial: 0 }),
});
if (installed === undefined && typeof trial === "number" && trial < 2) retained.delete("updateTrial");
// The console's bundle is taken (installed or refused, its steps in the log): an update wake's second write.
if (updateWaiting) retained.delete("updateWaiting");
mark("retained-save");
report(recordJson);
// The same record as a frame on the console UART (`xsight monitor`); a host holding the line gets
// its commands answered now (`xsight log --port`), before the sleep.
announce(recordJson, start);
if (asked())
	await (await import("console/session")).serve({
		log: settings.log,
		model: settings.model,
		cascade: settings.cascade,
	});

// Wake on the period's grid from the first boot (start), as an RTC alarm does, so the
// time spent awake does not make the schedule drift.
const now = Date.now();
const next = start + (Math.floor((now - start) / settings.wakeEveryMs) + 1) * settings.wakeEveryMs;
sleep({
	mode: "standby",
	wakeAfterMs: next - now,
	...(wakeOnPins.length ? { wakeOnPins } : {}),
});

/** The running update's settings as JSON, from its record ("" without one), and a warning saying which it is. */
async function restoredUpdate(): Promise<string> {
	const { appConfig, runningUpdate } = await import("update/record");
	const running = runningUpdate();
	if (!running) return "";
	warnings.push(`running update version ${running.version} (slot ${running.slot}), read from its record`);
	return JSON.stringify(appConfig(config["app"] as Record<string, unknown>, running));
}

/** The settings of the update before the one on probation, as JSON ("" for the firmware's), with the warning that says why. */
async function rolledBack(): Promise<string> {
	const { appConfig, rollBack } = await import("update/record");
	const back = rollBack();
	retained.delete("updateTrial");
	if (!back) return "";
	warnings.push(
		`update version ${back.from.version} rolled back to ${back.to ? `version ${back.to.version} (slot ${back.to.slot})` : "the firmware's files"}: 2 boots on it stopped before their sleep`,
	);
	return back.to ? JSON.stringify(appConfig(config["app"] as Record<string, unknown>, back.to)) : "";
}

/**
 * A cascade or model that did not load: after an alarm or a pin, this wake's
 * error ("model models/x.tflite: ..."), and the wake goes on without it;
 * after a power-on or a reset it stops the app, before it ever sleeps.
 */
function recordOrStop(what: string, error: unknown): void {
	if (!scheduled) throw error;
	record.error = `${what} ${(error as Error).message}`;
}

/**
 * The results log, resumed from the position kept in retained memory. That
 * memory keeps whatever was last in it: a position that does not parse, is
 * refused or does not match the log costs a full scan and a warning, never
 * the wake.
 */
function openLog(): ResultLog {
	const options = { maxBytes: settings.logMaxBytes };
	const kept = retained.string("log", "");
	if (!kept) return new ResultLog(settings.log, options);
	let resumed: ResultLog;
	try {
		resumed = new ResultLog(settings.log, { ...options, resume: JSON.parse(kept) as LogPosition });
	} catch (error) {
		warnings.push(`results log: retained position unusable (${(error as Error).message}): read it whole`);
		return new ResultLog(settings.log, options);
	}
	if (!resumed.recovery.resumed)
		warnings.push("results log: retained position does not match the log: read it whole");
	return resumed;
}

async function loadClassifier(): Promise<Classifier> {
	// Imported only when a model is needed (field-wake-<n>-nn-import on the M7): a wake without a
	// face need not spend it. From a valid plan that is nn's small runtime; the compiler comes only
	// when the plan must be rebuilt.
	const { Model } = await import("nn");
	mark("nn-import");
	const model = await Model.load(settings.model);
	count("nn.loads", 1);
	const classifier = classifierOf(model, settings.model);
	mark("model");
	return classifier;
}
