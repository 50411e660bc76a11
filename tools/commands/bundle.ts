// xsight bundle: a signed field update (docs/update-bundle.md) of a model, a
// cascade, the app's settings, with a self-test frame and what the app finds
// in it, as the host simulator computes it with the bundle's own files.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
	type Bundle,
	type BundleFile,
	type ExpectedFace,
	MAGIC,
	PREAMBLE_BYTES,
	readBundle,
	type Role,
} from "../../modules/update/bundle";
import { digest, sign, toHex } from "../../modules/update/signature";
import { repoRoot } from "../build/build";
import { readManifest } from "../build/manifest";
import { convertOpenCvXml } from "../cascade/convert";
import { readUserFile } from "../support/files";
import { makeTemp, removeTemp } from "../support/temp";
import { checkWritable, UsageError, type Command } from "./command";
import { readKeyFile } from "./keygen";

/** The bundle's bytes, signed with `secretKey`: what `readBundle` reads back. */
export function writeBundle(bundle: Bundle, secretKey: Uint8Array): Uint8Array {
	const header = {
		format: 1,
		version: bundle.version,
		files: bundle.files.map((file) => ({
			role: file.role,
			name: file.name,
			size: file.bytes.length,
			sha256: toHex(digest(file.bytes)),
		})),
		...(bundle.selfTest ? { selfTest: bundle.selfTest } : {}),
	};
	// ASCII only, so that the device reads the header a byte a character.
	const text = JSON.stringify(header).replace(
		/[^\x20-\x7e]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
	);
	return Buffer.concat([signedHeader(text, secretKey), ...bundle.files.map((file) => file.bytes)]);
}

/** The magic, the length and `text` (ASCII), then their signature: a bundle's start, before its files. */
export function signedHeader(text: string, secretKey: Uint8Array): Uint8Array {
	const signed = new Uint8Array(PREAMBLE_BYTES + text.length);
	for (let i = 0; i < MAGIC.length; i++) signed[i] = MAGIC.charCodeAt(i);
	new DataView(signed.buffer).setUint32(4, text.length, true);
	for (let i = 0; i < text.length; i++) signed[PREAMBLE_BYTES + i] = text.charCodeAt(i);
	return Buffer.concat([signed, sign(signed, secretKey)]);
}

/** A file's name on the device: its own, when it is a plain one. */
function deviceName(file: string, option: string): string {
	const name = path.basename(file);
	if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/.test(name))
		throw new UsageError(
			`${option} ${file}: the device keeps it as ${JSON.stringify(name)}: expected letters, digits, ".", "_", "-" (at most 64)`,
		);
	return name;
}

/**
 * What the field app finds in the self-test frame with the bundle's files and
 * settings: `xsight sim` on that one frame, the files in a data root of their
 * own beside the manifest's defaults.
 */
export function selfTestFaces(files: readonly BundleFile[], frame: string): ExpectedFace[] {
	const temp = makeTemp("bundle");
	try {
		const root = path.join(temp, "root");
		const manifest = readManifest(path.join(repoRoot, "manifest.json"));
		const app = { ...(manifest.config["app"] as Record<string, unknown>) };
		for (const key of ["model", "cascade"]) {
			mkdirSync(path.dirname(path.join(root, app[key] as string)), { recursive: true });
			copyFileSync(path.join(repoRoot, "resources", app[key] as string), path.join(root, app[key] as string));
		}
		for (const file of files) {
			if (file.role === "config")
				Object.assign(app, JSON.parse(Buffer.from(file.bytes).toString("utf8")) as object);
			else if (file.role !== "self-test") writeFileSync(path.join(root, file.name), file.bytes);
		}
		for (const file of files) if (file.role === "model" || file.role === "cascade") app[file.role] = file.name;
		mkdirSync(path.join(temp, "frames"));
		copyFileSync(frame, path.join(temp, "frames", "self-test.pgm"));
		const sim = spawnSync(
			process.execPath,
			[
				"--import",
				"tsx",
				path.join(repoRoot, "tools/xsight.ts"),
				"sim",
				"--root",
				root,
				"--frames",
				path.join(temp, "frames"),
				"--state",
				path.join(temp, "state"),
				"--config",
				`app=${JSON.stringify(app)}`,
				"--json",
			],
			{ encoding: "utf8", cwd: repoRoot },
		);
		if (sim.status !== 0)
			throw new Error(
				`--self-test ${frame}: the app on the host simulator failed with the bundle's files (exit ${sim.status}):\n${sim.stderr.trim()}`,
			);
		const record = (
			JSON.parse(sim.stdout) as {
				wakes: { record: { error?: string; faces: (ExpectedFace & { score?: number })[] } | null }[];
			}
		).wakes[0]?.record;
		if (!record) throw new Error(`--self-test ${frame}: the app recorded no wake`);
		if (record.error)
			throw new Error(`--self-test ${frame}: the app's wake failed with the bundle's files: ${record.error}`);
		return record.faces.map(({ x, y, width, height, smile }) => ({
			x,
			y,
			width,
			height,
			...(smile === undefined ? {} : { smile }),
		}));
	} finally {
		removeTemp(temp);
	}
}

export const bundle: Command = {
	summary: "write a signed field update of a model, a cascade and the app's settings",
	usage: `usage: xsight bundle --out U.xsb [--model M.tflite] [--cascade C.cascade|C.xml]
                     [--config app.json] [--self-test FRAME.pgm] --key KEY [--version N]
Writes one file (docs/update-bundle.md): the files, their SHA-256 hashes, a
version, the self-test frame's expected faces and smile labels (the app on the
host simulator with these files), signed with KEY's Ed25519 key. A device
installs it only when its firmware trusts KEY (config.update.publicKey), the
version is above the one it runs, every file checks and the self-test gives the
same answer.
  --model FILE        int8 .tflite, the app's new model
  --cascade FILE      a binary cascade, or OpenCV's XML (converted)
  --config FILE       JSON: settings of mc/config app that replace the device's
  --self-test FILE    a PGM frame of the app's frame size, run on the device
                      before it switches to the new files
  --key FILE          the secret key, from xsight keygen
  --version N         the bundle's version, an integer above the last one the
                      devices installed (default: the time, in seconds since 1970)
  --out FILE          the bundle to write
  -h, --help          this text`,
	options: {
		out: { type: "string" },
		model: { type: "string" },
		cascade: { type: "string" },
		config: { type: "string" },
		"self-test": { type: "string" },
		key: { type: "string" },
		version: { type: "string" },
	},
	async run(values) {
		const text = (name: string) => values[name] as string | undefined;
		const out = text("out");
		if (!out) throw new UsageError("--out: required");
		const keyFile = text("key");
		if (!keyFile) throw new UsageError("--key: required");
		if (!["model", "cascade", "config"].some((name) => text(name) !== undefined))
			throw new UsageError("nothing to update: expected --model, --cascade or --config");
		const versionText = text("version");
		const version = versionText === undefined ? Math.floor(Date.now() / 1000) : Number(versionText);
		if (!Number.isSafeInteger(version) || version < 1)
			throw new UsageError(`--version ${versionText}: expected an integer >= 1`);
		checkWritable("--out", out);
		const key = readKeyFile(keyFile, `--key ${keyFile}`);
		const files: BundleFile[] = [];
		const add = (role: Role, name: string, bytes: Uint8Array) => files.push({ role, name, bytes });
		const model = text("model");
		if (model !== undefined) add("model", deviceName(model, "--model"), readUserFile(model, `--model ${model}`));
		const cascade = text("cascade");
		if (cascade !== undefined) {
			const bytes = readUserFile(cascade, `--cascade ${cascade}`);
			if (/\.xml$/i.test(cascade))
				add(
					"cascade",
					deviceName(cascade.replace(/\.xml$/i, ".cascade"), "--cascade"),
					convertOpenCvXml(bytes.toString("utf8"), cascade),
				);
			else add("cascade", deviceName(cascade, "--cascade"), bytes);
		}
		const config = text("config");
		if (config !== undefined) {
			const bytes = readUserFile(config, `--config ${config}`);
			let json: unknown;
			try {
				json = JSON.parse(bytes.toString("utf8"));
			} catch (error) {
				throw new Error(`--config ${config}: not JSON (${(error as Error).message})`);
			}
			if (typeof json !== "object" || json === null || Array.isArray(json))
				throw new Error(`--config ${config}: expected an object of mc/config app settings`);
			add("config", "app.json", bytes);
		}
		const frame = text("self-test");
		let selfTest: Bundle["selfTest"];
		if (frame !== undefined) {
			const bytes = readUserFile(frame, `--self-test ${frame}`);
			if (!/^P5\s/.test(bytes.subarray(0, 3).toString("latin1")))
				throw new Error(`--self-test ${frame}: expected a binary PGM (P5)`);
			selfTest = { faces: selfTestFaces(files, frame) };
			add("self-test", "self-test.pgm", bytes);
		}
		const written = writeBundle({ version, files, ...(selfTest ? { selfTest } : {}) }, key.secretKey);
		readBundle(written, key.publicKey); // what a device will read: checked before it is handed out
		writeFileSync(out, written);
		process.stderr.write(
			`xsight: wrote ${out} (${written.length} bytes, version ${version}: ${files.map((f) => `${f.role} ${f.name}`).join(", ")}${selfTest ? `; the self-test expects ${selfTest.faces.length} face${selfTest.faces.length === 1 ? "" : "s"}` : ""})\n`,
		);
		return 0;
	},
};
