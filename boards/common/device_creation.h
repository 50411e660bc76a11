/*
 * device_creation.h: the XS creation sizes a device board boots with:
 * manifest.json's "creation" (64 + 16 KB chunks, 4096 + 1024 slots, a stack
 * of 768 slots, 512 + 128 keys). mps2-an500 takes the CLI's values over them.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_DEVICE_CREATION_H
#define XSIGHT_DEVICE_CREATION_H

/* A txCreation initializer; `parserBuffer`: what a build that parses on the
 * device needs, else anything small (the parser never runs). */
#define BOARD_DEVICE_CREATION(parserBuffer) { \
	.initialChunkSize = 64 * 1024, \
	.incrementalChunkSize = 16 * 1024, \
	.initialHeapCount = 4096, \
	.incrementalHeapCount = 1024, \
	.stackCount = 768, \
	.initialKeyCount = 512, \
	.incrementalKeyCount = 128, \
	.nameModulo = 127, \
	.symbolModulo = 127, \
	.parserBufferSize = (parserBuffer), \
	.parserTableModulo = 127, \
	.staticSize = 0, \
}

#endif
