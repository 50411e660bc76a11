// Files the user names: read with an error that names the file, for the CLI's commands and what they use.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";

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
