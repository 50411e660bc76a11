// The host's end of the console protocol (docs/console-protocol.md) on a serial port or a
// pseudo-terminal: open it raw at a baud rate, send requests and wait for their answers with a
// time limit on every wait, retrying what is lost or garbled. Every error names the port.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { isatty, ReadStream } from "node:tty";
import { crc32 } from "node:zlib";
import { Deframer, encodeFrame, type Frame, type Received } from "../../modules/console/frame";

/** The STM32H743 console's rate (boards/stm32h743/include/h7_board.h, H7_BOARD_CONSOLE_BAUD). */
export const DEFAULT_BAUD = 921600;
/** Each answer's time limit and tries: a lost or garbled frame is asked for again. */
export const ANSWER_LIMITS = { timeoutMs: 1500, tries: 4 };
/** How often a hello goes out while the host waits for the device's next wake, ms. */
const HELLO_EVERY_MS = 500;

/** What went wrong on the line, for the user: a garbled frame, a retry. */
export type Notice = (message: string) => void;

/** A serial port held by another program: its lock file (/var/lock/LCK..ttyUSB0) with a live pid. */
function lockedBy(port: string): number | undefined {
	for (const dir of ["/var/lock", "/run/lock"]) {
		const file = path.join(dir, `LCK..${path.basename(port)}`);
		if (!existsSync(file)) continue;
		const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
		try {
			if (pid > 0 && pid !== process.pid) {
				process.kill(pid, 0);
				return pid;
			}
		} catch {
			// a stale lock
		}
	}
	return undefined;
}

/** Where the bytes go: a terminal's file descriptor, or a test's stand-in for one. */
export interface Line {
	/** Calls `onData` with each chunk that arrives. */
	listen(onData: (chunk: Uint8Array) => void): void;
	/** Writes what it can of `bytes` from `offset`: how many; throws EAGAIN when the line takes nothing now. */
	write(bytes: Uint8Array, offset: number): number;
	close(): void;
}

/** A terminal's file descriptor as a Line (libuv's tty handle reads it without blocking a thread). */
function ttyLine(fd: number): Line {
	const stream = new ReadStream(fd);
	return {
		listen: (onData) => stream.on("data", onData),
		write: (bytes, offset) => writeSync(fd, bytes, offset),
		close: () => stream.destroy(),
	};
}

export class ConsolePort {
	readonly port: string;
	#line: Line;
	#deframer = new Deframer(crc32);
	#queue: Received[] = [];
	#wake: (() => void) | undefined;
	// Ids start anywhere: an answer a previous host's request left on the line is not taken for this one's.
	#nextId = Math.floor(Math.random() * 0xffff);

	constructor(port: string, line: Line) {
		this.port = port;
		this.#line = line;
		line.listen((chunk) => {
			this.#queue.push(...this.#deframer.push(chunk));
			this.#deframer.takeText();
			this.#wake?.();
		});
	}

	/** Opens `port` raw at `baud`: a missing, busy, forbidden or non-terminal port is an error naming it. */
	static open(port: string, baud = DEFAULT_BAUD): ConsolePort {
		const pid = lockedBy(port);
		if (pid !== undefined) throw new Error(`${port}: busy (locked by process ${pid})`);
		let fd: number;
		try {
			fd = openSync(port, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			const why =
				code === "ENOENT"
					? "no such port"
					: code === "EBUSY"
						? "busy (another program has it open)"
						: code === "EACCES"
							? "permission denied (is your user in the dialout group?)"
							: (error as Error).message;
			throw new Error(`${port}: ${why}`);
		}
		if (!isatty(fd)) {
			closeSync(fd);
			throw new Error(`${port}: not a serial port or terminal`);
		}
		// stty on the port as its stdin: no second open, which a modem line could block.
		const stty = spawnSync("stty", ["raw", "-echo", String(baud)], {
			stdio: [fd, "ignore", "pipe"],
			encoding: "utf8",
		});
		if (stty.error || stty.status !== 0) {
			closeSync(fd);
			throw new Error(`${port}: cannot set ${baud} baud, raw: ${stty.error?.message ?? stty.stderr.trim()}`);
		}
		return new ConsolePort(port, ttyLine(fd));
	}

	/** The next frame, or garbled frame, to arrive; undefined when none did within `timeoutMs`. */
	async next(timeoutMs: number): Promise<Received | undefined> {
		const until = Date.now() + timeoutMs;
		// A chunk may hold part of a frame: wait on until one is whole, or the time is up.
		while (this.#queue.length === 0 && Date.now() < until) {
			let timer: NodeJS.Timeout | undefined;
			await new Promise<void>((resolve) => {
				this.#wake = resolve;
				timer = setTimeout(resolve, until - Date.now());
			});
			clearTimeout(timer);
			this.#wake = undefined;
		}
		return this.#queue.shift();
	}

	/** Sends a frame, waiting up to `timeoutMs` while the line takes nothing (nobody reads it); its id. */
	async send(type: string, payload: Uint8Array, timeoutMs: number): Promise<number> {
		this.#nextId = (this.#nextId % 0xffff) + 1;
		const bytes = encodeFrame({ type, id: this.#nextId, payload }, crc32);
		const until = Date.now() + timeoutMs;
		for (let at = 0; at < bytes.length; ) {
			try {
				at += this.#line.write(bytes, at);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== "EAGAIN")
					throw new Error(`${this.port}: cannot write: ${(error as Error).message}`);
				if (Date.now() > until)
					throw new Error(`${this.port}: the line takes nothing: no device is reading it`);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		}
		return this.#nextId;
	}

	/**
	 * Sends `type` and waits `timeoutMs` for its answer, `tries` times: an answer lost or garbled
	 * is asked for again (and noticed); answers to earlier tries and wake frames are passed over.
	 * The answer is the request's letter in lower case; the device's error answer ("e") is thrown with its message.
	 */
	async request(
		type: string,
		body: unknown,
		options: { timeoutMs: number; tries: number; notice: Notice },
	): Promise<unknown> {
		// JSON, but for a request whose payload is bytes (an update's "U").
		const payload =
			body === undefined
				? new Uint8Array(0)
				: body instanceof Uint8Array
					? body
					: Buffer.from(JSON.stringify(body));
		for (let attempt = 1; attempt <= options.tries; attempt++) {
			const id = await this.send(type, payload, options.timeoutMs);
			const until = Date.now() + options.timeoutMs;
			let garbled = false;
			for (;;) {
				const got = await this.next(until - Date.now());
				if (got === undefined) break;
				if ("garbled" in got) {
					options.notice(`${this.port}: a garbled frame (${got.garbled}), asking again`);
					garbled = true;
					break;
				}
				const answerType = type.toLowerCase();
				if (got.frame.id !== id || (got.frame.type !== answerType && got.frame.type !== "e")) continue;
				const answer = parseAnswer(this.port, got.frame);
				if (got.frame.type === "e")
					throw new Error(
						`${this.port}: the device refused "${type}": ${(answer as { error?: string }).error}`,
					);
				return answer;
			}
			if (attempt < options.tries && !garbled)
				options.notice(
					`${this.port}: no answer to "${type}" in ${options.timeoutMs} ms (try ${attempt} of ${options.tries})`,
				);
		}
		throw new Error(`${this.port}: no answer to "${type}" after ${options.tries} tries of ${options.timeoutMs} ms`);
	}

	/**
	 * Holds the line until the device answers a hello: it listens only during a wake that finds
	 * the line held (docs/console-protocol.md), so this waits up to `waitMs`, a wake period or more.
	 */
	async hello(waitMs: number): Promise<unknown> {
		const until = Date.now() + waitMs;
		const sent = new Set<number>();
		while (Date.now() < until) {
			sent.add(await this.send("H", new Uint8Array(0), until - Date.now()));
			const poll = Date.now() + HELLO_EVERY_MS;
			for (;;) {
				const got = await this.next(Math.min(poll, until) - Date.now());
				if (got === undefined) break;
				if ("frame" in got && got.frame.type === "h" && sent.has(got.frame.id))
					return parseAnswer(this.port, got.frame);
			}
		}
		throw new Error(
			`${this.port}: no answer in ${waitMs / 1000} s (is the board running the xsight app, at this baud rate? it answers at its next wake)`,
		);
	}

	close(): void {
		this.#line.close();
	}
}

/** A frame's JSON payload; one that does not parse passed its CRC yet is not the protocol's. */
export function parseAnswer(port: string, frame: Frame): unknown {
	try {
		return JSON.parse(Buffer.from(frame.payload).toString("utf8"));
	} catch {
		throw new Error(`${port}: a "${frame.type}" frame that is not JSON: not an xsight console?`);
	}
}
