// The power profile: the current of every board state, the battery, and the
// cost model that turns counted work into awake time on the host simulator.
// Two boards are shipped (PROFILES: "default", "openmv-h7"); a JSON file
// (--profile) or manifest config "power.profile" overrides any part of one;
// every field is checked, errors name it.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";

/** The states in which the MCU sleeps: the whole board's current is the sum of named parts. */
export type SleepState = "sleep" | "stop" | "standby";
export const SLEEP_STATES: readonly SleepState[] = ["sleep", "stop", "standby"];

/** A sleep state's current by part of the board (mA each): MCU, sensor, regulator, pins... */
export type Parts = Record<string, number>;

export interface Currents {
	/** MCU running (mA). */
	run: number;
	/** Core stopped, clocks on. */
	sleep: Parts;
	/** Stop: clocks off, RAM kept. */
	stop: Parts;
	/** Standby: RAM off, RTC and backup SRAM on. */
	standby: Parts;
	/** Camera streaming, on top of the MCU (mA). */
	cameraOn: number;
	/** Camera in its standby while the MCU is awake, on top of it (mA). */
	cameraStandby: number;
}

export interface PowerProfile {
	/** What it is: a shipped board's name, with the files or config merged over it. */
	name: string;
	currents: Currents;
	battery: { capacityMah: number; volts: number };
	/** Microseconds of awake time per counted unit (see DEFAULT_PROFILE.costUs). */
	costUs: Record<string, number>;
	/**
	 * Counted work the core waits for in Sleep (WFI, clocks on) instead of running: its time
	 * (count x costUs) inside a wake is charged at the sleep state's current, not at run's.
	 */
	inSleep: string[];
}

/** A state's current (mA); a sleep state's is the sum of its parts. */
export function stateCurrent(currents: Currents, state: keyof Currents): number {
	const value = currents[state];
	return typeof value === "number" ? value : Object.values(value).reduce((sum, mA) => sum + mA, 0);
}

/*
 * The default board: one designed for a year on a battery. Awake, the
 * STM32H743 at 3.3 V, 25 C, typical (datasheet DS12110 rev 10, summarised
 * with the other figures in ../shared/notes/power-and-anchors.md):
 *   run 110 mA: Run at 480 MHz (VOS0), code in flash with the cache on
 * Camera, OmniVision OV7725, while the MCU is awake: about 40 mA saved when the
 *   sensor sleeps (OpenMV's measurement); the OV7725 datasheet gives < 20 uA in
 *   standby, which with its supply switch's on-state 8 uA (below) is the camera's
 *   standby while the MCU is awake.
 * Asleep, the whole board, part by part, for as long as each state lasts:
 *   mcu        Sleep 50.7 mA at 480 MHz (core stopped, clocks on); Stop 1.4 mA,
 *              all domains in Stop, SVOS5 (rev Y; rev V 1.27 mA); Standby 3.8 uA
 *              with RTC + LSE and the 4 KB backup SRAM kept (2.95 uA without it,
 *              about 3.5-3.8 uA with it). DS12110, as above
 *   sensor     in Standby, unpowered: the camera module's supply goes through a
 *              load switch, TI TPS22919, that the firmware turns off before Standby
 *              and whose own pull-down on ON keeps it off while the MCU's pin floats
 *              (docs/boards/stm32h743.md, Camera): its off-state current, 2 nA
 *              typical (TI's TPS22919 datasheet, ISD); on, it draws 8 uA (IQ) and turns
 *              on in 1.75 ms (tON at 3.6 V), which the boot's start spends (the
 *              firmware switches it on before XS starts). Charging the module's
 *              decoupling each wake (about C x 3.3 V, some 33 uC for 10 uF) is left
 *              out: under 1% of a wake's charge. In Sleep and Stop the sensor is in
 *              power-down, its PWDN pin held high by a pull-up on the board: < 20 uA,
 *              the OV7725 datasheet's standby figure, charged as 20 uA
 *   regulator  a nano-power LDO, TI TPS7A02 (3.3 V, 200 mA: the 150 mA of run and
 *              camera fit): quiescent current 25 nA typical (datasheet SBVS277,
 *              electrical characteristics, IOUT = 0); its ground current grows
 *              with the load, nothing beside the MCU's milliamps in Stop and Sleep
 *   leakage    pull-ups and pin leakage: DS12110's I/O input leakage, 250 nA at
 *              most per FT pin (I/O static characteristics, Ilkg), times the 16
 *              pins wired to the sensor (D0-D7, PIXCLK, HSYNC, VSYNC, XCLK, SCL,
 *              SDA, RESETB, PWDN): 4 uA. The pull-ups on SCL, SDA and PWDN hold
 *              lines that are high-impedance at both ends, so they carry only this
 * Battery: a 1000 mAh 3.7 V LiPo. The LDO passes the battery current through,
 *   so life = capacity / average current (volts only give energy).
 */
const H743 = { sleep: 50.7, stop: 1.4, standby: 0.0038 };

/**
 * Instructions a second of the STM32H743's core: one a cycle at DS12110's 480 MHz (the
 * Cortex-M7 issues up to two a cycle and waits on cache misses and flash wait states: one a
 * cycle is the assumption, until the board is measured). M7 guest instructions become time
 * at this rate.
 */
export const H743_INSTRUCTIONS_PER_SECOND = 480e6;

/** Microseconds for `instructions` guest instructions of the M7 board on the H743. */
function m7Us(instructions: number): number {
	return (instructions / H743_INSTRUCTIONS_PER_SECOND) * 1e6;
}

/**
 * What a boot from Standby takes before the core runs the firmware at speed, from the
 * datasheet: Standby wake-up 390 us typical (DS12110, ../shared/notes/power-and-anchors.md),
 * the HSE crystal's start-up 2 ms typical (DS12110, HSE oscillator characteristics, tSU(HSE))
 * and PLL1's lock 50 us typical (DS12110, PLL characteristics, normal mode).
 */
export const BOOT_HARDWARE_US = 390 + 2000 + 50;
const OV7725_POWER_DOWN = 0.02;
const TPS22919 = { off: 0.000002, on: 0.008 };
const BOARD_PARTS = { sensor: OV7725_POWER_DOWN, regulator: 0.000025, leakage: 16 * 0.00025 };

export const DEFAULT_PROFILE: PowerProfile = {
	name: "default",
	currents: {
		run: 110,
		sleep: { mcu: H743.sleep, ...BOARD_PARTS },
		stop: { mcu: H743.stop, ...BOARD_PARTS },
		standby: { mcu: H743.standby, ...BOARD_PARTS, sensor: TPS22919.off },
		cameraOn: 40,
		cameraStandby: OV7725_POWER_DOWN + TPS22919.on,
	},
	battery: { capacityMah: 1000, volts: 3.7 },
	/*
	 * The cost model: microseconds on the STM32H743 per unit of work. What the
	 * core runs is the Cortex-M7 board's guest instructions (QEMU mps2-an500, the
	 * same firmware code; docs/benchmarks.md's field-wake-<n>-<part> rows, kept in
	 * tools/power/m7-wakes.json) at H743_INSTRUCTIONS_PER_SECOND; what the
	 * hardware takes (wake-up, clocks, the sensor's readout, storage) comes from
	 * datasheets, or is an estimate where it says so. Each coefficient's source
	 * is beside it; test/power-calibration.test.ts holds the simulated wakes to
	 * the M7's within 10%.
	 */
	costUs: {
		// Standby wake-up + HSE start-up + PLL lock (BOOT_HARDWARE_US) and, from main(), the XS machine
		// and the field app's imports: field-wake-2..4-imports, 1.388 M instructions less their 9.6 k
		// XS bytecodes (charged as xs.bytecodes), 0.859 M. The C start-up before main() is not counted by
		// the M7 board (its timer starts in main): not charged.
		boot: BOOT_HARDWARE_US + m7Us(859_000),
		// XS bytecodes (counted by XS): the wake's XS-only phases, field-wake-2..4-config, -retained
		// and -log-open: 735.0 k instructions for 13.3 k bytecodes, 55.3 each.
		"xs.bytecodes": m7Us(55.3),
		// int8 MACs in the kernels: field-wake-1..3-invoke less their bytecodes, 1.79 M instructions for
		// the 48x48 smile model's 718,912 MACs, 2.49 each.
		"nn.macs": m7Us(2.49),
		// A model's load beyond its bytecodes: field-wake-1..3-nn-import + -model less their 6.2-6.3 k
		// bytecodes, 0.313-0.315 M instructions: nn's runtime imported (its compiler only when the
		// plan is missing or stale) and the model ready from its plan (docs/model-plan.md).
		"nn.loads": m7Us(314_000),
		// Haar features evaluated by the C scan (detect()'s stats.features), the scan's per-window,
		// per-level and per-pixel work included: field-wake-1..4-detect less their bytecodes, 39.7
		// instructions a feature (39.2-40.2 by frame; the app's refined search leaves the dearer windows).
		"vision.features": m7Us(39.7),
		// A face's crop into the model's input (cropQuantize, area resize): field-wake-1..3-crop
		// less their bytecodes, a line through the three faces (59, 130 and 205 px boxes):
		// 192 k instructions a crop and 7.2 a pixel of the face's box.
		"vision.crops": m7Us(192_000),
		"vision.crop.pixels": m7Us(7.2),
		// One QVGA frame read out at the 60 fps the sensor's clock is set for (the OV7725 datasheet's
		// VGA maximum, whose frame timing the QVGA window is read out of; docs/boards/stm32h743.md,
		// Camera): 16.7 ms, the core in Sleep meanwhile (inSleep).
		"camera.frames": 16_667,
		// A capture starts at the sensor's next frame, which streams on its own clock: half a frame on
		// average (an estimate until a board measures it), the core in Sleep (inSleep).
		"camera.syncs": 16_667 / 2,
		// The sensor's set-up on its SCCB bus (native/camera/include/camera.h: the clock periods of the
		// OV7725 driver's transactions a wake, which test_h7_camera counts): I2C1 at 400 kHz, the OV7725
		// datasheet's SCCB maximum (docs/boards/stm32h743.md, Pins), polled by the core at Run current.
		"camera.sccb.clocks": 2.5,
		// The driver's fixed waits (camera.h: the reset pulse and the OV7725 datasheet's settling after a
		// reset, tS:RESET), in us, spent in WFI (boards/stm32h743/hw/board.c, h7_delay_ms): inSleep.
		"camera.waits": 1,
		// A byte the app sends to its console (trace(), the console frames): 10 bits (8N1) at the
		// STM32H743 console's 921,600 baud (H7_BOARD_CONSOLE_BAUD; docs/boards/stm32h743.md, Pins),
		// which the core waits for at Run current (console.c polls the UART).
		"console.bytes": 10.85,
		// Estimates, no measurement yet (the M7 board's files are semihosting): the log's bytes at
		// about 2 MB/s and a flush (a program/sync of the storage) about 2 ms.
		"file.bytes": 0.5,
		"file.flushes": 2000,
		// DS12110: wake-up from Stop 62 us at most (4.4-62 us by regulator mode); from Sleep about 1 us.
		"wakeup.stop": 62,
		"wakeup.sleep": 1,
	},
	// The STM32H743 firmware waits for a frame's DMA, for the frame to start and for the sensor's
	// reset in WFI (boards/stm32h743/hw/camera.c, dcmi_wait; hw/board.c, h7_delay_ms): those are
	// charged at DS12110's Sleep current (50.7 mA), not Run's.
	inSleep: ["camera.frames", "camera.syncs", "camera.waits"],
};

/*
 * The OpenMV Cam H7 (STM32H743, OV7725) as its users measured it, awake as
 * the default. Asleep, the one measurement of the whole board: 7.1 mA in
 * machine.sleep() (Stop) on firmware 3.9.2, which puts QSPI in low power,
 * disables the DCMI pins and shuts the sensor down; the same with or without
 * the sensor (openmv/openmv issue 889, 2021-02-09, from a 4.5 V battery).
 *   mcu        DS12110, as the default
 *   sensor     shut down (PWDN): the OV7725 datasheet's 20 uA, as the default;
 *              the measurement did not change without the sensor
 *   board      what else the board draws (its regulator, pins, SD card): the
 *              measured 7.1 mA less the MCU's Stop (1.4 mA) and the sensor,
 *              taken as drawn in every sleep, Standby included (the board's
 *              rails stay up; only the MCU's own current falls). Users report
 *              the same order in Standby: an H7 Plus about 10 mA in the
 *              deep-sleep example (forums.openmv.io, "Low Power with External
 *              Trigger"), a Nicla Vision 4.3 mA (forums.openmv.io, "Nicla
 *              Vision - deep sleep after accessing camera sensor")
 */
const OPENMV_H7_STOP_MEASURED = 7.1;
const OPENMV_H7_PARTS = { sensor: OV7725_POWER_DOWN, board: OPENMV_H7_STOP_MEASURED - H743.stop - OV7725_POWER_DOWN };

export const OPENMV_H7_PROFILE: PowerProfile = {
	...structuredClone(DEFAULT_PROFILE),
	name: "openmv-h7",
	// OpenMV's figures are its users' measurements of the whole wake at Run current.
	inSleep: [],
	currents: {
		...DEFAULT_PROFILE.currents,
		// No supply switch: the sensor's own standby while the MCU is awake.
		cameraStandby: OV7725_POWER_DOWN,
		sleep: { mcu: H743.sleep, ...OPENMV_H7_PARTS },
		stop: { mcu: H743.stop, ...OPENMV_H7_PARTS },
		standby: { mcu: H743.standby, ...OPENMV_H7_PARTS },
	},
};

/** The shipped profiles, by the name --profile takes. */
export const PROFILES: Readonly<Record<string, PowerProfile>> = {
	default: DEFAULT_PROFILE,
	"openmv-h7": OPENMV_H7_PROFILE,
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
	if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
		throw new Error(`${where}: expected a number >= 0 (${unit}), got ${JSON.stringify(value)}`);
	return value;
}

/** Apply a partial profile (parsed JSON) over `base`; `where` names the source in errors. */
export function mergeProfile(base: PowerProfile, json: unknown, where: string): PowerProfile {
	if (!isObject(json)) throw new Error(`${where}: expected an object { currents?, battery?, costUs?, inSleep? }`);
	const result = structuredClone(base);
	result.name = `${base.name} + ${where}`;
	for (const [key, value] of Object.entries(json)) {
		if (key === "currents") {
			if (!isObject(value)) throw new Error(`${where}.currents: expected an object`);
			for (const [name, current] of Object.entries(value)) {
				if (!(name in result.currents))
					throw new Error(
						`${where}.currents.${name}: unknown state (expected ${Object.keys(result.currents).join(", ")})`,
					);
				if ((SLEEP_STATES as readonly string[]).includes(name)) {
					// A sleep state is the board's parts: a part is replaced or added, the rest kept.
					if (!isObject(current))
						throw new Error(
							`${where}.currents.${name}: expected the board's parts in this state, mA each (its current is their sum), e.g. { "sensor": 1 }; got ${JSON.stringify(current)}`,
						);
					const parts = result.currents[name as SleepState];
					for (const [part, mA] of Object.entries(current)) {
						if (!/^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(part))
							throw new Error(`${where}.currents.${name}: bad part name ${JSON.stringify(part)}`);
						parts[part] = number(mA, `${where}.currents.${name}.${part}`, "mA");
					}
				} else
					result.currents[name as "run" | "cameraOn" | "cameraStandby"] = number(
						current,
						`${where}.currents.${name}`,
						"mA",
					);
			}
		} else if (key === "battery") {
			if (!isObject(value)) throw new Error(`${where}.battery: expected an object`);
			for (const [name, amount] of Object.entries(value)) {
				if (name === "capacityMah")
					result.battery.capacityMah = number(amount, `${where}.battery.${name}`, "mAh");
				else if (name === "volts") result.battery.volts = number(amount, `${where}.battery.${name}`, "V");
				else throw new Error(`${where}.battery.${name}: unknown field (expected capacityMah, volts)`);
			}
			if (result.battery.capacityMah <= 0) throw new Error(`${where}.battery.capacityMah: must be more than 0`);
		} else if (key === "costUs") {
			if (!isObject(value)) throw new Error(`${where}.costUs: expected an object of counter name → microseconds`);
			for (const [name, cost] of Object.entries(value)) {
				if (!/^[A-Za-z][A-Za-z0-9_.-]{0,38}$/.test(name))
					throw new Error(`${where}.costUs: bad counter name ${JSON.stringify(name)}`);
				result.costUs[name] = number(cost, `${where}.costUs.${name}`, "us per unit");
			}
		} else if (key === "inSleep") {
			if (!Array.isArray(value) || !value.every((name) => typeof name === "string" && name in result.costUs))
				throw new Error(`${where}.inSleep: expected an array of counter names that costUs prices`);
			result.inSleep = [...value] as string[];
		} else throw new Error(`${where}.${key}: unknown field (expected currents, battery, costUs, inSleep)`);
	}
	return result;
}

/** A JSON profile file over `base`. */
export function readProfile(file: string, base: PowerProfile = DEFAULT_PROFILE): PowerProfile {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
		throw new Error(
			`--profile ${file}: ${missing ? `no such file, nor a shipped profile (${Object.keys(PROFILES).join(", ")})` : (error as Error).message}`,
		);
	}
	return mergeProfile(base, parseJsonFile(file, text), file);
}

/**
 * The profile of a run: the shipped board `option` names, or the default; the
 * manifest's config.power.profile over it; then `option` as a JSON file over
 * that when it names no shipped board (a name wins over a file of that name).
 */
export function selectProfile(option: string | undefined, config: unknown): PowerProfile {
	const shipped = option !== undefined && Object.hasOwn(PROFILES, option) ? PROFILES[option] : undefined;
	let profile = shipped ?? DEFAULT_PROFILE;
	if (config !== undefined) profile = mergeProfile(profile, config, "manifest config.power.profile");
	if (option !== undefined && !shipped) profile = readProfile(option, profile);
	return profile;
}

/** The simulator's --cost options for a profile. */
export function costArguments(profile: PowerProfile): string[] {
	return Object.entries(profile.costUs).flatMap(([name, cost]) => ["--cost", `${name}=${cost}`]);
}
