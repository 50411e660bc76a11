/* module_file.c: a module file through XS's parser (module_file.h). SPDX-License-Identifier: Apache-2.0 */
#include "module_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

txScript *boardParseModuleFile(txMachine *the, const char *path, txUnsigned flags, txReport report, int *errors)
{
	FILE *volatile file = fopen(path, "r");
	if (!file) {
		if (errors)
			*errors = -1;
		return NULL;
	}
	txParser _parser;
	txParser *parser = &_parser;
	txParserJump jump;
	txString mapName = NULL;
	char map[PATH_MAX];
	txScript *volatile script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = report;
	if (c_setjmp(jump.jmp_buf) == 0) {
		parser->path = fxNewParserSymbol(parser, (txString)path);
		fxParserTree(parser, file, (txGetter)fgetc, flags, &mapName);
		fclose(file);
		file = NULL;
		if (mapName && realpath(fxCombinePath(parser, (txString)path, mapName), map) && (file = fopen(map, "r"))) {
			txString sourceName = NULL;
			fxParserSourceMap(parser, file, (txGetter)fgetc, flags, &sourceName);
			fclose(file);
			file = NULL;
			if ((parser->errorCount == 0) && sourceName && realpath(fxCombinePath(parser, map, sourceName), map))
				parser->path = fxNewParserSymbol(parser, map);
		}
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (file)
		fclose(file);
	if (errors)
		*errors = (int)parser->errorCount;
	fxTerminateParser(parser);
	return script;
}

char *boardReadFile(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return NULL;
	fseek(file, 0, SEEK_END);
	long length = ftell(file);
	fseek(file, 0, SEEK_SET);
	char *text = (length >= 0) ? malloc((size_t)length + 1) : NULL;
	if (text && fread(text, 1, (size_t)length, file) != (size_t)length) {
		free(text);
		text = NULL;
	}
	fclose(file);
	if (text) {
		text[length] = 0;
		if (size)
			*size = (size_t)length;
	}
	return text;
}
