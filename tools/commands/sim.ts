// xsight sim: the app on the host simulator board.
// SPDX-License-Identifier: Apache-2.0
import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build";
import { overrideConfig } from "../manifest";
import { formatSummary } from "../power/energy";
import { DEFAULT_PROFILE, mergeProfile, readProfile } from "../power/profile";
import { reportHtml, reportSvg } from "../power/report";
import { parseDuration, readScenario } from "../power/scenario";
import { simulate } from "../power/simulate";
import { runOnHost } from "../run";
import type { Command } from "./command";

export const sim: Command = {
	summary: "run the field app on the host simulator board",
	usage: `usage: xsight sim [options]
Builds what is needed, then runs the app (manifest creation.main) on the XS
engine on this computer.
  --root DIR          data root the app's files are read from (default: resources/)
  --config KEY=VALUE  override an mc/config value (repeatable; dotted keys, JSON values)
  --main MODULE       run another module instead of the manifest's main
  --stats             print the XS heap in use when the app ends
duty-cycle simulation (virtual clock; sleeping takes no real time):
  --hours N           simulate N hours of field duty and print the energy summary
  --wake-every TIME   the app's wake period, e.g. 60s, 5m (mc/config power.wakeEveryMs)
  --scenario FILE     JSON events: pin edges and RTC alarms at virtual times
  --profile FILE      JSON power profile over the defaults (currents, battery, costUs)
  --report OUT        draw current over time and the charge breakdown (.svg or .html)
  --state DIR         keep the board's state (retained memory, /state/ files) in DIR
  With --hours (default 24 when another of these is given) the app defaults to
  examples/duty, a minimal wake, count, log, Standby cycle.
  -h, --help          this text`,
	options: {
		root: { type: "string" },
		config: { type: "string", multiple: true },
		main: { type: "string" },
		stats: { type: "boolean" },
		hours: { type: "string" },
		"wake-every": { type: "string" },
		scenario: { type: "string" },
		profile: { type: "string" },
		report: { type: "string" },
		state: { type: "string" },
	},
	async run(values) {
		const root = path.resolve((values["root"] as string | undefined) ?? path.join(repoRoot, "resources"));
		if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--root ${root}: no such folder`);
		const duty = ["hours", "wake-every", "scenario", "profile", "report", "state"].some((name) => values[name] !== undefined);
		if (duty) return simulateDuty(values, root);
		const build = buildHost();
		const config = overrideConfig(build.manifest.config, (values["config"] as string[] | undefined) ?? []);
		const main = values["main"] as string | undefined;
		const result = await runOnHost(build, {
			...(main ? { main } : {}),
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
	},
};

/** The app that --hours runs when --main is not given, until the field app sleeps by itself. */
const DUTY_MAIN = "examples/duty";

async function simulateDuty(values: Record<string, unknown>, root: string): Promise<number> {
	const text = (name: string) => values[name] as string | undefined;
	const hours = text("hours") === undefined ? 24 : Number(text("hours"));
	if (!Number.isFinite(hours) || hours <= 0) throw new Error(`--hours ${text("hours")}: expected a number of hours > 0`);
	const report = text("report");
	if (report !== undefined && !/\.(svg|html?)$/i.test(report)) throw new Error(`--report ${report}: expected a .svg or .html file name`);
	const events = text("scenario") !== undefined ? readScenario(text("scenario") as string) : [];
	const state = text("state") !== undefined ? path.resolve(text("state") as string) : undefined;
	const build = buildHost();
	const overrides = [...((values["config"] as string[] | undefined) ?? [])];
	const every = text("wake-every");
	if (every !== undefined) {
		const ms = parseDuration(every);
		if (ms === undefined || ms <= 0) throw new Error(`--wake-every ${every}: expected a duration like 60s, 5m or 500ms`);
		overrides.unshift(`power.wakeEveryMs=${ms}`);
	}
	const config = overrideConfig(build.manifest.config, overrides);
	const power = config["power"] as Record<string, unknown> | undefined;
	let profile = power?.["profile"] !== undefined ? mergeProfile(DEFAULT_PROFILE, power["profile"], "manifest config.power.profile") : DEFAULT_PROFILE;
	if (text("profile") !== undefined) profile = readProfile(text("profile") as string, profile);
	const started = performance.now();
	const { report: energy, result } = await simulate({
		build,
		main: text("main") ?? DUTY_MAIN,
		hours,
		profile,
		config,
		root,
		...(state ? { state } : {}),
		events,
		echo: true,
	});
	const seconds = (performance.now() - started) / 1000;
	process.stdout.write(`${formatSummary(energy)}\nreal time ${seconds.toFixed(2)} s\n`);
	if (report !== undefined) {
		writeFileSync(report, /\.svg$/i.test(report) ? reportSvg(energy) : reportHtml(energy));
		process.stdout.write(`report: ${report}\n`);
	}
	return result.status;
}
