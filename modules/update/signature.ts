// Ed25519 and SHA-256 for field updates, from the audited pure-JavaScript
// @noble/ed25519 and @noble/hashes (BigInt arithmetic, no host code): the
// firmware carries them as modules (manifest.json names their files), and
// the tools sign with the same two, so one implementation is on both ends.
// SPDX-License-Identifier: Apache-2.0
import * as ed from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";

// @noble/ed25519 leaves its SHA-512 to the caller; set once, before any use.
ed.hashes.sha512 = sha512;

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/**
 * Whether `signature` is `publicKey`'s Ed25519 signature of `message`, by
 * RFC 8032's strict rules (no ZIP-215 leniency: a non-canonical point or a
 * small-order key is refused, so a signature has exactly one encoding).
 * A key or signature of the wrong length is false, not an exception.
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
	if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
	try {
		return ed.verify(signature, message, publicKey, { zip215: false });
	} catch {
		return false; // a key that is not a point of the curve
	}
}

/** `secretKey`'s (32 random bytes) Ed25519 signature of `message`: the tools sign, a device only verifies. */
export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
	return ed.sign(message, secretKey);
}

/** The public key of `secretKey`. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
	return ed.getPublicKey(secretKey);
}

/** SHA-256 of `bytes`. */
export function digest(bytes: Uint8Array): Uint8Array {
	return sha256(bytes);
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
	let text = "";
	for (const byte of bytes) text += (byte < 16 ? "0" : "") + byte.toString(16);
	return text;
}

/** The bytes of a hex string, or undefined when it is not one (odd length, another character). */
export function fromHex(text: string): Uint8Array | undefined {
	if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
	const bytes = new Uint8Array(text.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
	return bytes;
}
