// XS side of `xsight sim`'s check before a run: the field app's settings (mc/config app) through the
// app's own settingsFrom, printed as `#settings {json}`; a refused one is the app's own error.
// SPDX-License-Identifier: Apache-2.0
import { settingsFrom } from "field/settings";
import config from "mc/config";

trace(`#settings ${JSON.stringify(settingsFrom(config["app"]))}\n`);
