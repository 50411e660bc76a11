/*
 * flash_modules.c: the XS port's module hooks on a device board: modules are
 * looked up by name in the table tools/build/xsc built into flash (flash_modules.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "xsScript.h"
#include "flash_modules.h"

const BoardModule *boardFindModule(const char *name)
{
	for (int i = 0; i < boardModuleCount; i++)
		if (!strcmp(boardModules[i].name, name))
			return &boardModules[i];
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
