// Energy accounting: the simulator's power trace (host-sim/power.c, JSON
// lines) priced with a power profile: charge per wake, per state, average
// current and battery life.
// SPDX-License-Identifier: Apache-2.0
import { SLEEP_STATES, stateCurrent, type Currents, type PowerProfile, type SleepState } from "./profile";

export type PowerState = keyof Currents;

/** One stretch of constant current: for the timeline. */
export interface Segment {
	from: number; // us since power-on
	to: number;
	mA: number;
}

export interface WakeReport {
	/** Boot number (a Stop's wake keeps its boot's number). */
	boot: number;
	reason: string;
	pin?: number;
	/** Virtual time of the wake, ms. */
	atMs: number;
	awakeMs: number;
	/** Charge while awake (MCU run + camera), mC. */
	awakeCharge: number;
	/** The sleep that followed: mode, ms, mC. */
	sleep?: { mode: string; ms: number; charge: number };
	counts: Record<string, number>;
	/**
	 * Where the awake time went, ms by phase in the order they first ended: the
	 * app's power.mark()s (the field app's "config", "detect"...; a name marked
	 * again adds up), the board's "boot" before it, and "sleep" from the last
	 * mark to the sleep's entry. Empty when nothing marked.
	 */
	parts: Record<string, number>;
}

export interface EnergySummary {
	hours: number;
	wakes: number;
	boots: number;
	/** Total charge, mC (= mA s). */
	charge: number;
	averageMa: number;
	batteryHours: number;
	batteryDays: number;
	/** Energy drawn from the battery, mWh (charge at the battery's volts). */
	energyMwh: number;
	byState: Record<PowerState, { ms: number; charge: number }>;
	end: string;
}

export interface EnergyReport {
	profile: PowerProfile;
	wakes: WakeReport[];
	segments: Segment[];
	summary: EnergySummary;
}

interface TraceLine {
	t: "wake" | "mark" | "awake" | "sleep" | "end";
	[key: string]: unknown;
}

export const STATES: PowerState[] = ["run", "sleep", "stop", "standby", "cameraOn", "cameraStandby"];

/** mA for `us` microseconds, in mC. */
function charge(mA: number, us: number): number {
	return (mA * us) / 1e6;
}

/**
 * A sleep is charged its state's parts, the sensor's included, for its whole
 * length; a camera the app left streaming through it adds cameraOn. The
 * camera's standby figure is the sensor's while the MCU is awake.
 */
export function account(trace: string, profile: PowerProfile): EnergyReport {
	const c = Object.fromEntries(STATES.map((s) => [s, stateCurrent(profile.currents, s)])) as Record<
		PowerState,
		number
	>;
	const byState = Object.fromEntries(STATES.map((s) => [s, { ms: 0, charge: 0 }])) as EnergySummary["byState"];
	const add = (state: PowerState, us: number) => {
		byState[state].ms += us / 1000;
		byState[state].charge += charge(c[state], us);
	};
	const wakes: WakeReport[] = [];
	const segments: Segment[] = [];
	let end = "trace ended early";
	let endUs = 0;
	let boots = 0;
	/** us of the last mark in this wake, or undefined before its first. */
	let markedAt: number | undefined;
	const addPart = (wake: WakeReport, name: string, to: number) => {
		wake.parts[name] = (wake.parts[name] ?? 0) + (to - (markedAt ?? wake.atMs * 1000)) / 1000;
		markedAt = to;
	};
	for (const [index, text] of trace.split("\n").entries()) {
		if (!text.trim()) continue;
		let line: TraceLine;
		try {
			line = JSON.parse(text) as TraceLine;
		} catch {
			throw new Error(`power trace line ${index + 1}: not JSON: ${text.slice(0, 80)}`);
		}
		const current = wakes[wakes.length - 1];
		if (line.t === "wake") {
			if (!line["resume"]) boots++;
			const pin = line["pin"] as number;
			wakes.push({
				boot: line["boot"] as number,
				reason: line["reason"] as string,
				...(pin >= 0 ? { pin } : {}),
				atMs: (line["at"] as number) / 1000,
				awakeMs: 0,
				awakeCharge: 0,
				counts: {},
				parts: {},
			});
			markedAt = undefined;
		} else if (line.t === "mark" && current) {
			addPart(current, line["name"] as string, line["at"] as number);
		} else if (line.t === "awake" && current) {
			const from = line["from"] as number;
			const to = line["to"] as number;
			const camera = line["camera"] as { on: number; standby: number };
			const counts = line["counts"] as Record<string, number>;
			// Work the core waits for in Sleep (the profile's inSleep: a frame's DMA, the sensor's reset) is charged at Sleep's current.
			const asleep = Math.min(
				to - from,
				profile.inSleep.reduce((us, name) => us + (counts[name] ?? 0) * (profile.costUs[name] ?? 0), 0),
			);
			add("run", to - from - asleep);
			add("sleep", asleep);
			add("cameraOn", camera.on);
			add("cameraStandby", camera.standby);
			current.awakeMs += (to - from) / 1000;
			current.awakeCharge +=
				charge(c.run, to - from - asleep) +
				charge(c.sleep, asleep) +
				charge(c.cameraOn, camera.on) +
				charge(c.cameraStandby, camera.standby);
			current.counts = counts;
			if (markedAt !== undefined) addPart(current, "sleep", to);
			// The timeline shows the camera's average over the wake.
			const cameraMa =
				to > from
					? ((charge(c.cameraOn, camera.on) + charge(c.cameraStandby, camera.standby)) * 1e6) / (to - from)
					: 0;
			const awakeMa =
				to > from ? ((charge(c.run, to - from - asleep) + charge(c.sleep, asleep)) * 1e6) / (to - from) : c.run;
			segments.push({ from, to, mA: awakeMa + cameraMa });
			endUs = to;
		} else if (line.t === "sleep" && current) {
			const mode = line["mode"] as "sleep" | "stop" | "standby";
			const from = line["from"] as number;
			const to = line["to"] as number;
			const streaming = line["camera"] === "on";
			add(mode, to - from);
			if (streaming) add("cameraOn", to - from);
			const mA = c[mode] + (streaming ? c.cameraOn : 0);
			current.sleep = { mode, ms: (to - from) / 1000, charge: charge(mA, to - from) };
			segments.push({ from, to, mA });
			endUs = to;
		} else if (line.t === "end") {
			end = line["why"] as string;
			endUs = Math.max(endUs, line["at"] as number);
		}
	}
	const total = STATES.reduce((sum, s) => sum + byState[s].charge, 0);
	const seconds = endUs / 1e6;
	const averageMa = seconds > 0 ? total / seconds : 0;
	const batteryHours = averageMa > 0 ? profile.battery.capacityMah / averageMa : Infinity;
	return {
		profile,
		wakes,
		segments,
		summary: {
			hours: seconds / 3600,
			wakes: wakes.length,
			boots,
			charge: total,
			averageMa,
			batteryHours,
			batteryDays: batteryHours / 24,
			energyMwh: (total / 3600) * profile.battery.volts,
			byState,
			end,
		},
	};
}

export function formatCurrent(mA: number): string {
	if (mA >= 1) return `${mA.toFixed(3)} mA`;
	// A regulator's quiescent current is nanoamps: 0.03 uA would hide it.
	return mA >= 0.001 || mA === 0 ? `${(mA * 1000).toFixed(2)} uA` : `${(mA * 1e6).toFixed(1)} nA`;
}

/** The sleep states the run spent time in, each with its current and its parts. */
export function sleepParts(
	report: EnergyReport,
): { state: SleepState; mA: number; parts: { name: string; mA: number }[] }[] {
	return SLEEP_STATES.filter((state) => report.summary.byState[state].ms > 0).map((state) => ({
		state,
		mA: stateCurrent(report.profile.currents, state),
		parts: Object.entries(report.profile.currents[state]).map(([name, mA]) => ({ name, mA })),
	}));
}

/** Virtual time as hh:mm:ss. */
export function clock(ms: number): string {
	const s = Math.floor(ms / 1000);
	return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

/** Wakes that look alike (reason, pin, awake time within 10%) are shown as one row. */
export function formatWakes(wakes: readonly WakeReport[], limit = 20): string[] {
	const rows: string[] = [];
	let i = 0;
	while (i < wakes.length && rows.length < limit) {
		const first = wakes[i] as WakeReport;
		let j = i + 1;
		while (j < wakes.length) {
			const w = wakes[j] as WakeReport;
			if (
				w.reason !== first.reason ||
				w.pin !== first.pin ||
				Math.abs(w.awakeMs - first.awakeMs) > 0.1 * first.awakeMs + 0.001
			)
				break;
			j++;
		}
		const group = wakes.slice(i, j);
		const mean = (f: (w: WakeReport) => number) => group.reduce((s, w) => s + f(w), 0) / group.length;
		const what = group.length > 1 ? `wakes ${i + 1}-${j} (${group.length})` : `wake ${i + 1}`;
		const sleep = first.sleep ? `, then ${first.sleep.mode}` : "";
		rows.push(
			`  ${what.padEnd(22)} at ${(first.atMs / 1000).toFixed(3).padStart(10)} s  ${first.pin !== undefined ? `pin ${first.pin}` : first.reason}: awake ${mean((w) => w.awakeMs).toFixed(2)} ms, ${mean((w) => w.awakeCharge).toFixed(3)} mC${group.length > 1 ? " each" : ""}${sleep}`,
		);
		i = j;
	}
	if (i < wakes.length) rows.push(`  ... ${wakes.length - i} more wakes (see --report)`);
	return rows;
}

/** The summary; `wakes: false` leaves out the per-wake rows (a caller printing its own). */
export function formatSummary(report: EnergyReport, options: { wakes?: boolean } = {}): string {
	const s = report.summary;
	const p = report.profile;
	const lines = [
		`simulated ${s.hours.toFixed(2)} h: ${s.wakes} wakes, ${s.boots} boots (${s.end})`,
		...(options.wakes === false ? [] : formatWakes(report.wakes)),
	];
	lines.push(
		`total charge ${s.charge.toFixed(3)} mC (${(s.charge / 3600).toFixed(4)} mAh), average current ${formatCurrent(s.averageMa)}`,
		`battery ${p.battery.capacityMah} mAh ${p.battery.volts} V: ${s.batteryHours === Infinity ? "forever" : `${s.batteryHours.toFixed(1)} h = ${s.batteryDays.toFixed(1)} days`}`,
		"where the charge went:",
	);
	for (const state of STATES) {
		const b = s.byState[state];
		if (b.ms === 0) continue;
		lines.push(
			`  ${state.padEnd(14)} ${(b.ms / 1000).toFixed(3).padStart(12)} s at ${formatCurrent(stateCurrent(p.currents, state)).padStart(10)}  ${b.charge.toFixed(3).padStart(12)} mC  ${s.charge > 0 ? ((100 * b.charge) / s.charge).toFixed(1) : "0.0"}%`,
		);
	}
	const asleep = sleepParts(report);
	if (asleep.length > 0) lines.push(`the board asleep, by part (profile ${p.name}):`);
	for (const { state, mA, parts } of asleep) {
		lines.push(`  ${state.padEnd(14)} ${formatCurrent(mA).padStart(10)}`);
		for (const part of parts)
			lines.push(
				`    ${part.name.padEnd(12)} ${formatCurrent(part.mA).padStart(10)}  ${(mA > 0 ? ((100 * part.mA) / mA).toFixed(1) : "0.0").padStart(5)}%`,
			);
	}
	return lines.join("\n");
}
