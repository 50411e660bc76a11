// The xsight app's entry module. For now it proves the stack end to end:
// config from the manifest, a file read through Moddable's File API, and a
// native function working on the bytes zero-copy.
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { File } from "file";
import { crc32, histogram } from "native/bytes";

const samplePath: unknown = config["sample"];
if (typeof samplePath !== "string") throw new Error(`mc/config sample: expected a file path, got ${String(samplePath)}`);

const file = new File(samplePath);
const bytes = new Uint8Array(file.read(ArrayBuffer));
file.close();

const bins = histogram(bytes, new Uint32Array(256));
let sum = 0;
for (let value = 0; value < 256; value++) sum += value * (bins[value] ?? 0);

trace(`xsight: read ${samplePath}: ${bytes.length} bytes, crc32 ${crc32(bytes).toString(16).padStart(8, "0")}, mean byte ${(sum / bytes.length).toFixed(1)}\n`);
