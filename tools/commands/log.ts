// xsight log: print the field app's results log from a simulated device's state folder.
// SPDX-License-Identifier: Apache-2.0
import { statSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build/build";
import { runOnHost } from "../boards/host";
import type { Command } from "./command";
import { DEFAULT_STATE } from "./sim";

interface LogLine {
	seq: number;
	time: number;
	payload: string;
}

interface FieldRecord {
	boot?: number;
	reason?: string;
	pin?: number;
	frame?: string;
	error?: string;
	faces?: { x: number; y: number; width: number; height: number; smile: boolean; score: number }[];
	awakeMs?: number;
	warnings?: string[];
}

function describe(line: LogLine): string {
	const when = new Date(line.time)
		.toISOString()
		.replace("T", " ")
		.replace(/\.\d+Z$/, "Z");
	let record: FieldRecord;
	try {
		record = JSON.parse(line.payload) as FieldRecord;
	} catch {
		return `${String(line.seq).padStart(5)}  ${when}  ${line.payload}`;
	}
	// A field update's step (modules/update/install.ts): the step, then its details as written.
	if (typeof (record as { update?: unknown }).update === "string") {
		const { update, ...details } = record as Record<string, unknown>;
		return `${String(line.seq).padStart(5)}  ${when}  ${"update".padEnd(8)}  ${update}  ${JSON.stringify(details)}`;
	}
	const reason = record.pin !== undefined ? `pin ${record.pin}` : (record.reason ?? "?");
	const faces = record.faces ?? [];
	const what = record.error
		? record.error
		: faces.length === 0
			? "no face"
			: faces
					.map(
						(f) =>
							`${f.smile ? "smile" : "no smile"} ${f.score.toFixed(2)} at ${f.x},${f.y} ${f.width}x${f.height}`,
					)
					.join("; ");
	const extra = [
		record.awakeMs !== undefined ? `${record.awakeMs} ms` : "",
		record.frame ? `[${record.frame.replace(/^\d{5}-/, "")}]` : "",
		...(record.warnings ?? []).map((w) => `warning: ${w}`),
	]
		.filter(Boolean)
		.join("  ");
	return `${String(line.seq).padStart(5)}  ${when}  ${reason.padEnd(8)}  ${what}  ${extra}`;
}

export const log: Command = {
	summary: "print the field app's results log",
	usage: `usage: xsight log [--state DIR] [--json]
Reads the results log of a simulated device (written by \`xsight sim\`) through
the app's own resultlog module on XS (read-only: it writes nothing), and prints
every intact record in order, then what was skipped.
  --state DIR         the device's state folder (default build/host/state, the last sim's)
  --path PATH         the log's path on the device (default mc/config app.log, /state/results.log)
  --json              one JSON object per line: { seq, time, record }
  -h, --help          this text`,
	options: {
		state: { type: "string" },
		path: { type: "string" },
		json: { type: "boolean" },
	},
	async run(values) {
		const state = path.resolve((values["state"] as string | undefined) ?? DEFAULT_STATE);
		if (!statSync(state, { throwIfNoEntry: false })?.isDirectory())
			throw new Error(`--state ${state}: no such folder (run \`xsight sim\` first)`);
		const build = await buildHost();
		const app = build.manifest.config["app"] as Record<string, unknown> | undefined;
		const logPath =
			(values["path"] as string | undefined) ??
			(typeof app?.["log"] === "string" ? app["log"] : "/state/results.log");
		const result = await runOnHost(build, {
			main: "tools/print-log",
			config: { ...build.manifest.config, log: logPath },
			root: path.join(repoRoot, "resources"),
			board: ["--state", state],
		});
		if (result.status !== 0) {
			process.stderr.write(result.stderr);
			return result.status;
		}
		const lines = result.stdout
			.split("\n")
			.filter((line) => line.startsWith("#record "))
			.map((line) => JSON.parse(line.slice(8)) as LogLine);
		for (const line of lines) {
			if (values["json"] === true) {
				let record: unknown = line.payload;
				try {
					record = JSON.parse(line.payload);
				} catch {
					// not JSON: kept as text
				}
				process.stdout.write(`${JSON.stringify({ seq: line.seq, time: line.time, record })}\n`);
			} else process.stdout.write(`${describe(line)}\n`);
		}
		const found = /^#recovery (.*)$/m.exec(result.stdout);
		if (found?.[1]) {
			const recovery = JSON.parse(found[1]) as {
				droppedBytes: number;
				skippedBytes: number;
				skippedRecords: number;
			};
			// With --json the notes go to stderr: stdout stays one record a line.
			const out = values["json"] === true ? process.stderr : process.stdout;
			if (recovery.skippedBytes > 0)
				out.write(
					`(${recovery.skippedBytes} corrupt bytes skipped between intact records: ${recovery.skippedRecords} record${recovery.skippedRecords === 1 ? "" : "s"} lost; the file is left as it is)\n`,
				);
			if (recovery.droppedBytes > 0)
				out.write(
					`(a torn tail of ${recovery.droppedBytes} bytes at the end of ${logPath}, as a power loss during an append leaves, is ignored)\n`,
				);
		}
		return 0;
	},
};
