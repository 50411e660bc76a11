// manifest.json: the app's description in Moddable's format, read by the
// build and the CLI. Only the fields xsight uses are read; each is checked,
// and errors name the field.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../commands/command";

export interface Creation {
	chunk: { initial: number; incremental: number };
	heap: { initial: number; incremental: number };
	stack: number;
	keys: { initial: number; incremental: number };
	main: string;
}

export interface Manifest {
	file: string;
	root: string;
	creation: Creation;
	/** Each platform's creation (Moddable's `platforms.<name>.creation`) over the top-level one. */
	platforms: Record<string, { creation: Creation }>;
	/** Module specifier → source path without extension, "*" entries expanded later. */
	modules: Record<string, string | string[]>;
	config: Record<string, unknown>;
	/**
	 * The modules a device firmware prelinks (module names, "prefix/*" for a folder): their names get
	 * keys when the machine is made and their code runs from flash (tools/build/xsc). Like Moddable's
	 * `preload` but for the linking only: the module bodies still run at each boot. The others link when
	 * imported; list what every wake loads, since each name listed costs a key on every boot.
	 */
	prelink: string[];
}

/** Whether `name` is one of the manifest's prelink entries. */
export function prelinked(manifest: Manifest, name: string): boolean {
	return manifest.prelink.some((entry) => (entry.endsWith("/*") ? name.startsWith(entry.slice(0, -1)) : entry === name));
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(object: Json, key: string, where: string): unknown {
	if (!(key in object)) throw new Error(`${where}.${key}: missing`);
	return object[key];
}

function count(object: Json, key: string, where: string, min: number): number {
	const value = field(object, key, where);
	if (typeof value !== "number" || !Number.isInteger(value) || value < min)
		throw new Error(`${where}.${key}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
	return value;
}

function pair(object: Json, key: string, where: string): { initial: number; incremental: number } {
	const value = field(object, key, where);
	if (!isObject(value)) throw new Error(`${where}.${key}: expected { initial, incremental }`);
	return {
		initial: count(value, "initial", `${where}.${key}`, 1),
		incremental: count(value, "incremental", `${where}.${key}`, 0),
	};
}

/** `creation` checked field by field; with `base`, a field it leaves out is the base's (a platform's block). */
function readCreation(creation: unknown, where: string, base?: Creation): Creation {
	if (!isObject(creation)) throw new Error(`${where}: expected an object`);
	const or = <T>(key: keyof Creation, read: () => T): T => (base && !(key in creation) ? (base[key] as T) : read());
	const main = or("main", () => field(creation, "main", where));
	if (typeof main !== "string" || !main) throw new Error(`${where}.main: expected a module name`);
	return {
		chunk: or("chunk", () => pair(creation, "chunk", where)),
		heap: or("heap", () => pair(creation, "heap", where)),
		stack: or("stack", () => count(creation, "stack", where, 64)),
		keys: or("keys", () => pair(creation, "keys", where)),
		main,
	};
}

/** The creation sizes a platform (a board: "mps2-an500", "stm32h743") boots XS with. */
export function creationFor(manifest: Manifest, platform: string): Creation {
	return manifest.platforms[platform]?.creation ?? manifest.creation;
}

export function readManifest(file: string): Manifest {
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(file, "utf8"));
	} catch (error) {
		throw new Error(`${file}: ${(error as Error).message}`);
	}
	if (!isObject(json)) throw new Error(`${file}: expected a JSON object`);
	const where = path.basename(file);
	const creation = readCreation(field(json, "creation", where), `${where}.creation`);
	const platformsJson = json["platforms"] ?? {};
	if (!isObject(platformsJson)) throw new Error(`${where}.platforms: expected an object`);
	const platforms: Manifest["platforms"] = {};
	for (const [name, platform] of Object.entries(platformsJson)) {
		if (!isObject(platform)) throw new Error(`${where}.platforms.${name}: expected an object`);
		if ("creation" in platform) platforms[name] = { creation: readCreation(platform["creation"], `${where}.platforms.${name}.creation`, creation) };
	}
	const modules = field(json, "modules", where);
	if (!isObject(modules)) throw new Error(`${where}.modules: expected an object`);
	for (const [specifier, source] of Object.entries(modules)) {
		const ok = typeof source === "string" || (Array.isArray(source) && source.every((s) => typeof s === "string"));
		if (!ok) throw new Error(`${where}.modules["${specifier}"]: expected a path or a list of paths`);
	}
	const config = json["config"] ?? {};
	if (!isObject(config)) throw new Error(`${where}.config: expected an object`);
	const prelink = json["prelink"] ?? [];
	if (!Array.isArray(prelink) || !prelink.every((entry) => typeof entry === "string" && entry !== ""))
		throw new Error(`${where}.prelink: expected a list of module names`);
	return {
		file,
		root: path.dirname(path.resolve(file)),
		creation,
		platforms,
		modules: modules as Record<string, string | string[]>,
		config,
		prelink: prelink as string[],
	};
}

/**
 * The modules the manifest names one by one: specifier → its .js file, which
 * the boards take as it is (a native module's declaration of its host
 * functions, or an npm package's plain JavaScript such as @noble/ed25519).
 * ("*" entries are the TypeScript app, compiled by tsc.)
 */
export function nativeModules(manifest: Manifest): Map<string, string> {
	const natives = new Map<string, string>();
	for (const [specifier, source] of Object.entries(manifest.modules)) {
		if (specifier === "*") continue;
		if (typeof source !== "string") throw new Error(`manifest.modules["${specifier}"]: expected one path`);
		natives.set(specifier, path.resolve(manifest.root, `${source}.js`));
	}
	return natives;
}

/** Apply `key=value` overrides to a config object; dotted keys reach into objects, values are JSON when they parse. */
export function overrideConfig(config: Record<string, unknown>, overrides: readonly string[]): Record<string, unknown> {
	const result = structuredClone(config);
	for (const override of overrides) {
		const equals = override.indexOf("=");
		if (equals <= 0) throw new UsageError(`--config ${override}: expected key=value`);
		const keys = override.slice(0, equals).split(".");
		const text = override.slice(equals + 1);
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			value = text;
		}
		let target: Json = result;
		for (const key of keys.slice(0, -1)) {
			const next = target[key];
			if (next === undefined) target[key] = {};
			else if (!isObject(next)) throw new UsageError(`--config ${override}: ${key} is not an object`);
			target = target[key] as Json;
		}
		target[keys[keys.length - 1] as string] = value;
	}
	return result;
}
