// xsight bench m7 (or `xsight bench --board mps2-an500`): the Cortex-M7
// firmware under QEMU with `-icount shift=0`, where one guest instruction
// takes one virtual nanosecond and the 25 MHz CMSDK timer ticks every 40
// instructions. Every figure is GUEST INSTRUCTIONS, not cycles. Bench modules
// run on the board and print `#bench <name> <instructions> [note]` lines;
// add a row by adding a module to `benchRuns`. Sizes come from
// arm-none-eabi-size and the link map. Writes docs/benchmarks.md.
// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import jpeg from "jpeg-js";
import { repoRoot } from "../build/build";
import { convertOpenCvXml } from "../cascade/convert";
import { encodePgm } from "../support/image";
import {
	buildM7,
	h743HeapCap,
	INSTRUCTIONS_PER_TICK,
	m7Board,
	missingM7Tools,
	runOnM7,
	type FirmwareBuild,
	type M7RunResult,
	type M7Sleep,
} from "../boards/m7";
import { makePlans, prepareStore } from "../build/plan";
import type { BenchSuite } from "./suite";
import { publicKeyOf, sign } from "../../modules/update/signature";
import { selfTestFaces, writeBundle } from "../commands/bundle";
import { makeTemp, removeTemp } from "../support/temp";

interface Row {
	name: string;
	instructions: number | null;
	note: string;
	/** Peak malloc (bytes) of the run that measured it: the XS heaps, the module's buffers, C scratch. */
	heap?: number;
	/** The same wake on fw-h743.elf (the STM32H743's RAM budget): its peak malloc under the cap, and XS's blocks (in the banks, then the heap), bytes. */
	peakHeapH743?: number;
	xsHeapH743?: number;
}

interface Sizes {
	text: number;
	data: number;
	bss: number;
	/** text + rodata by part, from the link map. */
	parts: Record<string, number>;
}

function sizes(elf: string): Sizes {
	const berkeley = execFileSync("arm-none-eabi-size", [elf], { encoding: "utf8" })
		.trim()
		.split("\n")[1]!
		.trim()
		.split(/\s+/)
		.map(Number);
	const parts: Record<string, number> = {};
	const map = readFileSync(elf.replace(/\.elf$/, ".map"), "utf8");
	const body = map.slice(map.indexOf("Linker script and memory map"));
	// Input sections of .text (code and read-only data in flash): " .name  0xADDR  0xSIZE  file".
	const re = /^ \.(?:text|rodata)\S*\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/gm;
	for (const match of body.matchAll(re)) {
		const address = parseInt(match[1]!, 16);
		const size = parseInt(match[2]!, 16);
		if (address >= 0x20000000 || size === 0) continue;
		const file = match[3]!;
		const part = file.includes("/obj/xs/")
			? "XS engine"
			: file.includes("/obj/native/xs/") || file.includes("/gen/xs_hosts")
				? "XS port"
				: file.includes("/obj/native/")
					? "native libraries and bindings"
					: file.includes("/obj/boards/")
						? "board"
						: file.includes("/gen/modules")
							? "modules (bytecode or source)"
							: "C library (newlib-nano, libm, libgcc)";
		parts[part] = (parts[part] ?? 0) + size;
	}
	return { text: berkeley[0]!, data: berkeley[1]!, bss: berkeley[2]!, parts };
}

function benchLines(result: M7RunResult): Row[] {
	const rows: Row[] = [];
	for (const line of result.stdout.split("\n")) {
		const match = /^#bench (\S+) (\d+)(?: (.*))?$/.exec(line);
		if (match) rows.push({ name: match[1]!, instructions: Number(match[2]), note: match[3] ?? "" });
	}
	return rows;
}

/** A gray frame of `width` x `height` from a JPEG: luma, centre-cropped to the aspect, area-averaged. */
function grayFrame(file: string, width: number, height: number): Uint8Array {
	const image = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });
	const aspect = width / height;
	let cw = image.width;
	let ch = Math.round(cw / aspect);
	if (ch > image.height) {
		ch = image.height;
		cw = Math.round(ch * aspect);
	}
	const x0 = Math.floor((image.width - cw) / 2);
	const y0 = Math.floor((image.height - ch) / 2);
	const out = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const sx0 = x0 + Math.floor((x * cw) / width);
			const sx1 = Math.max(sx0 + 1, x0 + Math.floor(((x + 1) * cw) / width));
			const sy0 = y0 + Math.floor((y * ch) / height);
			const sy1 = Math.max(sy0 + 1, y0 + Math.floor(((y + 1) * ch) / height));
			let sum = 0;
			for (let sy = sy0; sy < sy1; sy++)
				for (let sx = sx0; sx < sx1; sx++) {
					const i = (sy * image.width + sx) * 4;
					sum += 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
				}
			out[y * width + x] = Math.round(sum / ((sy1 - sy0) * (sx1 - sx0)));
		}
	}
	return out;
}

const sharedRoot = process.env["XSIGHT_SHARED"] ?? path.resolve(repoRoot, "../shared");
const faceImage = path.join(sharedRoot, "images/faces/misc/messi5.jpg");
const tflmModels = path.join(sharedRoot, "models/tflm");

interface BenchRun {
	main: string;
	what: string;
	/** Lays out the data root; returns the mc/config additions, or a reason to skip. */
	setup?: (root: string) => Record<string, unknown> | string | Promise<Record<string, unknown> | string>;
	elf?: (build: FirmwareBuild) => string;
}

/**
 * The QQVGA or QVGA frame the detect() rows search, written as `<root>/<name>.pgm`:
 * resources/frames/<name>.pgm when committed, else made from a ../shared face
 * image; undefined without either.
 */
function detectFrame(root: string, name: string, width: number, height: number): string | undefined {
	const committed = path.join(repoRoot, "resources/frames", `${name}.pgm`);
	if (existsSync(committed)) copyFileSync(committed, path.join(root, `${name}.pgm`));
	else if (existsSync(faceImage))
		writeFileSync(
			path.join(root, `${name}.pgm`),
			encodePgm({ width, height, data: grayFrame(faceImage, width, height) }),
		);
	else return undefined;
	return `/${name}.pgm`;
}

const lbpFrontalface = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml";

/** The bench modules run on the board, in table order. */
const benchRuns: BenchRun[] = [
	{ main: "test/xs/bench/boot", what: "XS boot to the first line of main, modules as bytecode in flash" },
	{
		main: "test/xs/bench/boot",
		what: "the same, modules parsed from JavaScript on the device",
		elf: (build) => build.parseElf,
	},
	{
		main: "test/xs/bench/person-detect",
		what: "person_detect's 31 ops in native/nn's C kernels, synthetic int8 data (no graph glue)",
	},
	{
		main: "test/xs/bench/haar",
		what: "Haar face search (frontalface, scale 1.1, min 24 px, all scales, C scan)",
		setup(root) {
			if (!existsSync(faceImage)) return `needs ${faceImage}`;
			copyFileSync(
				path.join(repoRoot, "resources/cascades/frontalface.cascade"),
				path.join(root, "frontalface.cascade"),
			);
			const frames = [
				{ name: "haar-qqvga", path: "/qqvga.gray", width: 160, height: 120 },
				{ name: "haar-qvga", path: "/qvga.gray", width: 320, height: 240 },
				// A coarser pyramid (what the app's policy could choose), for comparison.
				{
					name: "haar-qqvga-coarse",
					path: "/qqvga.gray",
					width: 160,
					height: 120,
					scaleFactor: 1.25,
					minSize: 32,
				},
			];
			for (const frame of frames)
				if (!existsSync(path.join(root, frame.path)))
					writeFileSync(path.join(root, frame.path), grayFrame(faceImage, frame.width, frame.height));
			return { frames };
		},
	},
	{
		main: "test/xs/bench/app",
		what: "the app's own modules: modules/nn, modules/vision",
		async setup(root) {
			const models: { name: string; path: string }[] = [];
			const skipped: string[] = [];
			// The field app's smile model is committed: always measured.
			copyFileSync(path.join(repoRoot, "resources/models/smile.tflite"), path.join(root, "smile.tflite"));
			models.push({ name: "smile", path: "/smile.tflite" });
			for (const [name, file] of [
				["person_detect", "person_detect.tflite"],
				["hello_world", "hello_world_int8.tflite"],
			] as const) {
				const source = path.join(tflmModels, file);
				if (!existsSync(source)) {
					skipped.push(`${name} (needs ${source})`);
					continue;
				}
				copyFileSync(source, path.join(root, file));
				models.push({ name, path: `/${file}` });
			}
			const frames: { name: string; path: string; detect?: unknown }[] = [];
			// Frames committed in resources/frames win; else made from a ../shared face image.
			for (const [name, width, height] of [
				["qqvga", 160, 120],
				["qvga", 320, 240],
			] as const) {
				const frame = detectFrame(root, name, width, height);
				if (frame === undefined) skipped.push(`haar-detect-${name} (needs ${faceImage})`);
				else frames.push({ name, path: frame });
			}
			// The field app's own search: a built-in QVGA frame at its mc/config app.detect settings.
			copyFileSync(path.join(repoRoot, "resources/frames/01-smile.pgm"), path.join(root, "field-qvga.pgm"));
			frames.push({ name: "qvga-field-app", path: "/field-qvga.pgm", detect: "field" });
			copyFileSync(
				path.join(repoRoot, "resources/cascades/frontalface.cascade"),
				path.join(root, "frontalface.cascade"),
			);
			if (models.length === 0 && frames.length === 0) return `needs ${tflmModels} and ${faceImage}`;
			// Each model's plan beside it, as a built device has it (the bench's first load of a model is a wake's).
			const files = models.map((m) => path.join(root, m.path));
			const plans = await makePlans(files, m7Board);
			files.forEach((file, i) => writeFileSync(`${file}.plan`, plans[i]!));
			appSkips = skipped;
			return { appBench: { models, cascade: "/frontalface.cascade", frames } };
		},
	},
	{
		main: "test/xs/bench/cascades",
		what: "face search by cascade type through vision detect()",
		setup(root) {
			if (!existsSync(lbpFrontalface)) return `needs ${lbpFrontalface} (opencv-data)`;
			const qqvga = detectFrame(root, "qqvga", 160, 120);
			if (qqvga === undefined) return `needs ${faceImage}`;
			copyFileSync(
				path.join(repoRoot, "resources/cascades/frontalface.cascade"),
				path.join(root, "frontalface.cascade"),
			);
			writeFileSync(
				path.join(root, "lbp-frontalface.cascade"),
				convertOpenCvXml(readFileSync(lbpFrontalface, "utf8"), lbpFrontalface),
			);
			const frames = readdirSync(path.join(repoRoot, "resources/frames"))
				.filter((name) => name.endsWith(".pgm"))
				.sort();
			for (const name of frames)
				copyFileSync(path.join(repoRoot, "resources/frames", name), path.join(root, `field-${name}`));
			return {
				cascadeBench: {
					// The Haar row on the QQVGA frame is the app bench's haar-detect-qqvga; its field rows are for comparison.
					cascades: [
						{ name: "lbp", path: "/lbp-frontalface.cascade", qqvga: true },
						{ name: "haar", path: "/frontalface.cascade" },
					],
					qqvga,
					field: frames.map((name) => ({ name: name.replace(/\.pgm$/, ""), path: `/field-${name}` })),
				},
			};
		},
	},
	{
		main: "test/xs/bench/update",
		what: "a field update: its signature, a file's hash, a whole install with its self-test",
		setup(root) {
			// Signed here as `xsight bundle` signs, with a key made for the run.
			const secretKey = randomBytes(32);
			const message = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) & 255);
			copyFileSync(path.join(repoRoot, "resources/models/smile.tflite"), path.join(root, "smile.tflite"));
			// The firmware's files the install checks the update against, and a bundle of the model and settings.
			mkdirSync(path.join(root, "cascades"));
			copyFileSync(
				path.join(repoRoot, "resources/cascades/frontalface.cascade"),
				path.join(root, "cascades/frontalface.cascade"),
			);
			const model = readFileSync(path.join(repoRoot, "resources/models/smile.tflite"));
			// With a self-test frame, as an update wake runs it: the faces and labels the host's app finds.
			const frame = path.join(repoRoot, "resources/frames/01-smile.pgm");
			const files = [
				{ role: "model" as const, name: "smile.tflite", bytes: model },
				{ role: "config" as const, name: "app.json", bytes: Buffer.from('{"maxFaces":2}') },
				{ role: "self-test" as const, name: "check.pgm", bytes: readFileSync(frame) },
			];
			const selfTest = { faces: selfTestFaces(files, frame) };
			writeFileSync(path.join(root, "u.xsb"), writeBundle({ version: 2, files, selfTest }, secretKey));
			const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
			return {
				updateBench: {
					publicKey: hex(publicKeyOf(secretKey)),
					message: hex(message),
					signature: hex(sign(message, secretKey)),
					file: "/smile.tflite",
					bundle: "/u.xsb",
				},
			};
		},
	},
	{
		main: "test/xs/bench/nn-load",
		what: "Model.load by stage",
		setup(root) {
			const models = [{ name: "smile", path: "/smile.tflite" }];
			copyFileSync(path.join(repoRoot, "resources/models/smile.tflite"), path.join(root, "smile.tflite"));
			const person = path.join(tflmModels, "person_detect.tflite");
			if (existsSync(person)) {
				copyFileSync(person, path.join(root, "person_detect.tflite"));
				models.push({ name: "person_detect", path: "/person_detect.tflite" });
			}
			return { nnLoad: { models } };
		},
	},
];
/** The field app's phases (modules/main.ts marks the end of each), for the per-wake breakdown rows. */
const PART_NOTES: Record<string, string> = {
	imports: "main() to main.ts's first line: the XS machine's creation and every import's module body",
	config: "mc/config's app settings checked, and the Standby the wake will end with",
	retained: "the wake's reason and the retained store read (boot counter, start, exposure, log position)",
	cascade: "Cascade.load: the cascade mapped through Resource and checked",
	"nn-import": "nn's modules imported (main.ts imports them only when a model is needed)",
	model: "Model.load of the smile model and its checks (at power-on up front; after an alarm at the first face)",
	"log-open": "the results log opened, resumed from the retained position",
	capture: "the camera powered, one QVGA frame captured into C memory, the sensor to standby",
	detect: "detect() at the app's settings and the largest faces kept",
	crop: "cropInto: each face resized into the model's input (all faces)",
	invoke: "model.invoke() for each face",
	log: "the record appended to the results log and the log closed",
	"retained-save": "the wake's state written to the retained store, once",
	sleep: "from the last mark to Standby entry: the #wake line and the sleep's checks",
};

/**
 * Instructions by phase from a sleep's marks: each mark ends the phase it
 * names (a name marked again adds up), the first from main(); "sleep" is the
 * rest, to the sleep's entry. The parts add up to the wake's instructions.
 */
export function wakeParts(sleep: M7Sleep): Record<string, number> {
	const parts: Record<string, number> = {};
	if (!sleep.marks?.length) return parts;
	let last = 0;
	for (const [name, ticks] of [...sleep.marks, ["sleep", sleep.ticks] as [string, number]]) {
		parts[name] = (parts[name] ?? 0) + (ticks - last) * INSTRUCTIONS_PER_TICK;
		last = ticks;
	}
	return parts;
}

/** Where the bench keeps the field app's wakes by phase: the host's cost model is calibrated from it (test/power-calibration.test.ts). */
export const M7_WAKES = path.join(repoRoot, "tools/power/m7-wakes.json");

export interface M7WakeTable {
	generatedBy: string;
	commit: string;
	unit: "guest instructions";
	wakes: { boot: number; frame: string | null; instructions: number; parts: Record<string, number> }[];
}

/** The field app's Standby wakes as the table M7_WAKES holds. */
export function wakeTable(
	sleeps: readonly M7Sleep[],
	records: readonly { boot: number; frame?: string }[],
	commit: string,
): M7WakeTable {
	return {
		generatedBy: `xsight bench --board ${m7Board}`,
		commit,
		unit: "guest instructions",
		wakes: sleeps
			.filter((sleep) => sleep.mode === 2)
			.map((sleep) => ({
				boot: sleep.boot,
				frame: records.find((r) => r.boot === sleep.boot)?.frame ?? null,
				instructions: sleep.ticks * INSTRUCTIONS_PER_TICK,
				parts: wakeParts(sleep),
			})),
	};
}

/** What the app bench left out for lack of ../shared. */
let appSkips: string[] = [];

/** The field-wake-<n>-<part> rows as a table: a row per part, a column per wake; "" without them. */
function breakdownTable(rows: readonly Row[]): string {
	const wakes = rows.filter((row) => /^field-wake-\d+$/.test(row.name));
	const parts: string[] = [];
	for (const row of rows) {
		const part = /^field-wake-\d+-(.+)$/.exec(row.name)?.[1];
		if (part && !parts.includes(part)) parts.push(part);
	}
	if (parts.length === 0) return "";
	const cell = (name: string) => {
		const value = rows.find((row) => row.name === name)?.instructions;
		return value === undefined || value === null ? "-" : commas(value);
	};
	return [
		`| part | ${wakes.map((wake) => wake.name).join(" | ")} |`,
		`|---|${wakes.map(() => "---:").join("|")}|`,
		...parts.map((part) => `| ${part} | ${wakes.map((wake) => cell(`${wake.name}-${part}`)).join(" | ")} |`),
		`| whole wake | ${wakes.map((wake) => cell(wake.name)).join(" | ")} |`,
	].join("\n");
}

function commas(value: number): string {
	return value.toLocaleString("en-US");
}

export const m7: BenchSuite = {
	summary: `${m7Board} firmware under QEMU -icount shift=0: guest instructions, sizes, heap`,
	async run(options) {
		const missing = missingM7Tools();
		if (missing.length > 0) {
			// `xsight bench` with no suite runs them all: one missing toolchain must not stop the others.
			process.stderr.write(
				`xsight bench m7: skipped, ${missing.join(" and ")} not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)\n`,
			);
			return;
		}
		const build = buildM7({ parse: true });
		const rows: Row[] = [];
		const notes: string[] = [];
		let peakMalloc = 0;
		let peakStack = 0;
		let peakXs = 0;
		let appMemory: Record<string, number> = {};
		let appMalloc = 0;
		for (const bench of benchRuns) {
			const root = makeTemp("bench");
			try {
				const extra = bench.setup ? await bench.setup(root) : {};
				if (typeof extra === "string") {
					notes.push(`${bench.main}: skipped (${extra})`);
					continue;
				}
				const result = await runOnM7(build, {
					main: bench.main,
					root,
					config: { ...build.manifest.config, ...extra },
					stats: true,
					icount: true,
					timeoutMs: 600_000,
					...(bench.elf ? { elf: bench.elf(build) } : {}),
				});
				if (result.status !== 0)
					throw new Error(
						`${bench.main} on ${m7Board} ended with status ${result.status}:\n${result.stderr}`,
					);
				const lines = benchLines(result);
				const memory = /^#bench-memory (.*)$/m.exec(result.stdout);
				if (memory?.[1]) {
					appMemory = JSON.parse(memory[1]) as Record<string, number>;
					if (result.m7) appMalloc = result.m7.mallocPeak;
				}
				if (bench.main === "test/xs/bench/app")
					for (const skip of appSkips) notes.push(`${bench.main}: ${skip} skipped`);
				const parse = bench.elf !== undefined;
				for (const line of lines)
					rows.push({
						...line,
						name: parse ? `${line.name} (parsing)` : line.name,
						note: line.note || bench.what,
						...(result.m7 ? { heap: result.m7.mallocPeak } : {}),
					});
				if (result.m7) {
					peakMalloc = Math.max(peakMalloc, result.m7.mallocPeak);
					peakStack = Math.max(peakStack, result.m7.stackPeak);
				}
				if (result.stats)
					peakXs = Math.max(peakXs, result.stats.peakChunks + result.stats.peakSlots * result.stats.slotSize);
			} finally {
				removeTemp(root);
			}
		}
		// The field app (the manifest's main) over the built-in frames, one wake
		// per frame through Standby resets: each boot from main() to its
		// Standby entry (the --stats sleep lines of boards/mps2-an500/power.c).
		// The same wakes on fw-h743.elf, the STM32H743's RAM budget: each boot's peak malloc against its heap.
		const heapCap = h743HeapCap(build);
		let fieldSleeps: M7Sleep[] = [];
		let fieldRecords: { boot: number; frame?: string }[] = [];
		const state = makeTemp("benchstate");
		const stateH743 = makeTemp("benchstate");
		// The store of a built device: the app's files and its model's plan, made as xsight build makes them.
		const store = makeTemp("benchstore");
		try {
			await prepareStore(store, m7Board);
			const frames = path.join(repoRoot, "resources/frames");
			const names = readdirSync(frames)
				.filter((name) => name.endsWith(".pgm"))
				.sort();
			const fieldRun = (dir: string, h743: boolean) =>
				runOnM7(build, {
					root: store,
					frames,
					stats: true,
					icount: true,
					h743,
					timeoutMs: 600_000,
					board: ["--state", dir, "--skip-sleep", "--until", String(names.length * 60_000)],
				});
			const field = await fieldRun(state, false);
			if (field.status !== 0)
				throw new Error(`the field app on ${m7Board} ended with status ${field.status}:\n${field.stderr}`);
			const fieldH743 = await fieldRun(stateH743, true);
			if (fieldH743.status !== 0)
				throw new Error(
					`the field app on ${m7Board} in the STM32H743's memory (fw-h743.elf, a ${commas(heapCap)}-byte heap) ended with status ${fieldH743.status}${fieldH743.status === 2 ? " (XS abort)" : ""}:\n${fieldH743.stderr}`,
				);
			fieldSleeps = field.sleeps ?? [];
			const records = field.stdout
				.split("\n")
				.filter((line) => line.startsWith("#wake "))
				.map(
					(line) =>
						JSON.parse(line.slice(6)) as { boot: number; frame?: string; faces: { smile: boolean }[] },
				);
			fieldRecords = records;
			for (const sleep of (field.sleeps ?? []).filter((s) => s.mode === 2)) {
				const record = records.find((r) => r.boot === sleep.boot);
				const faces = record
					? `${record.faces.length} face${record.faces.length === 1 ? "" : "s"}${record.faces.length ? ` (${record.faces.map((f) => (f.smile ? "smile" : "no smile")).join(", ")})` : ""}`
					: "no record";
				const h743 = fieldH743.sleeps?.find((s) => s.boot === sleep.boot && s.mode === 2);
				if (!h743)
					throw new Error(
						`the field app on fw-h743.elf: no Standby at boot ${sleep.boot}:\n${fieldH743.stderr}`,
					);
				rows.push({
					name: `field-wake-${sleep.boot}`,
					instructions: sleep.ticks * INSTRUCTIONS_PER_TICK,
					peakHeapH743: h743.mallocPeak,
					xsHeapH743: h743.xsHeap,
					note: `the field app's whole wake cycle, boot ${sleep.boot}${sleep.boot === 1 ? " (power-on)" : " (rtc, after a Standby reset)"}: main() to Standby entry — XS machine, config, retained state, cascade load, ${sleep.boot === 1 ? "model load, " : ""}QVGA capture of ${record?.frame ?? "?"}, detect, ${sleep.boot === 1 ? "" : "the model's load at the first face, "}per face a crop + smile invoke, log append; ${faces}. Reset handler before main() not counted`,
				});
				for (const [part, instructions] of Object.entries(wakeParts(sleep)))
					rows.push({
						name: `field-wake-${sleep.boot}-${part}`,
						instructions,
						note: PART_NOTES[part] ?? "a phase the app marked (power.mark)",
					});
			}
			if (field.m7) {
				peakMalloc = Math.max(peakMalloc, field.m7.mallocPeak);
				peakStack = Math.max(peakStack, field.m7.stackPeak);
			}
		} finally {
			removeTemp(state);
			removeTemp(stateH743);
			removeTemp(store);
		}
		const breakdown = breakdownTable(rows);
		const fw = sizes(build.elf);
		const fwParse = sizes(build.parseElf);
		const toolchain = {
			gcc: execFileSync("arm-none-eabi-gcc", ["--version"], { encoding: "utf8" }).split("\n")[0]!,
			qemu: execFileSync("qemu-system-arm", ["--version"], { encoding: "utf8" }).split("\n")[0]!,
		};
		let commit = "unknown";
		try {
			commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
			const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
				cwd: repoRoot,
				encoding: "utf8",
			}).trim();
			if (dirty) commit += " (with uncommitted changes)";
		} catch {
			// not a git checkout
		}
		if (options.json) {
			process.stdout.write(
				`${JSON.stringify({ board: m7Board, unit: "guest instructions", rows, sizes: { fw, fwParse }, peakMalloc, peakStack, peakXs, heapCapH743: heapCap, toolchain, commit, notes }, null, 2)}\n`,
			);
			return;
		}
		const find = (name: string) => rows.find((row) => row.name === name)?.instructions ?? null;
		const boot = find("boot-to-main");
		const person = find("person_detect-invoke");
		const personKernels = find("person_detect-kernels");
		const detectQqvga = find("haar-detect-qqvga");
		const scanQqvga = find("haar-qqvga");
		const ram = fw.data + fw.bss + peakMalloc + peakStack;
		const modelFile = appMemory["person_detect.fileBytes"] ?? 0;
		const appRam = fw.data + fw.bss + appMalloc + peakStack;
		const met = (value: number | null, limit: number) =>
			value === null ? "not measured" : `${commas(value)}: ${value <= limit ? "met" : "NOT met"}`;
		const targets = [
			`| boot to main ≤ 2 M instructions | ${met(boot, 2e6)} |`,
			`| Haar face search on QQVGA ≤ 10 M instructions | through vision detect(): ${met(detectQqvga, 10e6)}; the C scan alone: ${met(scanQqvga, 10e6)} |`,
			`| firmware text ≤ 1 MB | ${commas(fw.text)} bytes: ${fw.text <= 1 << 20 ? "met" : "NOT met"} |`,
			`| RAM in use ≤ 512 KB while running person_detect and a QVGA face search | ${appMalloc ? `${commas(appRam)} bytes in the app bench run (data + bss + its peak malloc + peak stack): ${appRam <= 512 * 1024 ? "met" : "NOT met"}; ${commas(appRam - modelFile)} without the ${commas(modelFile)}-byte model file, which this board reads into RAM (a device maps it from flash): ${appRam - modelFile <= 512 * 1024 ? "met" : "NOT met"}` : `${commas(ram)} bytes over all runs (data + bss + peak malloc + peak stack)`} |`,
			`| person_detect ≤ 12 M instructions per inference | one model.invoke() through modules/nn: ${met(person, 12e6)}; kernels alone on synthetic data: ${met(personKernels, 12e6)} |`,
		];
		const memoryLines = Object.entries(appMemory).map(([key, value]) => `- ${key}: ${commas(value)} bytes`);
		const text = `# Benchmarks: ${m7Board} (Cortex-M7 under QEMU)

Generated by \`xsight bench --board ${m7Board}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit}.
Toolchain: ${toolchain.gcc}; ${toolchain.qemu}. Firmware built with -O2
\`-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard\`, newlib-nano.

Figures are **guest instructions, not cycles**: QEMU runs with \`-icount shift=0\`
(one instruction per virtual nanosecond) and the 25 MHz CMSDK timer ticks every
${INSTRUCTIONS_PER_TICK} instructions, so each figure has a resolution of ${INSTRUCTIONS_PER_TICK} instructions.

## Guest instructions

| measurement | guest instructions | peak malloc of the run (bytes) | what |
|---|---:|---:|---|
${rows.map((row) => `| ${row.name} | ${row.instructions === null ? "-" : commas(row.instructions)} | ${row.heap === undefined ? "-" : commas(row.heap)}${row.peakHeapH743 === undefined ? "" : `; H743 budget: ${commas(row.peakHeapH743)} of ${commas(heapCap)} (${((100 * row.peakHeapH743) / heapCap).toFixed(1)}%), XS ${commas(row.xsHeapH743 ?? 0)}`} | ${row.note} |`).join("\n")}
${notes.length ? `\n${notes.map((note) => `- ${note}`).join("\n")}\n` : ""}
${breakdown ? `## The field app's wake by phase (guest instructions)\n\nThe field-wake-<n>-<part> rows above, a column per wake (power.mark() in modules/main.ts; the reset handler before main() is not counted):\n\n${breakdown}\n` : ""}
## Sizes (arm-none-eabi-size, bytes)

| firmware | text | data | bss |
|---|---:|---:|---:|
| fw.elf (modules as XS bytecode) | ${commas(fw.text)} | ${commas(fw.data)} | ${commas(fw.bss)} |
| fw-parse.elf (modules as JavaScript, parsed on the device) | ${commas(fwParse.text)} | ${commas(fwParse.data)} | ${commas(fwParse.bss)} |

fw.elf text by part (from the link map):

| part | bytes |
|---|---:|
${Object.entries(fw.parts)
	.sort((a, b) => b[1] - a[1])
	.map(([part, size]) => `| ${part} | ${commas(size)} |`)
	.join("\n")}

The firmware carries the XS-side test suites and bench modules as well as the app.

## Memory

- Peak malloc (newlib heap, the XS heaps included) over these runs: ${commas(peakMalloc)} bytes.
- Peak XS heap (chunks + slots): ${commas(peakXs)} bytes.
- Peak main stack: ${commas(peakStack)} bytes of the 128 KB reserved (boards/mps2-an500/link.ld; painted at reset).
${appMalloc ? `- The app bench run (person_detect and hello_world loaded, QQVGA and QVGA frames searched and cropped): peak malloc ${commas(appMalloc)} bytes. Its models:\n${memoryLines.map((line) => `  ${line}`).join("\n")}` : ""}

## Targets (issue 6)

| target | result |
|---|---|
${targets.join("\n")}
`;
		writeFileSync(path.join(repoRoot, "docs/benchmarks.md"), text);
		writeFileSync(M7_WAKES, `${JSON.stringify(wakeTable(fieldSleeps, fieldRecords, commit), null, "\t")}\n`);
		process.stdout.write(`${text}\nxsight: wrote docs/benchmarks.md and ${path.relative(repoRoot, M7_WAKES)}\n`);
	},
};
