// SPDX-License-Identifier: Apache-2.0
// What xsight's "file" module adds to Moddable's File (typed by
// @moddable/typings' file.d.ts): flush(), named as ECMA-419's file flush.
declare module "file" {
	interface File {
		/** Hand everything written so far to the storage before returning (a commit point). */
		flush(): void;
	}
}
