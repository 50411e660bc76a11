#!/usr/bin/env -S node --import tsx
// xsight: the command line. `xsight --help` lists the commands; each lives in tools/commands/.
// SPDX-License-Identifier: Apache-2.0
import { parseArgs } from "node:util";
import { bench } from "./commands/bench";
import { buildCommand } from "./commands/build";
import { bundle } from "./commands/bundle";
import { cascadeCommand } from "./commands/cascade";
import { UsageError, type Command } from "./commands/command";
import { detectCommand } from "./commands/detect";
import { infer } from "./commands/infer";
import { keygen } from "./commands/keygen";
import { log } from "./commands/log";
import { monitor } from "./commands/monitor";
import { plan } from "./commands/plan";
import { run } from "./commands/run";
import { evalCommand } from "./commands/eval";
import { flash } from "./commands/flash";
import { quantizeCommand } from "./commands/quantize";
import { sim } from "./commands/sim";
import { trainCommand } from "./commands/train";
import { update } from "./commands/update";
import { endCleanly } from "./support/temp";

const EXIT_USAGE = 64;

const commands: Record<string, Command> = {
	sim,
	build: buildCommand,
	flash,
	bench,
	detect: detectCommand,
	cascade: cascadeCommand,
	infer,
	plan,
	log,
	monitor,
	run,
	train: trainCommand,
	quantize: quantizeCommand,
	eval: evalCommand,
	keygen,
	bundle,
	update,
};

function help(): string {
	const width = Math.max(...Object.keys(commands).map((name) => name.length));
	const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
	return `usage: xsight <command> [options]
Low-power vision firmware on the Moddable XS engine: face detection and int8
CNN inference for STM32H7 camera boards, with a desktop simulator.

commands:
${lines.join("\n")}

Run \`xsight <command> --help\` for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (name === undefined || name === "help" || name === "--help" || name === "-h") {
		process.stdout.write(`${help()}\n`);
		return name === undefined ? EXIT_USAGE : 0;
	}
	const command = commands[name];
	if (!command) {
		process.stderr.write(`xsight: unknown command "${name}"\n\n${help()}\n`);
		return EXIT_USAGE;
	}
	let parsed;
	try {
		parsed = parseArgs({
			args: rest,
			options: { ...command.options, help: { type: "boolean", short: "h" } },
			allowPositionals: command.positionals ?? false,
			strict: true,
		});
	} catch (error) {
		process.stderr.write(`xsight ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
		return EXIT_USAGE;
	}
	if (parsed.values["help"]) {
		process.stdout.write(`${command.usage}\n`);
		return 0;
	}
	try {
		return await command.run(parsed.values, parsed.positionals);
	} catch (error) {
		process.stderr.write(`xsight ${name}: ${(error as Error).message}\n`);
		return error instanceof UsageError ? EXIT_USAGE : 1;
	}
}

endCleanly();
process.exitCode = await main(process.argv.slice(2));
