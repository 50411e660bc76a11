// A device's files for a test's field run: a copy of resources/ of its own. A run on resources/
// itself writes the model's plan there for its board's kernels, and the next run, for other kernels
// (the host's, the M7's), refuses it and compiles the model again in its first face wake: runs that
// count a wake's work would count that too, depending on which ran before.
// SPDX-License-Identifier: Apache-2.0
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makePlans } from "../../tools/build/plan";
import { repoRoot } from "./paths";

/**
 * A copy of resources/ without any plan another run left there; with `planFor` a board ("host",
 * "mps2-an500"), the app's model's plan for that board's kernels beside it, as a built device has it;
 * with null none, so the first face wake compiles the model.
 */
export async function resourcesCopy(planFor: string | null): Promise<string> {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-resources-"));
	cpSync(path.join(repoRoot, "resources"), root, {
		recursive: true,
		filter: (source) => !/\.plan(\.new)?$/.test(source),
	});
	if (planFor !== null) {
		const model = path.join(root, "models/smile.tflite");
		writeFileSync(`${model}.plan`, (await makePlans([model], planFor))[0]!);
	}
	return root;
}
