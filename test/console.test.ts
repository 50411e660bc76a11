// The console protocol's framing (modules/console/frame.ts) and the host's requests over a line
// (tools/console/port.ts), against a stand-in device: what is cut, garbled or lost is reported and
// asked for again, never delivered as data. The board's end runs in test/console-m7.test.ts.
// SPDX-License-Identifier: Apache-2.0
import { crc32 } from "node:zlib";
import { describe, expect, test } from "vitest";
import { Deframer, EOF, encodeFrame, ESC, type Frame, MAX_PAYLOAD, SOF } from "../modules/console/frame";
import { ConsolePort, type Line } from "../tools/console/port";

const frame = (type: string, id: number, payload: number[] | string): Frame => ({
	type,
	id,
	payload: typeof payload === "string" ? new Uint8Array(Buffer.from(payload)) : Uint8Array.from(payload),
});

/** Every byte value, the markers and the escape among them, in the payload. */
const everyByte = frame(
	"L",
	(ESC << 8) | SOF,
	Array.from({ length: 256 }, (_, i) => i),
);

describe("console frames", () => {
	test("a frame comes back whole whatever bytes it holds, however the stream is cut", () => {
		const bytes = encodeFrame(everyByte, crc32);
		// The markers only as markers: once each, at the ends; no XON or XOFF to stop a terminal.
		expect(bytes.indexOf(SOF, 1)).toBe(-1);
		expect(bytes.indexOf(EOF)).toBe(bytes.length - 1);
		expect([bytes.indexOf(0x11), bytes.indexOf(0x13)]).toEqual([-1, -1]);
		for (const cut of [1, 2, 3, 7, 100]) {
			const deframer = new Deframer(crc32);
			const found = [];
			for (let at = 0; at < bytes.length; at += cut) found.push(...deframer.push(bytes.subarray(at, at + cut)));
			expect(found).toEqual([{ frame: everyByte }]);
		}
	});

	test("counted first (a board's byte counts), the same bytes: escapes anywhere, repeated, or none", () => {
		let counted = 0;
		const spy = (data: Uint8Array) => {
			counted++;
			const bins = new Uint32Array(256);
			for (const byte of data) bins[byte] = (bins[byte] ?? 0) + 1;
			return bins;
		};
		const frames = [
			everyByte,
			frame("w", 0, '{"record":{"boot":1,"faces":[]},"start":1796656592177}'),
			frame("L", SOF, [ESC, ESC, 0x11, 0x41, SOF, EOF, 0x13, 0x13]),
			...Array.from({ length: 64 }, (_, id) => frame("w", id, `{"seq":${id * 7919}}`)),
		];
		for (const f of frames) expect(encodeFrame(f, crc32, spy), f.type).toEqual(encodeFrame(f, crc32));
		expect(counted).toBe(frames.length);
		// Some of the JSON frames had a byte to escape in their id or CRC (a frame unescaped is its body + 9).
		const escaped = frames.slice(3).filter((f) => encodeFrame(f, crc32).length > f.payload.length + 9);
		expect(escaped.length).toBeGreaterThan(0);
	});

	test("text between frames is the board's console, kept apart", () => {
		const deframer = new Deframer(crc32);
		const a = frame("w", 0, '{"boot":1}');
		const b = frame("H", 7, []);
		const stream = Buffer.concat([
			Buffer.from("#wake {}\n"),
			encodeFrame(a, crc32),
			Buffer.from("boot 2\n"),
			encodeFrame(b, crc32),
		]);
		expect(deframer.push(stream)).toEqual([{ frame: a }, { frame: b }]);
		expect(deframer.takeText()).toBe("#wake {}\nboot 2\n");
	});

	test("a bad CRC, a bad escape, a cut frame, a short one or one too long: reported, not delivered", () => {
		const good = encodeFrame(frame("L", 3, '{"from":1}'), crc32);
		const flipped = good.slice();
		flipped[5] = (flipped[5] ?? 0) ^ 0x01;
		const badEscape = Uint8Array.from([SOF, 0x4c, 1, 0, ESC, 0x00, 1, 2, 3, 4, EOF]);
		const tooLong = new Uint8Array(MAX_PAYLOAD + 20).fill(0x41);
		tooLong[0] = SOF;
		tooLong[tooLong.length - 1] = EOF;
		const cases: [Uint8Array, string][] = [
			[flipped, "a bad CRC"],
			[badEscape, "a bad escape 0x0"],
			[Uint8Array.from([SOF, 0x48, 1, 2, 3, 4, 5, EOF]), "6 bytes, too short"],
			[Buffer.concat([good.subarray(0, 8), good]), "a frame cut short by the next"],
			[tooLong, `longer than ${MAX_PAYLOAD} bytes of payload`],
		];
		for (const [bytes, why] of cases) {
			const found = new Deframer(crc32).push(bytes);
			expect(found[0]).toEqual({ garbled: why });
			// Only the intact frame that followed a cut one is delivered.
			expect(found.filter((got) => "frame" in got)).toHaveLength(why.startsWith("a frame cut") ? 1 : 0);
		}
	});

	test("a payload over the limit is refused when sent", () => {
		expect(() => encodeFrame(frame("L", 1, new Array(MAX_PAYLOAD + 1).fill(0)), crc32)).toThrow(
			`console frame: payload of ${MAX_PAYLOAD + 1} bytes, at most ${MAX_PAYLOAD}`,
		);
	});
});

/**
 * A stand-in device on a Line: each request frame is handed to `answer`, which says what goes
 * back (frames, raw bytes, or nothing).
 */
function standIn(answer: (request: Frame, count: number) => Uint8Array | undefined): {
	line: Line;
	requests: Frame[];
} {
	const requests: Frame[] = [];
	const deframer = new Deframer(crc32);
	let deliver: (chunk: Uint8Array) => void = () => {};
	const line: Line = {
		listen: (onData) => {
			deliver = onData;
		},
		write: (bytes, offset) => {
			for (const got of deframer.push(bytes.subarray(offset)))
				if ("frame" in got) {
					requests.push(got.frame);
					const reply = answer(got.frame, requests.length);
					if (reply) setTimeout(() => deliver(reply), 1);
				}
			return bytes.length - offset;
		},
		close: () => {},
	};
	return { line, requests };
}

const reply = (request: Frame, body: unknown, type = request.type.toLowerCase()) =>
	encodeFrame({ type, id: request.id, payload: new Uint8Array(Buffer.from(JSON.stringify(body))) }, crc32);

describe("requests over the line", () => {
	const options = (notices: string[]) => ({ timeoutMs: 50, tries: 3, notice: (m: string) => notices.push(m) });

	test("a garbled answer is reported and asked for again; the second answer is the one returned", async () => {
		const device = standIn((request, count) => {
			const bytes = reply(request, { records: [], try: count });
			if (count === 1) bytes[4] = (bytes[4] ?? 0) ^ 0x20; // a bit flipped on the line
			return bytes;
		});
		const notices: string[] = [];
		const answer = await new ConsolePort("/dev/fake", device.line).request("L", { from: 1 }, options(notices));
		expect(answer).toEqual({ records: [], try: 2 });
		expect(notices).toEqual(["/dev/fake: a garbled frame (a bad CRC), asking again"]);
		expect(device.requests.map((r) => r.type)).toEqual(["L", "L"]);
	});

	test("a lost answer is asked for again; a late answer to an earlier try and wake frames are passed over", async () => {
		let first: Frame | undefined;
		const device = standIn((request, count) => {
			if (count === 1) {
				first = request;
				return undefined; // lost
			}
			// The first try's answer arrives late, with a wake frame, before the second's.
			return Buffer.concat([
				reply(first!, { late: true }),
				encodeFrame(frame("w", 0, '{"record":{}}'), crc32),
				reply(request, { late: false }),
			]);
		});
		const notices: string[] = [];
		const answer = await new ConsolePort("/dev/fake", device.line).request("V", undefined, options(notices));
		expect(answer).toEqual({ late: false });
		expect(notices).toEqual(['/dev/fake: no answer to "V" in 50 ms (try 1 of 3)']);
	});

	test("no answer at all: an error naming the port after the last try", async () => {
		const device = standIn(() => undefined);
		const notices: string[] = [];
		await expect(
			new ConsolePort("/dev/fake", device.line).request("R", undefined, options(notices)),
		).rejects.toThrow('/dev/fake: no answer to "R" after 3 tries of 50 ms');
		expect(device.requests).toHaveLength(3);
	});

	test("the device's refusal is the error, with its reason", async () => {
		const device = standIn((request) =>
			reply(request, { error: "log: position 9 is past the end (the last record is 4)" }, "e"),
		);
		await expect(new ConsolePort("/dev/fake", device.line).request("L", { from: 9 }, options([]))).rejects.toThrow(
			'/dev/fake: the device refused "L": log: position 9 is past the end (the last record is 4)',
		);
	});

	test("a frame whose CRC holds but is not JSON is not taken for an answer", async () => {
		const device = standIn((request) => encodeFrame(frame("h", request.id, [0xff, 0x00]), crc32));
		await expect(new ConsolePort("/dev/fake", device.line).request("H", undefined, options([]))).rejects.toThrow(
			'/dev/fake: a "h" frame that is not JSON: not an xsight console?',
		);
	});
});

describe("opening a port", () => {
	test("a port that does not exist, or is no terminal: one line naming it", () => {
		expect(() => ConsolePort.open("/dev/xsight-no-such-port")).toThrow("/dev/xsight-no-such-port: no such port");
		expect(() => ConsolePort.open("/dev/null")).toThrow("/dev/null: not a serial port or terminal");
	});
});
