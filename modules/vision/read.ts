// The one place modules/vision reads a whole file: cascades come through
// Moddable's Resource, so their bytes stay in C-owned memory (flash on a
// device), never in the XS heap.
// SPDX-License-Identifier: Apache-2.0
import Resource from "Resource";

export function readFileBytes(path: string): Uint8Array {
	let resource: Resource;
	try {
		resource = new Resource(path);
	} catch (error) {
		throw new Error(`${path}: cannot load: ${(error as Error).message}`);
	}
	return new Uint8Array(resource);
}
