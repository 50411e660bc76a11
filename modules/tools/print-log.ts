// XS side of `xsight log`: reads a results log with the same module the app
// writes it with, and prints one `#record {"seq","time","payload"}` line per
// record, in order, then what it skipped. mc/config: log (path, e.g.
// "/state/results.log"). It opens the log read-only: printing writes nothing.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { File } from "file";
import { ResultLog } from "resultlog";

const path = config["log"];
if (typeof path !== "string" || path === "") throw new Error("mc/config log: expected the results log's path");
if (!File.exists(path)) throw new Error(`${path}: no results log (has the app run with this state folder?)`);
const log = new ResultLog(path, { readOnly: true });
for (const record of log.records()) {
	const payload = typeof record.payload === "string" ? record.payload : `(${record.payload.byteLength} bytes)`;
	trace(`#record ${JSON.stringify({ seq: record.seq, time: record.time, payload })}\n`);
}
const { droppedBytes, skippedBytes, skippedRecords } = log.recovery;
if (droppedBytes > 0 || skippedBytes > 0)
	trace(`#recovery ${JSON.stringify({ droppedBytes, skippedBytes, skippedRecords })}\n`);
log.close();
