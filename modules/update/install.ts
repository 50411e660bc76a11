// A field update installed on the device: the bundle checked (signature,
// hashes, a version above the running one), its files written into the
// inactive slot of the file store, each checked as the app will use it (the
// settings pass the boot check, the cascade loads, the model compiles), the
// self-test frame looked at as a wake would and its faces compared with the
// bundle's, then one atomic record switches the app to the new slot. Until that record is
// renamed into place the running set is untouched, so a power loss at any
// write leaves the old set or the new one, never a mix. Every step, and any
// refusal with its reason, is a record in the results log.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
import { classifierOf, classify, largestFaces } from "field/look";
import type { FaceResult } from "field/record";
import { settingsFrom } from "field/settings";
import type { Model } from "nn";
import type { ResultLog } from "resultlog";
import { type Bundle, BundleError, type ExpectedFace, readBundle } from "update/bundle";
import { appConfig, runningUpdate, type UpdateRecord, writeRecord } from "update/record";
import { Cascade } from "vision";
import { readPgm } from "vision/frame";

/** Where a slot keeps a bundle's file (the store is flat: the slot is a prefix). */
function slotPath(slot: "a" | "b", name: string): string {
	return `/update-${slot}.${name}`;
}

/** `bytes` as the file `path`, written a chunk at a time and flushed. */
function writeFile(path: string, bytes: Uint8Array): void {
	if (File.exists(path)) File.delete(path); // a leftover of an install that was cut short
	const file = new File(path, true);
	try {
		// A chunk at a time: a copy of a whole model would be a peak in a small heap.
		for (let offset = 0; offset < bytes.length; offset += 4096)
			file.write(bytes.slice(offset, offset + 4096).buffer);
		file.flush();
	} finally {
		file.close();
	}
}

export interface InstallOptions {
	/** The firmware's Ed25519 public key (mc/config update.publicKey). */
	publicKey: Uint8Array;
	/** The firmware's mc/config app. */
	app: Record<string, unknown>;
	log: ResultLog;
	/** The model's check: it compiles for this board (Model.load). Given by the caller, which imports nn only for an update. */
	loadModel: (path: string) => Promise<Model>;
	/** Called just before the switch: the caller forgets what it keeps of the running update (its retained copy). */
	beforeSwitch?: () => void;
}

/**
 * Install the bundle in `bytes`. Returns the new record when the device
 * switched to it, or undefined when the bundle was refused (the reason is in
 * the log, the running set untouched).
 */
export async function install(bytes: Uint8Array, options: InstallOptions): Promise<UpdateRecord | undefined> {
	const { log } = options;
	const step = (what: string, details: Record<string, unknown> = {}) =>
		log.append(JSON.stringify({ update: what, ...details }));
	const running = runningUpdate();
	let bundle: Bundle;
	try {
		bundle = readBundle(bytes, options.publicKey);
	} catch (error) {
		if (!(error instanceof BundleError)) throw error;
		step("refused", { reason: error.message });
		return undefined;
	}
	const runningVersion = running?.version ?? 0;
	// A version rolled back from stays refused, as does any below it.
	const floor = Math.max(runningVersion, running?.rolledBack ?? 0);
	if (bundle.version <= floor) {
		const above = floor > runningVersion ? `${floor}, which failed its probation` : `the running ${runningVersion}`;
		step("refused", { version: bundle.version, reason: `version ${bundle.version} is not above ${above}` });
		return undefined;
	}
	step("verified", { version: bundle.version, files: bundle.files.map((file) => `${file.role} ${file.name}`) });
	const slot = running?.slot === "a" ? "b" : "a";
	const record: UpdateRecord = { slot, version: bundle.version };
	for (const file of bundle.files) {
		const path = slotPath(slot, file.name);
		writeFile(path, file.bytes);
		if (file.role === "model" || file.role === "cascade") record[file.role] = path;
	}
	step("written", { version: bundle.version, slot });
	const failed = (what: string, error: unknown) => {
		step("refused", { version: bundle.version, reason: `${what}: ${(error as Error).message}` });
		return undefined;
	};
	const config = bundle.files.find((file) => file.role === "config");
	if (config) {
		let text = "";
		for (const byte of config.bytes) text += String.fromCharCode(byte);
		try {
			const app = JSON.parse(text) as unknown;
			if (typeof app !== "object" || app === null || Array.isArray(app))
				throw new Error("expected an object of mc/config app settings");
			record.app = app as Record<string, unknown>;
		} catch (error) {
			return failed(`settings ${config.name}`, error);
		}
	}
	let settings: ReturnType<typeof settingsFrom>;
	try {
		settings = settingsFrom(appConfig(options.app, record));
	} catch (error) {
		return failed(`settings${config ? ` ${config.name}` : ""}`, error);
	}
	let cascade: Cascade;
	try {
		cascade = Cascade.load(settings.cascade, settings.stages === undefined ? {} : { stages: settings.stages });
	} catch (error) {
		return failed(`cascade ${settings.cascade}`, error);
	}
	let model: Model;
	try {
		model = await options.loadModel(settings.model);
	} catch (error) {
		return failed(`model ${settings.model}`, error);
	}
	step("checked", { version: bundle.version, slot });
	const frameFile = bundle.files.find((file) => file.role === "self-test");
	if (bundle.selfTest && frameFile) {
		let found: FaceResult[];
		try {
			// The app's own look at a frame (field/look), with the new set: what a wake will find.
			const classifier = classifierOf(model, settings.model);
			const frame = readPgm(slotPath(slot, frameFile.name));
			try {
				found = largestFaces(frame, cascade, settings).map((face) =>
					classify(frame, face, classifier, settings),
				);
			} finally {
				frame.close();
			}
		} catch (error) {
			return failed(`self-test ${frameFile.name}`, error);
		}
		const differs = selfTestDiffers(bundle.selfTest.faces, found);
		if (differs) return failed(`self-test ${frameFile.name}`, new Error(differs));
		step("self-tested", { version: bundle.version, faces: found.length });
	}
	if (running && running.version > 0) {
		const { previous: _, rolledBack: __, ...replaced } = running;
		record.previous = replaced;
	}
	// The switch: one rename, atomic on every board's store. A power loss from here on leaves the
	// caller nothing kept of the old update: its next boot reads the record, whichever it is.
	options.beforeSwitch?.();
	writeRecord(record);
	step("switched", { version: bundle.version, slot, from: runningVersion });
	return record;
}

/** How the faces found differ from the bundle's (in order, box and label), or "" when they do not. */
function selfTestDiffers(expected: readonly ExpectedFace[], found: readonly FaceResult[]): string {
	const text = (faces: readonly (ExpectedFace | FaceResult)[]) =>
		faces
			.map(
				({ x, y, width, height, smile }) =>
					`${x},${y} ${width}x${height}${smile === undefined ? "" : smile ? " smile" : " no smile"}`,
			)
			.join("; ") || "no face";
	const same =
		expected.length === found.length &&
		expected.every((e, i) => {
			const f = found[i];
			return (
				f !== undefined &&
				e.x === f.x &&
				e.y === f.y &&
				e.width === f.width &&
				e.height === f.height &&
				(e.smile === undefined || e.smile === f.smile)
			);
		});
	return same ? "" : `expected ${text(expected)}, found ${text(found)}`;
}
