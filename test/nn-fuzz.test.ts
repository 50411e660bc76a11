// Fuzz, short version: mutated and truncated variants of the real models
// (and of a generated model) through load and invoke on XS, and of their
// plans through native/nn's checks and run, on the host
// board built with AddressSanitizer and UndefinedBehaviorSanitizer: any
// sanitizer report, crash or non-Error exception fails. `npm run fuzz`
// runs the long version (10,000+ variants).
// SPDX-License-Identifier: Apache-2.0
import { expect, test } from "vitest";
import { fuzzModels, runFuzz } from "./support/nn-fuzz";

test("short fuzz under ASan + UBSan: only clear Errors, no sanitizer report", async () => {
	const counts: Record<string, number> = {
		"hello_world_int8.tflite": 300,
		"person_detect.tflite": 40,
		"sink.tflite": 120,
		"mirror.tflite": 80,
	};
	const variants = Object.fromEntries(fuzzModels().map((name) => [name, counts[name]!]));
	const plans = Object.fromEntries(fuzzModels().map((name) => [name, 60]));
	const run = await runFuzz(variants, 2024, plans);
	expect(run.result.stderr, "sanitizer or XS report").toBe("");
	expect(run.result.status).toBe(0);
	expect(run.bad).toEqual([]);
	expect(run.stats.map((s) => s.model)).toEqual([
		...Object.keys(variants),
		...Object.keys(plans).map((name) => `${name}.plan`),
	]);
	for (const s of run.stats) {
		expect(s.variants).toBe(variants[s.model] ?? plans[s.model.replace(/\.plan$/, "")]);
		expect(s.loaded + s.rejected).toBe(s.variants);
		// Both outcomes occur: the fuzz reaches the kernels, not only the parser.
		expect(s.invoked).toBeGreaterThan(0);
		expect(s.rejected).toBeGreaterThan(0);
	}
	console.log(
		`fuzz (short): ${run.stats.map((s) => `${s.model} ${s.variants} variants, ${s.invoked} invoked, ${s.rejected} rejected`).join("; ")}; ${run.ms} ms`,
	);
}, 300_000);
