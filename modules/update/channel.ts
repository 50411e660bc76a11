// The board's update channel, imported by the field app only when it woke
// on the channel's pin (mc/config update.pin), or when the last wake's console
// session received a bundle (retained updateWaiting): a wake without an update
// loads none of this. The bundle waits in the state folder's inbox
// (/state/inbox-<n>.xsb): on the host simulator a scenario's update event puts
// it there and raises the pin; on mps2-an500 `xsight run --update` does; on
// any board with a console UART, the STM32H743's included, `xsight update
// --port` sends it in frames (console/session: "U", "I"). The app installs the
// first bundle waiting there and removes it.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";
import { retained } from "power";
import type { ResultLog } from "resultlog";
import { install } from "update/install";
import { appConfig } from "update/record";
import { fromHex, PUBLIC_KEY_BYTES } from "update/signature";

/** The inbox's bundles are looked for up to this number. */
const MAX_INBOX = 16;

/**
 * Install the bundle waiting in the inbox, logging every step. Returns the
 * app's settings (mc/config app with the update's over them) as JSON when the
 * device switched to it, otherwise undefined (nothing waiting, or refused:
 * the log says why).
 */
export async function receiveUpdate(
	log: ResultLog,
	app: Record<string, unknown>,
	update: unknown,
): Promise<string | undefined> {
	let path: string | undefined;
	for (let n = 1; n <= MAX_INBOX && path === undefined; n++)
		if (File.exists(`/state/inbox-${n}.xsb`)) path = `/state/inbox-${n}.xsb`;
	if (path === undefined) {
		log.append(JSON.stringify({ update: "none", reason: "the update pin rose with no bundle in the inbox" }));
		return undefined;
	}
	const file = new File(path);
	const bytes = new Uint8Array(file.read(ArrayBuffer));
	file.close();
	// Taken whatever comes of it: a refused bundle stays refused.
	File.delete(path);
	const key = (update as { publicKey?: unknown } | undefined)?.publicKey;
	const publicKey = typeof key === "string" ? fromHex(key) : undefined;
	if (publicKey?.length !== PUBLIC_KEY_BYTES) {
		log.append(
			JSON.stringify({
				update: "refused",
				reason: "mc/config update.publicKey: expected 64 hex digits (the firmware trusts no key)",
			}),
		);
		return undefined;
	}
	const { Model } = await import("nn");
	const record = await install(bytes, {
		publicKey,
		app,
		log,
		loadModel: (model) => Model.load(model),
		// The field app's copy of the running update's settings (modules/main.ts): gone before the
		// switch, so that a boot after a power loss reads the record instead of trusting it.
		beforeSwitch: () => retained.delete("updateApp"),
	});
	return record ? JSON.stringify(appConfig(app, record)) : undefined;
}
