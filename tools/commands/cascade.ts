// xsight cascade: tools for Haar and LBP cascades (OpenCV XML -> xsight's binary format).
// SPDX-License-Identifier: Apache-2.0
import { writeFileSync } from "node:fs";
import { convertOpenCvXml, FEATURE_LBP, HEADER_SIZE, STAGE_SIZE } from "../cascade/convert";
import { readUserFile } from "../support/files";
import { checkWritable, UsageError, type Command } from "./command";

export const cascadeCommand: Command = {
	summary: "convert OpenCV Haar or LBP cascade XML to the binary cascade format",
	usage: `usage: xsight cascade convert IN.xml OUT.cascade
Converts an OpenCV Haar cascade (current or old XML layout) or LBP cascade
(featureType LBP) into xsight's binary cascade ("XSHC", docs/cascade-format.md),
which the detector reads in place. Tilted features, Haar trees of more than 16
nodes (or with child nodes in the old layout) and non-integer weights are
rejected with the element at fault.
  -h, --help            this text`,
	options: {},
	positionals: true,
	async run(_values, positionals) {
		const [verb, input, output, ...extra] = positionals;
		if (verb !== "convert" || input === undefined || output === undefined || extra.length > 0)
			throw new UsageError(`expected: convert IN.xml OUT.cascade (got: ${positionals.join(" ") || "nothing"})`);
		checkWritable("OUT.cascade", output);
		const bin = convertOpenCvXml(readUserFile(input).toString("utf8"), input);
		writeFileSync(output, bin);
		const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
		const lbp = dv.getUint16(14, true) === FEATURE_LBP;
		const stages = dv.getUint16(12, true),
			nodes = dv.getUint32(16, true);
		// The weak classifier table holds tree nodes (LBP's: stumps); the stages count the trees.
		let trees = 0;
		for (let s = 0; s < stages; s++) trees += dv.getUint16(HEADER_SIZE + STAGE_SIZE * s, true);
		process.stdout.write(
			`${output}: ${lbp ? "LBP" : "Haar"}, ${dv.getUint16(8, true)}x${dv.getUint16(10, true)} window, ${stages} stages, ` +
				`${trees} weak classifiers${trees === nodes ? "" : ` (trees of ${nodes} nodes)`}, ${dv.getUint32(20, true)} ${lbp ? "features" : "rects"}, ${bin.length} bytes\n`,
		);
		return 0;
	},
};
