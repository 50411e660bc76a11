// `npm run fuzz`: the long nn fuzz (>= 10,000 model variants and >= 10,000 of
// their plans, fixed seed) on the
// host board built with AddressSanitizer and UndefinedBehaviorSanitizer.
// Exit status 1 on any sanitizer report, crash or unclear error.
// Usage: npm run fuzz [-- --scale N] (N multiplies the variant counts).
// SPDX-License-Identifier: Apache-2.0
import { buildHost } from "../tools/build/build";
import { buildAsan, fuzzModels, runFuzz } from "./support/nn-fuzz";

const scaleArg = process.argv.indexOf("--scale");
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;
if (!(scale > 0)) throw new Error("--scale: expected a positive number");
await buildHost();
buildAsan();
const counts: Record<string, number> = {
	"hello_world_int8.tflite": 6000,
	"person_detect.tflite": 2500,
	"sink.tflite": 2000,
	"mirror.tflite": 1000,
};
const variants = Object.fromEntries(fuzzModels().map((name) => [name, Math.round(counts[name]! * scale)]));
// The plans' fuzz: >= 10,000 variants; person_detect's fewer, each accepted one runs the whole model.
const planCounts: Record<string, number> = {
	"hello_world_int8.tflite": 4000,
	"person_detect.tflite": 1000,
	"sink.tflite": 3000,
	"mirror.tflite": 2000,
};
const plans = Object.fromEntries(fuzzModels().map((name) => [name, Math.round(planCounts[name]! * scale)]));
const run = await runFuzz(variants, 20251126, plans);
for (const s of run.stats)
	process.stdout.write(
		`${s.model}: ${s.variants} variants, ${s.loaded} loaded, ${s.invoked} invoked, ${s.rejected} rejected, ${s.ms} ms\n`,
	);
const total = run.stats.reduce((n, s) => n + s.variants, 0);
process.stdout.write(`fuzz: ${total} variants in ${(run.ms / 1000).toFixed(1)} s, exit ${run.result.status}\n`);
if (run.result.stderr) process.stderr.write(run.result.stderr);
for (const bad of run.bad) process.stderr.write(`bad: ${bad}\n`);
process.exitCode = run.result.status !== 0 || run.result.stderr !== "" || run.bad.length > 0 ? 1 : 0;
