// Loader fuzz: truncated and mutated variants of real models (and of a
// writer-built model, always available). The loader must only ever throw
// Error: never hang (vitest's timeout), crash, or throw anything else. How
// fast it loads is a benchmark's business (xsight bench --board mps2-an500).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { tflmModels } from "./support/paths";
import { readModel } from "../modules/nn/tflite";
import { kitchenSinkModel, rng } from "../tools/tflite/testmodels";

const models = tflmModels;
const personPath = path.join(models, "person_detect.tflite");
const helloPath = path.join(models, "hello_world_int8.tflite");

interface Stats {
	ok: number;
	errors: number;
}

/** Byte ranges holding constant data: mutating there rarely tests the parser. */
function metadataPositions(bytes: Uint8Array): number[] {
	const m = readModel(bytes, "seed");
	const inData = new Uint8Array(bytes.length);
	for (const b of m.buffers) {
		if (b.byteLength === 0) continue;
		inData.fill(1, b.byteOffset - bytes.byteOffset, b.byteOffset - bytes.byteOffset + b.byteLength);
	}
	const out: number[] = [];
	for (let i = 0; i < bytes.length; i++) if (inData[i] === 0) out.push(i);
	return out;
}

function fuzz(original: Uint8Array, iterations: number, seed: number): Stats {
	const r = rng(seed);
	const meta = metadataPositions(original);
	const work = original.slice();
	const dv = new DataView(work.buffer);
	const stats: Stats = { ok: 0, errors: 0 };
	const interesting = [0, 1, 0x7f, 0x80, 0xff, 0xfe];
	for (let it = 0; it < iterations; it++) {
		let input: Uint8Array = work;
		const touched: number[] = [];
		const kind = it % 4;
		if (kind === 0) {
			// Truncation at any length (a view: no copy).
			input = work.subarray(0, Math.floor(r() * original.length));
		} else {
			const n = 1 + Math.floor(r() * (kind === 3 ? 1 : 8));
			for (let k = 0; k < n; k++) {
				const pos = meta[Math.floor(r() * meta.length)]!;
				if (kind === 3 && pos + 4 <= work.length) {
					// Whole 32-bit word: offsets, lengths, indices, sizes.
					for (let j = 0; j < 4; j++) touched.push(pos + j);
					const choices = [
						0,
						0xffffffff,
						0x7fffffff,
						0x80000000,
						Math.floor(r() * 2 ** 32),
						Math.floor(r() * original.length),
						dv.getUint32(pos, true) + 4,
						dv.getUint32(pos, true) - 4,
					];
					dv.setUint32(pos, choices[Math.floor(r() * choices.length)]! >>> 0, true);
				} else {
					touched.push(pos);
					work[pos] = r() < 0.5 ? interesting[Math.floor(r() * interesting.length)]! : Math.floor(r() * 256);
				}
			}
		}
		try {
			readModel(input, "fuzz.tflite");
			stats.ok++;
		} catch (e) {
			if (!(e instanceof Error)) throw new Error(`iteration ${it}: threw a non-Error: ${String(e)}`);
			if (!e.message.startsWith("fuzz.tflite: "))
				throw new Error(`iteration ${it}: error without the file name: ${e.message}`);
			// The loader's placeholder for a tensor's or operator's label (a 0 character; names may hold
			// them too) must always have been replaced by the label.
			if (e.message.startsWith("fuzz.tflite: \u0000"))
				throw new Error(`iteration ${it}: error without its label: ${JSON.stringify(e.message)}`);
			stats.errors++;
		}
		for (const p of touched) work[p] = original[p]!;
	}
	return stats;
}

describe("loader fuzz", () => {
	test.skipIf(!existsSync(personPath))("person_detect.tflite: 7,000 variants (needs ../shared)", () => {
		const s = fuzz(new Uint8Array(readFileSync(personPath)), 7000, 1234);
		console.log(`person_detect fuzz: ${s.errors} rejected, ${s.ok} accepted`);
		expect(s.errors + s.ok).toBe(7000);
		expect(s.errors).toBeGreaterThan(1750); // at least the truncations
	});

	test.skipIf(!existsSync(helloPath))("hello_world_int8.tflite: 3,000 variants (needs ../shared)", () => {
		const s = fuzz(new Uint8Array(readFileSync(helloPath)), 3000, 99);
		expect(s.errors + s.ok).toBe(3000);
		expect(s.errors).toBeGreaterThan(750);
	});

	test("writer-built kitchen-sink model: 3,000 variants", () => {
		const s = fuzz(kitchenSinkModel(), 3000, 7);
		expect(s.errors).toBeGreaterThan(750);
		const e = fuzz(kitchenSinkModel(7, true), 1000, 8);
		expect(e.errors).toBeGreaterThan(250);
	});
});
