// xsight sim: the app on the host simulator board.
// SPDX-License-Identifier: Apache-2.0
import { statSync } from "node:fs";
import path from "node:path";
import { buildHost, repoRoot } from "../build";
import { overrideConfig } from "../manifest";
import { runOnHost } from "../run";
import type { Command } from "./command";

export const sim: Command = {
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
};
