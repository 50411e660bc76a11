// The power report (xsight sim --report): what its charts say, checked by
// hand on made-up traces, and the HTML page loaded in a real headless browser
// (Debian's Chromium): it loads without errors, its charts are drawn and no
// label is cut off.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";
import { account, formatCurrent, formatSummary, type WakeReport } from "../tools/power/energy";
import { DEFAULT_PROFILE, PROFILES, stateCurrent } from "../tools/power/profile";
import { averageBins, reportHtml, typicalWake, wakeParts } from "../tools/power/report";
import { CHROMIUM, haveChromium, loadPage } from "./support/chromium";

const c = {
	run: DEFAULT_PROFILE.currents.run,
	stop: stateCurrent(DEFAULT_PROFILE.currents, "stop"),
	standby: stateCurrent(DEFAULT_PROFILE.currents, "standby"),
};

/**
 * A day of wakes, one a minute, 59.85 s into each minute (so the wake at the
 * end of each hour straddles it): awake 0.3 s, 1.3 s from 06:00 to 07:00, at
 * the run current (no camera), then Standby. The last minute has no wake.
 */
function dayTrace(): string {
	const lines: object[] = [];
	for (let i = 0; i < 1439; i++) {
		const at = (i * 60 + 59.85) * 1e6;
		const awake = i >= 360 && i < 420 ? 1.3e6 : 0.3e6;
		lines.push({ t: "wake", boot: i + 1, reason: i === 0 ? "power-on" : "rtc", pin: -1, at });
		lines.push({
			t: "awake",
			from: at,
			to: at + awake,
			counts: { boot: 1, "xs.bytecodes": 1000 },
			camera: { on: 0, standby: 0 },
		});
		lines.push({ t: "sleep", mode: "standby", from: at + awake, to: (i + 1) * 60e6 + 59.85e6, camera: "off" });
	}
	lines.push({ t: "end", at: 86_400e6, why: "end of simulation" });
	return lines.map((line) => JSON.stringify(line)).join("\n");
}

describe("the report's charts", () => {
	test("a day is 24 bars of the average current per hour, an hour's wakes shared with the hour they straddle", () => {
		const report = account(dayTrace(), DEFAULT_PROFILE);
		const bins = averageBins(report);
		expect(bins.map((b) => [b.fromMs, b.toMs])).toEqual(
			Array.from({ length: 24 }, (_, h) => [h * 3_600_000, (h + 1) * 3_600_000]),
		);
		// 00:00-01:00: nothing for 59.85 s, 59 wakes and sleeps, then the first 0.15 s of the wake at 00:59:59.85.
		expect(bins[0]?.mA).toBeCloseTo((59 * 0.3 * c.run + 59 * 59.7 * c.standby + 0.15 * c.run) / 3600, 9);
		// 01:00-02:00: the rest of that wake, its sleep, 59 whole wakes and sleeps, 0.15 s of the next.
		const hour = (awake: number) => (60 * awake * c.run + 60 * (60 - awake) * c.standby) / 3600;
		expect(bins[1]?.mA).toBeCloseTo(hour(0.3), 9);
		// 06:00-07:00 straddles in a 0.15 s of a short wake and out a 0.15 s of a long one: the same
		// 60 wakes' worth as 60 long wakes, less 1 s of run (the straddling wake at its end is short).
		expect(bins[6]?.mA).toBeCloseTo((60 * 1.3 * c.run - 1 * c.run + (3600 - 60 * 1.3 + 1) * c.standby) / 3600, 9);
		expect(bins[7]?.mA).toBeCloseTo((60 * 0.3 * c.run + 1 * c.run + (3600 - 60 * 0.3 - 1) * c.standby) / 3600, 9);
		// No charge lost or made up: the bars average to the summary's current.
		expect(bins.reduce((sum, b) => sum + b.mA, 0) / 24).toBeCloseTo(report.summary.averageMa, 9);
	});

	test("a run shorter than 48 minutes has a bar a minute; the last one partial", () => {
		const trace = [
			{ t: "wake", boot: 1, reason: "power-on", pin: -1, at: 0 },
			{ t: "awake", from: 0, to: 1e6, counts: {}, camera: { on: 0, standby: 0 } },
			{ t: "sleep", mode: "stop", from: 1e6, to: 90e6, camera: "off" },
			{ t: "end", at: 90e6, why: "end of simulation" },
		]
			.map((line) => JSON.stringify(line))
			.join("\n");
		const bins = averageBins(account(trace, DEFAULT_PROFILE));
		expect(bins.map((b) => [b.fromMs, b.toMs])).toEqual([
			[0, 60_000],
			[60_000, 90_000],
		]);
		expect(bins[0]?.mA).toBeCloseTo((1 * c.run + 59 * c.stop) / 60, 9);
		expect(bins[1]?.mA).toBeCloseTo(c.stop, 9);
	});

	test("the wake zoomed is the median by charge, its parts the counted work at the profile's costs, the rest 'other'", () => {
		const wake = (awakeCharge: number): WakeReport => ({
			boot: 1,
			reason: "rtc",
			atMs: awakeCharge,
			awakeMs: 100,
			awakeCharge,
			counts: { boot: 1, "nn.macs": 1_000_000, "vision.windows": 1000, unknown: 5 },
			parts: {},
		});
		const wakes = [wake(5), wake(1), wake(3), wake(9)];
		expect(typicalWake(wakes)).toEqual({ wake: wakes[2], index: 2 });
		expect(typicalWake([])).toBeUndefined();
		const costs = { boot: 10_000, "nn.macs": 0.0062, "vision.windows": 9.3 };
		const parts = wakeParts(wakes[0] as WakeReport, costs);
		expect(parts.map((p) => p.name)).toEqual(["boot", "vision.windows", "nn.macs", "other (timers, waits)"]);
		expect(parts.map((p) => p.ms)).toEqual([10, 9.3, 6.2, 100 - 10 - 9.3 - 6.2].map((ms) => expect.closeTo(ms, 9)));
	});

	test("the board's sleep current by part: each state the run slept in, its parts and their figures, in the picture and the summary", () => {
		for (const profile of Object.values(PROFILES)) {
			const report = account(dayTrace(), profile);
			const html = reportHtml(report);
			const standby = profile.currents.standby;
			expect(html).toContain(`The board asleep, by part (profile ${profile.name})`);
			expect(html).toContain(`${formatCurrent(stateCurrent(profile.currents, "standby"))} in all:`);
			// One bar piece per part, each named with its current; no state the day never entered.
			expect(html.match(/class="sleep-part"/g)?.length).toBe(Object.keys(standby).length);
			for (const [name, mA] of Object.entries(standby))
				expect(html).toContain(`<title>${name}: ${formatCurrent(mA)}</title>`);
			// The pieces lie end to end, each as long as its share of the state's current.
			const pieces = [...html.matchAll(/class="sleep-part" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map(
				(m) => ({ x: Number(m[1]), width: Number(m[2]) }),
			);
			const length = pieces.reduce((sum, p) => sum + p.width, 0);
			pieces.forEach((piece, i) => {
				const before = pieces[i - 1];
				if (before) expect(piece.x).toBeCloseTo(before.x + before.width, 0);
				expect(piece.width / length).toBeCloseTo(
					(Object.values(standby)[i] ?? 0) / stateCurrent(profile.currents, "standby"),
					2,
				);
			});
			const summary = formatSummary(report);
			expect(summary).toContain(`the board asleep, by part (profile ${profile.name}):\n  standby`);
			for (const [name, mA] of Object.entries(standby))
				expect(summary).toMatch(new RegExp(`\n {4}${name} +${formatCurrent(mA)}  `));
			expect(summary).not.toMatch(/^ {2}stop/m);
		}
	});

	test("a run that simulated no time says so; a wake of no awake time gives no NaN", () => {
		const empty = reportHtml(account("", DEFAULT_PROFILE));
		expect(empty).toContain("No time simulated (trace ended early)");
		expect(empty).not.toContain("Average current per");
		const wake = { t: "wake", boot: 1, reason: "power-on", pin: -1, at: 0 };
		const trace = [
			wake,
			{ t: "awake", from: 0, to: 0, counts: {}, camera: { on: 0, standby: 0 } },
			{ t: "end", at: 5e6, why: "app ended without sleeping" },
		];
		const html = reportHtml(account(trace.map((line) => JSON.stringify(line)).join("\n"), DEFAULT_PROFILE));
		expect(html).toMatch(/<svg[\s\S]*One wake zoomed[\s\S]*<\/svg>/);
		expect(html).not.toMatch(/NaN|Infinity|undefined/);
	});
});

/** In the page: what a person would see drawn, and any text that falls outside its chart. */
const INSPECT = `(() => {
	const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
	const svgs = [...document.querySelectorAll("svg")];
	const cut = [];
	for (const svg of svgs) {
		const box = svg.getBoundingClientRect();
		for (const text of svg.querySelectorAll("text")) {
			const r = text.getBoundingClientRect();
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) cut.push(text.textContent);
		}
	}
	return {
		svgs: svgs.length,
		bars: [...document.querySelectorAll("rect.bar")].filter(visible).length,
		parts: [...document.querySelectorAll("rect.part")].filter(visible).length,
		states: [...document.querySelectorAll("rect.state")].filter(visible).length,
		sleepParts: [...document.querySelectorAll("rect.sleep-part")].filter(visible).length,
		tableRows: document.querySelectorAll("tr").length,
		cut,
		overflow: document.documentElement.scrollWidth > window.innerWidth,
	};
})()`;

describe.skipIf(!haveChromium())(
	`the HTML report in a headless browser (${haveChromium() ? CHROMIUM : "skipped: no chromium; apt-get install chromium, as .ci/run does"})`,
	{ timeout: 300_000 },
	() => {
		test("a day at one wake a minute: 24 bars, the wake zoomed, the states, a table of reasons; no error, no label cut off", async () => {
			const file = path.join(mkdtempSync(path.join(tmpdir(), "xsight-report-")), "day.html");
			writeFileSync(file, reportHtml(account(dayTrace(), DEFAULT_PROFILE)));
			const page = await loadPage(file, INSPECT);
			expect(page.problems).toEqual([]);
			expect(page.value).toEqual({
				svgs: 1,
				bars: 24,
				parts: 3,
				states: 2,
				sleepParts: 4,
				tableRows: 3,
				cut: [],
				overflow: false,
			});
		});

		test("xsight sim --report OUT.html on the field app: the page the command writes loads and is drawn", async () => {
			const dir = mkdtempSync(path.join(tmpdir(), "xsight-report-"));
			const out = path.join(dir, "hour.html");
			const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
			const sim = spawnSync(
				process.execPath,
				[
					tsx,
					path.join(repoRoot, "tools/xsight.ts"),
					"sim",
					"--hours",
					"1",
					"--wake-every",
					"5m",
					"--state",
					path.join(dir, "state"),
					"--report",
					out,
				],
				{ cwd: repoRoot, encoding: "utf8" },
			);
			expect(sim.status, sim.stderr).toBe(0);
			const page = await loadPage(out, INSPECT);
			expect(page.problems).toEqual([]);
			const value = page.value as Record<string, unknown>;
			// An hour at one wake every 5 minutes: a bar per 5 minutes.
			expect(value).toMatchObject({
				svgs: 1,
				bars: 12,
				cut: [],
				overflow: false,
			});
			// Standby between wakes: each of its parts drawn; Sleep while each frame is read out (the
			// profile's inSleep) adds its own, the ones too small to see at 50.7 mA left out.
			const standbyParts = Object.keys(DEFAULT_PROFILE.currents.standby).length;
			expect(value["sleepParts"]).toBeGreaterThan(standbyParts);
			expect(value["sleepParts"]).toBeLessThanOrEqual(
				standbyParts + Object.keys(DEFAULT_PROFILE.currents.sleep).length,
			);
			// The field app's wake: boot, XS, the camera, detection, at least.
			expect(value["parts"]).toBeGreaterThanOrEqual(4);
			expect(value["states"]).toBeGreaterThanOrEqual(3);
		});
	},
);
