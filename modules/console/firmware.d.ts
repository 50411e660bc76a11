// SPDX-License-Identifier: Apache-2.0
// Generated into a firmware build by tools/build/firmware-modules.ts; the simulator has none.
declare module "xsight/firmware" {
	const firmware: { version: string; commit: string };
	export default firmware;
}
