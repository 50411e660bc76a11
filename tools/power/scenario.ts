// Scenario files: what happens around the simulated board, at virtual times
// from power-on. JSON:
//   { "events": [
//       { "at": "90s", "type": "pin", "pin": 3, "edge": "rising" },
//       { "at": 3600000, "type": "rtc" } ] }
// "at" is milliseconds or a duration ("500ms", "90s", "10m", "2h"); pins are
// the board's wake pins. An RTC event is an alarm set outside the app; a pin
// edge wakes the board only when its sleep listens to that pin and edge; a
// reset ({ "at": ..., "type": "reset" }) reboots it from any sleep mode; an
// update ({ "at": "2h", "type": "update", "bundle": "U.xsb" }, the path from
// the scenario's folder) is the board's update channel: the bundle waits in
// the state folder's inbox and the channel's pin (mc/config update.pin) rises.
// Errors name the file, the field and the event's line.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseJsonFile } from "./profile";

/** The host simulator's wake pins (host-sim/power.c: the H743's WKUP1..6 as 0..5). */
export const HOST_WAKE_PINS = [0, 1, 2, 3, 4, 5];

export type ScenarioEvent =
	| { at: number; type: "rtc" | "reset" }
	| { at: number; type: "pin"; pin: number; edge: 1 | 2 }
	| { at: number; type: "update"; bundle: string; where: string };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from a number (ms) or "N[ms|s|m|min|h|d]"; undefined when it is neither. */
export function parseDuration(value: unknown): number | undefined {
	if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
	if (typeof value !== "string") return undefined;
	const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/.exec(value);
	if (!match) return undefined;
	return Number(match[1]) * (UNITS[match[2] ?? "ms"] ?? 1);
}

/** The line of the index-th object in the "events" array (events are flat objects). */
function eventLine(text: string, index: number): number | undefined {
	const start = text.search(/"events"\s*:\s*\[/);
	if (start < 0) return undefined;
	let depth = 0;
	let seen = -1;
	let inString = false;
	for (let i = text.indexOf("[", start) + 1; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === "\\") i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === "{" || c === "[") {
			if (depth === 0 && ++seen === index) return text.slice(0, i).split("\n").length;
			depth++;
		} else if (c === "}" || c === "]") {
			if (depth === 0) return undefined;
			depth--;
		}
	}
	return undefined;
}

export function parseScenario(file: string, text: string): ScenarioEvent[] {
	const json = parseJsonFile(file, text);
	if (typeof json !== "object" || json === null || Array.isArray(json))
		throw new Error(`${file}: expected an object { "events": [...] }`);
	for (const key of Object.keys(json))
		if (key !== "events") throw new Error(`${file}: ${key}: unknown field (expected "events")`);
	const events = (json as Record<string, unknown>)["events"];
	if (!Array.isArray(events)) throw new Error(`${file}: events: expected an array of { at, type, ... }`);
	const result: ScenarioEvent[] = events.map((event: unknown, index) => {
		const line = eventLine(text, index);
		const where = `${file}${line ? `:${line}` : ""}: events[${index}]`;
		if (typeof event !== "object" || event === null || Array.isArray(event))
			throw new Error(`${where}: expected an object { at, type, ... }`);
		const e = event as Record<string, unknown>;
		const at = parseDuration(e["at"]);
		if (at === undefined)
			throw new Error(
				`${where}.at: expected milliseconds or a duration like "90s", got ${JSON.stringify(e["at"])}`,
			);
		if (e["type"] === "rtc" || e["type"] === "reset") {
			for (const key of Object.keys(e))
				if (key !== "at" && key !== "type")
					throw new Error(`${where}.${key}: unknown field for an ${e["type"]} event`);
			return { at, type: e["type"] };
		}
		if (e["type"] === "pin") {
			for (const key of Object.keys(e))
				if (!["at", "type", "pin", "edge"].includes(key))
					throw new Error(`${where}.${key}: unknown field for a pin event`);
			const pin = e["pin"];
			if (typeof pin !== "number" || !HOST_WAKE_PINS.includes(pin))
				throw new Error(
					`${where}.pin: expected a wake pin (${HOST_WAKE_PINS.join(", ")}), got ${JSON.stringify(pin)}`,
				);
			const edge =
				e["edge"] === "rising" || e["edge"] === 1
					? 1
					: e["edge"] === "falling" || e["edge"] === 2
						? 2
						: undefined;
			if (edge === undefined)
				throw new Error(`${where}.edge: expected "rising" or "falling", got ${JSON.stringify(e["edge"])}`);
			return { at, type: "pin", pin, edge };
		}
		if (e["type"] === "update") {
			for (const key of Object.keys(e))
				if (!["at", "type", "bundle"].includes(key))
					throw new Error(`${where}.${key}: unknown field for an update event`);
			if (typeof e["bundle"] !== "string" || !e["bundle"])
				throw new Error(
					`${where}.bundle: expected the path of a bundle (xsight bundle), got ${JSON.stringify(e["bundle"])}`,
				);
			const bundle = path.resolve(path.dirname(file), e["bundle"]);
			if (!existsSync(bundle)) throw new Error(`${where}.bundle: ${bundle}: no such file`);
			return { at, type: "update", bundle, where };
		}
		throw new Error(`${where}.type: expected "rtc", "reset", "pin" or "update", got ${JSON.stringify(e["type"])}`);
	});
	return result.sort((a, b) => a.at - b.at);
}

export function readScenario(file: string): ScenarioEvent[] {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		throw new Error(`--scenario ${file}: ${(error as Error).message}`);
	}
	return parseScenario(file, text);
}

/**
 * The data root a run on the state folder `state` reads. A field update writes its slots into the
 * device's file store, so once one is delivered (`updating`) the store is the state folder's own copy of
 * `root` (root/, kept with the retained memory it goes with), never the root given; later runs on that
 * state folder go on from it.
 */
export function deviceStore(state: string, root: string, updating: boolean): string {
	const store = path.join(state, "root");
	if (updating && !existsSync(store)) cpSync(root, store, { recursive: true });
	return existsSync(store) ? store : root;
}

/**
 * The update events as the board's channel delivers them: each bundle copied
 * into the state folder's inbox (inbox-1.xsb, inbox-2.xsb... in time order)
 * and a rising edge on the channel's pin, `pin` (mc/config update.pin).
 */
export function deliverUpdates(events: readonly ScenarioEvent[], pin: unknown, state: string): ScenarioEvent[] {
	let n = 0;
	return events.map((event) => {
		if (event.type !== "update") return event;
		if (typeof pin !== "number" || !HOST_WAKE_PINS.includes(pin))
			throw new Error(
				`${event.where}: an update needs mc/config update.pin, the wake pin of the board's update channel (${HOST_WAKE_PINS.join(", ")}), got ${JSON.stringify(pin)}`,
			);
		copyFileSync(event.bundle, path.join(state, `inbox-${++n}.xsb`));
		return { at: event.at, type: "pin", pin, edge: 1 };
	});
}

/** The simulator's scenario lines (host-sim/power.c); update events are delivered first (deliverUpdates). */
export function scenarioLines(events: readonly ScenarioEvent[]): string {
	return events
		.map((e) => {
			if (e.type === "update") throw new Error(`${e.where}: an update event not delivered`);
			return e.type === "pin" ? `${e.at} pin ${e.pin} ${e.edge}\n` : `${e.at} ${e.type}\n`;
		})
		.join("");
}
