// A minimal duty cycle: wake, count the boot in retained memory, log one
// record, go back to Standby. What the field app does around its vision
// work; `xsight sim --hours 24 --wake-every 60s` runs it for a day.
// SPDX-License-Identifier: Apache-2.0
//
// mc/config "power": { wakeEveryMs (default 60000), log (default
// "/state/duty.log"), wakeOnPins ([{ pin, edge }], default none), mode
// ("standby" or "stop", default "standby") }.
import config from "mc/config";
import { retained, sleep, wake, type SleepMode, type WakePin } from "power";
import { ResultLog, type LogPosition } from "resultlog";

interface DutyConfig {
	wakeEveryMs?: number;
	log?: string;
	wakeOnPins?: WakePin[];
	mode?: SleepMode;
}

const settings = (config["power"] ?? {}) as DutyConfig;
const store = retained.status;
retained.require(1);
// Where the log ended last boot, so opening it reads one record, not all.
const known = retained.string("log", "");
const log = new ResultLog(settings.log ?? "/state/duty.log", {
	maxBytes: 16384,
	resume: known ? (JSON.parse(known) as LogPosition) : undefined,
});

// Stop resumes here with the heap intact; Standby boots the module again.
let wakes = 0;
for (;;) {
	const woke = wake();
	const boots = retained.number("boots", 0) + (wakes === 0 ? 1 : 0);
	if (wakes === 0) retained.set("boots", boots);
	wakes++;
	const record = {
		boots,
		wakes,
		reason: woke.reason,
		pin: woke.pin,
		store,
		recovered: log.recovery.droppedBytes,
		resumed: log.recovery.resumed,
	};
	log.append(JSON.stringify(record));
	const position = log.position;
	if (position) retained.set("log", JSON.stringify(position));
	if (boots === 1 || woke.reason === "pin") trace(`duty: ${JSON.stringify(record)}\n`);
	// Wake on the period's grid from the first boot (as an RTC alarm would),
	// so the awake time does not make the period drift.
	const period = settings.wakeEveryMs ?? 60_000;
	const start = retained.number("start", Date.now());
	if (!retained.has("start")) retained.set("start", start);
	const now = Date.now();
	const next = start + (Math.floor((now - start) / period) + 1) * period;
	sleep({
		mode: settings.mode ?? "standby",
		wakeAfterMs: next - now,
		...(settings.wakeOnPins ? { wakeOnPins: settings.wakeOnPins } : {}),
	});
}
