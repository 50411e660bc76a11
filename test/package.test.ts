// npm install on the Node versions package.json names: every package the lock
// installs here accepts them (no EBADENGINE), and every install script is
// either allowed or denied in allowScripts (npm 11 lists the ones it skipped).
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../tools/build/build";

interface LockEntry {
	version?: string;
	engines?: { node?: string } | string[];
	os?: string[];
	cpu?: string[];
	optional?: boolean;
	hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
	engines: { node: string };
	allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
	packages: Record<string, LockEntry>;
};

/** The lock's packages npm installs on this machine: optional ones for another os or cpu are left out. */
const installed = Object.entries(lock.packages).filter(([name, entry]) => {
	if (name === "") return false;
	const fits = (list: string[] | undefined, value: string) =>
		!list || list.includes(value) || (list.every((item) => item.startsWith("!")) && !list.includes(`!${value}`));
	return fits(entry.os, process.platform) && fits(entry.cpu, process.arch);
});

type Version = [number, number, number];

function parse(text: string): Version {
	const [major = 0, minor = 0, patch = 0] = text
		.replace(/^v/, "")
		.split(".")
		.map((part) => (part === "x" || part === "*" ? 0 : Number(part)));
	return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
	return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether `version` is in an engines range, for the forms the lock uses:
 * `*`, `>=A`, `>=A <B`, `^A`, `A.x`, `A.*`, joined by `||`. Anything else fails the test.
 */
function accepts(range: string, version: Version): boolean {
	return range.split("||").some((clause) => {
		const words = clause
			.trim()
			.replace(/(>=|<)\s+/g, "$1")
			.split(/\s+/);
		return words.every((word) => {
			if (word === "*") return true;
			if (word.startsWith(">=")) return compare(version, parse(word.slice(2))) >= 0;
			if (word.startsWith("<")) return compare(version, parse(word.slice(1))) < 0;
			if (word.startsWith("^")) {
				const low = parse(word.slice(1));
				return compare(version, low) >= 0 && version[0] === low[0];
			}
			if (/^\d+\.(x|\*)$/.test(word)) return version[0] === parse(word)[0];
			throw new Error(`engines range "${range}": "${word}" is not a form this test reads`);
		});
	});
}

describe("npm install", () => {
	test("the range reader reads the forms the lock uses", () => {
		expect(accepts("^20.19.0 || >=22.12.0", parse("20.19.0"))).toBe(true);
		expect(accepts("^20.19.0 || >=22.12.0", parse("20.18.9"))).toBe(false);
		expect(accepts("^20.19.0 || >=22.12.0", parse("21.0.0"))).toBe(false);
		expect(accepts(">=22", parse("20.20.2"))).toBe(false);
		expect(accepts("6.* || 8.* || >= 10.*", parse("7.1.0"))).toBe(false);
		expect(accepts(">= 0.4", parse("20.0.0"))).toBe(true);
	});

	// The lowest version of each line package.json names.
	const lowest = pkg.engines.node.split("||").map((clause) => clause.trim().replace(/^\^|^>=/, ""));
	test.each(lowest)("every package installed accepts Node %s (no EBADENGINE)", (version) => {
		expect(accepts(pkg.engines.node, parse(version)), `package.json engines ${pkg.engines.node}`).toBe(true);
		const refusing = installed
			.filter(([, entry]) => typeof (entry.engines as { node?: string } | undefined)?.node === "string")
			.filter(([, entry]) => !accepts((entry.engines as { node: string }).node, parse(version)))
			.map(([name, entry]) => `${name}@${entry.version}: ${(entry.engines as { node: string }).node}`);
		expect(refusing).toEqual([]);
	});

	test("every install script is allowed or denied in package.json's allowScripts", () => {
		const scripted = installed
			.filter(([, entry]) => entry.hasInstallScript)
			.map(([name]) => name.replace(/^.*node_modules\//, ""));
		expect(scripted.length).toBeGreaterThan(0);
		expect(scripted.filter((name) => typeof pkg.allowScripts?.[name] !== "boolean")).toEqual([]);
	});
});
