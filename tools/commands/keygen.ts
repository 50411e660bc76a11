// xsight keygen: the Ed25519 key pair that signs field updates. The secret
// key stays with whoever makes bundles; the public key goes into the
// device's firmware (manifest.json config.update.publicKey).
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { fromHex, publicKeyOf, toHex } from "../../modules/update/signature";
import { readUserFile } from "../support/files";
import { checkWritable, UsageError, type Command } from "./command";

/** What KEY holds: JSON, the secret key and its public key in hex. */
export interface KeyFile {
	type: "xsight-update-ed25519";
	secretKey: string;
	publicKey: string;
}

/** The secret key of a KEY file, checked against the public key beside it; errors name the file and field. */
export function readKeyFile(file: string, label: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
	let json: Partial<KeyFile>;
	try {
		json = JSON.parse(readUserFile(file, label).toString("utf8")) as Partial<KeyFile>;
	} catch (error) {
		throw new Error(`${label}: ${(error as Error).message.replace(`${label}: `, "")}`);
	}
	if (json?.type !== "xsight-update-ed25519")
		throw new Error(`${label}: type: expected "xsight-update-ed25519" (a file from xsight keygen)`);
	const secretKey =
		typeof json.secretKey === "string" && json.secretKey.length === 64 ? fromHex(json.secretKey) : undefined;
	if (!secretKey) throw new Error(`${label}: secretKey: expected 64 hex digits`);
	const publicKey = publicKeyOf(secretKey);
	if (json.publicKey !== toHex(publicKey)) throw new Error(`${label}: publicKey: not the secret key's`);
	return { secretKey, publicKey };
}

export const keygen: Command = {
	summary: "make the Ed25519 key pair that signs field updates (xsight bundle)",
	usage: `usage: xsight keygen --out KEY
Writes KEY (JSON: the secret and public keys, readable by you alone) and
KEY.pub (the public key). Keep KEY secret: whoever has it can update every
device that trusts it. The device trusts the public key in its firmware:
manifest.json's config.update.publicKey, printed here.
  --out FILE          the key file to write (refused when it exists)
  -h, --help          this text`,
	options: { out: { type: "string" } },
	async run(values) {
		const out = values["out"] as string | undefined;
		if (!out) throw new UsageError("--out: required");
		checkWritable("--out", out);
		// A key overwritten is every device that trusted it lost to updates.
		for (const file of [out, `${out}.pub`])
			if (existsSync(file)) throw new Error(`--out ${out}: ${file} exists; not replacing a key`);
		const secretKey = randomBytes(32);
		const publicKey = toHex(publicKeyOf(secretKey));
		const key: KeyFile = { type: "xsight-update-ed25519", secretKey: toHex(secretKey), publicKey };
		writeFileSync(out, `${JSON.stringify(key, null, 1)}\n`, { mode: 0o600 });
		writeFileSync(`${out}.pub`, `${publicKey}\n`);
		process.stdout.write(`${JSON.stringify({ update: { publicKey } })}\n`);
		process.stderr.write(
			`xsight: wrote ${out} (secret) and ${out}.pub; the device's manifest.json config needs the line above\n`,
		);
		return 0;
	},
};
