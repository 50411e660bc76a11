// The power profile: the current of every board state, the battery, and the
// cost model that turns counted work into awake time on the host simulator.
// A JSON file (--profile) or manifest config "power.profile" overrides any
// part of the defaults below; every field is checked, errors name it.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";

export interface Currents {
	/** MCU running (mA). */
	run: number;
	/** Core stopped, clocks on (mA). */
	sleep: number;
	/** Stop: clocks off, RAM kept (mA). */
	stop: number;
	/** Standby: RAM off, RTC and backup SRAM on (mA). */
	standby: number;
	/** Camera streaming, on top of the MCU (mA). */
	cameraOn: number;
	/** Camera in its standby, on top of the MCU (mA). */
	cameraStandby: number;
}

export interface PowerProfile {
	currents: Currents;
	battery: { capacityMah: number; volts: number };
	/** Microseconds of awake time per counted unit (see DEFAULT_PROFILE.costUs). */
	costUs: Record<string, number>;
}

/*
 * Defaults: STM32H743 at 3.3 V, 25 C, typical (datasheet DS12110 rev 10,
 * summarised with the other figures in ../shared/notes/power-and-anchors.md):
 *   run 110 mA: Run at 480 MHz (VOS0), code in flash with the cache on
 *   sleep 50.7 mA: Sleep at 480 MHz (core stopped, clocks on)
 *   stop 1.4 mA: Stop with all domains in Stop, SVOS5 (rev Y; rev V 1.27 mA)
 *   standby 3.8 uA: Standby with RTC + LSE and the 4 KB backup SRAM kept
 *     (2.95 uA without backup SRAM; about 3.5-3.8 uA with it)
 * Camera, OmniVision OV7725: about 40 mA saved when the sensor sleeps
 *   (OpenMV's measurement); the OV7725 datasheet gives < 20 uA in standby.
 * Battery: a 1000 mAh 3.7 V LiPo. The board's LDO passes the battery current
 *   through, so life = capacity / average current (volts only give energy).
 */
export const DEFAULT_PROFILE: PowerProfile = {
	currents: { run: 110, sleep: 50.7, stop: 1.4, standby: 0.0038, cameraOn: 40, cameraStandby: 0.02 },
	battery: { capacityMah: 1000, volts: 3.7 },
	/*
	 * The cost model: microseconds on the STM32H743 at 480 MHz per unit of work.
	 * Calibrated where the Cortex-M7 board measured it (docs/benchmarks.md: guest
	 * instructions on QEMU mps2-an500, the same firmware code), at one instruction
	 * per cycle; estimates elsewhere:
	 *   boot          Standby wake-up 0.39 ms (DS12110) + clocks/PLL + C start-up
	 *                 + XS machine and module imports: about 10 ms (estimate)
	 *   xs.bytecodes  XS bytecodes run (counted by XS): a field wake's XS work (the wake
	 *                 less detect, invoke and crop) is 26-30 M instructions for about 520 k
	 *                 bytecodes, 50-57 each: 0.1 us
	 *   nn.macs       int8 MACs in the kernels: the (mirror-averaged) smile model, 23.0 M
	 *                 instructions for 7.75 M MACs, 2.96 each: 0.0062 us (person_detect: 3.2
	 *                 instructions a MAC)
	 *   vision.pixels pixels resized / integrated in C: about 5 cycles, 0.01 us (estimate)
	 *   vision.windows Haar windows tried at the field app's settings (QVGA, scale
	 *                 1.25, min 40): 68 M instructions for 15.3 k windows: 9.3 us
	 *   camera.frames one frame read out at 30 fps: 33.3 ms
	 *   file.bytes    bytes written to the SD card / flash: about 2 MB/s, 0.5 us
	 *   file.flushes  a flush (a program/sync of the storage): about 2 ms
	 *   wakeup.stop   wake-up from Stop: 62 us at most (DS12110: 4.4-62 us)
	 *   wakeup.sleep  wake-up from Sleep: about 1 us
	 */
	costUs: {
		boot: 10_000,
		"xs.bytecodes": 0.1,
		"nn.macs": 0.0062,
		"vision.pixels": 0.01,
		"vision.windows": 9.3,
		"camera.frames": 33_333,
		"file.bytes": 0.5,
		"file.flushes": 2000,
		"wakeup.stop": 62,
		"wakeup.sleep": 1,
	},
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Offset of the first JSON syntax error in `text` (Node's JSON.parse does not always say where). */
export function jsonErrorOffset(text: string): number {
	let i = 0;
	const fail = (): never => {
		throw i;
	};
	const space = () => {
		while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
	};
	const literal = (word: string) => {
		if (text.startsWith(word, i)) i += word.length;
		else fail();
	};
	const string = () => {
		i++;
		while (i < text.length && text[i] !== '"') {
			if (text.charCodeAt(i) < 0x20) fail();
			i += text[i] === "\\" ? 2 : 1;
		}
		if (i >= text.length) fail();
		i++;
	};
	const value = (): void => {
		space();
		const c = text[i];
		if (c === "{") {
			i++;
			space();
			if (text[i] === "}") return void i++;
			for (;;) {
				space();
				if (text[i] !== '"') fail();
				string();
				space();
				if (text[i] !== ":") fail();
				i++;
				value();
				space();
				if (text[i] === "}") return void i++;
				if (text[i] !== ",") fail();
				i++;
			}
		} else if (c === "[") {
			i++;
			space();
			if (text[i] === "]") return void i++;
			for (;;) {
				value();
				space();
				if (text[i] === "]") return void i++;
				if (text[i] !== ",") fail();
				i++;
			}
		} else if (c === '"') string();
		else if (c === "t") literal("true");
		else if (c === "f") literal("false");
		else if (c === "n") literal("null");
		else {
			const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
			if (!match) fail();
			i += match?.[0].length ?? 0;
		}
	};
	try {
		value();
		space();
		return i < text.length ? i : -1;
	} catch (offset) {
		return offset as number;
	}
}

/** Where a JSON syntax error is, as line:column. */
export function jsonErrorWhere(text: string): string {
	const offset = Math.max(0, jsonErrorOffset(text));
	const lines = text.slice(0, offset).split("\n");
	return `${lines.length}:${(lines[lines.length - 1]?.length ?? 0) + 1}`;
}

/** Parse JSON text, naming the file, line and column of a syntax error. */
export function parseJsonFile(file: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		const message = (error as Error).message.split("\n")[0];
		throw new Error(`${file}:${jsonErrorWhere(text)}: malformed JSON: ${message}`);
	}
}

function number(value: unknown, where: string, unit: string): number {
	if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new Error(`${where}: expected a number >= 0 (${unit}), got ${JSON.stringify(value)}`);
	return value;
}

/** Apply a partial profile (parsed JSON) over `base`; `where` names the source in errors. */
export function mergeProfile(base: PowerProfile, json: unknown, where: string): PowerProfile {
	if (!isObject(json)) throw new Error(`${where}: expected an object { currents?, battery?, costUs? }`);
	const result = structuredClone(base);
	for (const [key, value] of Object.entries(json)) {
		if (key === "currents") {
			if (!isObject(value)) throw new Error(`${where}.currents: expected an object`);
			for (const [name, current] of Object.entries(value)) {
				if (!(name in result.currents)) throw new Error(`${where}.currents.${name}: unknown state (expected ${Object.keys(result.currents).join(", ")})`);
				result.currents[name as keyof Currents] = number(current, `${where}.currents.${name}`, "mA");
			}
		} else if (key === "battery") {
			if (!isObject(value)) throw new Error(`${where}.battery: expected an object`);
			for (const [name, amount] of Object.entries(value)) {
				if (name === "capacityMah") result.battery.capacityMah = number(amount, `${where}.battery.${name}`, "mAh");
				else if (name === "volts") result.battery.volts = number(amount, `${where}.battery.${name}`, "V");
				else throw new Error(`${where}.battery.${name}: unknown field (expected capacityMah, volts)`);
			}
			if (result.battery.capacityMah <= 0) throw new Error(`${where}.battery.capacityMah: must be more than 0`);
		} else if (key === "costUs") {
			if (!isObject(value)) throw new Error(`${where}.costUs: expected an object of counter name → microseconds`);
			for (const [name, cost] of Object.entries(value)) {
				if (!/^[A-Za-z][A-Za-z0-9_.-]{0,38}$/.test(name)) throw new Error(`${where}.costUs: bad counter name ${JSON.stringify(name)}`);
				result.costUs[name] = number(cost, `${where}.costUs.${name}`, "us per unit");
			}
		} else throw new Error(`${where}.${key}: unknown field (expected currents, battery, costUs)`);
	}
	return result;
}

export function readProfile(file: string, base: PowerProfile = DEFAULT_PROFILE): PowerProfile {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		throw new Error(`--profile ${file}: ${(error as Error).message}`);
	}
	return mergeProfile(base, parseJsonFile(file, text), file);
}

/** The simulator's --cost options for a profile. */
export function costArguments(profile: PowerProfile): string[] {
	return Object.entries(profile.costUs).flatMap(([name, cost]) => ["--cost", `${name}=${cost}`]);
}
