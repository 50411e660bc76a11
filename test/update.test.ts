// Signed field updates (issue 21): the signature library on XS, on the host
// simulator and on the Cortex-M7.
// SPDX-License-Identifier: Apache-2.0
import { describe, test } from "vitest";
import { buildM7, m7Board, missingM7Tools } from "../tools/boards/m7";
import { defineXsSuite } from "./support/xs";

await defineXsSuite("test/xs/update.xs");

if (missingM7Tools().length > 0)
	describe.skip(`test/xs/update.xs on ${m7Board} (needs ${missingM7Tools().join(" and ")})`, () =>
		test("skipped", () => {}));
else {
	buildM7({ quiet: true });
	await defineXsSuite("test/xs/update.xs", { board: m7Board });
}
