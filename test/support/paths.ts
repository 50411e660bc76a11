// Where tests find the repository and the shared data (models, photos, data
// sets) that a user's clone does not have. XSIGHT_SHARED overrides the
// default ../shared beside the repository; the C tests read it too.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import { repoRoot } from "../../tools/build/build";

export { repoRoot };
export const sharedRoot = process.env["XSIGHT_SHARED"] ?? path.resolve(repoRoot, "../shared");
/** TFLite Micro's example models in the shared data. */
export const tflmModels = path.join(sharedRoot, "models/tflm");
