// xsight bench: measure and report (host latency, sizes, counts), one suite at a time.
// SPDX-License-Identifier: Apache-2.0
import { suites } from "../bench/index";
import { UsageError, type Command } from "./command";

function listing(): string {
	const names = Object.keys(suites);
	if (names.length === 0) return "  (no suites yet)";
	const width = Math.max(...names.map((name) => name.length));
	return Object.entries(suites)
		.map(([name, suite]) => `  ${name.padEnd(width)}  ${suite.summary}`)
		.join("\n");
}

export const bench: Command = {
	summary: "run benchmarks and print a report",
	get usage() {
		return `usage: xsight bench <suite>... [--board mps2-an500] [--runs N] [--json]
Measures and prints a report; with no suite, runs them all.
suites:
${listing()}
  --board mps2-an500  the Cortex-M7 firmware's suite (same as the suite m7)
  --runs N            repetitions per measurement, the median is reported (default 11)
  --json              print JSON instead of tables
  -h, --help          this text`;
	},
	options: {
		board: { type: "string" },
		runs: { type: "string" },
		json: { type: "boolean" },
	},
	positionals: true,
	async run(values, positionals) {
		const runs = Number(values["runs"] ?? 11);
		if (!Number.isInteger(runs) || runs < 1)
			throw new UsageError(`--runs ${String(values["runs"])}: expected a positive integer`);
		const board = values["board"] as string | undefined;
		if (board !== undefined && board !== "mps2-an500")
			throw new UsageError(`--board ${board}: the boards with a bench suite are: mps2-an500`);
		const names = positionals.length > 0 ? positionals : board ? ["m7"] : Object.keys(suites);
		for (const name of names)
			if (!suites[name])
				throw new UsageError(`unknown suite "${name}" (suites: ${Object.keys(suites).join(", ") || "none"})`);
		for (const name of names) await suites[name]!.run({ runs, json: values["json"] === true });
		return 0;
	},
};
