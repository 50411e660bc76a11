// The XS side of the test harness: suites are modules that call test();
// runner.ts imports one and runs its cases. Each result is one line on the
// console, so any board (host, QEMU, a device's UART) can report it:
//   #xstest {"name":"...","ok":true|false,"message":"...","stack":"..."}
//   #xstest-done {"passed":N,"failed":N}
// test/support/xs.ts turns each line into its own vitest case.
// SPDX-License-Identifier: Apache-2.0

type Body = () => void | Promise<void>;

const cases: { name: string; body: Body }[] = [];

export function test(name: string, body: Body): void {
	cases.push({ name, body });
}

export class AssertionError extends Error {
	override name = "AssertionError";
}

function show(value: unknown): string {
	if (typeof value === "string") return JSON.stringify(value);
	if (typeof value === "bigint") return `${value}n`;
	try {
		const text = JSON.stringify(value);
		return text === undefined ? String(value) : text;
	} catch {
		return String(value);
	}
}

export function assert(condition: unknown, message = "assertion failed"): asserts condition {
	if (!condition) throw new AssertionError(message);
}

/** Same value (Object.is). */
export function equal<T>(actual: T, expected: T, what = "value"): void {
	if (!Object.is(actual, expected))
		throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Same structure: arrays, typed arrays and plain objects compared member by member. */
export function deepEqual(actual: unknown, expected: unknown, what = "value"): void {
	if (Object.is(actual, expected)) return;
	if (typeof actual !== "object" || typeof expected !== "object" || actual === null || expected === null)
		throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
	const a = actual as Record<string, unknown>;
	const e = expected as Record<string, unknown>;
	const keys = Object.keys(e);
	if (Object.keys(a).length !== keys.length)
		throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
	for (const key of keys) deepEqual(a[key], e[key], `${what}.${key}`);
}

/** Runs `body`, which must throw; returns what it threw. `pattern` must match the message. */
export function throws(body: () => unknown, pattern?: RegExp, what = "call"): Error {
	try {
		body();
	} catch (error) {
		return thrown(error, pattern, what);
	}
	throw new AssertionError(`${what}: expected it to throw`);
}

/** Awaits `body`'s promise, which must reject; returns its reason. `pattern` must match the message. */
export async function rejects(body: () => Promise<unknown>, pattern?: RegExp, what = "call"): Promise<Error> {
	try {
		await body();
	} catch (error) {
		return thrown(error, pattern, what);
	}
	throw new AssertionError(`${what}: expected it to reject`);
}

function thrown(error: unknown, pattern: RegExp | undefined, what: string): Error {
	if (!(error instanceof Error)) throw new AssertionError(`${what}: threw a non-Error ${show(error)}`);
	if (pattern && !pattern.test(error.message))
		throw new AssertionError(`${what}: message ${show(error.message)} does not match ${pattern}`);
	return error;
}

function report(tag: string, record: object): void {
	trace(`${tag} ${JSON.stringify(record)}\n`);
}

/** Run every registered case in order; one result line each, then a summary. */
export async function run(): Promise<void> {
	let passed = 0;
	let failed = 0;
	for (const { name, body } of cases) {
		try {
			await body();
			passed++;
			report("#xstest", { name, ok: true });
		} catch (error) {
			failed++;
			const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
			const stack = error instanceof Error ? String(error.stack ?? "") : "";
			report("#xstest", { name, ok: false, message, stack });
		}
	}
	report("#xstest-done", { passed, failed });
}
