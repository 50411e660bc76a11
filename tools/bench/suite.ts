// A benchmark suite of `xsight bench`: measures, then prints a report (never asserts a time).
// SPDX-License-Identifier: Apache-2.0

export interface BenchOptions {
	/** Repetitions per measurement; the report gives the median. */
	runs: number;
	/** Print machine-readable JSON instead of the table. */
	json: boolean;
}

export interface BenchSuite {
	summary: string;
	run(options: BenchOptions): Promise<void>;
}
