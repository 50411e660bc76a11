// What a field update's checks cost on the mps2-an500 board: one Ed25519
// verification (the bundle's signature), one SHA-256 of the smile model (a
// file's hash) and a whole install of a bundle of it, settings and a self-test
// frame (verify, hash, write the slot, check the settings, cascade and model,
// the self-test, switch),
// timed with the board's CMSDK ticks (40 guest instructions each under
// -icount shift=0). mc/config `updateBench`: { publicKey, message, signature
// (hex), file, bundle (paths) }. Prints `#bench` lines.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { Model } from "nn";
import Resource from "Resource";
import { ResultLog } from "resultlog";
import { install } from "update/install";
import { digest, fromHex, verify } from "update/signature";
import { instructionsPerTick, ticks } from "xsight/ticks";

const bench = config["updateBench"] as Record<string, unknown> | undefined;
const hex = (key: string) => {
	const bytes = typeof bench?.[key] === "string" ? fromHex(bench[key]) : undefined;
	if (!bytes) throw new Error(`mc/config updateBench.${key}: expected hex`);
	return bytes;
};
const path = (key: string) => {
	if (typeof bench?.[key] !== "string") throw new Error(`mc/config updateBench.${key}: expected a path`);
	return bench[key];
};
const [publicKey, message, signature] = [hex("publicKey"), hex("message"), hex("signature")];
const file = new Uint8Array(new Resource(path("file")));

let t0 = ticks();
const ok = verify(signature, message, publicKey);
const verifyCost = (ticks() - t0) * instructionsPerTick;
if (!ok) throw new Error("update bench: the signature does not verify");
trace(
	`#bench update-verify ${verifyCost} one Ed25519 verification (@noble/ed25519 on XS) of a ${message.length}-byte message, at boot\n`,
);
t0 = ticks();
digest(file);
trace(
	`#bench update-sha256 ${(ticks() - t0) * instructionsPerTick} SHA-256 (@noble/hashes on XS) of ${path("file")}, ${file.length} bytes\n`,
);
const bundle = new Uint8Array(new Resource(path("bundle")));
const log = new ResultLog("/update-bench.log");
t0 = ticks();
const record = await install(bundle, {
	publicKey,
	app: config["app"] as Record<string, unknown>,
	log,
	loadModel: (model) => Model.load(model),
});
const installCost = (ticks() - t0) * instructionsPerTick;
if (!record) throw new Error(`update bench: the bundle was refused: ${String(log.records().at(-1)?.payload)}`);
trace(
	`#bench update-install ${installCost} install() of a ${bundle.length}-byte bundle (the smile model, settings, a self-test frame): verify, hashes, the slot written, settings, cascade and model checked (the model's plan compiled), the self-test (a wake's look at the frame), the switch\n`,
);
log.close();
