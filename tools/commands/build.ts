// xsight build: the host board.
// SPDX-License-Identifier: Apache-2.0
import path from "node:path";
import { buildHost } from "../build";
import type { Command } from "./command";

export const buildCommand: Command = {
	summary: "build the host simulator board (C and TypeScript)",
	usage: `usage: xsight build
Compiles the XS engine, the port, the native libraries and the board (make),
and the TypeScript modules (tsc), into build/host.
  -h, --help          this text`,
	options: {},
	async run() {
		const build = buildHost();
		process.stderr.write(`xsight: built ${path.relative(process.cwd(), build.program)}\n`);
		return 0;
	},
};
