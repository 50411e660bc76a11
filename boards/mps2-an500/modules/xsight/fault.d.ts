// SPDX-License-Identifier: Apache-2.0
declare module "xsight/fault" {
	/** Executes an undefined instruction: a UsageFault the board must report (exit status 3). */
	export function fault(): never;
}
