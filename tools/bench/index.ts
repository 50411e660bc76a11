// The suites `xsight bench` knows, by name. Each lives in its own file here.
// SPDX-License-Identifier: Apache-2.0
import { power } from "./power";
import { nnBench } from "./nn";
import type { BenchSuite } from "./suite";
import { vision } from "./vision";

export const suites: Record<string, BenchSuite> = {
	power,
	vision,
	nn: nnBench,
};
