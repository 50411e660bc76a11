/*
 * xs_port.c: the XS engine policy every xsight board shares.
 * SPDX-License-Identifier: Apache-2.0
 *
 * - Module specifiers are names, not file paths: "main", "nn/tflite",
 *   "native/checksum", "file". "./x" and "../x" resolve against the importing
 *   module's name; a trailing ".js" is ignored. The board says which names
 *   exist and supplies their code.
 * - Native modules are small .js files that declare host functions with XS's
 *   `@ "xs_name"` syntax (as Moddable's modules do). When such a module is
 *   resolved, the port builds its host functions from the generated table.
 * - Promise jobs are queued by XS and drained here; module loading is
 *   promise-based, so every entry point drains the queue.
 * - Aborts: an uncaught exception or unhandled rejection is reported with its
 *   stack and the run ends with status 1; a fatal abort (memory full, stack
 *   overflow, ...) is reported with its reason and ends with status 2. XS
 *   calls fxAbort for the first two from inside xsEndHost, where returning is
 *   the only safe move; fatal ones leave the machine through fxExitToHost.
 */
#include "xs_port.h"
#include "power_board.h"

#include <stdarg.h>
#include <stdlib.h>

int xsBindingIsSame(txMachine *the, txSlot *a, txSlot *b)
{
	return fxIsSameSlot(the, a, b);
}

/* ---- console */

void xsPortPrintf(int error, const char *format, ...)
{
	char buffer[512];
	va_list arguments;
	va_start(arguments, format);
	int length = vsnprintf(buffer, sizeof(buffer), format, arguments);
	va_end(arguments);
	if (length < 0)
		return;
	if ((size_t)length >= sizeof(buffer))
		length = sizeof(buffer) - 1;
	xsBoardWrite(buffer, (size_t)length, error);
}

static void xsPortVPrintf(int error, const char *prefix, txString path, txInteger line, txString format,
                          c_va_list arguments)
{
	char buffer[512];
	int length = 0;
	if (path)
		length = snprintf(buffer, sizeof(buffer), "%s:%d: %s", path, (int)line, prefix);
	else
		length = snprintf(buffer, sizeof(buffer), "%s", prefix);
	if (length < 0 || (size_t)length >= sizeof(buffer))
		length = 0;
	int more = vsnprintf(buffer + length, sizeof(buffer) - (size_t)length, format, arguments);
	if (more > 0)
		length += more;
	if ((size_t)length >= sizeof(buffer) - 1)
		length = sizeof(buffer) - 2;
	if (length > 0 && buffer[length - 1] != '\n')
		buffer[length++] = '\n';
	xsBoardWrite(buffer, (size_t)length, error);
}

/* The parser's error reporter (XS's default only talks to xsbug). */
void xsPortReportParserError(void *console, txString path, txInteger line, txString format, c_va_list arguments)
{
	xsPortVPrintf(1, "error: ", path, line, format, arguments);
}

/* Moddable's trace(): writes its arguments, as strings, with no newline added. Counted as
   "console.bytes": on a board the console is a UART the core waits for, byte by byte. */
static void xsPortTrace(txMachine *the)
{
	txInteger count = mxArgc, i;
	for (i = 0; i < count; i++) {
		txString text = fxToString(the, mxArgv(i));
		size_t length = c_strlen(text);
		xsBoardWrite(text, length, 0);
		board_power_count("console.bytes", (double)length);
	}
}

static void xsPortSetup(txMachine *the)
{
	/* XS's own trace() reports to xsbug; point it at the board console. */
	txSlot *trace = mxTraceFunction.value.reference;
	mxFunctionInstanceCode(trace)->value.callback.address = xsPortTrace;
}

/* ---- host frames and promise jobs */

/* Run `step` inside a host frame: what xs.h's xsBeginHost/xsEndHost do, for
 * port code that sees XS's internals. fxExitToHost (fatal aborts) lands on the
 * outermost frame, so every entry into XS goes through here. */
static void xsPortInHost(txMachine *the, void (*step)(txMachine *, const void *), const void *context)
{
	txJump jump;
	jump.nextJump = the->firstJump;
	jump.stack = the->stack;
	jump.scope = the->scope;
	jump.frame = the->frame;
	jump.environment = C_NULL;
	jump.code = the->code;
	jump.flag = 0;
	the->firstJump = &jump;
	if (c_setjmp(jump.buffer) == 0) {
		fxBeginHost(the);
		step(the, context);
		fxEndHost(the);
	} else
		fxAbort(the, XS_UNHANDLED_EXCEPTION_EXIT);
	the->stack = jump.stack;
	the->scope = jump.scope;
	the->frame = jump.frame;
	the->code = jump.code;
	the->firstJump = jump.nextJump;
}

void fxQueuePromiseJobs(txMachine *the)
{
	the->promiseJobsPending = 1;
}

static void xsPortDrainJobs(txMachine *the, const void *context)
{
	while (the->promiseJobsPending) {
		the->promiseJobsPending = 0;
		fxRunPromiseJobs(the);
	}
}

void xsPortRunJobs(txMachine *the)
{
	if (!the->abortStatus)
		xsPortInHost(the, xsPortDrainJobs, C_NULL);
}

/* ---- aborts */

/* Report an exception value: its stack when it has one (an Error does),
 * else its string form. Must not throw, whatever the value is. */
static void xsPortReportException(txMachine *the, const char *what, txSlot *exception)
{
	mxTry(the)
	{
		mxPushSlot(exception);
		if (mxIsReference(the->stack)) {
			mxDub();
			mxGetID(mxID(_stack));
			if (mxIsUndefined(the->stack)) {
				mxPop();
				mxDub();
			}
		}
		xsPortPrintf(1, "%s: %s\n", what, fxToString(the, the->stack));
		mxPop();
	}
	mxCatch(the)
	{
		xsPortPrintf(1, "%s (it cannot be printed)\n", what);
	}
}

const char *xsPortAbortName(int status)
{
	switch (status) {
	case XS_STACK_OVERFLOW_EXIT: return "stack overflow";
	case XS_NOT_ENOUGH_MEMORY_EXIT: return "memory full";
	case XS_NO_MORE_KEYS_EXIT: return "not enough keys";
	case XS_TOO_MUCH_COMPUTATION_EXIT: return "too much computation";
	case XS_FATAL_CHECK_EXIT: return "fatal check failed";
	case XS_DEAD_STRIP_EXIT: return "dead strip";
	default: return "unknown abort";
	}
}

/* The innermost JS function on the stack, "name (file:line)", into the->abortWhere: after an
 * abort nothing may allocate, so names come from the keys and frames as they are. */
static void xsPortAbortWhere(txMachine *the)
{
	the->abortWhere[0] = 0;
	for (txSlot *frame = the->frame; frame && frame->next; frame = frame->next) {
		txSlot *environment = mxFrameToEnvironment(frame);
		txSlot *function = frame + 3;
		if (function->kind != XS_REFERENCE_KIND || !mxIsFunction(function->value.reference) ||
		    environment->ID == XS_NO_ID)
			continue;
		char name[48] = "";
		fxBufferFrameName(the, name, sizeof(name), frame, "");
		const char *file = fxGetKeyName(the, environment->ID);
		snprintf(the->abortWhere, sizeof(the->abortWhere), "%s (%s:%d)", name[0] ? name : "?", file ? file : "?",
		         (int)environment->value.environment.line);
		return;
	}
}

void fxAbort(txMachine *the, int status)
{
	const char *why;
	switch (status) {
	case XS_UNHANDLED_EXCEPTION_EXIT:
	case XS_UNHANDLED_REJECTION_EXIT: {
		/* xsEndHost lands here after a fatal abort too: that was reported. */
		if (the->abortStatus)
			return;
		txSlot exception = mxException;
		mxException = mxUndefined;
		xsPortReportException(the, status == XS_UNHANDLED_EXCEPTION_EXIT ? "uncaught exception" : "unhandled rejection",
		                      &exception);
		if (the->exitStatus == XS_PORT_EXIT_OK)
			the->exitStatus = XS_PORT_EXIT_EXCEPTION;
		return;
	}
	default: why = xsPortAbortName(status); break;
	}
	xsPortAbortWhere(the);
	xsPortPrintf(1, "fatal: XS abort: %s (status %d)%s%s\n", why, status, the->abortWhere[0] ? " in " : "",
	             the->abortWhere);
	the->exitStatus = XS_PORT_EXIT_ABORT;
	the->abortStatus = status;
	fxExitToHost(the);
}

/* ---- modules */

/* Resolve `specifier` against `importer` into `out`: "./a" and "../a" are
 * relative to the importer's folder; "." and ".." segments are folded. */
static txBoolean xsPortResolve(const char *importer, const char *specifier, char *out, size_t size)
{
	char path[C_PATH_MAX];
	size_t length = 0;
	int relative = (specifier[0] == '.') && ((specifier[1] == '/') || ((specifier[1] == '.') && (specifier[2] == '/')));
	path[0] = 0;
	if (relative) {
		if (!importer)
			return 0;
		const char *slash = c_strrchr(importer, '/');
		length = slash ? (size_t)(slash - importer + 1) : 0;
		if (length >= sizeof(path))
			return 0;
		c_memcpy(path, importer, length);
		path[length] = 0;
	}
	if (length + c_strlen(specifier) + 1 > sizeof(path))
		return 0;
	c_strcat(path, specifier);

	/* Fold segments into out. */
	size_t o = 0;
	const char *p = path;
	while (*p) {
		const char *end = c_strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : c_strlen(p);
		if ((n == 0) || ((n == 1) && (p[0] == '.'))) {
			/* skip */
		} else if ((n == 2) && (p[0] == '.') && (p[1] == '.')) {
			if (o == 0)
				return 0; /* climbs above the module root */
			while ((o > 0) && (out[o - 1] != '/'))
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + n + 2 > size)
				return 0;
			if (o > 0)
				out[o++] = '/';
			c_memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	out[o] = 0;
	if ((o > 3) && !c_strcmp(out + o - 3, ".js"))
		out[o - 3] = 0;
	return o > 0;
}

txID fxFindModule(txMachine *the, txSlot *realm, txID moduleID, txSlot *slot)
{
	char specifier[C_PATH_MAX];
	char name[C_PATH_MAX];
	const char *importer = (moduleID != XS_NO_ID) ? fxGetKeyName(the, moduleID) : NULL;
	fxToStringBuffer(the, slot, specifier, sizeof(specifier));
	if (!xsPortResolve(importer, specifier, name, sizeof(name)))
		return XS_NO_ID;
	if (!xsBoardHasModule(the, name))
		return XS_NO_ID;
	return fxNewNameC(the, name);
}

/* The `callback` XS runs before a script that declares host functions: it
 * must return the array of those functions, in declaration order. */
/* A script's symbol table read forward: the name of symbol `id` (IDs are local to the script until XS
   remaps its code; host functions keep theirs unmapped). A module declares its host functions in symbol
   order, so each lookup goes on from the last one instead of walking the table from its start. */
typedef struct {
	const unsigned char *next; /* the name of symbol `at` */
	txID at, count;
} xsPortSymbols;

static void xsPortSymbolsBegin(xsPortSymbols *s, const unsigned char *table)
{
	s->next = table;
	s->at = 1;
	s->count = 0;
	if (table) {
		mxDecodeID(s->next, s->count);
	}
}

static txID xsPortScriptID(txMachine *the, xsPortSymbols *s, txID id)
{
	if (!s->next || id <= 0 || id >= s->count)
		return XS_NO_ID;
	if (id < s->at)
		xsPortSymbolsBegin(s, the->loadingSymbols);
	for (; s->at < id; s->at++)
		s->next += c_strlen((const char *)s->next) + 1;
	return fxNewNameC(the, (txString)s->next);
}

static int xsPortHostByName(const void *name, const void *host)
{
	return c_strcmp((const char *)name, ((const xsPortHost *)host)->name);
}

/* The host function `name` of the firmware (xsPortHosts is in strcmp order: tools/build/gen-hosts.sh). */
static const xsPortHost *xsPortFindHost(const char *name)
{
	return bsearch(name, xsPortHosts, (size_t)xsPortHostCount, sizeof(xsPortHost), xsPortHostByName);
}

static void xsPortBuildHosts(txMachine *the)
{
	const unsigned char *p = the->loadingHosts;
	txID count, i;
	xsPortSymbols symbols;
	xsPortSymbolsBegin(&symbols, the->loadingSymbols);
	mxDecodeID(p, count);
	mxPush(mxArrayPrototype);
	fxNewArrayInstance(the);
	fxArrayCacheBegin(the, the->stack);
	for (i = 0; i < count; i++) {
		txS1 length = (txS1)*p++;
		txID id;
		mxDecodeID(p, id);
		const char *name = (const char *)p;
		p += c_strlen(name) + 1;
		/* A negative length marks a host class's destructor (`class X @ "name"`). */
		const xsPortHost *host = xsPortFindHost(name);
		if (!host)
			mxReferenceError("native function \"%s\" is not built into this board", name);
		if (length < 0)
			fxNewHostObject(the, (txDestructor)host->callback);
		else
			/* A prelinked module's table (no symbols) holds the name's key ID already. */
			fxNewHostFunction(the, host->callback, length, the->loadingSymbols ? xsPortScriptID(the, &symbols, id) : id,
			                  XS_NO_ID);
		fxArrayCacheItem(the, the->stack + 1, the->stack);
		mxPop();
	}
	fxArrayCacheEnd(the, the->stack);
	mxPullSlot(mxResult);
}

void fxLoadModule(txMachine *the, txSlot *module, txID moduleID)
{
	txString name = fxGetKeyName(the, moduleID);
	txScript *script = xsBoardLoadModule(the, name);
	if (!script)
		mxSyntaxError("module \"%s\" could not be compiled", name);
	if (script->hostsBuffer) {
		script->callback = xsPortBuildHosts;
		the->loadingHosts = (const unsigned char *)script->hostsBuffer;
		the->loadingSymbols = (const unsigned char *)script->symbolsBuffer;
	}
	/* fxResolveModule runs the script and deletes it, thrown or not; the
	   host-function callback runs first thing, so loadingHosts is used up. */
	fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
	the->loadingHosts = NULL;
	the->loadingSymbols = NULL;
}

/* ---- running the entry module */

static void xsPortMainFulfilled(txMachine *the) {}

static void xsPortMainRejected(txMachine *the)
{
	xsPortReportException(the, "uncaught exception", mxArgv(0));
	if (the->exitStatus == XS_PORT_EXIT_OK)
		the->exitStatus = XS_PORT_EXIT_EXCEPTION;
}

static void xsPortRunMainStep(txMachine *the, const void *context)
{
	txSlot *realm = mxModuleInstanceInternal(mxProgram.value.reference)->value.module.realm;
	xsPortSetup(the);
	mxPushStringC((txString)context);
	fxRunImport(the, realm, XS_NO_ID);
	mxDub();
	mxGetID(mxID(_then));
	mxCall();
	fxNewHostFunction(the, xsPortMainFulfilled, 1, XS_NO_ID, XS_NO_ID);
	fxNewHostFunction(the, xsPortMainRejected, 1, XS_NO_ID, XS_NO_ID);
	mxRunCount(2);
	mxPop();
	xsPortDrainJobs(the, C_NULL);
	fxCheckUnhandledRejections(the, 1);
}

int xsPortRunMain(txMachine *the, const char *name)
{
	xsPortInHost(the, xsPortRunMainStep, name);
	return the->exitStatus;
}

/* ---- calling back into the app (board events: timers) */

typedef struct {
	txSlot *function;
	txNumber result;
} xsPortCallContext;

static void xsPortCallStep(txMachine *the, const void *context)
{
	xsPortCallContext *call = (xsPortCallContext *)context;
	mxPushUndefined();
	mxPushSlot(call->function);
	mxCall();
	mxRunCount(0);
	call->result = fxToNumber(the, the->stack);
	mxPop();
	xsPortDrainJobs(the, C_NULL);
	fxCheckUnhandledRejections(the, 1);
}

int xsPortCallNumber(txMachine *the, txSlot *function, double *result)
{
	xsPortCallContext call = {function, -1};
	if (!the->abortStatus)
		xsPortInHost(the, xsPortCallStep, &call);
	*result = call.result;
	return the->exitStatus;
}
