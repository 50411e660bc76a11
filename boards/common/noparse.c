/*
 * noparse.c: fxParseScript for a firmware without a JavaScript parser. Its
 * modules are XS bytecode compiled at build time, so the only callers left
 * are eval, new Function and source-text modules, which get a clear error;
 * the linker then drops XS's whole compiler. SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"

txScript *fxParseScript(txMachine *the, void *stream, txGetter getter, txUnsigned flags)
{
	mxSyntaxError("no JavaScript parser in this firmware: modules are compiled at build time");
	return NULL;
}
