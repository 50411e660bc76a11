// What every xsight command provides: its help text, its flags and what it does.
// SPDX-License-Identifier: Apache-2.0
import type { ParseArgsConfig } from "node:util";

export interface Command {
	summary: string;
	usage: string;
	options: NonNullable<ParseArgsConfig["options"]>;
	/** Positional arguments are allowed only when this is set. */
	positionals?: boolean;
	run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/** The command line itself is wrong (a missing option, a value of the wrong form or out of range): xsight exits 64. */
export class UsageError extends Error {}
