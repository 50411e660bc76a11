/*
 * module_file.h: compiling a module's JavaScript file with XS's parser, as the
 * host simulator does at run time and tools/build/xsc (the firmware's build-time
 * compiler) does ahead of time: the same parse, so the device's stack traces
 * and the simulator's name the same .ts lines; and reading a whole file, for
 * both. Host only (stdio, realpath).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_MODULE_FILE_H
#define XSIGHT_MODULE_FILE_H

#include "xsAll.h"
#include "xsScript.h"

/* Compile the file at `path`; when tsc left a source map next to it, follow
 * it so that the code's path and lines are those of the .ts source. Parser
 * errors go to `report`. *errors (may be NULL): the parser's error count, or
 * -1 when the file could not be opened (errno says why). NULL when there is
 * no script. */
txScript *boardParseModuleFile(txMachine *the, const char *path, txUnsigned flags, txReport report, int *errors);

/* A whole file in malloc'd memory, NUL-terminated (module text, a config, a
 * frame); its size in *size (may be NULL). NULL with errno set when it
 * cannot be read. */
char *boardReadFile(const char *path, size_t *size);

#endif
