// SPDX-License-Identifier: Apache-2.0
declare module "xsight/ticks" {
	/** Timer ticks since reset (25 MHz). */
	export function ticks(): number;
	/** Guest instructions per tick under `qemu -icount shift=0` (not cycles). */
	export const instructionsPerTick: number;
}
