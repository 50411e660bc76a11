// Signed field updates (issue 21): the signature library on XS (on the host
// simulator and on the Cortex-M7), xsight keygen and xsight bundle, and the
// bundle reader against damaged and hostile bundles.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
	copyFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { type Bundle, BundleError, readBundle } from "../modules/update/bundle";
import * as ed from "@noble/ed25519";
import { publicKeyOf, sign, verify } from "../modules/update/signature";
import { buildM7, m7Board, missingM7Tools } from "../tools/boards/m7";
import { hostBuildPaths, repoRoot } from "../tools/build/build";
import { hostArgs } from "../tools/boards/host";
import { selfTestFaces, signedHeader, writeBundle } from "../tools/commands/bundle";
import { resourcesCopy } from "./support/resources";
import { defineXsSuite } from "./support/xs";

function xsight(...args: string[]) {
	const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
	return spawnSync(process.execPath, [tsx, path.join(repoRoot, "tools/xsight.ts"), ...args], {
		cwd: repoRoot,
		encoding: "utf8",
	});
}

const frames = path.join(repoRoot, "resources/frames");
const smileModel = readFileSync(path.join(repoRoot, "resources/models/smile.tflite"));

// The XS suite's bundle: small files, so that hashing them costs the M7 little.
const xsRoot = mkdtempSync(path.join(tmpdir(), "xsight-update-xs-"));
const xsKey = randomBytes(32);
writeFileSync(
	path.join(xsRoot, "u.xsb"),
	writeBundle(
		{
			version: 5,
			files: [
				{ role: "model", name: "tiny.tflite", bytes: randomBytes(2048) },
				{ role: "config", name: "app.json", bytes: Buffer.from('{"maxFaces":1}') },
			],
		},
		xsKey,
	),
);
const xsConfig = { updateTest: { bundle: "/u.xsb", publicKey: Buffer.from(publicKeyOf(xsKey)).toString("hex") } };
await defineXsSuite("test/xs/update.xs", { root: xsRoot, config: xsConfig });
if (missingM7Tools().length > 0)
	describe.skip(`test/xs/update.xs on ${m7Board} (needs ${missingM7Tools().join(" and ")})`, () =>
		test("skipped", () => {}));
else {
	buildM7({ quiet: true });
	await defineXsSuite("test/xs/update.xs", { root: xsRoot, config: xsConfig, board: m7Board });
}

// The mps2-an500 board's channel: QEMU raises no pin, so `xsight run --update` puts the bundle in the state
// folder's inbox and the board makes the next wake from Standby the channel pin's.
describe.skipIf(missingM7Tools().length > 0)(
	`an update through the ${m7Board} board's channel (xsight run --update)`,
	() => {
		test("the pin wake installs the bundle, each step in the log, and the next wakes run its settings; the given data root is untouched", {
			timeout: 600_000,
		}, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), "xsight-update-m7-"));
			const secretKey = randomBytes(32);
			const bundle = path.join(dir, "u.xsb");
			// 02-neutral scores 0.34: no smile at the firmware's 0.5, a smile at the update's 0.3.
			writeFileSync(
				bundle,
				writeBundle(
					{
						version: 3,
						files: [{ role: "config", name: "app.json", bytes: Buffer.from('{"smileThreshold":0.3}') }],
					},
					secretKey,
				),
			);
			const root = await resourcesCopy(m7Board);
			const state = path.join(dir, "state");
			const update = `update={"publicKey":"${Buffer.from(publicKeyOf(secretKey)).toString("hex")}","pin":5}`;
			const refused = xsight("run", "--board", m7Board, "--state", state, "--update", bundle);
			expect(refused.status).toBe(64);
			expect(refused.stderr).toContain(
				"--update: mc/config update.pin is undefined, expected the channel's wake pin 0..5",
			);
			// Wakes at 0, 60 ... 300 s: the frames 01 to 04, then 01 and 02 again.
			const run = xsight(
				"run",
				"--board",
				m7Board,
				"--root",
				root,
				"--frames",
				frames,
				"--state",
				state,
				"--skip-sleep",
				"--until",
				"360000",
				"--timeout",
				"500",
				"--config",
				update,
				"--update",
				bundle,
			);
			expect(run.status, run.stderr).toBe(0);
			const wakes = run.stdout
				.split("\n")
				.filter((line) => line.startsWith("#wake "))
				.map(
					(line) =>
						JSON.parse(line.slice(6)) as {
							reason: string;
							pin?: number;
							frame: string;
							faces: { smile: boolean }[];
						},
				);
			expect(wakes.map((w) => w.reason)).toEqual(["power-on", "pin", "rtc", "rtc", "rtc", "rtc"]);
			expect(wakes[1]?.pin).toBe(5);
			expect(wakes.filter((w) => w.frame === "02-neutral.pgm").map((w) => w.faces[0]?.smile)).toEqual([
				false,
				true,
			]);
			const log = xsight("log", "--state", state, "--json");
			expect(log.status, log.stderr).toBe(0);
			const updates = log.stdout
				.trim()
				.split("\n")
				.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record)
				.filter((r) => "update" in r);
			expect(updates.map((r) => r["update"])).toEqual(["verified", "written", "checked", "switched"]);
			expect(existsSync(path.join(state, "inbox-1.xsb"))).toBe(false);
			expect(JSON.parse(readFileSync(path.join(state, "root/update.json"), "utf8"))).toMatchObject({
				slot: "a",
				version: 3,
			});
			expect(existsSync(path.join(root, "update.json"))).toBe(false);
		});

		test("on fw-h743.elf, the STM32H743's 511.5 KB heap: a model, settings and a self-test installed, verification included", {
			timeout: 900_000,
		}, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), "xsight-update-h743-"));
			const key = path.join(dir, "key");
			expect(xsight("keygen", "--out", key).status).toBe(0);
			const publicKey = (JSON.parse(readFileSync(key, "utf8")) as { publicKey: string }).publicKey;
			writeFileSync(path.join(dir, "app.json"), '{"smileThreshold":0.3}');
			const bundle = path.join(dir, "u.xsb");
			const made = xsight(
				"bundle",
				"--out",
				bundle,
				"--model",
				path.join(repoRoot, "resources/models/smile.tflite"),
				"--config",
				path.join(dir, "app.json"),
				"--self-test",
				path.join(frames, "01-smile.pgm"),
				"--key",
				key,
				"--version",
				"4",
			);
			expect(made.status, made.stderr).toBe(0);
			const state = path.join(dir, "state");
			const run = xsight(
				"run",
				"--board",
				m7Board,
				"--h743",
				"--stats",
				"--root",
				await resourcesCopy(m7Board),
				"--frames",
				frames,
				"--state",
				state,
				"--skip-sleep",
				"--until",
				"130000",
				"--timeout",
				"800",
				"--config",
				`update={"publicKey":"${publicKey}","pin":5}`,
				"--update",
				bundle,
			);
			// An XS abort (memory full past the cap) would end the wake before its sleep: the run's status says so.
			expect(run.status, run.stderr).toBe(0);
			const log = xsight("log", "--state", state, "--json");
			const steps = log.stdout
				.trim()
				.split("\n")
				.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record)
				.filter((r) => "update" in r)
				.map((r) => r["update"]);
			expect(steps).toEqual(["verified", "written", "checked", "self-tested", "switched"]);
			// The update wake's peak malloc, within the H743's heap (the cap fw-h743.elf runs with).
			const peak = /boot 2, sleep \(mode 2\): peak malloc (\d+) bytes/.exec(run.stderr)?.[1];
			expect(Number(peak)).toBeGreaterThan(300_000);
			expect(Number(peak)).toBeLessThanOrEqual(523_776);
		});
	},
);

// Installs on the host simulator, one data root for the suite: the firmware's cascade and model, and the bundles.
const installRoot = mkdtempSync(path.join(tmpdir(), "xsight-update-install-"));
cpSync(path.join(repoRoot, "resources/cascades"), path.join(installRoot, "cascades"), { recursive: true });
cpSync(path.join(repoRoot, "resources/models"), path.join(installRoot, "models"), { recursive: true });
const installKey = randomBytes(32);
const config = (settings: unknown) => ({
	role: "config" as const,
	name: "app.json",
	bytes: Buffer.from(JSON.stringify(settings)),
});
const installs: Record<string, Uint8Array> = {
	good: writeBundle(
		{ version: 2, files: [{ role: "model", name: "smile.tflite", bytes: smileModel }, config({ maxFaces: 2 })] },
		installKey,
	),
	otherKey: writeBundle({ version: 3, files: [config({ maxFaces: 3 })] }, randomBytes(32)),
	badModel: writeBundle(
		{ version: 3, files: [{ role: "model", name: "broken.tflite", bytes: randomBytes(2048) }] },
		installKey,
	),
	badCascade: writeBundle(
		{ version: 3, files: [{ role: "cascade", name: "broken.cascade", bytes: randomBytes(1024) }] },
		installKey,
	),
	badSettings: writeBundle({ version: 3, files: [config({ maxFaces: -1 })] }, installKey),
	next: writeBundle({ version: 3, files: [config({ smileThreshold: 0.6 })] }, installKey),
};
installs["truncated"] = installs["next"]!.subarray(0, installs["next"]!.length - 5);
// A self-test frame with the faces and labels the host's app finds in it with the bundle's files (as
// `xsight bundle --self-test` computes them), and the same bundle claiming a smile the app does not see.
const selfTestFiles = [
	config({ maxFaces: 1 }),
	{ role: "self-test" as const, name: "check.pgm", bytes: readFileSync(path.join(frames, "02-neutral.pgm")) },
];
const selfTestExpected = selfTestFaces(selfTestFiles, path.join(frames, "02-neutral.pgm"));
installs["selfTestWrong"] = writeBundle(
	{
		version: 4,
		files: selfTestFiles,
		selfTest: { faces: selfTestExpected.map((face) => ({ ...face, smile: !face.smile })) },
	},
	installKey,
);
installs["selfTestGood"] = writeBundle(
	{ version: 4, files: selfTestFiles, selfTest: { faces: selfTestExpected } },
	installKey,
);
for (const [name, bytes] of Object.entries(installs)) writeFileSync(path.join(installRoot, `${name}.xsb`), bytes);
await defineXsSuite("test/xs/update-install.xs", {
	root: installRoot,
	config: {
		update: { publicKey: Buffer.from(publicKeyOf(installKey)).toString("hex") },
		updateInstall: { bundles: Object.fromEntries(Object.keys(installs).map((name) => [name, `/${name}.xsb`])) },
	},
	hostArgs: ["--state", mkdtempSync(path.join(tmpdir(), "xsight-update-state-"))],
});

describe("verify: RFC 8032's strict verification without the library's base-point table", () => {
	const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));
	/** The library's own strict verification: the peer. */
	const library = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => {
		try {
			return ed.verify(signature, message, publicKey, { zip215: false });
		} catch {
			return false;
		}
	};
	const L = ed.Point.CURVE().n;
	const le = (value: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));

	test("RFC 8032's first test vector, and the same signature of another message or by another key", () => {
		const publicKey = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
		const signature = hex(
			"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
		);
		expect(verify(signature, new Uint8Array(0), publicKey)).toBe(true);
		expect(verify(signature, Uint8Array.of(0), publicKey)).toBe(false);
		expect(verify(signature, new Uint8Array(0), publicKeyOf(randomBytes(32)))).toBe(false);
	});

	test("the library's answer on valid, altered, non-canonical and small-order cases", () => {
		// The order-8 subgroup's points as keys (small order: refused), and encodings of y >= p (non-canonical).
		const smallOrder = [
			"0100000000000000000000000000000000000000000000000000000000000000",
			"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
			"0000000000000000000000000000000000000000000000000000000000000080",
			"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
			"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
		].map(hex);
		const nonCanonical = [
			"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
			"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		].map(hex);
		let cases = 0;
		let valid = 0;
		for (let i = 0; i < 40; i++) {
			const secretKey = randomBytes(32);
			const publicKey = publicKeyOf(secretKey);
			const message = randomBytes(i * 7);
			const signature = sign(message, secretKey);
			const variants: [Uint8Array, Uint8Array, Uint8Array][] = [[signature, message, publicKey]];
			for (const at of [0, 31, 32, 63]) {
				const bent = Uint8Array.from(signature);
				bent[at]! ^= 1 << (i % 8);
				variants.push([bent, message, publicKey]);
			}
			if (message.length)
				variants.push([signature, Uint8Array.from(message, (b, j) => (j ? b : b ^ 1)), publicKey]);
			// S + L: the same point, not its one encoding.
			const plusL = Uint8Array.from(signature);
			plusL.set(le(BigInt(`0x${Buffer.from(signature.subarray(32)).reverse().toString("hex")}`) + L), 32);
			variants.push([plusL, message, publicKey]);
			for (const key of [...smallOrder, ...nonCanonical]) variants.push([signature, message, key]);
			for (const point of [...smallOrder, ...nonCanonical]) {
				const withR = Uint8Array.from(signature);
				withR.set(point, 0);
				variants.push([withR, message, publicKey]);
			}
			for (const [sig, msg, key] of variants) {
				const expected = library(sig, msg, key);
				expect(verify(sig, msg, key), `case ${cases}`).toBe(expected);
				cases++;
				if (expected) valid++;
			}
		}
		expect(valid).toBe(40);
		expect(cases).toBeGreaterThan(40 * 20);
		// A small-order key with R = the key and S = 0 satisfies the cofactored equation: only the rule refuses it.
		for (const key of smallOrder) {
			const forged = new Uint8Array(64);
			forged.set(key, 0);
			expect(library(forged, Uint8Array.of(1, 2, 3), key)).toBe(false);
			expect(verify(forged, Uint8Array.of(1, 2, 3), key)).toBe(false);
		}
	});
});

describe("xsight keygen and xsight bundle", () => {
	const dir = mkdtempSync(path.join(tmpdir(), "xsight-update-"));
	// The bundles' key, made as a user makes one; the keygen test makes its own.
	const key = path.join(dir, "bundle-key");
	beforeAll(() => {
		const made = xsight("keygen", "--out", key);
		if (made.status !== 0) throw new Error(made.stderr);
	});

	test("keygen writes the secret key for its owner alone, the public key beside it, and never replaces a key", () => {
		const key = path.join(dir, "key");
		const made = xsight("keygen", "--out", key);
		expect(made.status, made.stderr).toBe(0);
		const secret = JSON.parse(readFileSync(key, "utf8")) as { secretKey: string; publicKey: string };
		expect(statSync(key).mode & 0o777).toBe(0o600);
		expect(Buffer.from(publicKeyOf(Buffer.from(secret.secretKey, "hex"))).toString("hex")).toBe(secret.publicKey);
		expect(readFileSync(`${key}.pub`, "utf8").trim()).toBe(secret.publicKey);
		expect(JSON.parse(made.stdout)).toEqual({ update: { publicKey: secret.publicKey } });
		const again = xsight("keygen", "--out", key);
		expect(again.status).toBe(1);
		expect(again.stderr).toContain("exists; not replacing a key");
		expect(readFileSync(key, "utf8")).toContain(secret.secretKey);
	});

	test("bundle: the files, their hashes, the version and the self-test's faces and labels as the host's app finds them", () => {
		const config = path.join(dir, "app.json");
		writeFileSync(config, JSON.stringify({ smileThreshold: 0.3 }));
		const out = path.join(dir, "u.xsb");
		const model = path.join(repoRoot, "resources/models/smile.tflite");
		const made = xsight(
			"bundle",
			"--out",
			out,
			"--model",
			model,
			"--config",
			config,
			"--self-test",
			path.join(frames, "02-neutral.pgm"),
			"--key",
			key,
			"--version",
			"7",
		);
		expect(made.status, made.stderr).toBe(0);
		const publicKey = Buffer.from(readFileSync(`${key}.pub`, "utf8").trim(), "hex");
		const bundle = readBundle(readFileSync(out), publicKey);
		expect(bundle.version).toBe(7);
		expect(bundle.files.map((f) => [f.role, f.name])).toEqual([
			["model", "smile.tflite"],
			["config", "app.json"],
			["self-test", "self-test.pgm"],
		]);
		expect(Buffer.from(bundle.files[0]!.bytes).equals(smileModel)).toBe(true);
		expect(Buffer.from(bundle.files[2]!.bytes).equals(readFileSync(path.join(frames, "02-neutral.pgm")))).toBe(
			true,
		);
		// 02-neutral scores 0.34 (README): no smile at the default 0.5, a smile at the bundle's 0.3.
		expect(bundle.selfTest?.faces).toEqual([
			{
				x: expect.any(Number),
				y: expect.any(Number),
				width: expect.any(Number),
				height: expect.any(Number),
				smile: true,
			},
		]);
		const plain = xsight(
			"bundle",
			"--out",
			out,
			"--model",
			model,
			"--self-test",
			path.join(frames, "02-neutral.pgm"),
			"--key",
			key,
			"--version",
			"8",
		);
		expect(plain.status, plain.stderr).toBe(0);
		expect(readBundle(readFileSync(out), publicKey).selfTest?.faces.map((f) => f.smile)).toEqual([false]);
	});

	test("bundle refuses what would not make an update, naming the option", () => {
		const out = path.join(dir, "bad.xsb");
		const none = xsight("bundle", "--out", out, "--key", key);
		expect(none.status).toBe(64);
		expect(none.stderr).toContain("nothing to update");
		const version = xsight(
			"bundle",
			"--out",
			out,
			"--config",
			path.join(dir, "app.json"),
			"--key",
			key,
			"--version",
			"0",
		);
		expect(version.status).toBe(64);
		expect(version.stderr).toContain("--version 0");
		writeFileSync(path.join(dir, "not-a-key"), "{}");
		const badKey = xsight(
			"bundle",
			"--out",
			out,
			"--config",
			path.join(dir, "app.json"),
			"--key",
			path.join(dir, "not-a-key"),
		);
		expect(badKey.status).toBe(1);
		expect(badKey.stderr).toContain(`--key ${path.join(dir, "not-a-key")}: type`);
		const badConfig = path.join(dir, "bad.json");
		writeFileSync(badConfig, "[1]");
		const config = xsight("bundle", "--out", out, "--config", badConfig, "--key", key);
		expect(config.status).toBe(1);
		expect(config.stderr).toContain(`--config ${badConfig}: expected an object`);
	});
});

describe("the bundle reader refuses a damaged or foreign bundle, saying why", () => {
	const secretKey = randomBytes(32);
	const publicKey = publicKeyOf(secretKey);
	const good: Bundle = {
		version: 3,
		files: [
			{ role: "model", name: "smile.tflite", bytes: smileModel },
			{ role: "config", name: "app.json", bytes: Buffer.from('{"maxFaces":2}') },
		],
	};
	const bytes = writeBundle(good, secretKey);
	const refusal = (data: Uint8Array, key = publicKey) => {
		try {
			readBundle(data, key);
		} catch (error) {
			expect(error).toBeInstanceOf(BundleError);
			return (error as Error).message;
		}
		return "accepted";
	};
	const headerEnd = 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);

	test("a good bundle reads back as written", () => {
		const read = readBundle(bytes, publicKey);
		expect(read.version).toBe(3);
		expect(read.files.map((f) => Buffer.from(f.bytes).toString("base64"))).toEqual(
			good.files.map((f) => Buffer.from(f.bytes).toString("base64")),
		);
	});
	test("signed by another key", () => {
		expect(refusal(bytes, publicKeyOf(randomBytes(32)))).toBe("signature: not signed by this device's key");
	});
	test("a header changed after signing", () => {
		const changed = Uint8Array.from(bytes);
		changed[headerEnd - 3]! ^= 1;
		expect(refusal(changed)).toBe("signature: not signed by this device's key");
	});
	test("truncated anywhere", () => {
		expect(refusal(bytes.subarray(0, 5))).toBe("truncated: 5 bytes, no header");
		expect(refusal(bytes.subarray(0, headerEnd + 10))).toMatch(
			/^truncated: \d+ bytes, the header and signature need/,
		);
		expect(refusal(bytes.subarray(0, bytes.length - 1))).toBe(
			`truncated: ${bytes.length - 1} bytes, the files need ${bytes.length}`,
		);
	});
	test("bytes after the last file", () => {
		expect(refusal(Buffer.concat([bytes, Buffer.of(0)]))).toBe("1 bytes after the last file");
	});
	test("a file whose hash differs", () => {
		const changed = Uint8Array.from(bytes);
		changed[headerEnd + 64 + 100]! ^= 0x80;
		expect(refusal(changed)).toBe("model smile.tflite: its SHA-256 is not the header's");
	});
	test("not a bundle, or a header too long to be one", () => {
		expect(refusal(smileModel)).toBe("not a bundle: it does not start with XSB1");
		const long = Uint8Array.from(bytes);
		new DataView(long.buffer).setUint32(4, 16385, true);
		expect(refusal(long)).toBe("header of 16385 bytes: more than 16384");
	});
	test("a signed header with a bad field names it", () => {
		const resign = (edit: (header: Record<string, unknown>) => void) => {
			const header = JSON.parse(Buffer.from(bytes.subarray(8, headerEnd)).toString("latin1")) as Record<
				string,
				unknown
			>;
			edit(header);
			return refusal(
				Buffer.concat([signedHeader(JSON.stringify(header), secretKey), bytes.subarray(headerEnd + 64)]),
			);
		};
		expect(resign((h) => (h["format"] = 2))).toBe("header format: expected 1, got 2");
		expect(resign((h) => (h["version"] = 0))).toMatch(/^header version: expected an integer from 1/);
		expect(resign((h) => ((h["files"] as Record<string, unknown>[])[0]!["name"] = "../main.js"))).toBe(
			'header files[0].name: expected a plain file name, got "../main.js"',
		);
		expect(resign((h) => ((h["files"] as Record<string, unknown>[])[1]!["role"] = "model"))).toBe(
			"header files: more than one model",
		);
		expect(resign((h) => (h["selfTest"] = { faces: [] }))).toBe(
			"header selfTest: a result without a self-test frame",
		);
	});
	test(`fuzz: ${process.env["XSIGHT_FUZZ"] === "long" ? "10,000" : "300"} mutated bundles, signed again, are read or refused with a BundleError, nothing else`, {
		timeout: 600_000,
	}, () => {
		const variants = process.env["XSIGHT_FUZZ"] === "long" ? 10_000 : 300;
		const header = Buffer.from(bytes.subarray(8, headerEnd)).toString("latin1");
		const files = bytes.subarray(headerEnd + 64);
		let seed = 21;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) >>> 0;
			return seed % n;
		};
		const outcomes = new Map<string, number>();
		for (let i = 0; i < variants; i++) {
			let text = header;
			for (let m = 1 + random(3); m > 0; m--) {
				const at = random(text.length);
				const pick = random(4);
				if (pick === 0) text = text.slice(0, at) + text.slice(at + 1 + random(8));
				else if (pick === 1)
					text = text.slice(0, at) + String.fromCharCode(32 + random(95)) + text.slice(at + 1);
				else if (pick === 2)
					text =
						text.slice(0, at) +
						["0", "-1", "1e9", "null", "[]", "{}", '"x"', "true", ","][random(9)] +
						text.slice(at);
				else text = text.slice(0, at) + text.slice(random(text.length));
			}
			const cut = random(4) === 0 ? random(files.length) : files.length;
			const outcome = refusal(Buffer.concat([signedHeader(text, secretKey), files.subarray(0, cut)]));
			const kind = outcome.replace(/[\d[\]]+/g, "#").slice(0, 40);
			outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
		}
		// The mutations reach past the signature into the header's checks, not just one refusal.
		expect(outcomes.size).toBeGreaterThan(10);
	});
});

describe("an update through the host simulator's channel (a scenario's update event)", () => {
	const dir = mkdtempSync(path.join(tmpdir(), "xsight-update-sim-"));
	const secretKey = randomBytes(32);
	const publicKey = Buffer.from(publicKeyOf(secretKey)).toString("hex");
	const settings = `update={"publicKey":"${publicKey}","pin":5}`;
	/** xsight sim over the built-in frames, an update at 90 s; its log's records. */
	const simulate = (name: string, bundle: Uint8Array) => {
		writeFileSync(path.join(dir, `${name}.xsb`), bundle);
		writeFileSync(
			path.join(dir, `${name}.json`),
			JSON.stringify({ events: [{ at: "90s", type: "update", bundle: `${name}.xsb` }] }),
		);
		const state = path.join(dir, `${name}-state`);
		const sim = xsight(
			"sim",
			"--scenario",
			path.join(dir, `${name}.json`),
			"--hours",
			"0.1",
			"--state",
			state,
			"--config",
			settings,
			"--json",
		);
		expect(sim.status, sim.stderr).toBe(0);
		const log = xsight("log", "--state", state, "--json");
		expect(log.status, log.stderr).toBe(0);
		const records = log.stdout
			.trim()
			.split("\n")
			.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record);
		const labels = (frame: string) =>
			records
				.filter((r) => String(r["frame"]).endsWith(frame))
				.map((r) => (r["faces"] as { smile: boolean }[])[0]?.smile);
		return { state, records, updates: records.filter((r) => "update" in r), labels };
	};

	test("the pin wake installs the bundle, each step in the log, and the next wakes run its settings; the given data root is untouched", () => {
		// 02-neutral scores 0.34: no smile at the firmware's 0.5, a smile at the update's 0.3.
		const run = simulate(
			"good",
			writeBundle(
				{
					version: 3,
					files: [{ role: "config", name: "app.json", bytes: Buffer.from('{"smileThreshold":0.3}') }],
				},
				secretKey,
			),
		);
		expect(run.updates.map((r) => r["update"])).toEqual(["verified", "written", "checked", "switched"]);
		expect(run.records.find((r) => r["reason"] === "pin")?.["pin"]).toBe(5);
		expect(run.labels("02-neutral.pgm")).toEqual([false, true]);
		expect(JSON.parse(readFileSync(path.join(run.state, "root/update.json"), "utf8"))).toMatchObject({
			slot: "a",
			version: 3,
		});
		expect(existsSync(path.join(repoRoot, "resources/update.json"))).toBe(false);
	});

	test("--inbox DIR: its bundles arrive as update events, the first half a wake period into the run", () => {
		const inbox = path.join(dir, "inbox");
		mkdirSync(inbox, { recursive: true });
		writeFileSync(
			path.join(inbox, "a.xsb"),
			writeBundle(
				{
					version: 3,
					files: [{ role: "config", name: "app.json", bytes: Buffer.from('{"smileThreshold":0.3}') }],
				},
				secretKey,
			),
		);
		const state = path.join(dir, "inbox-state");
		const sim = xsight("sim", "--inbox", inbox, "--hours", "0.1", "--state", state, "--config", settings, "--json");
		expect(sim.status, sim.stderr).toBe(0);
		const wakes = (JSON.parse(sim.stdout) as { wakes: { atMs: number; reason: string; pin?: number }[] }).wakes;
		expect(wakes.find((w) => w.reason === "pin")).toMatchObject({ atMs: 30_000, pin: 5 });
		const log = xsight("log", "--state", state, "--json");
		const steps = log.stdout
			.trim()
			.split("\n")
			.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record)
			.filter((r) => "update" in r)
			.map((r) => r["update"]);
		expect(steps).toEqual(["verified", "written", "checked", "switched"]);
		const empty = path.join(dir, "empty-inbox");
		mkdirSync(empty, { recursive: true });
		const refused = xsight("sim", "--inbox", empty);
		expect(refused.status).toBe(64);
		expect(refused.stderr).toContain(`--inbox ${empty}: no bundle (*.xsb) in it`);
	});

	test("a bundle signed by another key is refused in the log and the device goes on with its own settings", () => {
		const run = simulate(
			"foreign",
			writeBundle(
				{
					version: 3,
					files: [{ role: "config", name: "app.json", bytes: Buffer.from('{"smileThreshold":0.3}') }],
				},
				randomBytes(32),
			),
		);
		expect(run.updates).toEqual([{ update: "refused", reason: "signature: not signed by this device's key" }]);
		expect(run.labels("02-neutral.pgm")).toEqual([false, false]);
		expect(existsSync(path.join(run.state, "root/update.json"))).toBe(false);
	});

	test("an update whose boots stop before their sleep is rolled back after two, logged, and never installed again", () => {
		// Settings that pass the boot check, but the log they name cannot be opened: every boot on them stops.
		const bad = writeBundle(
			{
				version: 4,
				files: [
					{ role: "config", name: "app.json", bytes: Buffer.from('{"log":"/no-such-folder/results.log"}') },
				],
			},
			secretKey,
		);
		writeFileSync(path.join(dir, "bad.xsb"), bad);
		writeFileSync(
			path.join(dir, "bad.json"),
			JSON.stringify({ events: [{ at: "90s", type: "update", bundle: "bad.xsb" }] }),
		);
		const state = path.join(dir, "bad-state");
		// Each run stops at the failing boot (the simulator ends with the app); the next run is the next boot.
		const runs = [1, 2, 3].map(() =>
			xsight(
				"sim",
				"--scenario",
				path.join(dir, "bad.json"),
				"--hours",
				"0.05",
				"--state",
				state,
				"--config",
				settings,
			),
		);
		expect(runs.map((run) => run.status)).toEqual([1, 1, 0]);
		for (const run of runs.slice(0, 2)) expect(run.stderr).toContain("cannot open /no-such-folder/results.log");
		const log = xsight("log", "--state", state, "--json");
		const records = log.stdout
			.trim()
			.split("\n")
			.map((line) => (JSON.parse(line) as { record: Record<string, unknown> }).record);
		expect(records.filter((r) => "update" in r).map((r) => r["update"])).toEqual([
			"verified",
			"written",
			"checked",
			"switched",
			"refused",
		]);
		expect(records.flatMap((r) => (r["warnings"] as string[] | undefined) ?? [])).toContain(
			"update version 4 rolled back to the firmware's files: 2 boots on it stopped before their sleep",
		);
		expect(records.find((r) => r["update"] === "refused")).toEqual({
			update: "refused",
			version: 4,
			reason: "version 4 is not above 4, which failed its probation",
		});
	});

	test("an update event without the channel's pin in mc/config is refused before the run, naming the event", () => {
		writeFileSync(
			path.join(dir, "nopin.json"),
			JSON.stringify({ events: [{ at: "90s", type: "update", bundle: "good.xsb" }] }),
		);
		const sim = xsight(
			"sim",
			"--scenario",
			path.join(dir, "nopin.json"),
			"--hours",
			"0.05",
			"--state",
			path.join(dir, "nopin-state"),
		);
		expect(sim.status).toBe(1);
		expect(sim.stderr).toContain(
			`${path.join(dir, "nopin.json")}:1: events[0]: an update needs mc/config update.pin`,
		);
	});
});

describe.skipIf(spawnSync("strace", ["-V"]).status !== 0)("power loss during an install (needs strace)", () => {
	test("SIGKILL at every file write and rename of an install: the next boot runs the old set or the new one, whole, and says which", {
		timeout: 1_200_000,
	}, async () => {
		const build = hostBuildPaths();
		const dir = mkdtempSync(path.join(tmpdir(), "xsight-update-kill-"));
		const base = { root: path.join(dir, "base/root"), state: path.join(dir, "base/state") };
		cpSync(path.join(repoRoot, "resources/cascades"), path.join(base.root, "cascades"), { recursive: true });
		cpSync(path.join(repoRoot, "resources/models"), path.join(base.root, "models"), { recursive: true });
		mkdirSync(base.state);
		const secretKey = randomBytes(32);
		const cascade = readFileSync(path.join(repoRoot, "resources/cascades/frontalface.cascade"));
		writeFileSync(
			path.join(base.root, "u2.xsb"),
			writeBundle(
				{
					version: 2,
					files: [{ role: "model", name: "smile.tflite", bytes: smileModel }, config({ maxFaces: 2 })],
				},
				secretKey,
			),
		);
		writeFileSync(
			path.join(base.root, "u3.xsb"),
			writeBundle(
				{
					version: 3,
					files: [
						{ role: "model", name: "smile.tflite", bytes: smileModel },
						{ role: "cascade", name: "face.cascade", bytes: cascade },
						config({ maxFaces: 3 }),
					],
				},
				secretKey,
			),
		);
		const settings = {
			...build.manifest.config,
			update: { publicKey: Buffer.from(publicKeyOf(secretKey)).toString("hex") },
			updateFixture: { bundles: { "2": "/u2.xsb", "3": "/u3.xsb" } },
		};
		/** The fixture `main` on `at`'s root and state, under `strace` (its options) when given. */
		const run = (main: string, at: typeof base, strace: string[] = []) => {
			const args = hostArgs(build, { main, root: at.root, config: settings, board: ["--state", at.state] }, dir);
			const command = strace.length
				? ["strace", "-f", "-qq", ...strace, build.program, ...args]
				: [build.program, ...args];
			return spawnSync(command[0]!, command.slice(1), { encoding: "utf8" });
		};
		// The device runs version 2 (slot a) when the power fails during version 3's install.
		copyFileSync(path.join(base.root, "u2.xsb"), path.join(base.state, "inbox-1.xsb"));
		const first = run("test/xs/fixtures/update/install", base);
		expect(first.stdout, first.stderr).toContain("#installed {");
		copyFileSync(path.join(base.root, "u3.xsb"), path.join(base.state, "inbox-1.xsb"));
		// How many writes and renames a whole install makes: the sweep kills before each.
		const counted = path.join(dir, "counted");
		const work = { root: path.join(dir, "work/root"), state: path.join(dir, "work/state") };
		const restore = () => {
			rmSync(path.join(dir, "work"), { recursive: true, force: true });
			cpSync(path.join(dir, "base"), path.join(dir, "work"), { recursive: true });
		};
		restore();
		const whole = run("test/xs/fixtures/update/install", work, [
			"-o",
			counted,
			"-e",
			"trace=write,rename,renameat,renameat2",
		]);
		expect(whole.stdout, whole.stderr).toContain('"maxFaces":3');
		const calls = readFileSync(counted, "utf8").split("\n");
		const writes = calls.filter((line) => / write\(/.test(line) || /^write\(/.test(line)).length;
		const renames = calls.filter((line) => /\brename(at2?)?\(/.test(line)).length;
		expect(renames).toBeGreaterThan(0);
		const found = { 2: 0, 3: 0 } as Record<number, number>;
		for (const [call, count] of [
			["write", writes],
			["rename", renames],
		] as const)
			for (let n = 1; n <= count; n++) {
				restore();
				const killed = run("test/xs/fixtures/update/install", work, [
					"-o",
					"/dev/null",
					"-e",
					`trace=${call === "write" ? "write" : "rename,renameat,renameat2"}`,
					"-e",
					`inject=${call === "write" ? "write" : "rename,renameat,renameat2"}:signal=KILL:when=${n}`,
				]);
				expect(killed.signal ?? killed.status, `killed at ${call} ${n}`).not.toBe(0);
				const boot = run("test/xs/fixtures/update/boot", work);
				const line = /^#running (.*)$/m.exec(boot.stdout)?.[1];
				expect(line, `after a kill at ${call} ${n}: ${boot.stderr}`).toBeDefined();
				const running = JSON.parse(line!) as { version: number; whole: boolean; why?: string };
				expect(running, `after a kill at ${call} ${n}`).toMatchObject({ whole: true });
				expect([2, 3], `after a kill at ${call} ${n}`).toContain(running.version);
				found[running.version]!++;
			}
		console.log(
			`update: ${writes} writes and ${renames} renames swept: the next boot ran version 2 after ${found[2]} kills, version 3 after ${found[3]}`,
		);
		// Kills before the switch leave the old set, after it the new one: both seen.
		expect(found[2]).toBeGreaterThan(0);
		expect(found[3]).toBeGreaterThan(0);
	});
});
