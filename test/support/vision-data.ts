// Data roots for the vision tests on XS: the committed cascade plus small
// generated images, laid out as the board's storage would hold them.
// SPDX-License-Identifier: Apache-2.0
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertOpenCvXml } from "../../tools/cascade/convert";
import { encodePgm } from "../../tools/support/image";
import { repoRoot } from "./paths";

export const cascadePath = path.join(repoRoot, "resources/cascades/frontalface.cascade");
/** OpenCV's LBP frontal face cascade (opencv-data); visionRoot converts it to cascades/lbp-frontalface.cascade when it is there. */
export const lbpXml = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml";
/** OpenCV's frontalface_alt2, whose weak classifiers are trees of two nodes: cascades/alt2.cascade in the root when present. */
export const alt2Xml = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";

export function visionRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), "xsight-vision-"));
	mkdirSync(path.join(root, "cascades"));
	mkdirSync(path.join(root, "data"));
	copyFileSync(cascadePath, path.join(root, "cascades/frontalface.cascade"));
	if (existsSync(lbpXml))
		writeFileSync(
			path.join(root, "cascades/lbp-frontalface.cascade"),
			convertOpenCvXml(readFileSync(lbpXml, "utf8"), lbpXml),
		);
	// A cascade of trees, when opencv-data is installed.
	if (existsSync(alt2Xml))
		writeFileSync(
			path.join(root, "cascades/alt2.cascade"),
			convertOpenCvXml(readFileSync(alt2Xml, "utf8"), alt2Xml),
		);
	const w = 300,
		h = 29;
	const ramp = Uint8Array.from({ length: w * h }, (_, i) => (3 * (i % w) + 5 * Math.floor(i / w)) & 255);
	writeFileSync(path.join(root, "data/ramp.pgm"), encodePgm({ width: w, height: h, data: ramp }));
	writeFileSync(path.join(root, "data/bad.pgm"), Buffer.concat([Buffer.from("P5\n10 8\n255\n"), Buffer.alloc(50)]));
	writeFileSync(path.join(root, "data/wide.pgm"), Buffer.from("P5\n5000 8\n255\n"));
	writeFileSync(
		path.join(root, "data/deep.pgm"),
		Buffer.concat([Buffer.from("P5\n10 8\n65535\n"), Buffer.alloc(160)]),
	);
	writeFileSync(path.join(root, "data/short.pgm"), Buffer.from("P5\n10"));
	return root;
}
