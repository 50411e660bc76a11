// A field update's bundle (docs/update-bundle.md): one file holding new
// files for the device (a model, a cascade, the app's settings, a self-test
// frame), their SHA-256 hashes, a version that only grows and the self-test's
// expected result, all signed with Ed25519. This is the reader, run by the
// device before it writes anything and by the tools that make bundles; it
// trusts nothing in the bytes until the signature says who wrote them.
// SPDX-License-Identifier: Apache-2.0
import { digest, fromHex, SIGNATURE_BYTES, toHex, verify } from "./signature";

export const MAGIC = "XSB1";
/** Magic and header length (u32, little-endian), then the header. */
export const PREAMBLE_BYTES = 8;
/** Far past any real header; a longer one is refused before it is read. */
export const MAX_HEADER_BYTES = 16384;
export const ROLES = ["model", "cascade", "config", "self-test"] as const;
export type Role = (typeof ROLES)[number];

export interface ExpectedFace {
	x: number;
	y: number;
	width: number;
	height: number;
	/** Absent when the bundle's settings give no model to score with. */
	smile?: boolean;
}

export interface BundleFile {
	role: Role;
	/** A plain file name (letters, digits, ".", "_", "-"), where the device keeps it. */
	name: string;
	bytes: Uint8Array;
}

export interface Bundle {
	version: number;
	files: BundleFile[];
	/** What the app finds in the self-test frame with the bundle's files; present with a "self-test" file. */
	selfTest?: { faces: ExpectedFace[] };
}

/** A bundle refused: the message says why (it goes to the results log as it is). */
export class BundleError extends Error {
	override name = "BundleError";
}

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function integer(value: unknown, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
		throw new BundleError(
			`header ${where}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
		);
	return value;
}

/** The header's bytes and the signature's: the part of a bundle that its signature covers is bytes [0, signed). */
function layout(bytes: Uint8Array): { headerBytes: Uint8Array; signed: number; signature: Uint8Array } {
	if (bytes.length < PREAMBLE_BYTES) throw new BundleError(`truncated: ${bytes.length} bytes, no header`);
	for (let i = 0; i < MAGIC.length; i++)
		if (bytes[i] !== MAGIC.charCodeAt(i)) throw new BundleError(`not a bundle: it does not start with ${MAGIC}`);
	const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
	if (length > MAX_HEADER_BYTES) throw new BundleError(`header of ${length} bytes: more than ${MAX_HEADER_BYTES}`);
	const signed = PREAMBLE_BYTES + length;
	if (bytes.length < signed + SIGNATURE_BYTES)
		throw new BundleError(
			`truncated: ${bytes.length} bytes, the header and signature need ${signed + SIGNATURE_BYTES}`,
		);
	return {
		headerBytes: bytes.subarray(PREAMBLE_BYTES, signed),
		signed,
		signature: bytes.subarray(signed, signed + SIGNATURE_BYTES),
	};
}

function readHeader(text: string): {
	version: number;
	files: { role: Role; name: string; size: number; sha256: Uint8Array }[];
	selfTest?: { faces: ExpectedFace[] };
} {
	let header: unknown;
	try {
		header = JSON.parse(text);
	} catch (error) {
		throw new BundleError(`header: not JSON (${(error as Error).message})`);
	}
	if (!isObject(header)) throw new BundleError("header: expected an object");
	if (header["format"] !== 1)
		throw new BundleError(`header format: expected 1, got ${JSON.stringify(header["format"])}`);
	const version = integer(header["version"], "version", 1);
	const list = header["files"];
	if (!Array.isArray(list) || list.length === 0)
		throw new BundleError("header files: expected a list of at least one file");
	const files = list.map((file: unknown, i) => {
		const where = `files[${i}]`;
		if (!isObject(file)) throw new BundleError(`header ${where}: expected an object`);
		const role = file["role"];
		if (!ROLES.includes(role as Role))
			throw new BundleError(
				`header ${where}.role: expected one of ${ROLES.join(", ")}, got ${JSON.stringify(role)}`,
			);
		const name = file["name"];
		if (typeof name !== "string" || !NAME.test(name))
			throw new BundleError(`header ${where}.name: expected a plain file name, got ${JSON.stringify(name)}`);
		const sha256 =
			typeof file["sha256"] === "string" && file["sha256"].length === 64 ? fromHex(file["sha256"]) : undefined;
		if (!sha256) throw new BundleError(`header ${where}.sha256: expected 64 hex digits`);
		return { role: role as Role, name, size: integer(file["size"], `${where}.size`, 0, 0x7fffffff), sha256 };
	});
	for (const role of ROLES)
		if (files.filter((file) => file.role === role).length > 1)
			throw new BundleError(`header files: more than one ${role}`);
	for (let i = 1; i < files.length; i++)
		if (files.slice(0, i).some((file) => file.name === files[i]!.name))
			throw new BundleError(`header files[${i}].name: ${files[i]!.name} twice`);
	const hasFrame = files.some((file) => file.role === "self-test");
	const selfTest = header["selfTest"];
	if (!hasFrame) {
		if (selfTest !== undefined) throw new BundleError("header selfTest: a result without a self-test frame");
		return { version, files };
	}
	if (!isObject(selfTest) || !Array.isArray(selfTest["faces"]))
		throw new BundleError("header selfTest: expected { faces: [...] } with the self-test frame");
	const faces = selfTest["faces"].map((face: unknown, i) => {
		const where = `selfTest.faces[${i}]`;
		if (!isObject(face)) throw new BundleError(`header ${where}: expected an object`);
		const box: ExpectedFace = {
			x: integer(face["x"], `${where}.x`, 0),
			y: integer(face["y"], `${where}.y`, 0),
			width: integer(face["width"], `${where}.width`, 1),
			height: integer(face["height"], `${where}.height`, 1),
		};
		if (face["smile"] !== undefined) {
			if (typeof face["smile"] !== "boolean")
				throw new BundleError(`header ${where}.smile: expected true or false`);
			box.smile = face["smile"];
		}
		return box;
	});
	return { version, files, selfTest: { faces } };
}

/**
 * The bundle in `bytes`, when `publicKey` signed it and every file is whole
 * and has its hash; otherwise a BundleError saying what is wrong. The files
 * are views of `bytes`, not copies.
 */
export function readBundle(bytes: Uint8Array, publicKey: Uint8Array): Bundle {
	const { headerBytes, signed, signature } = layout(bytes);
	if (!verify(signature, bytes.subarray(0, signed), publicKey))
		throw new BundleError("signature: not signed by this device's key");
	let text = "";
	for (const byte of headerBytes) text += String.fromCharCode(byte); // the bundle writer keeps the header ASCII
	const header = readHeader(text);
	let offset = signed + SIGNATURE_BYTES;
	const expected = header.files.reduce((sum, file) => sum + file.size, offset);
	if (bytes.length < expected) throw new BundleError(`truncated: ${bytes.length} bytes, the files need ${expected}`);
	if (bytes.length > expected) throw new BundleError(`${bytes.length - expected} bytes after the last file`);
	const files = header.files.map((file) => {
		const contents = bytes.subarray(offset, offset + file.size);
		offset += file.size;
		if (toHex(digest(contents)) !== toHex(file.sha256))
			throw new BundleError(`${file.role} ${file.name}: its SHA-256 is not the header's`);
		return { role: file.role, name: file.name, bytes: contents };
	});
	return header.selfTest
		? { version: header.version, files, selfTest: header.selfTest }
		: { version: header.version, files };
}
