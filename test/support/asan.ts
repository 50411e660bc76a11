// The host board built with AddressSanitizer and UndefinedBehaviorSanitizer
// (make host-asan): the fuzz tests of the model and cascade loaders run on it.
// The global setup builds it once, so test files never run make side by side.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../tools/build/build";

export const asanProgram = path.join(repoRoot, "build/host-asan/xsight-sim");

export function buildAsan(): void {
	const make = spawnSync("make", ["-s", "-j2", "host-asan"], {
		cwd: repoRoot,
		stdio: ["ignore", "inherit", "inherit"],
	});
	if (make.status !== 0) throw new Error("make host-asan failed");
}

/** Sanitizer reports in our code; XS's own sources are compiled unmodified and excluded. */
export function sanitizerReports(stderr: string): string[] {
	return stderr
		.split("\n")
		.filter((line) => /runtime error|AddressSanitizer/.test(line) && !line.includes("moddable/xs/sources/"));
}
