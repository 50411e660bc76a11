// The CLI's writes of the files a user asked for (tools/support/files.ts).
// SPDX-License-Identifier: Apache-2.0
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { writeWhole } from "../tools/support/files";

test("writeWhole puts a new file in place of the old by a rename, and a write that fails leaves no temporary behind", () => {
	const dir = mkdtempSync(path.join(tmpdir(), "xsight-write-whole-"));
	const file = path.join(dir, "model.tflite");
	writeFileSync(file, "old");
	// Another name for the old file, as a reader that has it open: a new file takes the name, the
	// old one is never written into (a write in place, stopped part way, would leave half of each).
	const held = path.join(dir, "held");
	linkSync(file, held);
	writeWhole(file, Uint8Array.of(1, 2, 3));
	expect([...readFileSync(file)]).toEqual([1, 2, 3]);
	expect(readFileSync(held, "utf8")).toBe("old");
	expect(readdirSync(dir).sort()).toEqual(["held", "model.tflite"]);
	// A folder in the way: the temporary is written, the rename over the folder fails.
	const taken = path.join(dir, "card.md");
	mkdirSync(taken);
	writeFileSync(path.join(taken, "inside"), "");
	expect(() => writeWhole(taken, "text")).toThrow(/card\.md/);
	expect(readdirSync(dir).sort()).toEqual(["card.md", "held", "model.tflite"]);
	expect(readdirSync(taken)).toEqual(["inside"]);
});
