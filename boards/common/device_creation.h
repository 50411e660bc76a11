/*
 * device_creation.h: the XS creation sizes a device board boots with, generated into its
 * firmware from manifest.json (tools/build/firmware-modules.ts --creation PLATFORM: the manifest's
 * "creation" with Moddable's per-platform "platforms.PLATFORM.creation" over it). The
 * parser's buffer is left 0 for the board to set: what a build that parses on the device
 * needs, else anything small (the parser never runs). mps2-an500 takes the CLI's sizes over them.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_DEVICE_CREATION_H
#define XSIGHT_DEVICE_CREATION_H

#include "xs_port.h"

extern const txCreation gBoardCreation;

#endif
