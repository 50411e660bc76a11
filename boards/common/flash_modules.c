/*
 * flash_modules.c: the XS port's module hooks on a device board: modules are
 * looked up by name in the table tools/build/xsc built into flash (flash_modules.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "xsScript.h"
#include "flash_modules.h"

/* tools/build/xsc writes the table in strcmp order of names: a binary search, about 7 comparisons for the
   ~120 modules of a firmware where a scan made 60 on average, for each of a wake's ~100 lookups. */
const BoardModule *boardFindModule(const char *name)
{
	int lo = 0, hi = boardModuleCount;
	while (lo < hi) {
		const int mid = lo + (hi - lo) / 2;
		const int order = strcmp(boardModules[mid].name, name);
		if (order == 0)
			return &boardModules[mid];
		if (order < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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

txScript *xsBoardLoadModule(txMachine *the, const char *name)
{
	const BoardModule *module = boardFindModule(name);
	if (!module)
		return NULL;
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
