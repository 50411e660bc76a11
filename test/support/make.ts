// What make would rebuild, without building: `make -n` prints the commands it
// would run, and -W FILE asks "what if FILE had just changed" (nothing is
// touched, so tests running beside this one see no change).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../tools/build/build";

function sh(command: string): { status: number | null; stdout: string; stderr: string } {
	return spawnSync("sh", ["-c", command], { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 28 });
}

/**
 * -W matches make's names for files, and gcc names a header as it was included
 * ("native/nn/test/../src/arm_nnsupportfunctions.h"): every name in make's
 * database that is the same file as `file`.
 */
function namesOf(command: string, file: string): string[] {
	const database = sh(`${command} -p -q`).stdout;
	const want = path.resolve(repoRoot, file);
	const names = new Set([file]);
	for (const token of database.split(/[\s:|\\]+/))
		if (token.endsWith(path.basename(file)) && path.resolve(repoRoot, token) === want) names.add(token);
	return [...names];
}

/**
 * The files (each command's -o) `make target` would write now, or once `changed` has changed.
 * -W does not pass to a sub-make (make's manual), so a recursive make it would run (make
 * host-asan) is asked the same question.
 */
export function makeWouldWrite(target: string, changed?: string): string[] {
	const ask = (command: string): string[] => {
		const whatIf = changed
			? namesOf(command, changed)
					.map((name) => ` -W ${name}`)
					.join("")
			: "";
		const r = sh(`${command} -n${whatIf}`);
		if (r.status !== 0) throw new Error(`${command} -n${whatIf}: exit ${r.status}\n${r.stderr}`);
		const written = [...r.stdout.matchAll(/ -o (\S+)/g)].map((m) => m[1]!);
		for (const line of r.stdout.split("\n")) if (line.startsWith("make ")) written.push(...ask(line));
		return written;
	};
	return ask(`make ${target}`);
}
