// The C test programs print TAP (native/test/unit.h): each "ok"/"not ok" line
// becomes a vitest case, the "# " lines before a failure its message. A case
// marked "# SKIP reason" is reported as skipped, never as passed.
// SPDX-License-Identifier: Apache-2.0
import { describe, test } from "vitest";

export interface TapCase {
	name: string;
	status: "ok" | "not ok" | "skip";
	/** The diagnostics printed before a failure, or the reason of a skip. */
	detail: string;
}

export function parseTap(stdout: string): TapCase[] {
	const cases: TapCase[] = [];
	let diagnostics: string[] = [];
	for (const line of stdout.split("\n")) {
		if (line.startsWith("# ")) diagnostics.push(line.slice(2));
		const match = /^(ok|not ok) \d+ - (.*?)(?:\s+#\s*skip\b\s*(.*))?$/i.exec(line);
		if (!match) continue;
		const skipped = match[3] !== undefined && match[1] === "ok";
		cases.push({
			name: match[2]!,
			status: skipped ? "skip" : (match[1] as "ok" | "not ok"),
			detail: skipped ? match[3]! : diagnostics.join("\n"),
		});
		diagnostics = [];
	}
	return cases;
}

/** One program's run as a describe block: a case per TAP line, and one that it exited 0 after its plan. */
export function tapCases(
	title: string,
	result: { status: number | null; signal?: string | null; stdout: string; stderr: string },
): void {
	describe(title, () => {
		for (const c of parseTap(result.stdout)) {
			if (c.status === "skip") test.skip(`${c.name} (skipped: ${c.detail})`, () => {});
			else
				test(c.name, () => {
					if (c.status !== "ok") throw new Error(c.detail || "failed");
				});
		}
		test("the program ran to its end", () => {
			if (result.status !== 0 || !/^1\.\.\d+$/m.test(result.stdout))
				throw new Error(`exit ${result.status}${result.signal ? ` (${result.signal})` : ""}\n${result.stderr}`);
		});
	});
}
