// xsight log: print the field app's results log from a simulated device's state folder.
// SPDX-License-Identifier: Apache-2.0
import { statSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build/build";
import { runOnHost } from "../boards/host";
import { ANSWER_LIMITS, ConsolePort, DEFAULT_BAUD } from "../console/port";
import type { WakeRecord } from "../../modules/field/record";
import { positiveOption, UsageError, type Command } from "./command";
import { DEFAULT_STATE, smileText } from "./sim";

interface LogLine {
	seq: number;
	time: number;
	payload: string;
}

/** A results log's record: a wake's (whose fields a damaged or older log may lack), or an update's step. */
type FieldRecord = Partial<WakeRecord>;

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
			: faces.map((f) => `${smileText(f)} at ${f.x},${f.y} ${f.width}x${f.height}`).join("; ");
	const extra = [
		record.awakeMs !== undefined ? `${record.awakeMs} ms` : "",
		record.frame ? `[${record.frame.replace(/^\d{5}-/, "")}]` : "",
		...(record.warnings ?? []).map((w) => `warning: ${w}`),
	]
		.filter(Boolean)
		.join("  ");
	return `${String(line.seq).padStart(5)}  ${when}  ${reason.padEnd(8)}  ${what}  ${extra}`;
}

/** What the reader skipped (resultlog's LogRecovery). */
export interface Recovery {
	droppedBytes: number;
	skippedBytes: number;
	skippedRecords: number;
}

/** The listing: a line per record (or a JSON object with --json), then what was skipped. */
function printListing(lines: LogLine[], recovery: Recovery | undefined, json: boolean, logPath: string): void {
	for (const line of lines) {
		if (json) {
			let record: unknown = line.payload;
			try {
				record = JSON.parse(line.payload);
			} catch {
				// not JSON: kept as text
			}
			process.stdout.write(`${JSON.stringify({ seq: line.seq, time: line.time, record })}\n`);
		} else process.stdout.write(`${describe(line)}\n`);
	}
	if (!recovery) return;
	// With --json the notes go to stderr: stdout stays one record a line.
	const out = json ? process.stderr : process.stdout;
	if (recovery.skippedBytes > 0)
		out.write(
			`(${recovery.skippedBytes} corrupt bytes skipped between intact records: ${recovery.skippedRecords} record${recovery.skippedRecords === 1 ? "" : "s"} lost; the file is left as it is)\n`,
		);
	if (recovery.droppedBytes > 0)
		out.write(
			`(a torn tail of ${recovery.droppedBytes} bytes at the end of ${logPath}, as a power loss during an append leaves, is ignored)\n`,
		);
}

export const log: Command = {
	summary: "print the field app's results log",
	usage: `usage: xsight log [--state DIR | --port DEV [--baud N] [--wait S]] [--json]
Reads the results log of a simulated device (written by \`xsight sim\`) through
the app's own resultlog module on XS (read-only: it writes nothing), and prints
every intact record in order, then what was skipped. With --port, the log of a
board on that serial port, pulled over the console protocol at its next wake.
  --state DIR         the device's state folder (default build/host/state, the last sim's)
  --path PATH         the log's path on the device (default mc/config app.log, /state/results.log)
  --port DEV          a board's console UART (/dev/ttyACM0, a pseudo-terminal...)
  --baud N            its baud rate (default ${DEFAULT_BAUD})
  --wait S            how long to hold the line for the board's next wake (default 90 s)
  --from N            with --port: from record N on (default 1, the oldest kept)
  --json              one JSON object per line: { seq, time, record }
  -h, --help          this text`,
	options: {
		state: { type: "string" },
		path: { type: "string" },
		port: { type: "string" },
		baud: { type: "string" },
		wait: { type: "string" },
		from: { type: "string" },
		json: { type: "boolean" },
	},
	async run(values) {
		const port = values["port"] as string | undefined;
		if (port !== undefined) {
			if (values["state"] !== undefined || values["path"] !== undefined)
				throw new UsageError("--port reads the board's own log: not with --state or --path");
			return logFromPort(port, values);
		}
		for (const option of ["baud", "wait", "from"])
			if (values[option] !== undefined) throw new UsageError(`--${option} goes with --port`);
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
		const found = /^#recovery (.*)$/m.exec(result.stdout);
		printListing(
			lines,
			found?.[1] ? (JSON.parse(found[1]) as Recovery) : undefined,
			values["json"] === true,
			logPath,
		);
		return 0;
	},
};

interface LogAnswer {
	path: string;
	records: ({ seq: number; time: number; payload: string } | { seq: number; time: number; bytes: number })[];
	next: number;
	last: number;
	recovery: Recovery;
}

async function logFromPort(portName: string, values: Record<string, unknown>): Promise<number> {
	const baud = positiveOption(values, "baud", DEFAULT_BAUD);
	const waitS = positiveOption(values, "wait", 90);
	let from = positiveOption(values, "from", 1);
	if (!Number.isInteger(from)) throw new UsageError(`--from ${String(values["from"])}: expected a record number`);
	const port = ConsolePort.open(portName, baud);
	const notice = (message: string) => process.stderr.write(`xsight log: ${message}\n`);
	try {
		await port.hello(waitS * 1000);
		const lines: LogLine[] = [];
		let answer: LogAnswer;
		do {
			answer = (await port.request("L", { from }, { ...ANSWER_LIMITS, notice })) as LogAnswer;
			for (const record of answer.records)
				lines.push({
					seq: record.seq,
					time: record.time,
					payload: "payload" in record ? record.payload : `(${record.bytes} bytes)`,
				});
			if (answer.next <= from && answer.next <= answer.last)
				throw new Error(`${portName}: the device's log answer did not move on from record ${from}`);
			from = answer.next;
		} while (from <= answer.last);
		printListing(lines, answer.recovery, values["json"] === true, answer.path);
		// The board ends the session by itself when the host goes quiet: a lost goodbye costs it seconds, not the listing.
		await port.request("Q", undefined, { ...ANSWER_LIMITS, notice }).catch((error: Error) => notice(error.message));
		return 0;
	} finally {
		port.close();
	}
}
