// XS side of `xsight plan` (and of the builds and benches that prepare plans
// as a device's build would): loads mc/config `model` (a resource path)
// with Model.load, which compiles it and writes its plan beside it
// (docs/model-plan.md) when there is none for this board's kernels, then
// prints what it wrote:
//   #plan {"fromPlan":false,"persistentBytes":...,"arenaBytes":...,"operators":...}
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { Model } from "nn";

const path = config["model"];
if (typeof path !== "string" || path === "") throw new Error("mc/config model: expected a string");
const model = await Model.load(path);
trace(
	`#plan ${JSON.stringify({ fromPlan: model.fromPlan, persistentBytes: model.persistentBytes, arenaBytes: model.arenaBytes, operators: model.operators.length })}\n`,
);
