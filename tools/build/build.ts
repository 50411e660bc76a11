// Builds what the host simulator board runs: the C program (make: XS, the
// port, native libraries and bindings), the app's TypeScript (tsc, with
// source maps) and the native modules' declarations, laid out by specifier.
// Each stage runs only when something it reads changed, and then says so.
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nativeModules, readManifest, type Manifest } from "./manifest";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

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

/**
 * What each stage of the build reads (files, or folders taken whole) and
 * writes, from the repo root. A stage runs only when its inputs or its outputs
 * differ from what they were after its last success, so an up-to-date build
 * starts no compiler. The inputs are wider than the stages need: a change
 * there costs a rebuild, a file left out would cost a stale build.
 */
const XS_DIR = "node_modules/@agoric/xsnap/moddable/xs";
const STAGES: Record<"c" | "modules", { inputs: string[]; only?: RegExp; outputs: string[] }> = {
	c: {
		inputs: ["Makefile", "boards", "host-sim", "native", "tools/build/gen-hosts.sh", `${XS_DIR}/sources`, `${XS_DIR}/includes`, `${XS_DIR}/platforms`],
		outputs: ["build/host/xsight-sim"],
	},
	modules: {
		inputs: ["tsconfig.json", "manifest.json", "modules", "test/xs", "native", "boards", "node_modules/@moddable/typings", "node_modules/@noble", "node_modules/@tsconfig/strictest", "node_modules/typescript/package.json"],
		only: /\.(ts|js|json)$/,
		outputs: ["build/host/tsc", "build/host/natives"],
	},
};
type Stage = keyof typeof STAGES;
const STAMP = "build/host/stamp.json";

/** The files under the paths (those whose names match `only`), by name, modification time and size, hashed. */
function fingerprint(paths: readonly string[], only = /$/): string {
	const hash = createHash("sha1");
	for (const relative of paths) {
		const stat = statSync(path.join(repoRoot, relative), { throwIfNoEntry: false });
		if (!stat) hash.update(`${relative} missing\n`);
		else if (!stat.isDirectory()) hash.update(`${relative} ${stat.mtimeMs} ${stat.size}\n`);
		else
			for (const name of readdirSync(path.join(repoRoot, relative), { recursive: true, encoding: "utf8" }).sort()) {
				const file = path.join(relative, name);
				const s = statSync(path.join(repoRoot, file), { throwIfNoEntry: false });
				if (s?.isFile() && only.test(file)) hash.update(`${file} ${s.mtimeMs} ${s.size}\n`);
			}
	}
	return hash.digest("hex");
}

function readStamp(): Partial<Record<Stage, { inputs: string; outputs: string }>> {
	try {
		return JSON.parse(readFileSync(path.join(repoRoot, STAMP), "utf8")) as ReturnType<typeof readStamp>;
	} catch {
		return {}; // none yet, or unreadable: every stage runs
	}
}

/** Run a stage unless it is up to date; its stamp is written only when it succeeded. */
async function stage(name: Stage, build: () => Promise<void> | void): Promise<void> {
	// The inputs as they were before the build: one edited during it is seen next time.
	const inputs = fingerprint(STAGES[name].inputs, STAGES[name].only);
	const kept = readStamp()[name];
	if (kept?.inputs === inputs && kept.outputs === fingerprint(STAGES[name].outputs)) return;
	await build();
	const stamp = { ...readStamp(), [name]: { inputs, outputs: fingerprint(STAGES[name].outputs) } };
	writeFileSync(path.join(repoRoot, STAMP), `${JSON.stringify(stamp, null, 1)}\n`);
}

function log(text: string): void {
	process.stderr.write(`xsight: ${text}\n`);
}

/** A command make runs that writes a file (-o): a compile or a link; what progress counts. */
const STEP = /\s-o\s/;

/** A step in a few words: the file it compiles, or what it links. */
function stepLabel(command: string): string {
	const words = command.trim().split(/\s+/);
	return words.includes("-c") ? (words[words.length - 1] ?? command) : `link ${words[words.indexOf("-o") + 1]}`;
}

/**
 * make, with its progress: the compiles and links it starts, counted against
 * those of a dry run (make -n); on a terminal one line rewritten per step,
 * otherwise a line every 10%. Nothing at all when make has nothing to do.
 */
async function make(what: string, args: string[]): Promise<void> {
	const dry = spawnSync("make", ["-n", "--no-print-directory", ...args], { cwd: repoRoot, encoding: "utf8" });
	if (dry.error) throw new Error(`make: ${dry.error.message}`);
	if (dry.status !== 0) throw new Error(`make ${args.join(" ")} failed (exit ${dry.status}): ${dry.stderr.trim()}`);
	const steps = dry.stdout.split("\n").filter((line) => STEP.test(line));
	const total = steps.length;
	if (total === 0) return;
	const compiles = steps.filter((line) => /\s-c\s/.test(line)).length;
	const link = total > compiles ? "link" : "";
	log(`building ${what}: ${compiles ? `${compiles} C file${compiles === 1 ? "" : "s"} to compile${link && ", then link"}` : `${link} only`}`);
	const terminal = process.stderr.isTTY === true;
	let started = 0;
	let shownPercent = 0;
	const progress = (command: string) => {
		started = Math.min(total, started + 1);
		const percent = Math.floor((100 * started) / total);
		const text = `[${started}/${total}] ${stepLabel(command)}`;
		if (terminal) process.stderr.write(`\r\x1b[Kxsight: ${text}`);
		else if (percent >= shownPercent + 10 || started === total) {
			shownPercent = percent - (percent % 10);
			log(`${text} (${percent}%)`);
		}
	};
	const child = spawn("make", ["--no-print-directory", `-j${Math.max(1, Math.min(4, availableParallelism()))}`, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
	let pending = "";
	child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
		const lines = (pending + chunk).split("\n");
		pending = lines.pop() ?? "";
		for (const line of lines) if (STEP.test(line)) progress(line);
	});
	const status = await new Promise<number | null>((resolve, reject) => {
		child.on("error", (error) => reject(new Error(`make: ${error.message}`)));
		child.on("close", resolve);
	});
	if (terminal) process.stderr.write("\n");
	if (status !== 0) throw new Error(`make ${args.join(" ")} failed (exit ${status})`);
}

/** Build the host board: each stage only when something it reads changed; silent when nothing did. */
export async function buildHost(): Promise<HostBuild> {
	const paths = hostBuildPaths();
	await stage("c", () => make("the host simulator (C: XS engine, port, native libraries)", ["host"]));
	await stage("modules", () => {
		const sources = ["modules", "test/xs"].flatMap((dir) => readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" })).filter((name) => name.endsWith(".ts")).length;
		log(`compiling the TypeScript modules: ${sources} files (tsc)`);
		// tsc never deletes: without this a moved or deleted module's old .js stays loadable.
		rmSync(path.join(repoRoot, "build/host/tsc"), { recursive: true, force: true });
		const tsc = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
		if (tsc.error) throw new Error(`tsc: ${tsc.error.message}`);
		if (tsc.status !== 0) {
			process.stderr.write(tsc.stdout);
			throw new Error(`tsc failed (exit ${tsc.status})`);
		}
		rmSync(paths.nativeDir, { recursive: true, force: true });
		for (const [specifier, source] of nativeModules(paths.manifest)) {
			const target = path.join(paths.nativeDir, `${specifier}.js`);
			mkdirSync(path.dirname(target), { recursive: true });
			copyFileSync(source, target);
		}
	});
	return paths;
}
