// The one place modules/vision reads a whole file. Cascades go through here,
// so switching to Moddable's Resource (data mapped from flash, nothing copied
// into the XS heap) is a change to this function only.
// SPDX-License-Identifier: Apache-2.0
import { File } from "file";

export function readFileBytes(path: string): Uint8Array {
	const file = new File(path);
	try {
		return new Uint8Array(file.read(ArrayBuffer));
	} finally {
		file.close();
	}
}
