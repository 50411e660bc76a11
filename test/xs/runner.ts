// Entry module for XS test runs: imports the suite named by mc/config's
// `test` (a module name such as "test/xs/modules.xs") and runs its cases.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { run } from "./harness";

const suite: unknown = config["test"];
if (typeof suite !== "string") throw new Error("mc/config test: expected the name of a test module");
await import(suite);
await run();
