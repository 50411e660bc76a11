/* host.h: what the host simulator board's parts share. SPDX-License-Identifier: Apache-2.0 */
#ifndef XSIGHT_HOST_H
#define XSIGHT_HOST_H

/* Folder that the "file" module's paths are relative to (--root). */
extern const char* gHostDataRoot;

#endif
