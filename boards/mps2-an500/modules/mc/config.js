// mc/config on the mps2-an500 board: the JSON file given with --config, read
// over semihosting, else manifest.json's config built into the firmware;
// frozen deep (XS's second argument to freeze), as the host simulator serves it. SPDX-License-Identifier: Apache-2.0
function text() @ "xs_board_config";
export default Object.freeze(JSON.parse(text()), true);
