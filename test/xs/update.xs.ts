// Field updates on XS: the signature library (@noble/ed25519 and
// @noble/hashes as the firmware carries them) against RFC 8032's and
// FIPS 180-2's published vectors, and the bundle reader.
import config from "mc/config";
import Resource from "Resource";
import { BundleError, readBundle } from "update/bundle";
import { digest, fromHex, toHex, verify } from "update/signature";
import { equal, test, throws } from "./harness";

function hex(text: string): Uint8Array {
	const bytes = fromHex(text);
	if (!bytes) throw new Error(`not hex: ${text}`);
	return bytes;
}

// RFC 8032 section 7.1, TEST 2 (one-byte message) and TEST 3 (two bytes).
const rfc = [
	{
		key: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		message: "72",
		signature:
			"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
	},
	{
		key: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		message: "af82",
		signature:
			"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
	},
];

test("RFC 8032's signatures verify", () => {
	for (const v of rfc) equal(verify(hex(v.signature), hex(v.message), hex(v.key)), true, `signature of ${v.message}`);
});

test("a changed message, signature or key does not verify", () => {
	const v = rfc[0]!;
	const message = hex(v.message);
	message[0]! ^= 1;
	equal(verify(hex(v.signature), message, hex(v.key)), false, "changed message");
	const signature = hex(v.signature);
	signature[10]! ^= 0x40;
	equal(verify(signature, hex(v.message), hex(v.key)), false, "changed signature");
	equal(verify(hex(v.signature), hex(v.message), hex(rfc[1]!.key)), false, "another key");
	equal(verify(hex(v.signature).subarray(1), hex(v.message), hex(v.key)), false, "short signature");
	equal(verify(hex(v.signature), hex(v.message), new Uint8Array(32).fill(0xff)), false, "a key off the curve");
});

test("RFC 8032's strict rules: the identity as key and R, with S = 0, verifies no message (ZIP-215 would accept it for all)", () => {
	const identity = new Uint8Array(32);
	identity[0] = 1; // y = 1, x = 0: the neutral point, of order 1
	const signature = new Uint8Array(64);
	signature.set(identity);
	equal(verify(signature, Uint8Array.of(0x72), identity), false, "a small-order key");
});

test("SHA-256 of FIPS 180-2's 'abc'", () => {
	equal(
		toHex(digest(Uint8Array.of(0x61, 0x62, 0x63))),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	);
});

// A bundle `xsight bundle` wrote (test/update.test.ts): mc/config updateTest { bundle, publicKey }.
const given = config["updateTest"] as { bundle: string; publicKey: string } | undefined;

test("a bundle from the tools reads on XS, and a flipped bit in a file is refused", () => {
	if (!given) throw new Error("mc/config updateTest: expected { bundle, publicKey }");
	const bytes = new Uint8Array(new Resource(given.bundle));
	const bundle = readBundle(bytes, hex(given.publicKey));
	equal(bundle.version, 5, "version");
	equal(
		bundle.files.map((file) => `${file.role} ${file.name} ${file.bytes.length}`).join(", "),
		"model tiny.tflite 2048, config app.json 14",
		"files",
	);
	const damaged = Uint8Array.from(bytes);
	damaged[damaged.length - 20]! ^= 1;
	const error = throws(
		() => readBundle(damaged, hex(given.publicKey)),
		/^model tiny\.tflite: its SHA-256 is not the header's$/,
	);
	equal(error instanceof BundleError, true, "a BundleError");
});
