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
