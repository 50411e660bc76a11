// xsight monitor: a board's wakes as they happen, read from its console UART (the "w" frames of
// the console protocol, docs/console-protocol.md) and printed as `xsight sim` prints its wakes.
// SPDX-License-Identifier: Apache-2.0
import { ANSWER_LIMITS, ConsolePort, DEFAULT_BAUD, parseAnswer } from "../console/port";
import { EXIT_TIMEOUT } from "../boards/host";
import type { WakeRecord } from "../../modules/field/record";
import { WAKE_HEADER, wakeLine } from "./sim";
import { positiveOption, UsageError, type Command } from "./command";

export const monitor: Command = {
	summary: "print a board's wakes from its serial console, as xsight sim does",
	usage: `usage: xsight monitor --port DEV [--baud N] [--wakes N] [--timeout S]
       xsight monitor --port DEV [--baud N] --info [--wait S] [--json]
Reads the wake frames the field app sends on its console UART at the end of
every wake and prints a line for each, with xsight sim's columns (time from the
board's first boot). A garbled frame is reported on stderr and skipped, and a
wake whose frame never came is reported as missing; neither is shown as a wake.
  --port DEV          the board's console UART (/dev/ttyACM0, a pseudo-terminal...)
  --baud N            its baud rate (default ${DEFAULT_BAUD})
  --wakes N           stop after N wakes (default: until interrupted)
  --timeout S         give up after S seconds without a wake (default 600; exit ${EXIT_TIMEOUT})
  --info              instead, ask the board at its next wake for its firmware, model and
                      cascade versions and its retained counters, print them and end
  --wait S            with --info: how long to hold the line for that wake (default 90 s)
  --json              with --info: one JSON object { versions, counters }
  -h, --help          this text`,
	options: {
		port: { type: "string" },
		baud: { type: "string" },
		wakes: { type: "string" },
		timeout: { type: "string" },
		info: { type: "boolean" },
		wait: { type: "string" },
		json: { type: "boolean" },
	},
	async run(values) {
		const portName = values["port"] as string | undefined;
		if (portName === undefined) throw new UsageError("--port is required");
		const baud = positiveOption(values, "baud", DEFAULT_BAUD);
		const wakes = positiveOption(values, "wakes", Number.POSITIVE_INFINITY);
		if (!Number.isInteger(wakes) && wakes !== Number.POSITIVE_INFINITY)
			throw new UsageError(`--wakes ${String(values["wakes"])}: expected a whole number`);
		const timeoutS = positiveOption(values, "timeout", 600);
		if (values["info"] === true) return info(ConsolePort.open(portName, baud), values);
		for (const option of ["wait", "json"])
			if (values[option] !== undefined) throw new UsageError(`--${option} goes with --info`);
		const port = ConsolePort.open(portName, baud);
		const warn = (message: string) => process.stderr.write(`xsight monitor: ${message}\n`);
		try {
			let seen = 0;
			let lastBoot: number | undefined;
			process.stdout.write(WAKE_HEADER);
			while (seen < wakes) {
				const got = await port.next(timeoutS * 1000);
				if (got === undefined) {
					warn(`${portName}: no wake in ${timeoutS} s`);
					return EXIT_TIMEOUT;
				}
				if ("garbled" in got) {
					warn(`${portName}: a garbled frame (${got.garbled}), skipped`);
					continue;
				}
				if (got.frame.type !== "w") continue; // answers to another host's requests
				const { record, start } = parseAnswer(portName, got.frame) as { record: WakeRecord; start: number };
				if (lastBoot !== undefined && record.boot > lastBoot + 1)
					warn(
						`${portName}: wake${record.boot - lastBoot > 2 ? `s ${lastBoot + 1}-${record.boot - 1}` : ` ${lastBoot + 1}`} not received`,
					);
				lastBoot = record.boot;
				process.stdout.write(
					`${wakeLine(record.boot - 1, undefined, record, undefined, record.time - start)}\n`,
				);
				seen++;
			}
			return 0;
		} finally {
			port.close();
		}
	},
};

interface Versions {
	firmware: { version: string; commit: string } | null;
	model: FileVersion;
	cascade: FileVersion;
}
type FileVersion = { path: string; bytes: number; crc32: number } | { path: string; missing: true };

function fileLine(what: string, file: FileVersion): string {
	return "missing" in file
		? `${what}: ${file.path}, missing`
		: `${what}: ${file.path}, ${file.bytes} bytes, CRC-32 ${file.crc32.toString(16).padStart(8, "0")}`;
}

/** The board's versions and retained counters, asked for at its next wake. */
async function info(port: ConsolePort, values: Record<string, unknown>): Promise<number> {
	const notice = (message: string) => process.stderr.write(`xsight monitor: ${message}\n`);
	try {
		await port.hello(positiveOption(values, "wait", 90) * 1000);
		const versions = (await port.request("V", undefined, { ...ANSWER_LIMITS, notice })) as Versions;
		const counters = (await port.request("R", undefined, { ...ANSWER_LIMITS, notice })) as {
			status: string;
			values: Record<string, unknown>;
		};
		await port.request("Q", undefined, { ...ANSWER_LIMITS, notice }).catch((error: Error) => notice(error.message));
		if (values["json"] === true) {
			process.stdout.write(`${JSON.stringify({ versions, counters })}\n`);
			return 0;
		}
		const firmware = versions.firmware;
		process.stdout.write(
			`firmware: ${firmware ? `${firmware.version} (${firmware.commit})` : "none named (the simulator)"}\n${fileLine("model", versions.model)}\n${fileLine("cascade", versions.cascade)}\nretained (${counters.status}): ${Object.entries(
				counters.values,
			)
				.map(([key, value]) => `${key} ${JSON.stringify(value)}`)
				.join(", ")}\n`,
		);
		return 0;
	} finally {
		port.close();
	}
}
