// SPDX-License-Identifier: Apache-2.0
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		exclude: ["test/fixtures/**", "node_modules/**"],
		globalSetup: ["test/support/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 600_000,
	},
});
