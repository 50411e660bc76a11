// The host simulator's modules across boots: every boot is a fresh XS machine that imports
// its modules again, but a module's file is parsed once a run (until its text changes).
// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { runOnHost } from "../tools/boards/host";
import { resourcesCopy } from "./support/resources";

const build = hostBuildPaths();
const FRAMES = path.join(repoRoot, "resources/frames");
const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `xsight-${name}-`));

/** The field app on `root` for `wakes` wakes a minute apart on the built-in frames: its #wake lines and module counts. */
async function field(wakes: number, root: string) {
	const result = await runOnHost(build, {
		root,
		stats: true,
		board: ["--until", String(wakes * 60_000), "--frames", FRAMES, "--state", temp("state")],
		timeoutMs: 120_000,
	});
	expect(result.status, result.stderr).toBe(0);
	const lines = result.stdout.split("\n").filter((line) => line.startsWith("#wake "));
	const faces = lines.map((line) => JSON.stringify((JSON.parse(line.slice(6)) as { faces: unknown }).faces));
	return { faces, loads: result.stats?.moduleLoads, parses: result.stats?.moduleParses };
}

describe("modules across boots", () => {
	test("each module is parsed once a run, and every boot loads its modules again", async () => {
		// The model's plan beside it: no wake compiles the model (imports nn's compiler), in either run.
		const root = await resourcesCopy("host");
		const four = await field(4, root);
		const eight = await field(8, root);
		expect(four.faces).toHaveLength(4);
		expect(eight.faces).toHaveLength(8);
		// The second pass over the frames finds what the first did, from the same bytecode.
		expect(eight.faces.slice(4)).toEqual(four.faces);
		expect(four.parses).toBeGreaterThan(0);
		// Four more boots import their modules again (fresh module instances), but parse none.
		expect(four.loads).toBeGreaterThan(four.parses ?? Infinity);
		expect(eight.loads).toBeGreaterThan(four.loads ?? Infinity);
		expect(eight.parses).toBe(four.parses);
	}, 300_000);

	test("a module whose file changed since the last boot is parsed again", async () => {
		// Each boot rewrites its greeting module in place (same size, same file): the next boot imports the new text.
		const dir = temp("reload");
		writeFileSync(path.join(dir, "greeting.js"), 'export const greeting = "a";\n');
		writeFileSync(
			path.join(dir, "reload.js"),
			`import { File } from "file";
import { sleep } from "power";
import { greeting } from "greeting";
trace("#greeting " + greeting + "\\n");
const file = new File("greeting.js", true);
file.write('export const greeting = "' + String.fromCharCode(greeting.charCodeAt(0) + 1) + '";\\n');
file.close();
sleep({ mode: "standby", wakeAfterMs: 1000 });
`,
		);
		const result = await runOnHost(
			{ ...build, moduleDirs: [dir, ...build.moduleDirs] },
			{ main: "reload", root: dir, stats: true, board: ["--until", "2500", "--cost", "boot=1000"] },
		);
		expect(result.status, result.stderr).toBe(0);
		const greetings = result.stdout.split("\n").filter((line) => line.startsWith("#greeting "));
		expect(greetings).toEqual(["#greeting a", "#greeting b", "#greeting c"]);
		expect(result.stats?.moduleParses).toBeGreaterThanOrEqual(3 + 1);
	}, 60_000);
});
