// The modules a device firmware carries, as the list tools/xsc compiles into
// flash: NAME<TAB>FILE<TAB>js|native a line. The app and the XS-side tests
// come from tsc's output (build/<board>/tsc: the board's own copy, so that a
// firmware build never rewrites files the host simulator is reading), native
// modules from the manifest, and the board's own modules from
// boards/<board>/modules/<name>.js.
// Run by the Makefile: `tsx tools/firmware-modules.ts BOARD OUT` (runs tsc first).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./build";
import { nativeModules, readManifest } from "./manifest";

function jsFiles(dir: string, base = dir): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true })
		.sort((a, b) => a.name.localeCompare(b.name))
		.flatMap((entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return jsFiles(full, base);
			return entry.name.endsWith(".js") ? [path.relative(base, full)] : [];
		});
}

export function firmwareModules(board: string): string[] {
	const tsc = path.join(repoRoot, "build", board, "tsc");
	const lines: string[] = [];
	const seen = new Set<string>();
	const add = (name: string, file: string, kind: "js" | "native") => {
		if (seen.has(name)) return; // the first source of a name wins, as in the host's module folders
		seen.add(name);
		lines.push(`${name}\t${file}\t${kind}`);
	};
	const boardModules = path.join(repoRoot, "boards", board, "modules");
	for (const file of jsFiles(boardModules)) add(file.slice(0, -3), path.join(boardModules, file), "native");
	for (const [specifier, file] of nativeModules(readManifest(path.join(repoRoot, "manifest.json")))) add(specifier, file, "native");
	for (const file of jsFiles(path.join(tsc, "modules"))) add(file.slice(0, -3), path.join(tsc, "modules", file), "js");
	for (const file of jsFiles(path.join(tsc, "test/xs"))) add(`test/xs/${file.slice(0, -3)}`, path.join(tsc, "test/xs", file), "js");
	return lines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
	const [board, out] = process.argv.slice(2);
	if (!board || !out) {
		process.stderr.write("usage: tsx tools/firmware-modules.ts BOARD OUT\n");
		process.exit(64);
	}
	if (!existsSync(path.join(repoRoot, "boards", board))) {
		process.stderr.write(`firmware-modules: no board "${board}" in boards/\n`);
		process.exit(64);
	}
	const tsc = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--outDir", path.join("build", board, "tsc")], { cwd: repoRoot, stdio: "inherit" });
	if (tsc.status !== 0) process.exit(1);
	const text = `${firmwareModules(board).join("\n")}\n`;
	// Unchanged lists keep their date, so make rebuilds nothing.
	if (!existsSync(out) || readFileSync(out, "utf8") !== text) writeFileSync(out, text);
}
