// vitest global setup: build the host board once, before any test runs.
// SPDX-License-Identifier: Apache-2.0
import { buildHost } from "../../tools/build";

export default function setup(): void {
	buildHost();
}
