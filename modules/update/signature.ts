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

const B = ed.Point.BASE;
/** 2B: a point the library multiplies without its base-point table (below). */
const TWO_B = B.double();
const L = ed.Point.CURVE().n;

/** A little-endian integer's value. */
function numberLE(bytes: Uint8Array): bigint {
	let value = 0n;
	for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
	return value;
}

/**
 * Whether `signature` is `publicKey`'s Ed25519 signature of `message`, by
 * RFC 8032's strict rules (no ZIP-215 leniency: a non-canonical point or a
 * small-order key is refused, so a signature has exactly one encoding).
 * A key or signature of the wrong length is false, not an exception.
 *
 * The library's own verification (its strict branch, `ed.verify(..., { zip215: false })`), step for step
 * in its own point arithmetic: R and A decoded canonically, S below L, a small-order A refused,
 * k = SHA-512(R || A || M) mod L, and the cofactored equation [8]([S]B - R - [k]A) = 0. One step is
 * made differently: the library's [S]B first builds a table of 4,224 multiples of B (4,224 point
 * additions, and 2 MB of XS heap: four times the STM32H743's), which pays only over many
 * verifications; a device verifies one bundle a boot, so here [S]B = [S >> 1](2B) + (S & 1)B, by the
 * library's double-and-add for a point that is not B (about 380 point operations, no table).
 * test/update.test.ts holds it to ed.verify on valid, altered and non-canonical signatures and keys.
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
	if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
	const r = signature.subarray(0, PUBLIC_KEY_BYTES);
	let A: ed.Point, R: ed.Point;
	try {
		A = ed.Point.fromBytes(publicKey, false);
		R = ed.Point.fromBytes(r, false);
	} catch {
		return false; // a key or R that is not a point of the curve, or not in its one encoding
	}
	const S = numberLE(signature.subarray(PUBLIC_KEY_BYTES));
	if (S >= L || A.isSmallOrder()) return false;
	const hashed = new Uint8Array(2 * PUBLIC_KEY_BYTES + message.length);
	hashed.set(r, 0);
	hashed.set(publicKey, PUBLIC_KEY_BYTES);
	hashed.set(message, 2 * PUBLIC_KEY_BYTES);
	const k = numberLE(sha512(hashed)) % L;
	const SB = (S & 1n) === 1n ? TWO_B.multiply(S >> 1n, false).add(B) : TWO_B.multiply(S >> 1n, false);
	return R.add(A.multiply(k, false)).subtract(SB).clearCofactor().is0();
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
