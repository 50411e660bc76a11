// A device's files for a test's field run, in a folder of its own: what a built device holds
// (tools/build/plan.ts prepareStore). A run on resources/ itself writes the model's plan there for its
// board's kernels, and the next run, for other kernels (the host's, the M7's), refuses it and
// compiles the model again in its first face wake: runs that count a wake's work would count that
// too, depending on which ran before.
// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareStore } from "../../tools/build/plan";

/**
 * The app's cascades and model from resources/; with `planFor` a board ("host", "mps2-an500"), the
 * model's plan for that board's kernels beside it, as a built device has it; with null none, so the
 * first face wake compiles the model.
 */
export async function resourcesCopy(planFor: string | null): Promise<string> {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-resources-"));
	await prepareStore(root, planFor);
	return root;
}
