// A page loaded in Debian's Chromium, headless, driven over the DevTools
// protocol on a pipe (--remote-debugging-pipe: JSON messages ended by NUL on
// file descriptors 3 and 4), so no browser download and no npm package.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { pathToFileURL } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";

export function haveChromium(): boolean {
	return existsSync(CHROMIUM);
}

export interface PageResult {
	/** Console errors and warnings, uncaught exceptions, failed loads: what a person would see in DevTools. */
	problems: string[];
	/** The expression's value, evaluated in the page after its load event. */
	value: unknown;
}

interface Message {
	id?: number;
	method?: string;
	sessionId?: string;
	params?: Record<string, unknown>;
	result?: Record<string, unknown>;
	error?: { message: string };
}

/** Load a local HTML file at `width` CSS pixels wide, evaluate `expression` in it, optionally save a full-page PNG. */
export async function loadPage(
	file: string,
	expression: string,
	options: { width?: number; screenshot?: string; timeoutMs?: number } = {},
): Promise<PageResult> {
	const profile = mkdtempSync(path.join(tmpdir(), "xsight-chromium-"));
	const args = [
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--no-first-run",
		`--user-data-dir=${profile}`,
		"--remote-debugging-pipe",
		"about:blank",
	];
	// Its own process group: the browser's helper processes are stopped with it (see finally).
	const browser = spawn(CHROMIUM, args, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
	const input = browser.stdio[3] as Writable;
	const output = browser.stdio[4] as Readable;
	let stderr = "";
	browser.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
	const problems: string[] = [];
	const waiting = new Map<
		number,
		{ resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }
	>();
	const events: { method: string; resolve: () => void }[] = [];
	let nextId = 1;
	let buffer = "";
	const exited = new Promise<never>((_, reject) =>
		browser.on("exit", (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-2000)}`))),
	);
	output.setEncoding("utf8").on("data", (chunk: string) => {
		buffer += chunk;
		for (let end = buffer.indexOf("\0"); end >= 0; end = buffer.indexOf("\0")) {
			const message = JSON.parse(buffer.slice(0, end)) as Message;
			buffer = buffer.slice(end + 1);
			if (message.id !== undefined) {
				const pending = waiting.get(message.id);
				waiting.delete(message.id);
				if (message.error) pending?.reject(new Error(message.error.message));
				else pending?.resolve(message.result ?? {});
				continue;
			}
			const params = message.params ?? {};
			if (
				message.method === "Runtime.consoleAPICalled" &&
				(params["type"] === "error" || params["type"] === "warning")
			)
				problems.push(`console.${String(params["type"])}: ${JSON.stringify(params["args"])}`);
			else if (message.method === "Runtime.exceptionThrown")
				problems.push(`exception: ${JSON.stringify(params["exceptionDetails"])}`);
			else if (message.method === "Log.entryAdded") {
				const entry = params["entry"] as { level: string; text: string; url?: string };
				if (entry.level === "error" || entry.level === "warning")
					problems.push(`${entry.level}: ${entry.text} ${entry.url ?? ""}`);
			}
			for (const [i, event] of events.entries())
				if (event.method === message.method) {
					events.splice(i, 1);
					event.resolve();
					break;
				}
		}
	});
	const send = (
		method: string,
		params: Record<string, unknown> = {},
		sessionId?: string,
	): Promise<Record<string, unknown>> => {
		const id = nextId++;
		input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
		return Promise.race([
			exited,
			new Promise<Record<string, unknown>>((resolve, reject) => waiting.set(id, { resolve, reject })),
		]);
	};
	const event = (method: string) => new Promise<void>((resolve) => events.push({ method, resolve }));
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`chromium: no answer in ${options.timeoutMs ?? 60_000} ms: ${stderr.slice(-2000)}`)),
			options.timeoutMs ?? 60_000,
		);
	});
	try {
		return await Promise.race([
			timeout,
			(async () => {
				const { targetId } = await send("Target.createTarget", { url: "about:blank" });
				const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as {
					sessionId: string;
				};
				for (const domain of ["Runtime", "Log", "Page"]) await send(`${domain}.enable`, {}, sessionId);
				await send(
					"Emulation.setDeviceMetricsOverride",
					{ width: options.width ?? 1000, height: 800, deviceScaleFactor: 1, mobile: false },
					sessionId,
				);
				const loaded = event("Page.loadEventFired");
				await send("Page.navigate", { url: pathToFileURL(file).href }, sessionId);
				await loaded;
				const evaluated = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
				const exception = evaluated["exceptionDetails"];
				if (exception) throw new Error(`evaluate: ${JSON.stringify(exception)}`);
				if (options.screenshot) {
					const { cssContentSize } = (await send("Page.getLayoutMetrics", {}, sessionId)) as {
						cssContentSize: { width: number; height: number };
					};
					const clip = { x: 0, y: 0, width: cssContentSize.width, height: cssContentSize.height, scale: 1 };
					const shot = await send(
						"Page.captureScreenshot",
						{ format: "png", captureBeyondViewport: true, clip },
						sessionId,
					);
					writeFileSync(options.screenshot, Buffer.from(shot["data"] as string, "base64"));
				}
				return { problems, value: (evaluated["result"] as { value?: unknown }).value };
			})(),
		]);
	} finally {
		clearTimeout(timer);
		const exited = new Promise((resolve) =>
			browser.exitCode !== null ? resolve(undefined) : browser.on("exit", resolve),
		);
		try {
			process.kill(-browser.pid!, "SIGKILL");
		} catch {
			// The group is gone already.
		}
		await exited;
		// A helper that outlived the group may still be writing the profile: a temporary folder left
		// behind is no failure of the page.
		try {
			rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
		} catch {}
	}
}
