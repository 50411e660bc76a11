/*
 * xsc.c: compiles an app's modules to XS bytecode at build time, with the
 * compiler of the same XS sources the boards run, and writes them as a C
 * table (BoardModule, boards/common/flash_modules.h) for the firmware's flash.
 * SPDX-License-Identifier: Apache-2.0
 *
 * usage: xsight-xsc [--source] LIST OUT.c
 * LIST has one module a line: NAME<TAB>FILE<TAB>js|native. "native" files
 * may declare host functions with XS's `@ "name"` syntax. tsc's source maps
 * are followed, so stack traces on the device name the .ts file and line.
 * With --source the table holds the JavaScript text instead, for a firmware
 * that parses on the device (to measure what compiling ahead saves).
 */
#include "xsAll.h"
#include "xsScript.h"

#include <errno.h>
#include <limits.h>

/* The engine hooks a compiler never reaches: no module is ever run here. */
void fxAbort(txMachine* the, int status)
{
	fprintf(stderr, "xsight-xsc: XS abort %d\n", status);
	exit(2);
}
txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot) { return XS_NO_ID; }
void fxLoadModule(txMachine* the, txSlot* module, txID moduleID) {}
void fxQueuePromiseJobs(txMachine* the) {}
/* The host board's XS objects read the time through the board (its clock is virtual); the
   compiler only needs the real one. */
int xsBoardGetTimeOfDay(struct timeval* tv, void* zone) { return gettimeofday(tv, zone); }

static int gErrors;

static void reportError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	fprintf(stderr, "%s:%d: error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fputc('\n', stderr);
	gErrors++;
}

static txScript* compileFile(txMachine* the, const char* path, txUnsigned flags)
{
	txParser _parser;
	txParser* parser = &_parser;
	txParserJump jump;
	FILE* volatile file = NULL;
	txString mapName = NULL;
	char map[PATH_MAX];
	txScript* volatile script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = reportError;
	if (c_setjmp(jump.jmp_buf) == 0) {
		file = fopen(path, "r");
		if (!file) {
			fprintf(stderr, "xsight-xsc: cannot open %s: %s\n", path, strerror(errno));
			gErrors++;
		}
		mxParserThrowElse(file);
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
	if (parser->errorCount)
		gErrors++;
	fxTerminateParser(parser);
	return script;
}

static void writeBytes(FILE* out, const char* name, int index, const void* data, int size)
{
	const unsigned char* p = data;
	fprintf(out, "static const unsigned char m%d_%s[%d] = {", index, name, size);
	for (int i = 0; i < size; i++)
		fprintf(out, "%s%u,", (i % 24) ? "" : "\n\t", p[i]);
	fprintf(out, "\n};\n");
}

static void writeString(FILE* out, const char* text)
{
	fputc('"', out);
	for (const unsigned char* p = (const unsigned char*)text; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fprintf(out, "\\n\"\n\t\"");
		else if (*p < 0x20 || *p >= 0x7F)
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static char* readText(const char* path)
{
	FILE* file = fopen(path, "rb");
	if (!file)
		return NULL;
	fseek(file, 0, SEEK_END);
	long length = ftell(file);
	fseek(file, 0, SEEK_SET);
	char* text = (length >= 0) ? malloc((size_t)length + 1) : NULL;
	if (text && fread(text, 1, (size_t)length, file) != (size_t)length) {
		free(text);
		text = NULL;
	}
	fclose(file);
	if (text)
		text[length] = 0;
	return text;
}

#define MAX_MODULES 512

int main(int argc, char* argv[])
{
	int source = 0;
	int a = 1;
	if (a < argc && !strcmp(argv[a], "--source")) {
		source = 1;
		a++;
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: xsight-xsc [--source] LIST OUT.c\n"
			"Compiles the modules of LIST (NAME<TAB>FILE<TAB>js|native a line) to XS bytecode in a C table.\n");
		return 64;
	}
	FILE* list = fopen(argv[a], "r");
	if (!list) {
		fprintf(stderr, "xsight-xsc: cannot open %s: %s\n", argv[a], strerror(errno));
		return 1;
	}
	txCreation creation = {
		.initialChunkSize = 256 * 1024, .incrementalChunkSize = 128 * 1024,
		.initialHeapCount = 4096, .incrementalHeapCount = 1024,
		.stackCount = 1024, .initialKeyCount = 1024, .incrementalKeyCount = 1024,
		.nameModulo = 127, .symbolModulo = 127,
		.parserBufferSize = 256 * 1024, .parserTableModulo = 1993, .staticSize = 0,
	};
	txMachine* the = fxCreateMachine(&creation, "xsc", NULL, XS_NO_ID);
	if (!the) {
		fprintf(stderr, "xsight-xsc: cannot create an XS machine\n");
		return 1;
	}
	/* Written to a temporary file, renamed when complete: make never sees half a table. */
	char temp[PATH_MAX];
	snprintf(temp, sizeof(temp), "%s.tmp", argv[a + 1]);
	FILE* out = fopen(temp, "w");
	if (!out) {
		fprintf(stderr, "xsight-xsc: cannot write %s: %s\n", temp, strerror(errno));
		return 1;
	}
	fprintf(out, "/* Generated by xsight-xsc from %s. Do not edit. */\n#include \"flash_modules.h\"\n", argv[a]);

	static char names[MAX_MODULES][PATH_MAX], paths[MAX_MODULES][PATH_MAX];
	static int natives[MAX_MODULES];
	static txScript* scripts[MAX_MODULES];
	int count = 0;
	char line[3 * PATH_MAX];
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		char* name = strtok(line, "\t");
		char* path = strtok(NULL, "\t");
		char* kind = strtok(NULL, "\t");
		if (!name || !path || !kind || (strcmp(kind, "js") && strcmp(kind, "native")) || count == MAX_MODULES) {
			fprintf(stderr, "%s: bad line %d: expected NAME<TAB>FILE<TAB>js|native\n", argv[a], count + 1);
			return 1;
		}
		snprintf(names[count], PATH_MAX, "%s", name);
		snprintf(paths[count], PATH_MAX, "%s", path);
		natives[count] = !strcmp(kind, "native");
		txUnsigned flags = mxDebugFlag | (natives[count] ? mxCFlag : 0);
		if (source) {
			char* text = readText(path);
			if (!text) {
				fprintf(stderr, "xsight-xsc: cannot read %s: %s\n", path, strerror(errno));
				return 1;
			}
			fprintf(out, "static const char m%d_source[] =\n\t", count);
			writeString(out, text);
			fprintf(out, ";\n");
			free(text);
		}
		else {
			txScript* script = compileFile(the, path, flags);
			if (!script) {
				gErrors++;
				continue;
			}
			writeBytes(out, "code", count, script->codeBuffer, script->codeSize);
			if (script->hostsBuffer)
				writeBytes(out, "hosts", count, script->hostsBuffer, script->hostsSize);
			writeBytes(out, "symbols", count, script->symbolsBuffer, script->symbolsSize);
			scripts[count] = script;
		}
		count++;
	}
	fclose(list);
	if (gErrors) {
		fclose(out);
		remove(temp);
		fprintf(stderr, "xsight-xsc: %d module(s) failed to compile\n", gErrors);
		return 1;
	}
	fprintf(out, "const BoardModule boardModules[] = {\n");
	for (int i = 0; i < count; i++) {
		fprintf(out, "\t{ .name = ");
		writeString(out, names[i]);
		fprintf(out, ", .path = ");
		writeString(out, paths[i]);
		if (source)
			fprintf(out, ", .flags = %d, .source = m%d_source },\n", (int)(mxDebugFlag | (natives[i] ? mxCFlag : 0)), i);
		else {
			txScript* s = scripts[i];
			fprintf(out, ", .code = m%d_code, .codeSize = %d", i, (int)s->codeSize);
			if (s->hostsBuffer)
				fprintf(out, ", .hosts = m%d_hosts, .hostsSize = %d", i, (int)s->hostsSize);
			fprintf(out, ", .symbols = m%d_symbols, .symbolsSize = %d, .version = { %d, %d, %d, %d } },\n", i, (int)s->symbolsSize,
				s->version[0], s->version[1], s->version[2], s->version[3]);
			fxDeleteScript(s);
		}
	}
	fprintf(out, "};\nconst int boardModuleCount = %d;\n", count);
	if (fclose(out) || rename(temp, argv[a + 1])) {
		fprintf(stderr, "xsight-xsc: cannot write %s: %s\n", argv[a + 1], strerror(errno));
		return 1;
	}
	fxDeleteMachine(the);
	return 0;
}
