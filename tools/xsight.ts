#!/usr/bin/env -S node --import tsx
// xsight: the command line. `xsight --help` lists the commands.
// SPDX-License-Identifier: Apache-2.0
import { statSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { buildHost, repoRoot } from "./build";
import { overrideConfig } from "./manifest";
import { runOnHost } from "./run";

const EXIT_USAGE = 64;

interface Command {
	summary: string;
	usage: string;
	options: NonNullable<ParseArgsConfig["options"]>;
	run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
	sim: {
		summary: "run the field app on the host simulator board",
		usage: `usage: xsight sim [options]
Builds what is needed, then runs the app (manifest creation.main) on the XS
engine on this computer.
  --root DIR          data root the app's files are read from (default: resources/)
  --config KEY=VALUE  override an mc/config value (repeatable; dotted keys, JSON values)
  --main MODULE       run another module instead of the manifest's main
  --stats             print the XS heap in use when the app ends
  -h, --help          this text`,
		options: {
			root: { type: "string" },
			config: { type: "string", multiple: true },
			main: { type: "string" },
			stats: { type: "boolean" },
		},
		async run(values) {
			const root = path.resolve((values["root"] as string | undefined) ?? path.join(repoRoot, "resources"));
			if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--root ${root}: no such folder`);
			const build = buildHost();
			const config = overrideConfig(build.manifest.config, (values["config"] as string[] | undefined) ?? []);
			const main = values["main"] as string | undefined;
			const result = await runOnHost(build, {
				...(main ? { main } : {}),
				config,
				root,
				stats: values["stats"] === true,
				echo: true,
				timeoutMs: 24 * 3600_000,
			});
			if (result.stats) {
				const heap = result.stats.chunks + result.stats.slots * result.stats.slotSize;
				process.stderr.write(
					`xsight: XS heap in use ${heap} bytes (chunks ${result.stats.chunks}, ${result.stats.slots} slots of ${result.stats.slotSize}); peak ${result.stats.peakChunks + result.stats.peakSlots * result.stats.slotSize}\n`,
				);
			}
			return result.status;
		},
	},
	build: {
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
	},
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
		parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: false, strict: true });
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
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
