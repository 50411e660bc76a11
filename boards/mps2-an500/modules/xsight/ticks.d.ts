// SPDX-License-Identifier: Apache-2.0
declare module "xsight/ticks" {
	/** Timer ticks since reset (25 MHz; 40 guest instructions each under `-icount shift=0`). */
	export function ticks(): number;
}
