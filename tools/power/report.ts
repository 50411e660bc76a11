// The simulation's picture: current over time (log scale, so microamps of
// Standby and the 100 mA wakes show together) and where the charge went.
// SVG written by hand; .html wraps it with the text summary.
// SPDX-License-Identifier: Apache-2.0
import type { EnergyReport, PowerState } from "./energy";
import { formatSummary } from "./energy";

const WIDTH = 900;
const PLOT = { left: 100, right: 20, top: 40, height: 260 };
const BAR_TOP = PLOT.top + PLOT.height + 70;
const COLORS: Record<PowerState, string> = { run: "#d62728", sleep: "#ff7f0e", stop: "#9467bd", standby: "#2ca02c", cameraOn: "#1f77b4", cameraStandby: "#17becf" };

function escape(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function reportSvg(report: EnergyReport): string {
	const s = report.summary;
	const endUs = Math.max(1, s.hours * 3.6e9);
	const plotWidth = WIDTH - PLOT.left - PLOT.right;
	const low = 1e-3; // 1 uA
	const high = 1e3; // 1 A
	const x = (us: number) => PLOT.left + (us / endUs) * plotWidth;
	const y = (mA: number) => PLOT.top + PLOT.height * (1 - (Math.log10(Math.min(high, Math.max(low, mA))) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)));
	const parts: string[] = [];
	parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${BAR_TOP + 30 * 6 + 40}" font-family="sans-serif" font-size="12">`);
	parts.push(`<rect width="100%" height="100%" fill="white"/>`);
	parts.push(`<text x="${PLOT.left}" y="22" font-size="15">Current over ${s.hours.toFixed(2)} h: ${s.wakes} wakes, average ${s.averageMa >= 1 ? `${s.averageMa.toFixed(3)} mA` : `${(s.averageMa * 1000).toFixed(2)} uA`}, battery ${Number.isFinite(s.batteryDays) ? `${s.batteryDays.toFixed(1)} days` : "forever"}</text>`);
	// Axes and decade grid.
	for (let decade = -3; decade <= 3; decade++) {
		const mA = 10 ** decade;
		const label = mA >= 1 ? `${mA} mA` : `${mA * 1000} uA`;
		parts.push(`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y(mA).toFixed(1)}" y2="${y(mA).toFixed(1)}" stroke="#ddd"/>`);
		parts.push(`<text x="${PLOT.left - 6}" y="${(y(mA) + 4).toFixed(1)}" text-anchor="end">${label}</text>`);
	}
	const ticks = 6;
	for (let i = 0; i <= ticks; i++) {
		const us = (endUs * i) / ticks;
		parts.push(`<text x="${x(us).toFixed(1)}" y="${PLOT.top + PLOT.height + 16}" text-anchor="middle">${(us / 3.6e9).toFixed(2)} h</text>`);
	}
	// The current, as steps; wakes too short to see at this scale still draw a line.
	const points: string[] = [];
	for (const segment of report.segments) {
		const yy = y(segment.mA).toFixed(1);
		points.push(`${x(segment.from).toFixed(2)},${yy}`, `${x(segment.to).toFixed(2)},${yy}`);
	}
	if (points.length) parts.push(`<polyline fill="none" stroke="#d62728" stroke-width="1" points="${points.join(" ")}"/>`);
	// Wakes that were not the RTC's, marked at the top with their reason.
	for (const wake of report.wakes) {
		if (wake.reason === "rtc" || wake.reason === "timer") continue;
		const xx = x(wake.atMs * 1000).toFixed(1);
		parts.push(`<circle cx="${xx}" cy="${PLOT.top + 8}" r="3" fill="#1f77b4"/><text x="${xx}" y="${PLOT.top + 22}" fill="#1f77b4" font-size="10" text-anchor="middle">${escape(wake.pin !== undefined ? `pin ${wake.pin}` : wake.reason)}</text>`);
	}
	parts.push(`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y(s.averageMa).toFixed(1)}" y2="${y(s.averageMa).toFixed(1)}" stroke="#000" stroke-dasharray="4 3"/>`);
	parts.push(`<text x="${WIDTH - PLOT.right}" y="${(y(s.averageMa) - 4).toFixed(1)}" text-anchor="end">average</text>`);
	parts.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${plotWidth}" height="${PLOT.height}" fill="none" stroke="#333"/>`);
	// Charge breakdown by state.
	parts.push(`<text x="${PLOT.left}" y="${BAR_TOP - 14}" font-size="15">Where the charge went (${s.charge.toFixed(1)} mC in all)</text>`);
	const states = Object.keys(COLORS) as PowerState[];
	states.forEach((state, index) => {
		const b = s.byState[state];
		const share = s.charge > 0 ? b.charge / s.charge : 0;
		const top = BAR_TOP + index * 30;
		parts.push(`<text x="${PLOT.left - 6}" y="${top + 15}" text-anchor="end">${state}</text>`);
		parts.push(`<rect x="${PLOT.left}" y="${top}" width="${(share * (plotWidth - 260)).toFixed(1)}" height="20" fill="${COLORS[state]}"/>`);
		parts.push(`<text x="${PLOT.left + share * (plotWidth - 260) + 6}" y="${top + 15}">${(100 * share).toFixed(1)}%: ${b.charge.toFixed(2)} mC in ${(b.ms / 1000).toFixed(1)} s at ${report.profile.currents[state]} mA</text>`);
	});
	parts.push("</svg>");
	return parts.join("\n");
}

export function reportHtml(report: EnergyReport): string {
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>xsight power simulation</title></head>
<body style="font-family: sans-serif">
<h1>xsight power simulation</h1>
${reportSvg(report)}
<pre>${escape(formatSummary(report))}</pre>
<h2>Wakes</h2>
<table border="1" cellspacing="0" cellpadding="3">
<tr><th>#</th><th>boot</th><th>at (s)</th><th>reason</th><th>awake (ms)</th><th>awake charge (mC)</th><th>then</th><th>sleep (s)</th><th>sleep charge (mC)</th></tr>
${report.wakes.map((w, i) => `<tr><td>${i + 1}</td><td>${w.boot}</td><td>${(w.atMs / 1000).toFixed(3)}</td><td>${w.reason}${w.pin !== undefined ? ` ${w.pin}` : ""}</td><td>${w.awakeMs.toFixed(3)}</td><td>${w.awakeCharge.toFixed(4)}</td><td>${w.sleep?.mode ?? ""}</td><td>${w.sleep ? (w.sleep.ms / 1000).toFixed(3) : ""}</td><td>${w.sleep ? w.sleep.charge.toFixed(4) : ""}</td></tr>`).join("\n")}
</table>
</body></html>
`;
}
