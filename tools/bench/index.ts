// The suites `xsight bench` knows, by name. Each lives in its own file here.
// SPDX-License-Identifier: Apache-2.0
import { m7 } from "./m7";
import { power } from "./power";
import { nnBench } from "./nn";
import type { BenchSuite } from "./suite";
import { vision } from "./vision";

export const suites: Record<string, BenchSuite> = {
	m7,
	power,
	vision,
	nn: nnBench,
};
