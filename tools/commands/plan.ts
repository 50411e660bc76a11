// xsight plan: a model's plan (docs/model-plan.md) made ahead, for a board's
// kernels, so that the device starts from it instead of compiling the model.
// SPDX-License-Identifier: Apache-2.0
import { writeFileSync } from "node:fs";
import path from "node:path";
import { h7Board } from "../boards/h7";
import { m7Board } from "../boards/m7";
import { makePlans, PlanError, planBoards } from "../build/plan";
import { readUserFile } from "../support/files";
import { checkWritable, UsageError, type Command } from "./command";

export const plan: Command = {
	summary: "write an int8 .tflite model's plan, which Model.load starts from instead of compiling it",
	usage: `usage: xsight plan --model M.tflite [--board host|${m7Board}|${h7Board}] [--out FILE]
Compiles the model as Model.load does (parse, check, multipliers, scratch
sizes, arena plan) on XS and writes the result, its plan (docs/model-plan.md),
for the board's kernels: a plan records the kernels' rounding and DSP choice
and is refused by others. A device that finds a valid M.tflite.plan beside
M.tflite loads without parsing; without one, it compiles and writes it itself.
  --model FILE        int8 TFLite model (.tflite)
  --board NAME        host (default: the simulator's kernels), ${m7Board} or
                      ${h7Board} (the Cortex-M7's, compiled on ${m7Board} in QEMU)
  --out FILE          where to write it (default: FILE.plan beside the model)
  -h, --help          this text`,
	options: { model: { type: "string" }, board: { type: "string" }, out: { type: "string" } },
	async run(values) {
		const model = values["model"] as string | undefined;
		if (!model) throw new UsageError("--model: required");
		const board = (values["board"] as string | undefined) ?? "host";
		if (!planBoards().includes(board))
			throw new UsageError(`--board ${board}: expected ${planBoards().join(", ")}`);
		const out = (values["out"] as string | undefined) ?? `${model}.plan`;
		readUserFile(model, `--model ${model}`);
		checkWritable("--out", out);
		let bytes: Uint8Array;
		try {
			[bytes] = (await makePlans([model], board)) as [Uint8Array];
		} catch (error) {
			if (!(error instanceof PlanError)) throw error;
			process.stderr.write(`xsight plan: ${error.message}\n`);
			return error.status;
		}
		writeFileSync(out, bytes);
		process.stderr.write(
			`xsight: wrote ${path.relative(process.cwd(), out) || out} (${bytes.length} bytes, ${board}'s kernels)\n`,
		);
		return 0;
	},
};
