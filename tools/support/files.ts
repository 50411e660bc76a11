// Files the user names: read with an error that names the file, for the CLI's commands and what they use.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

/** A file the user named; the error names it as `label` (default: the file), a missing one plainly rather than as Node's ENOENT. */
export function readUserFile(file: string, label = file): Buffer {
	try {
		return readFileSync(file);
	} catch (error) {
		throw new Error(
			`${label}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
		);
	}
}

/**
 * Writes FILE whole or not at all: a temporary beside it, renamed over it (a rename is atomic), so
 * a run stopped or failing part way leaves the old file or none, never half of the new one.
 */
export function writeWhole(file: string, data: string | Uint8Array): void {
	const temp = `${file}.${process.pid}.tmp`;
	try {
		writeFileSync(temp, data);
		renameSync(temp, file);
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	}
}
