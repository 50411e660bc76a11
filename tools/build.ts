// Builds what the host simulator board runs: the C program (make: XS, the
// port, native libraries and bindings), the app's TypeScript (tsc, with
// source maps) and the native modules' declarations, laid out by specifier.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nativeModules, readManifest, type Manifest } from "./manifest";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface HostBuild {
	/** The simulator program. */
	program: string;
	/** tsc's output for modules/ (the app) and for the repo (tests by their path). */
	moduleDirs: string[];
	/** Native modules' declarations, by specifier. */
	nativeDir: string;
	manifest: Manifest;
}

export function hostBuildPaths(manifest = readManifest(path.join(repoRoot, "manifest.json"))): HostBuild {
	const out = path.join(repoRoot, "build/host");
	return {
		program: path.join(out, "xsight-sim"),
		moduleDirs: [path.join(out, "tsc/modules"), path.join(out, "tsc")],
		nativeDir: path.join(out, "natives"),
		manifest,
	};
}

function run(command: string, args: string[], what: string, quiet: boolean): void {
	const result = spawnSync(command, args, { cwd: repoRoot, stdio: ["ignore", quiet ? "pipe" : "inherit", "inherit"], encoding: "utf8" });
	if (result.error) throw new Error(`${what}: ${result.error.message}`);
	if (result.status !== 0) {
		if (quiet && result.stdout) process.stderr.write(result.stdout);
		throw new Error(`${what} failed (exit ${result.status})`);
	}
}

/** Build the host board; incremental, so a second call costs a make and a tsc check. */
export function buildHost(options: { quiet?: boolean } = {}): HostBuild {
	const quiet = options.quiet ?? false;
	const paths = hostBuildPaths();
	const log = (text: string) => {
		if (!quiet) process.stderr.write(`xsight: ${text}\n`);
	};
	log("building the host simulator (C: XS engine, port, native libraries)");
	const jobs = String(Math.max(1, Math.min(4, availableParallelism())));
	run("make", ["-s", `-j${jobs}`, "host"], "make host", quiet);
	log("compiling TypeScript modules (tsc)");
	run(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], "tsc", quiet);
	rmSync(paths.nativeDir, { recursive: true, force: true });
	for (const [specifier, source] of nativeModules(paths.manifest)) {
		const target = path.join(paths.nativeDir, `${specifier}.js`);
		mkdirSync(path.dirname(target), { recursive: true });
		copyFileSync(source, target);
	}
	return paths;
}
