// Every model, loaded from its plan, runs exactly as when it is compiled:
// same outputs on several inputs, same figures, same tensors. mc/config
// `models`: resource paths in a writable data root (the plan is written
// beside each). Run on the host and on the M7 (test/xs.test.ts, test/m7.test.ts).
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { File } from "file";
import { Model } from "nn";
import { assert, deepEqual, equal, test } from "./harness";

const models = config["models"] as string[];

/** The outputs of one invoke per input pattern (pattern 0: all zero bytes). */
function outputs(model: Model): number[][] {
	const all: number[][] = [];
	for (let pattern = 0; pattern < 3; pattern++) {
		for (const t of model.inputs) {
			const data = t.data;
			for (let i = 0; i < data.length; i++)
				data[i] = pattern === 0 ? 0 : (((i * (31 + pattern * 6)) ^ (pattern * 97)) % 256) - 128;
			// float32 inputs: values, not bytes.
			if (t.values !== null)
				for (let i = 0; i < t.values.length; i++) t.values[i] = ((i % 17) - 8) / (4 * pattern + 1);
		}
		model.invoke();
		for (const t of model.outputs) all.push(Array.from(t.data));
	}
	return all;
}

test("each model: a load from its plan equals a compiled load", async () => {
	assert(models.length > 0, "models to check");
	for (const path of models) {
		if (File.exists(`${path}.plan`)) File.delete(`${path}.plan`);
		const compiled = await Model.load(path);
		equal(compiled.fromPlan, false, `${path}: compiled`);
		const expected = outputs(compiled);
		const planned = await Model.load(path);
		equal(planned.fromPlan, true, `${path}: from its plan`);
		deepEqual(outputs(planned), expected, `${path}: outputs`);
		equal(planned.arenaBytes, compiled.arenaBytes, `${path}: arenaBytes`);
		equal(planned.macs, compiled.macs, `${path}: macs`);
		deepEqual(planned.operators, compiled.operators, `${path}: operators`);
		equal(planned.lastOperator, planned.operators.at(-1)?.name ?? "", `${path}: the last operator's name alone`);
		equal(compiled.lastOperator, compiled.operators.at(-1)?.name ?? "", `${path}: and the compiled model's`);
		deepEqual(
			planned.outputs.map((t) => [t.name, t.type, t.shape, t.scale, t.zeroPoint]),
			compiled.outputs.map((t) => [t.name, t.type, t.shape, t.scale, t.zeroPoint]),
			`${path}: output tensors`,
		);
		trace(`# ${path}: plan ${planned.persistentBytes} bytes, ${planned.operators.length} ops, outputs equal\n`);
	}
});
