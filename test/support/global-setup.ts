// vitest global setup: build the host board, the C tests and the sanitizer build once, before any test runs.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { buildHost, repoRoot } from "../../tools/build/build";
import { buildAsan } from "./asan";

export default async function setup(): Promise<void> {
	await buildHost();
	// The C unit-test programs too: some vitest suites compare their output with oracles.
	const make = spawnSync("make", ["-s", "-j2", "native-tests"], { cwd: repoRoot, stdio: "inherit" });
	if (make.status !== 0) throw new Error("make native-tests failed");
	// The sanitizer build the fuzz tests run on.
	buildAsan();
}
