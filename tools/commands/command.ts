// What every xsight command provides: its help text, its flags and what it does.
// SPDX-License-Identifier: Apache-2.0
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
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

/** An output file's folder, checked before the work that fills it (a long run must not end in ENOENT); nothing is created. */
export function checkWritable(option: string, file: string): void {
	const dir = path.dirname(path.resolve(file));
	if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
		throw new Error(`${option} ${file}: no such folder ${dir}`);
	if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${option} ${file}: is a folder`);
	try {
		accessSync(dir, constants.W_OK);
	} catch {
		throw new Error(`${option} ${file}: cannot write in ${dir}`);
	}
}

/** A positive number option, or its default. */
export function positiveOption(values: Record<string, unknown>, name: string, fallback: number): number {
	const text = values[name] as string | undefined;
	if (text === undefined) return fallback;
	const value = Number(text);
	if (!(value > 0 && Number.isFinite(value))) throw new UsageError(`--${name} ${text}: expected a number > 0`);
	return value;
}
