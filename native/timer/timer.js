// The "timer" module with Moddable's API (typed by @moddable/typings'
// timer.d.ts): set, repeat, schedule, clear, delay. The queue is kept here;
// the board runs it when the app is idle (xs_timer_register gives it the
// step function): on the host simulator, waiting for the next timer moves
// the virtual clock at once and is charged as Sleep (core stopped, clocks on).
// SPDX-License-Identifier: Apache-2.0
function register(step) @ "xs_timer_register";
function busy(milliseconds) @ "xs_timer_delay";

const entries = new Map();

function checkInterval(value, what) {
	if (value === undefined) return 0;
	if (typeof value !== "number" || !(value >= 0) || value === Infinity) throw new RangeError(`Timer.${what}: expected milliseconds >= 0, got ${String(value)}`);
	return value;
}

class Timer {
	constructor() {
		throw new TypeError("Timer: use Timer.set or Timer.repeat");
	}
	static set(callback, interval, repeat) {
		if (typeof callback !== "function") throw new TypeError("Timer.set: callback must be a function");
		const timer = Object.create(Timer.prototype);
		const delay = checkInterval(interval, "set interval");
		entries.set(timer, { callback, due: Date.now() + delay, repeat: checkInterval(repeat, "set repeat") });
		return timer;
	}
	static repeat(callback, interval) {
		if (interval === undefined) throw new RangeError("Timer.repeat: an interval is required");
		return Timer.set(callback, interval, interval);
	}
	static schedule(timer, interval, repeat) {
		let entry = entries.get(timer);
		if (!entry) {
			if (!timer || !(timer instanceof Timer) || !timer.callback) throw new TypeError("Timer.schedule: not a live timer");
			entry = { callback: timer.callback, due: Infinity, repeat: 0 };
			entries.set(timer, entry);
		}
		// No interval: the timer stays allocated but does not fire.
		entry.due = interval === undefined ? Infinity : Date.now() + checkInterval(interval, "schedule interval");
		entry.repeat = checkInterval(repeat, "schedule repeat");
	}
	static clear(timer) {
		if (timer !== undefined && timer !== null) entries.delete(timer);
	}
	static delay(milliseconds) {
		busy(checkInterval(milliseconds, "delay"));
	}
}

// For the board: fire the first timer that is due and return 0; or return
// the milliseconds until the next one; or -1 when none is scheduled.
function step() {
	let next;
	let due = Infinity;
	for (const [timer, entry] of entries) {
		if (entry.due < due) {
			due = entry.due;
			next = timer;
		}
	}
	if (next === undefined) return -1;
	const now = Date.now();
	if (due > now) return due - now;
	const entry = entries.get(next);
	if (entry.repeat > 0) {
		entry.due += entry.repeat;
		if (entry.due <= now) entry.due = now + entry.repeat;
	} else {
		entries.delete(next);
		// A one-shot timer may be scheduled again from its callback.
		Object.defineProperty(next, "callback", { value: entry.callback, configurable: true });
	}
	entry.callback.call(next, next);
	return 0;
}

register(step);
Object.freeze(Timer.prototype);
export { Timer, Timer as default };
