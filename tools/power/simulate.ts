// A duty-cycle simulation on the host simulator board: the app runs on a
// virtual clock for `hours`, wakes as the scenario and its sleeps say, and
// the power trace is priced with the profile.
// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { HostBuild } from "../build/build";
import { runOnHost, type RunResult } from "../boards/host";
import { makeTemp, removeTemp } from "../support/temp";
import { account, type EnergyReport } from "./energy";
import { costArguments, type PowerProfile } from "./profile";
import { scenarioLines, type ScenarioEvent } from "./scenario";

export interface SimulateOptions {
	build: HostBuild;
	/** Entry module (default: the manifest's). */
	main?: string;
	hours: number;
	profile: PowerProfile;
	config?: Record<string, unknown>;
	/** Data root of the file module. */
	root: string;
	/** The board's state folder (retained memory, /state/ files); default: a new one, removed after. */
	state?: string;
	events?: readonly ScenarioEvent[];
	/** The camera's frames folder (binary PGM files; host-sim/camera.c). */
	frames?: string;
	/** Date.now() at power-on (default 2026-01-01T00:00:00Z, so runs repeat exactly); a state folder simulated before goes on from its own clock. */
	epochMs?: number;
	echo?: boolean;
	timeoutMs?: number;
}

export interface Simulation {
	report: EnergyReport;
	result: RunResult;
	trace: string;
}

export async function simulate(options: SimulateOptions): Promise<Simulation> {
	if (!(options.hours > 0)) throw new Error(`--hours: expected a number of hours > 0, got ${options.hours}`);
	const temp = makeTemp("power");
	try {
		const state = options.state ?? path.join(temp, "state");
		mkdirSync(state, { recursive: true });
		const traceFile = path.join(temp, "trace.jsonl");
		const board = [
			"--until",
			String(options.hours * 3_600_000),
			"--epoch",
			String(options.epochMs ?? Date.UTC(2026, 0, 1)),
			"--state",
			state,
			"--trace",
			traceFile,
			...costArguments(options.profile),
			...(options.frames ? ["--frames", options.frames] : []),
		];
		if (options.events?.length) {
			const scenario = path.join(temp, "scenario.txt");
			writeFileSync(scenario, scenarioLines(options.events));
			board.push("--scenario", scenario);
		}
		const result = await runOnHost(options.build, {
			...(options.main ? { main: options.main } : {}),
			...(options.config ? { config: options.config } : {}),
			root: options.root,
			board,
			echo: options.echo ?? false,
			timeoutMs: options.timeoutMs ?? 600_000,
		});
		let trace = "";
		try {
			trace = readFileSync(traceFile, "utf8");
		} catch {
			// The board did not start: the result says why.
		}
		return { report: account(trace, options.profile), result, trace };
	} finally {
		removeTemp(temp);
	}
}
