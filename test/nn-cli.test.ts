// `xsight infer`, run as a user runs it.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { runOnHost } from "../tools/boards/host";
import { crc32 } from "node:zlib";
import { encodePgm, readGrayImage } from "../tools/support/image";
import { resizeGray } from "../tools/commands/infer";
import { convModel } from "../tools/tflite/testmodels";
import { sharedRoot, tflmModels } from "./support/paths";
import { runTflite } from "../tools/tflite/oracle";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
	});
}

const person = path.join(sharedRoot, "images/tflm/person.bmp");
const personModel = path.join(tflmModels, "person_detect.tflite");
const temp = mkdtempSync(path.join(tmpdir(), "xsight-infer-test-"));

describe("xsight infer", () => {
	test("--help documents the pixel conventions", () => {
		const result = xsight("infer", "--help");
		expect(result.status).toBe(0);
		for (const mode of ["quantize", "offset", "cast"]) expect(result.stdout).toContain(mode);
		expect(result.stdout).toContain("--resize");
	});

	test("a raw .bin tensor: outputs equal the oracle's", async () => {
		const model = convModel(3);
		const input = Int8Array.from({ length: 8 * 8 * 3 }, (_, i) => ((i * 37) % 256) - 128);
		writeFileSync(path.join(temp, "conv.tflite"), model);
		writeFileSync(path.join(temp, "input.bin"), input);
		const result = xsight(
			"infer",
			"--model",
			path.join(temp, "conv.tflite"),
			"--input",
			path.join(temp, "input.bin"),
			"--json",
		);
		expect(result.status, result.stderr).toBe(0);
		const out = JSON.parse(result.stdout) as {
			outputs: { raw: number[]; values: number[]; scale: number; zeroPoint: number }[];
		};
		const [oracle] = await runTflite(model, [input]);
		expect(out.outputs[0]!.raw).toEqual(Array.from(oracle!));
		expect(out.outputs[0]!.values[5]).toBeCloseTo(
			out.outputs[0]!.scale * (oracle![5]! - out.outputs[0]!.zeroPoint),
			6,
		);
	});

	test("bad input is a clear error: wrong .bin size, image without --pixels, truncated model", () => {
		writeFileSync(path.join(temp, "conv.tflite"), convModel(3));
		writeFileSync(path.join(temp, "short.bin"), new Uint8Array(10));
		let result = xsight(
			"infer",
			"--model",
			path.join(temp, "conv.tflite"),
			"--input",
			path.join(temp, "short.bin"),
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("short.bin: 10 bytes, but input 0 (INT8 [1, 8, 8, 3]) takes 192");
		writeFileSync(path.join(temp, "gray.pgm"), encodePgm({ width: 2, height: 2, data: new Uint8Array(4) }));
		result = xsight("infer", "--model", path.join(temp, "conv.tflite"), "--input", path.join(temp, "gray.pgm"));
		expect(result.status).toBe(64);
		expect(result.stderr).toContain("--pixels: required");
		writeFileSync(path.join(temp, "cut.tflite"), convModel(3).subarray(0, 100));
		result = xsight("infer", "--model", path.join(temp, "cut.tflite"), "--input", path.join(temp, "short.bin"));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/^xsight infer: cut\.tflite: /);
	});

	test("a missing --model or --input is named by its option, not as Node's ENOENT", () => {
		writeFileSync(path.join(temp, "conv.tflite"), convModel(3));
		let result = xsight("infer", "--model", path.join(temp, "none.tflite"), "--input", path.join(temp, "none.bin"));
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(`xsight infer: --model ${path.join(temp, "none.tflite")}: no such file\n`);
		result = xsight("infer", "--model", path.join(temp, "conv.tflite"), "--input", path.join(temp, "none.bin"));
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(`xsight infer: --input ${path.join(temp, "none.bin")}: no such file\n`);
	});

	test.skipIf(!existsSync(person) || !existsSync(personModel))(
		"person.bmp --pixels cast: [-113, 113] (needs ../shared)",
		() => {
			const result = xsight("infer", "--model", personModel, "--input", person, "--pixels", "cast");
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toMatch(/raw {4}-113 113\n/);
		},
	);

	test.skipIf(!existsSync(person) || !existsSync(personModel))(
		"--resize: a 192x192 upscale of person.bmp is resized back and still reads as a person (needs ../shared)",
		() => {
			const big = resizeGray(readGrayImage(person), 192, 192);
			writeFileSync(path.join(temp, "big.pgm"), encodePgm(big));
			let result = xsight(
				"infer",
				"--model",
				personModel,
				"--input",
				path.join(temp, "big.pgm"),
				"--pixels",
				"cast",
				"--json",
			);
			expect(result.status).toBe(1);
			expect(result.stderr).toContain("image is 192x192, the model takes 96x96 (add --resize)");
			result = xsight(
				"infer",
				"--model",
				personModel,
				"--input",
				path.join(temp, "big.pgm"),
				"--pixels",
				"cast",
				"--resize",
				"--json",
			);
			expect(result.status, result.stderr).toBe(0);
			const raw = (JSON.parse(result.stdout) as { outputs: { raw: number[] }[] }).outputs[0]!.raw;
			expect(raw[1]!).toBeGreaterThan(raw[0]!);
			expect(readFileSync(person).length).toBeGreaterThan(0);
		},
	);
});

describe("xsight plan", () => {
	test("writes the model's plan, bound to the model, which Model.load then starts from", async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "xsight-plan-test-"));
		const model = convModel(3);
		writeFileSync(path.join(dir, "conv.tflite"), model);
		const result = xsight("plan", "--model", path.join(dir, "conv.tflite"));
		expect(result.status, result.stderr).toBe(0);
		expect(result.stderr).toMatch(/wrote .*conv\.tflite\.plan \(\d+ bytes, host's kernels\)/);
		const plan = readFileSync(path.join(dir, "conv.tflite.plan"));
		// Bound to this model: its size and CRC-32 in the header (docs/model-plan.md).
		expect(plan.readUInt32LE(0)).toBe(0x504e5358);
		expect(plan.readUInt32LE(12)).toBe(model.length);
		expect(plan.readUInt32LE(16)).toBe(crc32(model));
		// infer copies the model alone: it compiles; the plan made ahead gives the same bytes on XS.
		const build = hostBuildPaths();
		const run = await runOnHost(build, {
			main: "tools/plan",
			root: dir,
			config: { ...build.manifest.config, model: "conv.tflite" },
		});
		expect(run.status, run.stderr).toBe(0);
		expect(
			JSON.parse(
				run.stdout
					.split("\n")
					.find((l) => l.startsWith("#plan "))!
					.slice(6),
			).fromPlan,
		).toBe(true);
		expect(readFileSync(path.join(dir, "conv.tflite.plan")).equals(plan)).toBe(true);
		// A damaged plan: said once in the trace, compiled again and rewritten; the next load is quiet.
		const damaged = Buffer.from(plan);
		damaged[damaged.length - 1]! ^= 1;
		writeFileSync(path.join(dir, "conv.tflite.plan"), damaged);
		const again = await runOnHost(build, {
			main: "tools/plan",
			root: dir,
			config: { ...build.manifest.config, model: "conv.tflite" },
		});
		expect(
			again.stdout.match(
				/conv\.tflite\.plan: CRC-32 [0-9a-f]{8}, its header says [0-9a-f]{8}; compiling the model\n/g,
			),
		).toHaveLength(1);
		expect(readFileSync(path.join(dir, "conv.tflite.plan")).equals(plan)).toBe(true);
		const quiet = await runOnHost(build, {
			main: "tools/plan",
			root: dir,
			config: { ...build.manifest.config, model: "conv.tflite" },
		});
		expect(quiet.stdout).not.toContain("compiling the model");
		const out = path.join(dir, "other.plan");
		expect(xsight("plan", "--model", path.join(dir, "conv.tflite"), "--out", out).status).toBe(0);
		expect(readFileSync(out).equals(plan)).toBe(true);
	});

	test("clear errors: no --model, an unknown board, a missing file, a file that is not a model", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "xsight-plan-test-"));
		expect(xsight("plan").status).toBe(64);
		let result = xsight("plan", "--model", "x.tflite", "--board", "nope");
		expect(result.status).toBe(64);
		expect(result.stderr).toContain("--board nope: expected host, mps2-an500, stm32h743");
		result = xsight("plan", "--model", path.join(dir, "missing.tflite"));
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("missing.tflite: no such file");
		writeFileSync(path.join(dir, "text.tflite"), "not a model at all, just text");
		result = xsight("plan", "--model", path.join(dir, "text.tflite"));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/text\.tflite: file identifier is .*expected "TFL3"/);
		expect(existsSync(path.join(dir, "text.tflite.plan"))).toBe(false);
		result = xsight("plan", "--model", path.join(dir, "text.tflite"), "--out", path.join(dir, "no/such/dir.plan"));
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("no such folder");
	});
});
