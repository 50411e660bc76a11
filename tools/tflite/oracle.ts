/*
 * Oracle: the real TFLite runtime (compiled to WASM, from
 * @tensorflow/tfjs-tflite) run in Node, to check our parser's output and,
 * later, our kernels' results against.
 *
 * tfjs-tflite targets browsers; in Node it needs a little of a Web Worker's
 * environment (see ../shared/notes/oracles.md):
 *  - `self` and `self.location`, so its loader believes it is in a worker;
 *  - `importScripts`, implemented by evaluating the file from disk;
 *  - `fetch` of the local .wasm answered from disk as application/wasm;
 *  - `MessageChannel` hidden, so its feature probe picks the
 *    single-threaded build (the threaded one wants real workers);
 *  - `setWasmPath` pointing at the package's wasm folder.
 * Notes on results: CONV/DEPTHWISE/FC run on XNNPACK, which requantizes
 * with single rounding (oracles.md measured this).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { repoRoot } from "../build/build";

export type OracleArray = Int8Array | Uint8Array | Int32Array | Float32Array | Int16Array;

interface TfliteTensorInfo {
	data(): OracleArray;
}
interface ModelRunner {
	getInputs(): TfliteTensorInfo[];
	getOutputs(): TfliteTensorInfo[];
	infer(): boolean;
	cleanUp(): void;
}
interface TfliteModule {
	setWasmPath(p: string): void;
	loadTFLiteModel(model: ArrayBuffer, options?: { numThreads?: number }): Promise<{ modelRunner: ModelRunner }>;
}

let loaded: Promise<TfliteModule> | null = null;

function setupWorkerGlobals(wasmDir: string): void {
	const g = globalThis as Record<string, unknown>;
	const dirUrl = pathToFileURL(wasmDir + path.sep).href;
	if (g["self"] === undefined) g["self"] = globalThis;
	if ((g["self"] as Record<string, unknown>)["location"] === undefined) {
		(g["self"] as Record<string, unknown>)["location"] = { href: dirUrl, origin: "file://", protocol: "file:" };
	}
	g["importScripts"] = (...urls: string[]): void => {
		for (const u of urls) {
			const file = u.startsWith("file:") ? fileURLToPath(u) : path.resolve(wasmDir, u);
			// Top-level `var`s of the script must become globals, as in a worker.
			vm.runInThisContext(readFileSync(file, "utf8"), { filename: file });
		}
	};
	const realFetch = globalThis.fetch;
	globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
		if (url.startsWith("file:")) {
			const body = readFileSync(fileURLToPath(url));
			const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
			return new Response(body, { status: 200, headers: { "Content-Type": type } });
		}
		return realFetch(input, init);
	}) as typeof fetch;
	// The threaded build probes MessageChannel + SharedArrayBuffer; hiding it
	// selects the single-threaded WASM, which runs without workers.
	g["MessageChannel"] = undefined;
}

async function loadTflite(): Promise<TfliteModule> {
	const require = createRequire(path.join(repoRoot, "package.json"));
	const wasmDir = path.join(path.dirname(require.resolve("@tensorflow/tfjs-tflite/package.json")), "wasm");
	setupWorkerGlobals(wasmDir);
	require("@tensorflow/tfjs-core");
	const tflite = require("@tensorflow/tfjs-tflite") as TfliteModule;
	// An absolute path ("/...") is joined to self.location.origin ("file://")
	// by the loader; anything else would be resolved relative to the href.
	tflite.setWasmPath(`${wasmDir.split(path.sep).join("/")}/`);
	return tflite;
}

/** Runs a model once; inputs are raw bytes-as-typed-values of each input tensor, outputs likewise. */
export async function runTfliteRaw(modelBytes: Uint8Array, inputs: OracleArray[]): Promise<OracleArray[]> {
	loaded ??= loadTflite();
	const tflite = await loaded;
	const copy = modelBytes.slice().buffer;
	const model = await tflite.loadTFLiteModel(copy, { numThreads: 1 });
	const runner = model.modelRunner;
	try {
		const ins = runner.getInputs();
		if (ins.length !== inputs.length)
			throw new Error(`oracle: model has ${ins.length} inputs, got ${inputs.length}`);
		ins.forEach((t, i) => {
			const dst = t.data();
			const src = inputs[i]!;
			if (dst.length !== src.length)
				throw new Error(`oracle: input ${i} has ${dst.length} elements, got ${src.length}`);
			dst.set(src as never);
		});
		if (!runner.infer()) throw new Error("oracle: TFLite infer() failed");
		return runner.getOutputs().map((t) => t.data().slice());
	} finally {
		runner.cleanUp();
	}
}

/** Runs an int8 model: int8 inputs in, int8 outputs out (raw, no dequantization). */
export async function runTflite(modelBytes: Uint8Array, inputs: Int8Array[]): Promise<Int8Array[]> {
	const outs = await runTfliteRaw(modelBytes, inputs);
	return outs.map((o, i) => {
		if (!(o instanceof Int8Array))
			throw new Error(`oracle: output ${i} is ${o.constructor.name}, not Int8Array (use runTfliteRaw)`);
		return o;
	});
}

export interface OracleSession {
	/** One inference; inputs and outputs as in runTfliteRaw. */
	run(inputs: OracleArray[]): OracleArray[];
	close(): void;
}

/** Loads a model once for many inferences (evaluating a model on a whole test set). */
export async function openTflite(modelBytes: Uint8Array): Promise<OracleSession> {
	loaded ??= loadTflite();
	const tflite = await loaded;
	const model = await tflite.loadTFLiteModel(modelBytes.slice().buffer, { numThreads: 1 });
	const runner = model.modelRunner;
	return {
		run(inputs) {
			const ins = runner.getInputs();
			if (ins.length !== inputs.length)
				throw new Error(`oracle: model has ${ins.length} inputs, got ${inputs.length}`);
			ins.forEach((t, i) => {
				const dst = t.data();
				const src = inputs[i]!;
				if (dst.length !== src.length)
					throw new Error(`oracle: input ${i} has ${dst.length} elements, got ${src.length}`);
				dst.set(src as never);
			});
			if (!runner.infer()) throw new Error("oracle: TFLite infer() failed");
			return runner.getOutputs().map((t) => t.data().slice());
		},
		close() {
			runner.cleanUp();
		},
	};
}
