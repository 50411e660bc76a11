// xsight bench nn: per model, host latency of invoke() (median of N samples,
// each timed inside XS over enough invokes to be well above the clock's
// millisecond), arena bytes, weight bytes and multiply-accumulates.
// Host figures only: Cortex-M7 instruction counts come with the firmware.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readModel } from "../../modules/nn/tflite";
import { buildHost, repoRoot } from "../build/build";
import { runOnHost } from "../boards/host";
import { convModel, kitchenSinkModel, rng } from "../tflite/testmodels";
import type { BenchSuite } from "./suite";

const tflm = path.join(process.env["XSIGHT_SHARED"] ?? path.resolve(repoRoot, "../shared"), "models/tflm");

interface Row {
	model: string;
	medianMs: number;
	minMs: number;
	arenaBytes: number;
	weightBytes: number;
	macs: number;
	rounding: string;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const nnBench: BenchSuite = {
	summary: "int8 inference on XS (host): latency, arena, weights, MACs per model",
	async run(options) {
		const build = await buildHost();
		const models: { name: string; bytes: Uint8Array | string; repeat: number }[] = [];
		if (existsSync(path.join(tflm, "person_detect.tflite")))
			models.push({ name: "person_detect", bytes: path.join(tflm, "person_detect.tflite"), repeat: 10 });
		if (existsSync(path.join(tflm, "hello_world_int8.tflite")))
			models.push({ name: "hello_world_int8", bytes: path.join(tflm, "hello_world_int8.tflite"), repeat: 20000 });
		models.push({ name: "generated conv 8x8x3->4", bytes: convModel(1), repeat: 5000 });
		models.push({ name: "generated kitchen sink", bytes: kitchenSinkModel(7), repeat: 2000 });
		const rows: Row[] = [];
		for (const m of models) {
			const root = mkdtempSync(path.join(tmpdir(), "xsight-bench-nn-"));
			try {
				if (typeof m.bytes === "string") copyFileSync(m.bytes, path.join(root, "model.tflite"));
				else writeFileSync(path.join(root, "model.tflite"), m.bytes);
				// A random input of input 0's size (latency does not depend on the values).
				const parsed = readModel(new Uint8Array(readFileSync(path.join(root, "model.tflite"))), m.name);
				const need = parsed.tensors[parsed.inputs[0]!]!.byteSize;
				const r = rng(1);
				writeFileSync(
					path.join(root, "input.bin"),
					Uint8Array.from({ length: need }, () => Math.floor(r() * 256)),
				);
				const result = await runOnHost(build, {
					main: "tools/infer",
					root,
					config: {
						model: "model.tflite",
						input: "input.bin",
						pixels: "raw",
						time: options.runs,
						repeat: m.repeat,
					},
					timeoutMs: 3600_000,
				});
				if (result.status !== 0) throw new Error(`${m.name}: ${result.stderr}`);
				const time = JSON.parse(/^#time (.*)$/m.exec(result.stdout)![1]!) as { ms: number[] };
				const info = JSON.parse(/^#model (.*)$/m.exec(result.stdout)![1]!) as {
					arenaBytes: number;
					weightBytes: number;
					macs: number;
					singleRounding: boolean;
				};
				rows.push({
					model: m.name,
					medianMs: median(time.ms),
					minMs: Math.min(...time.ms),
					arenaBytes: info.arenaBytes,
					weightBytes: info.weightBytes,
					macs: info.macs,
					rounding: info.singleRounding ? "single" : "double",
				});
			} finally {
				rmSync(root, { recursive: true, force: true });
			}
		}
		if (options.json) {
			process.stdout.write(`${JSON.stringify({ suite: "nn", runs: options.runs, rows })}\n`);
			return;
		}
		process.stdout.write(
			`nn: invoke() on XS, host simulator (median of ${options.runs} samples; kernels built with ${rows[0]?.rounding ?? "?"} rounding)\n`,
		);
		const header = ["model", "median ms", "min ms", "arena B", "weights B", "MACs", "MMAC/s"];
		const table = rows.map((row) => [
			row.model,
			row.medianMs.toFixed(4),
			row.minMs.toFixed(4),
			String(row.arenaBytes),
			String(row.weightBytes),
			String(row.macs),
			(row.macs / row.medianMs / 1000).toFixed(1),
		]);
		const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
		const line = (cells: string[]) =>
			cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
		process.stdout.write(`${line(header)}\n${table.map(line).join("\n")}\n`);
	},
};
