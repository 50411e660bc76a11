// The power module, the retained store and the results log on XS. The board
// runs with a fresh state folder (--state) and no --until: sleeps that
// return (Stop) jump the clock; none of these tests reaches a Standby.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
import * as board from "native/power";
import {
	camera,
	checkSleep,
	count,
	Falling,
	RetainedStore,
	retained,
	Rising,
	sleep,
	wake,
	wakePin,
	wakePins,
	wakeReason,
} from "power";
import { ResultLog, type LogPosition } from "resultlog";
import Timer from "timer";
import { deepEqual, equal, test, throws } from "./harness";

test("the first boot is a power-on, with no pin", () => {
	equal(wakeReason(), "power-on", "reason");
	equal(wakePin(), undefined, "pin");
	deepEqual(wake(), { reason: "power-on" }, "wake");
	deepEqual(wakePins(), [0, 1, 2, 3, 4, 5], "the host's wake pins");
});

test("bad sleep arguments are refused before sleeping", () => {
	throws(
		() => sleep({ mode: "standby", wakeAfterMs: -1 }),
		/wakeAfterMs: expected milliseconds from 0/,
		"negative time",
	);
	throws(() => sleep({ mode: "stop", wakeAfterMs: Number.NaN }), /wakeAfterMs/, "NaN");
	throws(() => sleep({ mode: "stop", wakeAfterMs: 40 * 24 * 3600_000 }), /wakeAfterMs/, "more than 31 days");
	throws(() => sleep({ mode: "standby" }), /no wake source/, "Standby with no wake source");
	throws(() => sleep({ mode: "stop", wakeOnPins: [] }), /no wake source/, "Stop with no wake source");
	throws(
		() => sleep({ mode: "standby", wakeOnPins: [{ pin: 9, edge: Rising }] }),
		/wakeOnPins\[0\]\.pin: 9 cannot wake this board \(wake pins: 0, 1, 2, 3, 4, 5\)/,
		"unknown pin",
	);
	throws(
		() => sleep({ mode: "standby", wakeOnPins: [{ pin: 1, edge: 4 as 1 }] }),
		/wakeOnPins\[0\]\.edge/,
		"bad edge",
	);
	throws(
		() =>
			sleep({
				mode: "standby",
				wakeOnPins: [
					{ pin: 1, edge: Rising },
					{ pin: 1, edge: Falling },
				],
			}),
		/listed twice/,
		"same pin twice",
	);
	throws(
		() => sleep({ mode: "hibernate" as "stop", wakeAfterMs: 10 }),
		/mode: expected "sleep", "stop" or "standby"/,
		"unknown mode",
	);
	throws(
		() => sleep({ mode: "standby", wakeAfter: 10 } as unknown as Parameters<typeof sleep>[0]),
		/unknown option "wakeAfter"/,
		"a typo",
	);
	throws(() => sleep(undefined as unknown as Parameters<typeof sleep>[0]), /expected options/, "no options");
	// The native layer checks again (other callers than the TS module).
	throws(() => board.sleep(2, -1, new Int32Array(0)), /never wake/, "native: Standby with no wake source");
	throws(() => board.sleep(1, 10, Int32Array.of(7, 1)), /pin 7 cannot wake/, "native: unknown pin");
	// A sleep that went ahead would have changed the wake reason (a Standby: ended the run).
	equal(wakeReason(), "power-on", "still the first boot");
	deepEqual(
		checkSleep({ mode: "standby", wakeAfterMs: 0, wakeOnPins: [{ pin: 5, edge: 3 }] }),
		{ mode: 2, wakeAfterMs: 0, pins: Int32Array.of(5, 3) },
		"a good request",
	);
});

test("Stop resumes with the heap as it was and the clock moved on", () => {
	const survivor = { kept: [1, 2, 3] };
	const before = Date.now();
	const woke = sleep({ mode: "stop", wakeAfterMs: 90_000, wakeOnPins: [{ pin: 2, edge: Falling }] });
	const slept = Date.now() - before;
	deepEqual(woke, { reason: "rtc" }, "woken by the RTC alarm");
	equal(wakeReason(), "rtc", "wakeReason() after Stop");
	deepEqual(survivor, { kept: [1, 2, 3] }, "the object is intact");
	// At least the sleep; the rest is the real time the calls took (the clock is real time plus
	// the sleeps here), a figure for benchmarks, not this test.
	equal(slept >= 90_000, true, `clock moved by the sleep (${slept} ms)`);
});

test("work counters and the camera state check their arguments", () => {
	count("nn.macs", 1000);
	count("vision.windows");
	throws(() => count("", 1), /name/, "empty name");
	throws(() => count("nn.macs", -1), /amount/, "negative amount");
	throws(() => count("nn.macs", Infinity), /amount/, "infinite amount");
	camera("on");
	camera("off");
	throws(() => camera("dim" as "on"), /expected "off", "standby" or "on"/, "unknown camera state");
});

test("the retained store keeps typed values and commits each set", () => {
	equal(retained.status, "empty", "a fresh board has an empty store");
	retained.set("boots", 7);
	retained.set("name", "cam-7 é");
	retained.set("armed", true);
	retained.set("blob", Uint8Array.of(1, 2, 250).buffer);
	const reread = new RetainedStore();
	equal(reread.status, "ok", "reloaded from the board's memory");
	equal(reread.number("boots", 0), 7, "number");
	equal(reread.string("name", ""), "cam-7 é", "string");
	equal(reread.boolean("armed", false), true, "boolean");
	deepEqual(new Uint8Array(reread.get("blob") as ArrayBuffer), Uint8Array.of(1, 2, 250), "bytes");
	equal(reread.number("name", -1), -1, "a typed get of another type gives the fallback");
	deepEqual(reread.keys(), ["boots", "name", "armed", "blob"], "keys");
	equal(reread.delete("armed"), true, "delete");
	equal(new RetainedStore().has("armed"), false, "deleted for good");
});

test("a value that does not fit is refused and nothing changes", () => {
	throws(() => retained.set("big", "x".repeat(5000)), /do not fit in the 4080 bytes/, "too big");
	equal(retained.has("big"), false, "not kept");
	equal(new RetainedStore().has("big"), false, "not committed");
	throws(() => retained.set("", 1), /key/, "empty key");
	throws(() => retained.set("k".repeat(40), 1), /key/, "long key");
	throws(() => retained.set("nan", Number.NaN), /expected a boolean/, "NaN");
});

test("update() commits several values in one write; one that is wrong or does not fit changes none", () => {
	retained.set("kept", 1);
	retained.update({ kept: 2, label: "wake", flag: false });
	const reread = new RetainedStore();
	deepEqual(
		[reread.number("kept", 0), reread.string("label", ""), reread.boolean("flag", true)],
		[2, "wake", false],
		"all three committed",
	);
	throws(
		() => retained.update({ kept: 3, nan: Number.NaN }),
		/retained\.update\(nan\): expected a boolean/,
		"a wrong value is named",
	);
	throws(() => retained.update({ kept: 4, big: "x".repeat(5000) }), /do not fit in the 4080 bytes/, "too big");
	throws(() => retained.update({ kept: 5, "": 1 }), /retained\.update: key/, "empty key");
	equal(retained.number("kept", 0), 2, "the valid value beside a refused one is not kept");
	equal(retained.has("big"), false, "nor the one that did not fit");
	equal(new RetainedStore().number("kept", 0), 2, "nor committed");
	throws(
		() => retained.update(null as unknown as Record<string, number>),
		/retained\.update: expected an object/,
		"not an object",
	);
	retained.delete("kept");
	retained.delete("label");
	retained.delete("flag");
});

test("a corrupt or incompatible store is detected and starts clean", () => {
	retained.set("boots", 3);
	const bytes = new Uint8Array(board.readRetained());
	bytes[20] = (bytes[20] ?? 0) ^ 0x40; // inside the payload: the CRC catches it
	board.writeRetained(bytes);
	const corrupt = new RetainedStore();
	equal(corrupt.status, "corrupt", "bit flip");
	deepEqual(corrupt.keys(), [], "nothing trusted");
	equal(new RetainedStore().status, "ok", "reset to a good empty store");
	const garbage = new Uint8Array(64).fill(0x5a);
	board.writeRetained(garbage);
	equal(new RetainedStore().status, "corrupt", "another layout");
	// Empty means every byte is zero: one byte set at the very end is damage.
	const tail = new Uint8Array(board.retainedSize());
	tail[tail.length - 1] = 1;
	board.writeRetained(tail);
	equal(new RetainedStore().status, "corrupt", "zeros but for the last byte");
	board.writeRetained(new Uint8Array(board.retainedSize()));
	equal(new RetainedStore().status, "empty", "all zeros");
	const store = new RetainedStore();
	equal(store.require(2), true, "a reset store takes the version");
	store.set("boots", 1);
	const again = new RetainedStore();
	equal(again.status, "ok", "reloaded");
	equal(again.require(2), true, "same version kept");
	equal(again.number("boots", 0), 1, "value kept");
	equal(again.require(3), false, "another version clears");
	equal(again.status, "incompatible", "status says why");
	equal(again.has("boots"), false, "cleared");
});

const LOG = "/state/test.log";

function clean(): void {
	for (const suffix of ["", ".1", ".new"]) if (File.exists(LOG + suffix)) File.delete(LOG + suffix);
}

test("the results log reads back what was appended, in order", () => {
	clean();
	const log = new ResultLog(LOG);
	equal(log.lastSeq, 0, "empty");
	equal(log.append("first", 1000), 1, "seq 1");
	equal(log.append(Uint8Array.of(9, 8, 7), 2000), 2, "seq 2");
	equal(log.append(new ArrayBuffer(0), 3000), 3, "empty payload");
	const records = log.records();
	equal(records.length, 3, "count");
	deepEqual(
		records.map((r) => [r.seq, r.time]),
		[
			[1, 1000],
			[2, 2000],
			[3, 3000],
		],
		"seq and time",
	);
	equal(records[0]?.payload, "first", "text comes back as text");
	deepEqual(new Uint8Array(records[1]?.payload as ArrayBuffer), Uint8Array.of(9, 8, 7), "bytes");
	log.close();
	const reopened = new ResultLog(LOG);
	equal(reopened.lastSeq, 3, "numbering goes on after a reopen");
	equal(reopened.recovery.droppedBytes, 0, "nothing to repair");
	equal(reopened.append("fourth"), 4, "seq 4");
	reopened.close();
});

test("the results log rotates by size and keeps numbering", () => {
	clean();
	const log = new ResultLog(LOG, { maxBytes: 256 });
	for (let i = 1; i <= 40; i++) log.append(`entry ${i}`);
	equal(log.length <= 256, true, "current file within maxBytes");
	const records = log.records();
	equal(records[records.length - 1]?.seq, 40, "the newest is kept");
	records.forEach((r, i) => equal(r.payload, `entry ${(records[0]?.seq ?? 0) + i}`, `record ${i} in order`));
	equal(records.length < 40 && records.length >= 256 / 36, true, `old records rotated out (${records.length} kept)`);
	throws(() => log.append("x".repeat(300)), /does not fit in maxBytes 256/, "a record larger than the file");
	log.close();
	const reader = new ResultLog(LOG, { readOnly: true });
	deepEqual(
		reader.recovery,
		{ droppedBytes: 0, skippedBytes: 0, skippedRecords: 0, resumed: false },
		"records rotated out are not reported lost",
	);
	reader.close();
});

test("a torn or corrupt tail is cut off when the log is opened", () => {
	clean();
	const log = new ResultLog(LOG);
	for (let i = 1; i <= 5; i++) log.append(`entry ${i}`);
	const good = log.length;
	log.close();
	// Half a record, as a power cut during append leaves it.
	const file = new File(LOG, true);
	file.position = good;
	file.write(Uint8Array.of(0x52, 0x4c, 1, 1, 50, 0, 0, 0, 6, 0).buffer);
	file.close();
	const torn = new ResultLog(LOG);
	equal(torn.recovery.droppedBytes, 10, "the torn bytes");
	equal(torn.lastSeq, 5, "every committed record");
	equal(torn.append("entry 6"), 6, "appends after the good part");
	deepEqual(
		torn.records().map((r) => r.payload),
		["entry 1", "entry 2", "entry 3", "entry 4", "entry 5", "entry 6"],
		"records",
	);
	torn.close();
	// A flipped byte in the last record's payload: its CRC fails, it is dropped.
	const flip = new File(LOG, true);
	const length = flip.length;
	flip.position = length - 6;
	const byte = new Uint8Array(flip.read(ArrayBuffer, 1));
	flip.position = length - 6;
	flip.write(Uint8Array.of((byte[0] ?? 0) ^ 1).buffer);
	flip.close();
	const flipped = new ResultLog(LOG);
	equal(flipped.records().length, 5, "the corrupt record is not trusted: five left");
	equal(flipped.append("entry 7"), 7, "a whole record's number is not given again");
	flipped.close();
});

function bytesOf(path: string): Uint8Array {
	const file = new File(path);
	try {
		return new Uint8Array(file.read(ArrayBuffer, file.length));
	} finally {
		file.close();
	}
}

function writeBytes(path: string, bytes: Uint8Array): void {
	File.delete(path);
	const file = new File(path, true);
	file.write(bytes.slice().buffer);
	file.close();
}

/** Entries 1-24 in a 512-byte log: 1-16 rotated into LOG.1, 17-24 in LOG; where each record is. */
function writeTwoFiles(): { older: LogPosition[]; current: LogPosition[] } {
	clean();
	const log = new ResultLog(LOG, { maxBytes: 512 });
	let older: LogPosition[] = [];
	let current: LogPosition[] = [];
	for (let i = 1; i <= 24; i++) {
		log.append(`entry ${i}`, 1000 * i);
		const position = log.position as LogPosition;
		if (position.start === 0 && current.length) [older, current] = [current, []];
		current.push(position);
	}
	log.close();
	return { older, current };
}

// Where a flipped bit lands in a record: every field of the header, the payload, the CRC.
const REGIONS: [string, (p: LogPosition) => number][] = [
	["magic", (p) => p.start],
	["kind", (p) => p.start + 2],
	["format", (p) => p.start + 3],
	["length", (p) => p.start + 4],
	["length, high byte", (p) => p.start + 7],
	["sequence", (p) => p.start + 8],
	["time", (p) => p.start + 15],
	["payload", (p) => p.start + 21],
	["CRC", (p) => p.end - 2],
];

const seqs = (log: ResultLog) => log.records().map((r) => r.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("a corrupt record in the middle of either file costs that record only; reading writes nothing", () => {
	const { older, current } = writeTwoFiles();
	equal(older.length, 16, "entries 1-16 rotated");
	const whole = { older: bytesOf(`${LOG}.1`), current: bytesOf(LOG) };
	for (const [file, path, record] of [
		["LOG.1", `${LOG}.1`, older[8]],
		["LOG", LOG, current[4]],
	] as const) {
		const bad = record as LogPosition;
		for (const [region, at] of REGIONS) {
			const name = `${file}, record ${bad.seq}, ${region}`;
			writeBytes(`${LOG}.1`, whole.older);
			writeBytes(LOG, whole.current);
			const bytes = bytesOf(path);
			bytes[at(bad)] = (bytes[at(bad)] ?? 0) ^ 0x10;
			writeBytes(path, bytes);
			const reader = new ResultLog(LOG, { readOnly: true });
			deepEqual(
				seqs(reader),
				range(1, 24).filter((n) => n !== bad.seq),
				`${name}: every other record`,
			);
			deepEqual(
				reader.recovery,
				{ droppedBytes: 0, skippedBytes: bad.end - bad.start, skippedRecords: 1, resumed: false },
				`${name}: reported`,
			);
			throws(() => reader.append("x"), /read-only/, `${name}: a read-only log refuses to append`);
			reader.close();
			deepEqual(bytesOf(path), bytes, `${name}: left as it was`);
			const writer = new ResultLog(LOG, { maxBytes: 512 });
			equal(writer.recovery.droppedBytes, 0, `${name}: nothing to cut`);
			deepEqual(bytesOf(path), bytes, `${name}: an open to append keeps it too`);
			equal(writer.append("entry 25"), 25, `${name}: numbering goes on from the highest`);
			deepEqual(seqs(writer), [...range(1, 24).filter((n) => n !== bad.seq), 25], `${name}: after an append`);
			writer.close();
		}
	}
});

test("a corrupt last record: the older file's is skipped, the current file's is a tail cut only by an open to append, its number never reused", () => {
	const { older, current } = writeTwoFiles();
	const whole = { older: bytesOf(`${LOG}.1`), current: bytesOf(LOG) };
	const last = current[current.length - 1] as LogPosition;
	for (const [region, at] of REGIONS) {
		// The older file's last record: corruption, never cut (that file is not appended to).
		writeBytes(LOG, whole.current);
		const rotated = whole.older.slice();
		const end = older[older.length - 1] as LogPosition;
		rotated[at(end)] = (rotated[at(end)] ?? 0) ^ 0x10;
		writeBytes(`${LOG}.1`, rotated);
		const reopened = new ResultLog(LOG, { maxBytes: 512 });
		deepEqual(
			seqs(reopened),
			range(1, 24).filter((n) => n !== 16),
			`LOG.1 ${region}: the rest`,
		);
		deepEqual(
			[reopened.recovery.skippedBytes, reopened.recovery.skippedRecords, reopened.recovery.droppedBytes],
			[end.end - end.start, 1, 0],
			`LOG.1 ${region}: reported`,
		);
		equal(reopened.lastSeq, 24, `LOG.1 ${region}: numbering`);
		reopened.close();
		deepEqual(bytesOf(`${LOG}.1`), rotated, `LOG.1 ${region}: left as it was`);

		// The current file's last record.
		writeBytes(`${LOG}.1`, whole.older);
		const bytes = whole.current.slice();
		bytes[at(last)] = (bytes[at(last)] ?? 0) ^ 0x10;
		writeBytes(LOG, bytes);
		const reader = new ResultLog(LOG, { readOnly: true });
		deepEqual(seqs(reader), range(1, 23), `LOG ${region}: read-only`);
		equal(reader.recovery.droppedBytes, last.end - last.start, `LOG ${region}: the tail reported`);
		reader.close();
		deepEqual(bytesOf(LOG), bytes, `LOG ${region}: a read-only open cuts nothing`);
		// The app opens with the position it kept: the number is known even when the header is hit.
		const app = new ResultLog(LOG, { maxBytes: 512, resume: last });
		equal(app.recovery.droppedBytes, last.end - last.start, `LOG ${region}: cut when opened to append`);
		equal(app.append("entry 25"), 25, `LOG ${region}: 24 not reused`);
		deepEqual(seqs(app), [...range(1, 23), 25], `LOG ${region}: after the cut`);
		app.close();
	}
	// Without a kept position, a whole record whose header still reads numbers it.
	for (const [region, at] of REGIONS.filter(([name]) => ["time", "payload", "CRC"].includes(name))) {
		writeBytes(`${LOG}.1`, whole.older);
		const bytes = whole.current.slice();
		bytes[at(last)] = (bytes[at(last)] ?? 0) ^ 0x10;
		writeBytes(LOG, bytes);
		const log = new ResultLog(LOG, { maxBytes: 512 });
		equal(log.append("entry 25"), 25, `LOG ${region}, no position: 24 not reused`);
		log.close();
	}
});

test("an intact record with an old number is skipped, never cut, and its number not reused", () => {
	const { current } = writeTwoFiles();
	// A second copy of record 24, as a storage fault that rewrites a page could leave.
	const copy = current[current.length - 1] as LogPosition;
	const bytes = bytesOf(LOG);
	const grown = new Uint8Array(bytes.length + copy.end - copy.start);
	grown.set(bytes);
	grown.set(bytes.subarray(copy.start, copy.end), bytes.length);
	writeBytes(LOG, grown);
	const log = new ResultLog(LOG, { maxBytes: 1024 });
	deepEqual(seqs(log), range(1, 24), "read once, in order");
	deepEqual(
		[log.recovery.skippedBytes, log.recovery.droppedBytes],
		[copy.end - copy.start, 0],
		"skipped, not a tail",
	);
	deepEqual(bytesOf(LOG), grown, "kept");
	equal(log.append("entry 25"), 25, "numbering goes on");
	log.close();
});

test("a torn current file leaves the older file's records and numbers alone", () => {
	writeTwoFiles();
	// The whole current file is garbage: nothing in it is intact, the older file is.
	writeBytes(LOG, Uint8Array.of(0x52, 0x4c, 1, 1, 200, 0, 0, 0, 99, 0, 0, 0));
	const reader = new ResultLog(LOG, { readOnly: true });
	deepEqual(seqs(reader), range(1, 16), "the older file's records");
	equal(reader.lastSeq, 16, "its numbering");
	reader.close();
	const log = new ResultLog(LOG, { maxBytes: 512 });
	equal(log.recovery.droppedBytes, 12, "the torn bytes");
	equal(log.append("entry 17"), 17, "numbering goes on");
	log.close();
});

test("log arguments are checked", () => {
	throws(() => new ResultLog(""), /path/, "empty path");
	throws(() => new ResultLog(LOG, { maxBytes: 10 }), /maxBytes/, "tiny maxBytes");
	const log = new ResultLog(LOG);
	throws(() => log.append(42 as unknown as string), /expected a string, ArrayBuffer or view/, "a number payload");
	throws(() => log.append("x", Number.NaN), /time/, "bad time");
	log.close();
});

test("timer arguments are checked", () => {
	throws(() => Timer.set(42 as unknown as () => void), /callback must be a function/, "not a function");
	throws(() => Timer.set(() => {}, -5), /expected milliseconds >= 0/, "negative interval");
	throws(() => Timer.repeat(() => {}, Number.NaN), /expected milliseconds >= 0/, "NaN interval");
	throws(() => Timer.delay(-1), /expected milliseconds >= 0/, "negative delay");
	const timer = Timer.set(() => {}, 10);
	Timer.clear(timer);
	Timer.clear(undefined);
	const before = Date.now();
	Timer.delay(20);
	equal(Date.now() - before >= 20, true, "delay moves the clock");
});

test("a log opened from a known position reads only what follows it", () => {
	clean();
	const log = new ResultLog(LOG, { maxBytes: 512 });
	equal(log.position, undefined, "no position while empty");
	for (let i = 1; i <= 5; i++) log.append(`entry ${i}`);
	const position = log.position;
	deepEqual(position, { seq: 5, start: log.length - 31, end: log.length }, "the last record");
	log.close();
	const resumed = new ResultLog(LOG, { maxBytes: 512, resume: position });
	equal(resumed.recovery.resumed, true, "resumed");
	equal(resumed.lastSeq, 5, "numbering");
	resumed.append("entry 6");
	resumed.close();
	// A record appended after the position was kept is found too.
	const later = new ResultLog(LOG, { maxBytes: 512, resume: position });
	equal(later.recovery.resumed, true, "resumed from an older position");
	equal(later.lastSeq, 6, "the newer record is read");
	// A position that no longer matches (rotated, rewritten) falls back to a full scan.
	for (let i = 7; i <= 40; i++) later.append(`entry ${i}`);
	later.close();
	const stale = new ResultLog(LOG, { maxBytes: 512, resume: position });
	equal(stale.recovery.resumed, false, "stale position ignored");
	equal(stale.lastSeq, 40, "full scan");
	// A torn tail after a good position is cut off as in a full scan.
	const good = stale.position;
	stale.close();
	const file = new File(LOG, true);
	file.position = file.length;
	file.write(Uint8Array.of(0x52, 0x4c, 0, 1, 9).buffer);
	file.close();
	const torn = new ResultLog(LOG, { maxBytes: 512, resume: good });
	equal(torn.recovery.resumed, true, "resumed");
	equal(torn.recovery.droppedBytes, 5, "torn bytes cut");
	equal(torn.append("entry 41"), 41, "appends after the good part");
	deepEqual(
		torn
			.records()
			.slice(-2)
			.map((r) => r.payload),
		["entry 40", "entry 41"],
		"in order",
	);
	torn.close();
	throws(() => new ResultLog(LOG, { resume: { seq: -1, start: 0, end: 1 } }), /resume/, "a bad position");
});
