// What a field update's checks cost on the mps2-an500 board: one Ed25519
// verification (the bundle's signature) and one SHA-256 of the smile model
// (a file's hash), timed with the board's CMSDK ticks (40 guest instructions
// each under -icount shift=0). mc/config `updateBench`: { publicKey, message,
// signature (hex), file (path) }. Prints `#bench` lines.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import Resource from "Resource";
import { digest, fromHex, verify } from "update/signature";
import { instructionsPerTick, ticks } from "xsight/ticks";

const bench = config["updateBench"] as Record<string, unknown> | undefined;
const hex = (key: string) => {
	const bytes = typeof bench?.[key] === "string" ? fromHex(bench[key]) : undefined;
	if (!bytes) throw new Error(`mc/config updateBench.${key}: expected hex`);
	return bytes;
};
const [publicKey, message, signature] = [hex("publicKey"), hex("message"), hex("signature")];
if (typeof bench?.["file"] !== "string") throw new Error("mc/config updateBench.file: expected a path");
const file = new Uint8Array(new Resource(bench["file"]));

let t0 = ticks();
const ok = verify(signature, message, publicKey);
const verifyCost = (ticks() - t0) * instructionsPerTick;
if (!ok) throw new Error("update bench: the signature does not verify");
trace(
	`#bench update-verify ${verifyCost} one Ed25519 verification (@noble/ed25519 on XS) of a ${message.length}-byte message\n`,
);
t0 = ticks();
digest(file);
trace(
	`#bench update-sha256 ${(ticks() - t0) * instructionsPerTick} SHA-256 (@noble/hashes on XS) of ${bench["file"]}, ${file.length} bytes\n`,
);
