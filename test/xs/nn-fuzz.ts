// Fuzz driver for the nn stack on XS (loader, planner, prepare, binding,
// kernels). Run by test/nn-fuzz.test.ts and `npm run fuzz` on the host
// board built with AddressSanitizer and UndefinedBehaviorSanitizer, where
// any out-of-bounds access or undefined behaviour in C aborts the run.
//
// For each model named in mc/config, `variants` mutated or truncated copies
// (seeded, so a failure reproduces) go through Model.fromBytes; those that
// load are invoked with a random input. The only acceptable outcome of a
// variant is success or a thrown Error whose message names the file.
// Mutations: truncation at a random length, bit flips, byte sets to
// interesting or random values, 32-bit words set to interesting values
// (offsets, lengths, indices), half of them aimed at the flatbuffer's
// metadata (outside constant buffers), where the parser is exercised.
// A job with `plan: true` fuzzes the model's plan (docs/model-plan.md) instead:
// Model.load writes it, then mutated copies go to native/nn's Plan (header,
// prepare against an arena, run): truncations and bit flips (the CRC-32s
// refuse them), and words, bytes and header fields set to interesting or
// random values with the plan's CRC-32 made right again, so that the checks
// of every op against the model, the constants and the arena are what stands;
// what C accepts, the loader's reader of the description (TypeScript) reads.
// The only acceptable outcomes: accepted and run, or a RangeError from the plan.
// mc/config: { fuzz: [{ model, variants, only?, plan? }], seed }; `only: V` replays variant V alone.
// Prints #fuzz {"model":..., "variants":N, "loaded":N, "invoked":N, "rejected":N, "ms":N} per model.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import Resource from "Resource";
import { File } from "file";
import { crc32 } from "native/bytes";
import { Arena, Plan } from "native/nn";
import { Model } from "nn";
import { readMeta } from "nn/plan";
import { readModel } from "nn/compiler";

let state = 0x9e3779b9;
function next(): number {
	// xorshift32
	state ^= state << 13;
	state ^= state >>> 17;
	state ^= state << 5;
	state >>>= 0;
	return state;
}
function below(n: number): number {
	return next() % n;
}

const INTERESTING8 = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x40];
const INTERESTING32 = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0xffff, 4, 8, 16, 0x1000000];

function metadataPositions(bytes: Uint8Array): number[] {
	const m = readModel(bytes, "seed");
	const inData = new Uint8Array(bytes.length);
	for (const b of m.buffers) {
		if (b.byteLength === 0) continue;
		const start = b.byteOffset - bytes.byteOffset;
		inData.fill(1, start, start + b.byteLength);
	}
	const out: number[] = [];
	for (let i = 0; i < bytes.length; i++) if (inData[i] === 0) out.push(i);
	return out;
}

const seed = typeof config["seed"] === "number" ? (config["seed"] as number) >>> 0 : 1;
const jobs = config["fuzz"] as { model: string; variants: number; only?: number; from?: number; plan?: boolean }[];
/** Each variant has its own generator state, so one can be replayed alone (`only`). */
function reseed(job: number, v: number): void {
	state =
		(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(job + 1, 0xc2b2ae35) ^ Math.imul(v + 1, 0x27d4eb2f)) >>>
			0 || 1;
	for (let k = 0; k < 4; k++) next();
}
let failures = 0;
for (let j = 0; j < jobs.length; j++) {
	const job = jobs[j]!;
	if (job.plan === true) {
		await fuzzPlan(j, job);
		continue;
	}
	const original = new Uint8Array(new Resource(job.model));
	const meta = metadataPositions(original);
	const work = new Uint8Array(original.length);
	const view = new DataView(work.buffer);
	const stats = { model: job.model, variants: 0, loaded: 0, invoked: 0, rejected: 0, ms: 0 };
	const start = Date.now();
	for (let v = job.only ?? job.from ?? 0; v < (job.only !== undefined ? job.only + 1 : job.variants); v++) {
		reseed(j, v);
		if (config["verbose"] === true) trace(`#fuzz-variant ${job.model}#${v}\n`);
		work.set(original);
		let bytes = work;
		const kind = v % 5;
		const pick = (): number => (below(2) === 0 ? meta[below(meta.length)]! : below(original.length));
		if (kind === 0) {
			bytes = work.subarray(0, below(original.length));
		} else if (kind === 1) {
			for (let k = 1 + below(8); k > 0; k--) {
				const p = pick();
				work[p] = work[p]! ^ (1 << below(8));
			}
		} else if (kind === 2) {
			for (let k = 1 + below(4); k > 0; k--)
				work[pick()] = below(2) === 0 ? INTERESTING8[below(INTERESTING8.length)]! : below(256);
		} else if (kind === 3) {
			const p = Math.min(pick() & ~3, original.length - 4);
			view.setUint32(p, INTERESTING32[below(INTERESTING32.length)]!, true);
		} else {
			// Mutate and truncate together.
			for (let k = 1 + below(3); k > 0; k--) work[pick()] = below(256);
			bytes = work.subarray(0, original.length - below(64));
		}
		stats.variants++;
		if (typeof config["dump"] === "string") {
			const out = new File(config["dump"] as string, true);
			out.write(bytes.slice().buffer);
			out.close();
		}
		const name = `${job.model}#${v}`;
		let model: Model | null = null;
		try {
			if (config["parseOnly"] === true) {
				readModel(bytes, name);
				throw new Error(`${name}: parsed`);
			}
			model = await Model.fromBytes(bytes, name);
			stats.loaded++;
			if (config["verbose"] === true) trace(`#fuzz-loaded\n`);
		} catch (error) {
			stats.rejected++;
			if (config["verbose"] === true) trace(`#fuzz-rejected ${String(error)}\n`);
			if (!(error instanceof Error) || error.message.indexOf(name) < 0) {
				failures++;
				trace(`#fuzz-bad ${JSON.stringify({ variant: name, phase: "load", error: String(error) })}\n`);
			}
		}
		if (model !== null && config["noInvoke"] !== true) {
			try {
				// A mutated graph may have lost its inputs: it still runs.
				for (const tensor of model.inputs) {
					const input = tensor.data;
					for (let i = 0; i < input.length; i++) input[i] = below(256);
				}
				model.invoke();
				stats.invoked++;
				if (config["verbose"] === true) trace(`#fuzz-invoked\n`);
			} catch (error) {
				// Everything a kernel could refuse is checked at load, so a
				// refusal here is a gap in prepare: reported, and a failure.
				failures++;
				trace(`#fuzz-bad ${JSON.stringify({ variant: name, phase: "invoke", error: String(error) })}\n`);
			}
		}
		if (config["collect"] === true) {
			// Force a collection after every variant, so heap damage shows at once.
			let junk: string[] = [];
			for (let k = 0; k < 3000; k++) junk.push([k, v].join("-"));
			junk = [];
			if (config["verbose"] === true) trace(`#fuzz-collected ${junk.length}\n`);
		}
	}
	stats.ms = Date.now() - start;
	trace(`#fuzz ${JSON.stringify(stats)}\n`);
}
async function fuzzPlan(
	j: number,
	job: { model: string; variants: number; only?: number; from?: number },
): Promise<void> {
	const model = new Resource(job.model);
	const planPath = `${job.model}.plan`;
	if (File.exists(planPath)) File.delete(planPath);
	await Model.load(job.model);
	const file = new File(planPath);
	const good = new Uint8Array(file.read(ArrayBuffer));
	file.close();
	const work = new Uint8Array(good.length);
	const view = new DataView(work.buffer);
	const goodView = new DataView(good.buffer);
	const arenaBytes = goodView.getUint32(28, true);
	const metaAt = goodView.getUint32(44, true);
	const stats = { model: `${job.model}.plan`, variants: 0, loaded: 0, invoked: 0, rejected: 0, ms: 0 };
	const start = Date.now();
	for (let v = job.only ?? job.from ?? 0; v < (job.only !== undefined ? job.only + 1 : job.variants); v++) {
		reseed(j, v);
		work.set(good);
		let bytes = work;
		let fix = true;
		const kind = v % 6;
		// Words of the ops and constants (what C checks op by op).
		const word = (): number => 28 + 4 * below((metaAt - 28) >> 2);
		if (kind === 0) {
			bytes = work.subarray(0, below(good.length));
			fix = false;
		} else if (kind === 1) {
			for (let k = 1 + below(8); k > 0; k--) {
				const p = below(good.length);
				work[p] = work[p]! ^ (1 << below(8));
			}
			fix = false;
		} else if (kind === 2) {
			for (let k = 1 + below(4); k > 0; k--)
				view.setUint32(word(), below(2) === 0 ? INTERESTING32[below(INTERESTING32.length)]! : next(), true);
		} else if (kind === 3) {
			// Small values: offsets and sizes near the real ones, where a missed check would bite.
			for (let k = 1 + below(3); k > 0; k--) view.setInt32(word(), below(arenaBytes + 64) - 32, true);
		} else if (kind === 4) {
			view.setUint32(
				4 * below(14),
				below(2) === 0 ? INTERESTING32[below(INTERESTING32.length)]! : view.getUint32(0, true) + below(3) - 1,
				true,
			);
		} else {
			for (let k = 1 + below(8); k > 0; k--) {
				const p = 28 + below(good.length - 28);
				work[p] = below(2) === 0 ? INTERESTING8[below(INTERESTING8.length)]! : below(256);
			}
		}
		if (fix && bytes.length >= 28 && kind !== 4) view.setUint32(24, crc32(bytes.subarray(28)), true);
		else if (fix && bytes.length >= 28 && below(2) === 0) view.setUint32(24, crc32(bytes.subarray(28)), true);
		stats.variants++;
		const name = `${planPath}#${v}`;
		if (config["verbose"] === true) trace(`#fuzz-variant ${name}\n`);
		let plan: Plan;
		try {
			plan = new Plan(model, bytes);
			// A plan that asks for far more arena than the model needs is refused by the loader's
			// allocation on a device; here it would only slow the sanitizers down.
			if (plan.arenaBytes > 4 * arenaBytes + 4096) throw new RangeError("nn: plan: fuzz: arena too large");
			plan.prepare(new Arena(Math.max(plan.arenaBytes, 16)));
			stats.loaded++;
		} catch (error) {
			stats.rejected++;
			if (!(error instanceof RangeError) || error.message.indexOf("nn: plan: ") < 0) {
				failures++;
				trace(`#fuzz-bad ${JSON.stringify({ variant: name, phase: "plan", error: String(error) })}\n`);
			}
			continue;
		}
		try {
			plan.run();
			stats.invoked++;
		} catch (error) {
			// A kernel's own refusal (a status) is safe; anything else is not.
			if (!(error instanceof RangeError) || error.message.indexOf("the kernel refused") < 0) {
				failures++;
				trace(`#fuzz-bad ${JSON.stringify({ variant: name, phase: "run", error: String(error) })}\n`);
			}
		}
		// What C accepted, the loader reads the description of (C never does): a description or its own Error.
		// After the run: its allocations may collect, and the Plan keeps the arena it runs over.
		try {
			readMeta(bytes).operators();
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith("its description: ")) {
				failures++;
				trace(`#fuzz-bad ${JSON.stringify({ variant: name, phase: "description", error: String(error) })}\n`);
			}
		}
	}
	stats.ms = Date.now() - start;
	trace(`#fuzz ${JSON.stringify(stats)}\n`);
}

if (failures > 0) throw new Error(`${failures} variants failed in a way other than a clear Error`);
