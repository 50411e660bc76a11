// The simulation's picture, for a person: the average current per hour (or
// per minute on a short run: a day's 1,440 wakes drawn one by one are a solid
// band), one typical wake zoomed with what its awake time went on, the
// charge by state and the board's sleep current by part. SVG written by
// hand; .html adds the text summary and the wakes grouped by reason, not a
// row per wake.
// SPDX-License-Identifier: Apache-2.0
import type { EnergyReport, PowerState, WakeReport } from "./energy";
import { clock, formatCurrent, formatSummary, sleepParts, STATES } from "./energy";
import { stateCurrent } from "./profile";

const WIDTH = 900;
const LEFT = 130; // room for the longest state name and axis labels
const RIGHT = 30;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const COLORS: Record<PowerState, string> = {
	run: "#d62728",
	sleep: "#ff7f0e",
	stop: "#9467bd",
	standby: "#2ca02c",
	cameraOn: "#1f77b4",
	cameraStandby: "#17becf",
};
const PART_COLORS = [
	"#1f77b4",
	"#ff7f0e",
	"#2ca02c",
	"#d62728",
	"#9467bd",
	"#8c564b",
	"#e377c2",
	"#7f7f7f",
	"#bcbd22",
	"#17becf",
];
/** Bin widths for the average current, ms: the smallest giving at most 48 bars. */
const BINS = [60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

function escapeText(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** About `count` round steps (1, 2, 5 times a power of ten) from 0 to at least `max`. */
function ticks(max: number, count = 5): number[] {
	const raw = max / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
	const out: number[] = [];
	for (let v = 0; v < max + step / 2; v += step) out.push(v);
	return out;
}

export interface Bin {
	fromMs: number;
	toMs: number;
	/** Average current over the bin, mA. */
	mA: number;
}

/** The average current per bin: each constant-current segment's charge shared among the bins it spans. */
export function averageBins(report: EnergyReport): Bin[] {
	const endMs = report.summary.hours * 3_600_000;
	if (!(endMs > 0)) return [];
	const width = BINS.find((ms) => endMs / ms <= 48) ?? (BINS[BINS.length - 1] as number);
	const count = Math.ceil(endMs / width - 1e-9);
	const charge = new Array<number>(count).fill(0); // mA ms
	for (const segment of report.segments) {
		const from = segment.from / 1000;
		const to = Math.min(endMs, segment.to / 1000);
		for (let i = Math.floor(from / width); i < count && i * width < to; i++)
			charge[i] =
				(charge[i] as number) + segment.mA * (Math.min(to, (i + 1) * width) - Math.max(from, i * width));
	}
	return charge.map((mAms, i) => {
		const fromMs = i * width;
		const toMs = Math.min(endMs, fromMs + width);
		return { fromMs, toMs, mA: mAms / (toMs - fromMs) };
	});
}

/** The wake whose awake charge is the median of the run's: what a wake typically costs. */
export function typicalWake(wakes: readonly WakeReport[]): { wake: WakeReport; index: number } | undefined {
	const order = wakes
		.map((_, i) => i)
		.sort((a, b) => (wakes[a] as WakeReport).awakeCharge - (wakes[b] as WakeReport).awakeCharge);
	const index = order[Math.floor((order.length - 1) / 2)];
	return index === undefined ? undefined : { wake: wakes[index] as WakeReport, index };
}

/** What a wake's awake time went on, by the cost model: counted work times its cost, and the rest. */
export function wakeParts(
	wake: WakeReport,
	costUs: Record<string, number>,
): { name: string; count?: number; ms: number }[] {
	const parts: { name: string; count?: number; ms: number }[] = [];
	for (const [name, count] of Object.entries(wake.counts)) {
		const ms = (count * (costUs[name] ?? 0)) / 1000;
		if (ms > 0) parts.push({ name, count, ms });
	}
	parts.sort((a, b) => b.ms - a.ms);
	const rest = wake.awakeMs - parts.reduce((sum, p) => sum + p.ms, 0);
	if (rest > wake.awakeMs * 1e-6) parts.push({ name: "other (timers, waits)", ms: rest });
	return parts;
}

function barChart(parts: string[], top: number, report: EnergyReport): number {
	const s = report.summary;
	const bins = averageBins(report);
	if (bins.length === 0) {
		parts.push(
			`<text x="${LEFT}" y="${top + 15}" font-size="15" font-weight="bold">No time simulated (${escapeText(s.end)})</text>`,
		);
		return top + 30;
	}
	const width = (bins[0]?.toMs ?? 0) - (bins[0]?.fromMs ?? 0);
	const per = width >= 3_600_000 ? `${width / 3_600_000} hours` : `${width / 60_000} minutes`;
	parts.push(
		`<text x="${LEFT}" y="${top + 15}" font-size="15" font-weight="bold">Average current per ${per.replace(/^1 (.*)s$/, "$1")}: ${formatCurrent(s.averageMa)} over ${s.hours.toFixed(2)} h</text>`,
	);
	const plotTop = top + 35;
	const height = 200;
	const max = Math.max(s.averageMa, ...bins.map((b) => b.mA)) * 1.1 || 1;
	const microamps = max < 1;
	const axis = ticks(microamps ? max * 1000 : max).map((v) => (microamps ? v / 1000 : v));
	const axisTop = axis[axis.length - 1] as number;
	const y = (mA: number) => plotTop + height * (1 - mA / axisTop);
	for (const mA of axis) {
		parts.push(
			`<line x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${y(mA).toFixed(1)}" y2="${y(mA).toFixed(1)}" stroke="#ddd"/>`,
		);
		parts.push(
			`<text x="${LEFT - 6}" y="${(y(mA) + 4).toFixed(1)}" text-anchor="end">${microamps ? `${+(mA * 1000).toPrecision(6)} uA` : `${+mA.toPrecision(6)} mA`}</text>`,
		);
	}
	const endMs = s.hours * 3_600_000;
	const x = (ms: number) => LEFT + (ms / endMs) * PLOT_WIDTH;
	const labelEvery = Math.ceil(bins.length / 12);
	bins.forEach((bin, i) => {
		const x0 = x(bin.fromMs) + 1;
		const w = Math.max(1, x(bin.toMs) - x(bin.fromMs) - 2);
		parts.push(
			`<rect class="bar" x="${x0.toFixed(1)}" y="${y(bin.mA).toFixed(1)}" width="${w.toFixed(1)}" height="${(plotTop + height - y(bin.mA)).toFixed(1)}" fill="#1f77b4"><title>${clock(bin.fromMs)}-${clock(bin.toMs)}: ${formatCurrent(bin.mA)}</title></rect>`,
		);
		if (i % labelEvery === 0)
			parts.push(
				`<text x="${x(bin.fromMs).toFixed(1)}" y="${plotTop + height + 16}" text-anchor="middle">${clock(bin.fromMs).slice(0, 5)}</text>`,
			);
	});
	parts.push(
		`<text x="${LEFT + PLOT_WIDTH}" y="${plotTop + height + 16}" text-anchor="end">${clock(endMs).slice(0, 5)}</text>`,
	);
	parts.push(
		`<line x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${y(s.averageMa).toFixed(1)}" y2="${y(s.averageMa).toFixed(1)}" stroke="#000" stroke-dasharray="4 3"/>`,
	);
	parts.push(
		`<line x1="${LEFT + PLOT_WIDTH - 150}" x2="${LEFT + PLOT_WIDTH - 125}" y1="${plotTop - 8}" y2="${plotTop - 8}" stroke="#000" stroke-dasharray="4 3"/>`,
	);
	parts.push(
		`<text x="${LEFT + PLOT_WIDTH}" y="${plotTop - 4}" text-anchor="end">average ${formatCurrent(s.averageMa)}</text>`,
	);
	parts.push(`<rect x="${LEFT}" y="${plotTop}" width="${PLOT_WIDTH}" height="${height}" fill="none" stroke="#333"/>`);
	parts.push(
		`<text x="${LEFT}" y="${plotTop + height + 34}" fill="#555">time of day (hh:mm from power-on); hover a bar for its value</text>`,
	);
	return plotTop + height + 50;
}

function wakeChart(parts: string[], top: number, report: EnergyReport): number {
	const typical = typicalWake(report.wakes);
	if (!typical) return top;
	const { wake, index } = typical;
	const reason = wake.pin !== undefined ? `pin ${wake.pin}` : wake.reason;
	parts.push(
		`<text x="${LEFT}" y="${top + 15}" font-size="15" font-weight="bold">One wake zoomed: wake ${index + 1} at ${clock(wake.atMs)} (${escapeText(reason)}), the median of ${report.wakes.length} by charge</text>`,
	);
	parts.push(
		`<text x="${LEFT}" y="${top + 35}">awake ${wake.awakeMs.toFixed(1)} ms at ${formatCurrent(wake.awakeMs > 0 ? (wake.awakeCharge / wake.awakeMs) * 1000 : 0)} on average: ${wake.awakeCharge.toFixed(2)} mC${wake.sleep ? `; then ${escapeText(wake.sleep.mode)} for ${(wake.sleep.ms / 1000).toFixed(2)} s: ${wake.sleep.charge.toFixed(3)} mC` : ""}</text>`,
	);
	const barTop = top + 48;
	const list = wakeParts(wake, report.profile.costUs);
	// The parts fill the bar; a profile whose costs add up past the awake time (costUs from another run) still fits.
	const total = Math.max(
		wake.awakeMs,
		list.reduce((sum, p) => sum + p.ms, 0),
	);
	let x = LEFT;
	list.forEach((part, i) => {
		const w = (part.ms / total) * PLOT_WIDTH;
		parts.push(
			`<rect class="part" x="${x.toFixed(1)}" y="${barTop}" width="${w.toFixed(1)}" height="26" fill="${PART_COLORS[i % PART_COLORS.length]}"><title>${escapeText(part.name)}: ${part.ms.toFixed(1)} ms</title></rect>`,
		);
		x += w;
	});
	parts.push(`<text x="${LEFT - 6}" y="${barTop + 17}" text-anchor="end">awake time</text>`);
	parts.push(
		`<text x="${LEFT}" y="${barTop + 44}" fill="#555">0 ms</text><text x="${LEFT + PLOT_WIDTH}" y="${barTop + 44}" fill="#555" text-anchor="end">${total.toFixed(1)} ms</text>`,
	);
	let row = barTop + 66;
	parts.push(
		`<text x="${LEFT}" y="${row}" fill="#555">what it went on (the cost model's counted work; their order within the wake is not traced):</text>`,
	);
	list.forEach((part, i) => {
		row += 20;
		parts.push(
			`<rect x="${LEFT}" y="${row - 11}" width="12" height="12" fill="${PART_COLORS[i % PART_COLORS.length]}"/>`,
		);
		parts.push(
			`<text x="${LEFT + 18}" y="${row}">${escapeText(part.name)}${part.count !== undefined ? ` (${part.count.toLocaleString("en-US")})` : ""}</text>`,
		);
		parts.push(
			`<text x="${LEFT + 420}" y="${row}" text-anchor="end">${part.ms.toFixed(1)} ms</text><text x="${LEFT + 480}" y="${row}" text-anchor="end">${((100 * part.ms) / total).toFixed(1)}%</text>`,
		);
	});
	return row + 30;
}

function chargeChart(parts: string[], top: number, report: EnergyReport): number {
	const s = report.summary;
	parts.push(
		`<text x="${LEFT}" y="${top + 15}" font-size="15" font-weight="bold">Charge by state: ${s.charge.toFixed(1)} mC in all</text>`,
	);
	const barWidth = PLOT_WIDTH - 330;
	let row = top + 30;
	for (const state of STATES) {
		const b = s.byState[state];
		if (b.ms === 0) continue;
		const share = s.charge > 0 ? b.charge / s.charge : 0;
		parts.push(`<text x="${LEFT - 6}" y="${row + 15}" text-anchor="end">${state}</text>`);
		parts.push(`<rect x="${LEFT}" y="${row}" width="${barWidth}" height="20" fill="#eee"/>`);
		parts.push(
			`<rect class="state" x="${LEFT}" y="${row}" width="${Math.max(1, share * barWidth).toFixed(1)}" height="20" fill="${COLORS[state]}"/>`,
		);
		parts.push(
			`<text x="${LEFT + barWidth + 8}" y="${row + 15}">${(100 * share).toFixed(1)}%: ${b.charge.toFixed(2)} mC, ${(b.ms / 1000).toFixed(1)} s at ${formatCurrent(stateCurrent(report.profile.currents, state))}</text>`,
		);
		row += 28;
	}
	return row + 10;
}

/** Each sleep state the run used: the board's current, a bar of its parts, and each part's figure. */
function sleepChart(parts: string[], top: number, report: EnergyReport): number {
	const asleep = sleepParts(report);
	if (asleep.length === 0) return top;
	parts.push(
		`<text x="${LEFT}" y="${top + 15}" font-size="15" font-weight="bold">The board asleep, by part (profile ${escapeText(report.profile.name)})</text>`,
	);
	let row = top + 30;
	for (const { state, mA, parts: list } of asleep) {
		parts.push(`<text x="${LEFT - 6}" y="${row + 15}" text-anchor="end">${state}</text>`);
		let x = LEFT;
		list.forEach((part, i) => {
			const w = mA > 0 ? (part.mA / mA) * PLOT_WIDTH : 0;
			parts.push(
				`<rect class="sleep-part" x="${x.toFixed(1)}" y="${row}" width="${w.toFixed(1)}" height="20" fill="${PART_COLORS[i % PART_COLORS.length]}"><title>${escapeText(part.name)}: ${formatCurrent(part.mA)}</title></rect>`,
			);
			x += w;
		});
		row += 20;
		parts.push(`<text x="${LEFT}" y="${row + 16}" fill="#555">${formatCurrent(mA)} in all:</text>`);
		list.forEach((part, i) => {
			row += 20;
			parts.push(
				`<rect x="${LEFT}" y="${row + 5}" width="12" height="12" fill="${PART_COLORS[i % PART_COLORS.length]}"/>`,
			);
			parts.push(`<text x="${LEFT + 18}" y="${row + 16}">${escapeText(part.name)}</text>`);
			parts.push(
				`<text x="${LEFT + 420}" y="${row + 16}" text-anchor="end">${formatCurrent(part.mA)}</text><text x="${LEFT + 480}" y="${row + 16}" text-anchor="end">${mA > 0 ? ((100 * part.mA) / mA).toFixed(1) : "0.0"}%</text>`,
			);
		});
		row += 34;
	}
	return row;
}

export function reportSvg(report: EnergyReport): string {
	const body: string[] = [];
	let y = 10;
	y = barChart(body, y, report);
	y = wakeChart(body, y + 10, report);
	y = chargeChart(body, y + 10, report);
	y = sleepChart(body, y + 10, report);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="white"/>`,
		...body,
		"</svg>",
	].join("\n");
}

/** Wakes grouped by reason: how many, awake time (min, median, max) and charge. */
function wakeTable(wakes: readonly WakeReport[]): string {
	const groups = new Map<string, WakeReport[]>();
	for (const w of wakes) {
		const reason = w.pin !== undefined ? `pin ${w.pin}` : w.reason;
		groups.set(reason, [...(groups.get(reason) ?? []), w]);
	}
	const rows = [...groups].map(([reason, group]) => {
		const awake = group.map((w) => w.awakeMs).sort((a, b) => a - b);
		const charge = group.reduce((sum, w) => sum + w.awakeCharge, 0);
		return `<tr><td>${escapeText(reason)}</td><td>${group.length}</td><td>${(awake[0] as number).toFixed(1)} / ${(awake[Math.floor((awake.length - 1) / 2)] as number).toFixed(1)} / ${(awake[awake.length - 1] as number).toFixed(1)}</td><td>${(charge / group.length).toFixed(3)}</td><td>${charge.toFixed(2)}</td></tr>`;
	});
	return `<table border="1" cellspacing="0" cellpadding="4">
<tr><th>reason</th><th>wakes</th><th>awake ms (min / median / max)</th><th>awake charge per wake (mC)</th><th>awake charge in all (mC)</th></tr>
${rows.join("\n")}
</table>`;
}

export function reportHtml(report: EnergyReport): string {
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>xsight power simulation</title></head>
<body style="font-family: sans-serif; max-width: 920px">
<h1>xsight power simulation</h1>
${reportSvg(report)}
<h2>Wakes by reason</h2>
${wakeTable(report.wakes)}
<h2>Summary</h2>
<pre>${escapeText(formatSummary(report, { wakes: false }))}</pre>
</body></html>
`;
}
