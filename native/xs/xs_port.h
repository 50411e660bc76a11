/*
 * xs_port.h: what every xsight board shares around the XS engine, and what
 * each board must supply to it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The port (xs_port.c) owns the engine policy that must not differ between
 * boards: module specifier resolution, host-function lookup for native
 * modules, the promise job queue, abort handling and exit statuses. A board
 * only says where module code comes from (files on the host, bytecode in
 * flash on a device) and where console text goes.
 */
#ifndef XSIGHT_XS_PORT_H
#define XSIGHT_XS_PORT_H

#include "xsAll.h"

/* Exit statuses shared by every board and by the CLI. */
enum {
	XS_PORT_EXIT_OK = 0,
	XS_PORT_EXIT_EXCEPTION = 1, /* uncaught exception or unhandled rejection */
	XS_PORT_EXIT_ABORT = 2,     /* fatal XS abort: memory full, stack overflow, ... */
	XS_PORT_EXIT_USAGE = 64     /* bad command line (EX_USAGE) */
};

/* One entry per `@ "name"` declared by a native module's .js file; the build
 * generates the table (tools/build/gen-hosts.sh) from those declarations, in
 * strcmp order of name (the port finds a name by binary search). */
typedef struct {
	const char *name;
	txCallback callback;
} xsPortHost;
extern const xsPortHost xsPortHosts[];
extern const int xsPortHostCount;

/* ---- supplied by the board */

/* Whether a module exists under this resolved name ("main", "nn/tflite",
 * "mc/config", "file"...). */
txBoolean xsBoardHasModule(txMachine *the, const char *name);
/* Compile or fetch the module's code; NULL when it cannot (the board reports
 * why through the parser's or its own error). XS deletes the script. */
txScript *xsBoardLoadModule(txMachine *the, const char *name);
/* Console output; `error` selects the error stream where a board has one. */
void xsBoardWrite(const char *text, size_t length, int error);

/* ---- provided by the port */

/* Install the globals every board offers (Moddable's `trace`), import `name`
 * as the program's entry module and run every job it queues. Returns an exit
 * status (XS_PORT_EXIT_*); after XS_PORT_EXIT_ABORT the machine is unusable. */
int xsPortRunMain(txMachine *the, const char *name);
/* What a fatal abort's XS_*_EXIT status means ("memory full"); the machine's abortWhere says where. */
const char *xsPortAbortName(int status);
/* Drain the promise job queue (after a board event resumes the app). */
void xsPortRunJobs(txMachine *the);
/* Call `function` (no arguments, `this` undefined) for a board event, then
 * drain the jobs it queued; its result as a number goes to *result (-1 when
 * it threw). Returns the exit status, as xsPortRunMain does. */
int xsPortCallNumber(txMachine *the, txSlot *function, double *result);
/* For a board's parser: `parser->reportError = xsPortReportParserError`. */
void xsPortReportParserError(void *console, txString path, txInteger line, txString format, c_va_list arguments);
/* printf to the board console (error stream when `error`). */
void xsPortPrintf(int error, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
