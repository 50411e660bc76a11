// The record of the running field update (/update.json): which slot of the
// file store the app runs, and its settings. Small on purpose: the field app
// reads it after its retained store was lost, and nothing else of the
// update modules then.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";

/** The record that names the running slot; written whole as RECORD.new, then renamed over it. */
export const RECORD = "/update.json";

/** What RECORD holds: the running slot, its version, and where its files are (data-root paths). */
export interface UpdateRecord {
	slot: "a" | "b";
	version: number;
	/** The slot's model and cascade, when the update brought them. */
	model?: string;
	cascade?: string;
	/** The update's mc/config app settings, over the firmware's. */
	app?: Record<string, unknown>;
	/** The slot it replaced (absent: the firmware's own files). */
	previous?: Omit<UpdateRecord, "previous">;
	/** The version that failed its probation, when this record is the one it was rolled back to: no bundle up to it installs. */
	rolledBack?: number;
}

/** The running update's record, or undefined when the device runs its firmware's files (or RECORD is unreadable: then too). */
export function runningUpdate(): UpdateRecord | undefined {
	if (!File.exists(RECORD)) return undefined;
	const file = new File(RECORD);
	try {
		const record = JSON.parse(file.read(String) as string) as UpdateRecord;
		return typeof record === "object" && record !== null && (record.slot === "a" || record.slot === "b")
			? record
			: undefined;
	} catch {
		return undefined;
	} finally {
		file.close();
	}
}

/** The app's settings (mc/config app) with an update's over them. */
export function appConfig(
	base: Record<string, unknown>,
	record: Omit<UpdateRecord, "previous"> | undefined,
): Record<string, unknown> {
	if (!record) return base;
	return {
		...base,
		...record.app,
		...(record.model ? { model: record.model } : {}),
		...(record.cascade ? { cascade: record.cascade } : {}),
	};
}

/** Make `record` the running update: written whole as RECORD.new, then renamed over RECORD (atomic). */
export function writeRecord(record: UpdateRecord): void {
	const temp = `${RECORD}.new`;
	if (File.exists(temp)) File.delete(temp);
	const file = new File(temp, true);
	try {
		file.write(JSON.stringify(record));
		file.flush();
	} finally {
		file.close();
	}
	if (!File.rename(temp, RECORD)) throw new Error(`update: cannot rename ${temp} to ${RECORD}`);
}

/**
 * Return to the update the running one replaced (or to the firmware's files):
 * the running update failed its probation. Returns what it left and what it
 * runs now, or undefined when no update was running.
 */
export function rollBack(): { from: UpdateRecord; to: Omit<UpdateRecord, "previous"> | undefined } | undefined {
	const running = runningUpdate();
	if (!running) return undefined;
	// Back to the firmware's files: a record of version 0 with nothing in it, kept for the floor.
	const to = running.previous ?? { slot: running.slot === "a" ? "b" : "a", version: 0 };
	writeRecord({ ...to, rolledBack: running.version });
	return { from: running, to: running.previous };
}
