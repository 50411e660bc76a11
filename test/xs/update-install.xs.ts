// A field update installed on XS (modules/update/install.ts): mc/config
// updateInstall { bundles: { name: path } } (test/update.test.ts writes them,
// signed with the key of mc/config update.publicKey), in the order below, on
// one data root: each case goes on from the one before.
import config from "mc/config";
import { Model } from "nn";
import Resource from "Resource";
import { ResultLog } from "resultlog";
import { install } from "update/install";
import { RECORD, runningUpdate, type UpdateRecord } from "update/record";
import { fromHex } from "update/signature";
import { deepEqual, equal, test } from "./harness";

const given = config["updateInstall"] as { bundles: Record<string, string> };
const publicKey = fromHex((config["update"] as { publicKey: string }).publicKey)!;
const app = config["app"] as Record<string, unknown>;
const log = new ResultLog("/state/update-test.log");

/** Install bundle `name`; the log's records it added. */
async function run(name: string): Promise<{ record: UpdateRecord | undefined; steps: Record<string, unknown>[] }> {
	const before = log.lastSeq;
	const path = given.bundles[name];
	if (!path) throw new Error(`mc/config updateInstall.bundles.${name}: missing`);
	const record = await install(new Uint8Array(new Resource(path)), {
		publicKey,
		app,
		log,
		loadModel: (model) => Model.load(model),
	});
	const steps = log
		.records()
		.filter((r) => r.seq > before)
		.map((r) => JSON.parse(r.payload as string) as Record<string, unknown>);
	return { record, steps };
}

async function refused(name: string, reason: RegExp): Promise<void> {
	const was = runningUpdate();
	const { record, steps } = await run(name);
	equal(record, undefined, `${name}: installed`);
	const last = steps[steps.length - 1];
	equal(last?.["update"], "refused", `${name}: the last step`);
	equal(
		reason.test(String(last?.["reason"])),
		true,
		`${name}: reason ${JSON.stringify(last?.["reason"])} matches ${reason}`,
	);
	deepEqual(runningUpdate(), was, `${name}: the running update`);
}

test("a device on its firmware's files installs a good bundle into slot a, each step logged, and switches to it", async () => {
	equal(runningUpdate(), undefined, "an update before any");
	const { record, steps } = await run("good");
	deepEqual(
		steps.map((s) => s["update"]),
		["verified", "written", "checked", "switched"],
		"steps",
	);
	deepEqual(record, { slot: "a", version: 2, model: "/update-a.smile.tflite", app: { maxFaces: 2 } }, "record");
	deepEqual(runningUpdate(), record, RECORD);
	equal(new Uint8Array(new Resource("/update-a.smile.tflite")).length, 41120, "the model's bytes");
});

test("the same version again is refused: a version must grow", async () => {
	await refused("good", /^version 2 is not above the running 2$/);
});

test("a bundle signed by another key is refused", async () => {
	await refused("otherKey", /^signature: not signed by this device's key$/);
});

test("a truncated bundle is refused", async () => {
	await refused("truncated", /^truncated: /);
});

test("a model that does not compile is refused, the running slot kept", async () => {
	await refused("badModel", /^model \/update-b\.broken\.tflite: /);
});

test("a cascade that does not load is refused", async () => {
	await refused("badCascade", /^cascade \/update-b\.broken\.cascade: /);
});

test("settings that fail the boot check are refused, naming the setting", async () => {
	await refused("badSettings", /^settings app\.json: mc\/config app\.maxFaces: /);
});

test("the next good bundle goes to slot b and remembers slot a", async () => {
	const { record } = await run("next");
	deepEqual(
		record,
		{
			slot: "b",
			version: 3,
			app: { smileThreshold: 0.6 },
			previous: { slot: "a", version: 2, model: "/update-a.smile.tflite", app: { maxFaces: 2 } },
		},
		"record",
	);
	deepEqual(runningUpdate(), record, RECORD);
});

test("a self-test frame whose faces differ from the bundle's is refused, saying what each found", async () => {
	await refused(
		"selfTestWrong",
		/^self-test check\.pgm: expected \d+,\d+ \d+x\d+ smile, found \d+,\d+ \d+x\d+ no smile$/,
	);
});

test("a self-test frame in which the app finds the bundle's faces and labels: checked, self-tested, switched", async () => {
	const { record, steps } = await run("selfTestGood");
	deepEqual(
		steps.map((s) => s["update"]),
		["verified", "written", "checked", "self-tested", "switched"],
		"steps",
	);
	equal(steps[3]?.["faces"], 1, "faces found");
	equal(record?.version, 4, "version");
	deepEqual(runningUpdate(), record, RECORD);
});
