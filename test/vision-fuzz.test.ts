// Cascade loader fuzz on XS (test/xs/fixtures/cascade-fuzz.ts): truncated and
// mutated frontalface.cascade, a tree cascade (alt2) and (with opencv-data)
// lbpcascade_frontalface through Cascade.from and, when it loads,
// detect(), on the host build and on the AddressSanitizer + UBSan build
// (make host-asan, made by the global setup). Short by default;
// `npm run fuzz:vision` runs it long.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { runOnHost } from "../tools/boards/host";
import { runXsSuite } from "./support/xs";
import { alt2Xml, lbpXml, visionRoot } from "./support/vision-data";
import { asanProgram, sanitizerReports } from "./support/asan";

const long = process.env["XSIGHT_FUZZ"] === "long";
async function fuzz(program: string, seed: number, iterations: number, cascade?: string) {
	const build = { ...hostBuildPaths(), program };
	const result = await runOnHost(build, {
		main: "test/xs/fixtures/cascade-fuzz",
		root: visionRoot(),
		config: { ...build.manifest.config, fuzz: { seed, iterations, ...(cascade === undefined ? {} : { cascade }) } },
		timeoutMs: 60 * 60_000,
	});
	const line = result.stdout.split("\n").find((l) => l.startsWith("#fuzz "));
	expect(
		result.status,
		`${program} exited ${result.status} ${result.signal ?? ""}\n${result.stderr.slice(0, 4000)}`,
	).toBe(0);
	expect(sanitizerReports(result.stderr)).toEqual([]);
	expect(line, result.stderr).toBeDefined();
	const report = JSON.parse(line!.slice(6)) as {
		ok: number;
		rejected: number;
		detections: number;
		failures: string[];
	};
	console.log(
		`cascade fuzz (${cascade ?? "frontalface"}, ${path.relative(repoRoot, program)}, seed ${seed}): ${iterations} variants, ${report.rejected} rejected, ${report.ok} loaded and scanned (${report.detections} raw detections)`,
	);
	expect(report.failures).toEqual([]);
	expect(report.ok + report.rejected).toBe(iterations);
	expect(report.ok).toBeGreaterThan(0);
	expect(report.rejected).toBeGreaterThan(0);
}

describe("cascade loader fuzz on XS", () => {
	test("host build", { timeout: long ? 3_600_000 : 120_000 }, async () => {
		await fuzz(hostBuildPaths().program, 7, long ? 50_000 : 600);
	});

	// Trees: a sixth of the variants change a record's child flags, node count or child distance.
	test.skipIf(!existsSync(alt2Xml))(
		"host build, a tree cascade (frontalface_alt2)",
		{ timeout: long ? 3_600_000 : 120_000 },
		async () => {
			await fuzz(hostBuildPaths().program, 13, long ? 60_000 : 600, "/cascades/alt2.cascade");
		},
	);

	test("AddressSanitizer + UBSan build (make host-asan)", { timeout: long ? 3_600_000 : 300_000 }, async () => {
		await fuzz(asanProgram, 11, long ? 20_000 : 300);
		if (existsSync(alt2Xml)) await fuzz(asanProgram, 17, long ? 60_000 : 300, "/cascades/alt2.cascade");
		// The vision XS suite on the same build: frames, crops, scans, closed frames.
		const suite = await runXsSuite("test/xs/vision.xs", { root: visionRoot(), program: asanProgram });
		expect(suite.done, suite.result.stderr.slice(0, 4000)).toEqual({ passed: suite.cases.length, failed: 0 });
		expect(sanitizerReports(suite.result.stderr)).toEqual([]);
	});
});

describe.skipIf(!existsSync(lbpXml))(
	`LBP cascade loader fuzz on XS (${existsSync(lbpXml) ? "lbpcascade_frontalface" : `needs ${lbpXml}`})`,
	() => {
		const lbp = "/cascades/lbp-frontalface.cascade";
		test("host build", { timeout: long ? 3_600_000 : 120_000 }, async () => {
			await fuzz(hostBuildPaths().program, 13, long ? 20_000 : 600, lbp);
		});

		test("AddressSanitizer + UBSan build (make host-asan)", { timeout: long ? 3_600_000 : 300_000 }, async () => {
			await fuzz(asanProgram, 17, long ? 12_000 : 300, lbp);
		});
	},
);
