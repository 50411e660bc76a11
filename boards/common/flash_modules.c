/*
 * flash_modules.c: the XS port's module hooks on a device board: modules are
 * looked up by name in the table tools/build/xsc built into flash (flash_modules.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "xsScript.h"
#include "flash_modules.h"

#include <stdlib.h>

static int byName(const void *name, const void *module)
{
	return strcmp((const char *)name, ((const BoardModule *)module)->name);
}

/* tools/build/xsc writes the table in strcmp order of names: a binary search, about 7 comparisons for the
   ~120 modules of a firmware where a scan made 60 on average, for each of a wake's ~100 lookups. */
const BoardModule *boardFindModule(const char *name)
{
	return bsearch(name, boardModules, (size_t)boardModuleCount, sizeof(BoardModule), byName);
}

txBoolean xsBoardHasModule(txMachine *the, const char *name)
{
	return boardFindModule(name) != NULL;
}

static void *copyOut(const unsigned char *data, int size)
{
	if (!data || size <= 0)
		return NULL;
	void *copy = c_malloc((size_t)size);
	if (copy)
		c_memcpy(copy, data, (size_t)size);
	return copy;
}

/*
 * XS's keys, as its default fxBuildKeys makes them but for the names' strings, which stay where they are
 * (XS_KEY_X_KIND, as a preloaded machine's are), then the prelinked modules' names (boardKeys). Each new
 * key must get the ID tools/build/xsc gave it: a firmware built against another XS stops here.
 */
void fxBuildKeys(txMachine *the)
{
	int i;
	for (i = 0; i < XS_SYMBOL_ID_COUNT; i++) {
		txID id = the->keyIndex;
		txSlot *description = fxNewSlot(the);
		fxCopyStringC(the, description, gxIDStrings[i]);
		the->keyArray[id] = description;
		the->keyIndex++;
	}
	for (; i < XS_ID_COUNT; i++)
		fxNewNameX(the, gxIDStrings[i]);
	if (the->keyCount - the->keyIndex < boardKeyCount)
		fxGrowKeys(the, (txID)(boardKeyCount - (the->keyCount - the->keyIndex)));
	for (int k = 0; k < boardKeyCount; k++)
		if (fxNewNameX(the, (txString)boardKeys[k]) != (txID)(XS_ID_COUNT + k)) {
			xsPortPrintf(1, "fatal: key %d (\"%s\") is not the ID the firmware's modules were compiled with\n",
			             XS_ID_COUNT + k, boardKeys[k]);
			fxAbort(the, XS_FATAL_CHECK_EXIT);
		}
}

/* The scripts of the prelinked modules, made once: their code and host tables are flash, used in place. */
static txScript **gPrelinked;

static txScript *prelinkedScript(const BoardModule *module)
{
	if (!gPrelinked) {
		gPrelinked = c_calloc((size_t)boardModuleCount, sizeof(txScript *));
		if (!gPrelinked)
			return NULL;
	}
	txScript **slot = &gPrelinked[module - boardModules];
	if (!*slot) {
		txScript *script = c_calloc(1, sizeof(txScript));
		if (!script)
			return NULL;
		/* XS writes neither (no symbol table: nothing to remap, and the script is not deleted). */
		script->codeBuffer = (txByte *)module->code;
		script->codeSize = module->codeSize;
		script->hostsBuffer = (txByte *)module->hosts;
		script->hostsSize = module->hostsSize;
		c_memcpy(script->version, module->version, sizeof(script->version));
		*slot = script;
	}
	/* fxLoadModule sets the callback for host functions on each load. */
	(*slot)->callback = NULL;
	return *slot;
}

txScript *xsBoardLoadModule(txMachine *the, const char *name)
{
	const BoardModule *module = boardFindModule(name);
	if (!module)
		return NULL;
	if (module->code && !module->symbols)
		return prelinkedScript(module);
	/* A parsing build carries the text (a firmware without the parser has its refusing
	   fxParseScript, boards/common/noparse.c, and no text). */
	if (module->source) {
		txStringCStream stream = {(txString)module->source, 0, (txSize)strlen(module->source)};
		return fxParseScript(the, &stream, fxStringCGetter, module->flags);
	}
	if (!module->code)
		return NULL;
	/* XS remaps the symbol IDs inside the code and frees every buffer of the script once it
	   ran, so it gets RAM copies of the flash bytes (freed right after the module loads). */
	txScript *script = c_calloc(1, sizeof(txScript));
	if (!script)
		return NULL;
	script->codeBuffer = copyOut(module->code, module->codeSize);
	script->codeSize = module->codeSize;
	script->hostsBuffer = copyOut(module->hosts, module->hostsSize);
	script->hostsSize = module->hostsSize;
	script->symbolsBuffer = copyOut(module->symbols, module->symbolsSize);
	script->symbolsSize = module->symbolsSize;
	c_memcpy(script->version, module->version, sizeof(script->version));
	if (!script->codeBuffer || !script->symbolsBuffer || (module->hosts && !script->hostsBuffer)) {
		fxDeleteScript(script);
		return NULL;
	}
	return script;
}
