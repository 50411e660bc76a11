// xsight update: send a field update's bundle to a board over its console UART (the console
// protocol's "U" and "I": docs/console-protocol.md). The board keeps it in its update channel's
// inbox and installs it at its next wake, each step in its results log (xsight log --port).
// SPDX-License-Identifier: Apache-2.0
import { crc32 } from "node:zlib";
import { MAX_PAYLOAD } from "../../modules/console/frame";
import { MAGIC } from "../../modules/update/bundle";
import { ANSWER_LIMITS, ConsolePort, DEFAULT_BAUD } from "../console/port";
import { readUserFile } from "../support/files";
import { positiveOption, UsageError, type Command } from "./command";

/** The bytes a "U" frame carries after its 4-byte offset. */
const CHUNK = MAX_PAYLOAD - 4;

export const update: Command = {
	summary: "send a field update's bundle to a board over its console UART",
	usage: `usage: xsight update --port PORT [--baud N] [--wait S] U.xsb
Sends U.xsb (xsight bundle) to the board on PORT in the console protocol's
frames, each CRC-checked and asked for again when lost, then the whole
bundle's size and CRC-32: the board keeps it in its update channel's inbox and
installs it at its next wake (the signature, the version, every file and the
self-test checked there), each step a record of its results log: see them with
xsight log --port PORT after that wake. The board listens during a wake that
finds the line held, so this waits for the next one (--wait). A board whose
firmware trusts no key (config.update.publicKey) refuses it in its log.
  --port PORT         the board's serial port (a USB serial adapter: /dev/ttyUSB0)
  --baud N            its rate (default ${DEFAULT_BAUD})
  --wait S            how long to wait for the board's next wake, seconds (default 90)
  -h, --help          this text`,
	options: {
		port: { type: "string" },
		baud: { type: "string" },
		wait: { type: "string" },
	},
	positionals: true,
	async run(values, positionals) {
		const portName = values["port"] as string | undefined;
		if (portName === undefined) throw new UsageError("--port PORT: the board's serial port");
		if (positionals.length !== 1) throw new UsageError("expected one bundle (U.xsb)");
		const file = positionals[0]!;
		const bytes = new Uint8Array(readUserFile(file, file));
		// A file that is no bundle at all is refused here, before the line is held (the board checks the rest).
		if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString("latin1") !== MAGIC)
			throw new Error(`${file}: not a bundle: it does not start with ${MAGIC} (make one with xsight bundle)`);
		const baud = positiveOption(values, "baud", DEFAULT_BAUD);
		const waitS = positiveOption(values, "wait", 90);
		const port = ConsolePort.open(portName, baud);
		const notice = (message: string) => process.stderr.write(`xsight update: ${message}\n`);
		try {
			await port.hello(waitS * 1000);
			for (let at = 0; at < bytes.length; at += CHUNK) {
				const part = bytes.subarray(at, at + CHUNK);
				const frame = new Uint8Array(4 + part.length);
				new DataView(frame.buffer).setUint32(0, at, true);
				frame.set(part, 4);
				const answer = (await port.request("U", frame, { ...ANSWER_LIMITS, notice })) as { next?: unknown };
				if (answer.next !== at + part.length)
					throw new Error(
						`${portName}: the board holds ${String(answer.next)} bytes of the bundle, not ${at + part.length}`,
					);
				process.stderr.write(`xsight update: ${at + part.length} of ${bytes.length} bytes\n`);
			}
			const done = (await port.request(
				"I",
				{ bytes: bytes.length, crc32: crc32(bytes) },
				{ ...ANSWER_LIMITS, notice },
			)) as { inbox?: string };
			await port
				.request("Q", undefined, { ...ANSWER_LIMITS, notice })
				.catch((error: Error) => notice(error.message));
			process.stdout.write(
				`sent ${file} (${bytes.length} bytes) to ${portName}: in the board's inbox (${String(done.inbox)}); it installs it at its next wake (xsight log --port ${portName} shows each step)\n`,
			);
			return 0;
		} finally {
			port.close();
		}
	},
};
