// Every XS suite (test/xs/*.xs.ts), each case a vitest test, run on the
// host simulator board.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "vitest";
import { tflmModels } from "./support/paths";
import { visionRoot } from "./support/vision-data";
import { nnFixtures, planModels } from "./support/nn-fixtures";
import { asanProgram } from "./support/asan";
import { defineXsSuite } from "./support/xs";

await defineXsSuite("test/xs/modules.xs");
await defineXsSuite("test/xs/buffers.xs");

const root = mkdtempSync(path.join(tmpdir(), "xsight-files-"));
mkdirSync(path.join(root, "data"));
writeFileSync(
	path.join(root, "data/bytes.bin"),
	Uint8Array.from({ length: 256 }, (_, i) => i),
);
await defineXsSuite("test/xs/file.xs", { root });

if (existsSync(tflmModels)) await defineXsSuite("test/xs/tflite.xs", { root: tflmModels });
else describe.skip("test/xs/tflite.xs (needs ../shared/models/tflm)", () => test("skipped", () => {}));

await defineXsSuite("test/xs/power.xs", {
	hostArgs: ["--state", mkdtempSync(path.join(tmpdir(), "xsight-power-state-"))],
});
await defineXsSuite("test/xs/vision.xs", { root: visionRoot() });
await defineXsSuite("test/xs/nn.xs", { root: nnFixtures() });
// Again under AddressSanitizer: a buffer the binding frees while C still points into it is a report there.
await defineXsSuite("test/xs/nn.xs", { root: nnFixtures(), program: asanProgram });
const plans = planModels();
await defineXsSuite("test/xs/nn-plan.xs", { root: plans.root, config: { models: plans.models } });
await defineXsSuite("test/xs/field.xs");
