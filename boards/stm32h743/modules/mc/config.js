// mc/config on the stm32h743 board: config.json of the flash store when there
// is one (written with the store image, `make h7-fsimage`), else manifest.json's
// config built into the firmware; frozen deep, as the host simulator serves it.
// SPDX-License-Identifier: Apache-2.0
function text() @ "xs_board_config";
export default Object.freeze(JSON.parse(text()), true);
