/*
 * xsc.c: compiles an app's modules to XS bytecode at build time, with the
 * compiler of the same XS sources the boards run, and writes them as a C
 * table (BoardModule, boards/common/flash_modules.h) for the firmware's flash.
 * SPDX-License-Identifier: Apache-2.0
 *
 * usage: xsight-xsc [--source] LIST OUT.c
 * LIST has one module a line: NAME<TAB>FILE<TAB>js|native[<TAB>prelink]. "native" files
 * may declare host functions with XS's `@ "name"` syntax. tsc's source maps
 * are followed, so stack traces on the device name the .ts file and line.
 * With --source the table holds the JavaScript text instead, for a firmware
 * that parses on the device (to measure what compiling ahead saves).
 */
#include "xsAll.h"
#include "xsScript.h"
#include "module_file.h"

#include <errno.h>
#include <limits.h>

/* The engine hooks a compiler never reaches: no module is ever run here. */
void fxAbort(txMachine *the, int status)
{
	fprintf(stderr, "xsight-xsc: XS abort %d\n", status);
	exit(2);
}
txID fxFindModule(txMachine *the, txSlot *realm, txID moduleID, txSlot *slot)
{
	return XS_NO_ID;
}
void fxLoadModule(txMachine *the, txSlot *module, txID moduleID) {}
void fxQueuePromiseJobs(txMachine *the) {}
/* The host board's XS objects read the time through the board (its clock is virtual); the
   compiler only needs the real one. */
int xsBoardGetTimeOfDay(struct timeval *tv, void *zone)
{
	return gettimeofday(tv, zone);
}

static int gErrors;

static void reportError(void *console, txString path, txInteger line, txString format, c_va_list arguments)
{
	fprintf(stderr, "%s:%d: error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fputc('\n', stderr);
	gErrors++;
}

/* The module file through the parser the host simulator uses (boards/common/module_file.c). */
static txScript *compileFile(txMachine *the, const char *path, txUnsigned flags)
{
	int errors = 0;
	txScript *script = boardParseModuleFile(the, path, flags, reportError, &errors);
	if (errors < 0) {
		fprintf(stderr, "xsight-xsc: cannot open %s: %s\n", path, strerror(errno));
		gErrors++;
	} else if (errors)
		gErrors++;
	return script;
}

static void writeBytes(FILE *out, const char *name, int index, const void *data, int size)
{
	const unsigned char *p = data;
	fprintf(out, "static const unsigned char m%d_%s[%d] = {", index, name, size);
	for (int i = 0; i < size; i++)
		fprintf(out, "%s%u,", (i % 24) ? "" : "\n\t", p[i]);
	fprintf(out, "\n};\n");
}

static void writeString(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
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

#define MAX_MODULES 512

/*
 * Prelinking. XS gives each name a key ID in the order a machine first meets it, and remaps a compiled
 * module's symbol IDs to those keys when it loads it, copying the code into its heap (the remap writes
 * it, and each function's code is copied into a chunk). A firmware whose machine makes the app's keys
 * first, in a fixed order (boardKeys, right after XS's own, in fxBuildKeys: boards/common/flash_modules.c),
 * knows them here: the code is written with those IDs, and each function's CODE opcode becomes its
 * CODE_ARCHIVE twin, which points the function at its code where it is, in flash. A wake then neither
 * interns the modules' names, nor remaps, nor copies their code: about 60 KB less of the XS heap.
 */
extern void fxRemapIDs(txMachine *the, txByte *codeBuffer, txSize codeSize, txID *theIDs);

/* The bytecode's instructions, their operand sizes as XS's gxCodeSizes gives them, to swap the opcodes
   that copy a function's code for the ones that point at it. */
static void archiveCode(txByte *p, txSize size)
{
	const txByte *const end = p + size;
	while (p < end) {
		const txU1 op = *(txU1 *)p;
		const txS1 offset = gxCodeSizes[op];
		if (op == XS_CODE_CODE_1)
			*p = XS_CODE_CODE_ARCHIVE_1;
		else if (op == XS_CODE_CODE_2)
			*p = XS_CODE_CODE_ARCHIVE_2;
		else if (op == XS_CODE_CODE_4)
			*p = XS_CODE_CODE_ARCHIVE_4;
		if (offset > 0)
			p += offset;
		else if (offset == 0)
			p += 1 + sizeof(txID);
		else if (offset == -1)
			p += 2 + *(txU1 *)(p + 1);
		else if (offset == -2) {
			txU2 length;
			p++;
			mxDecode2(p, length);
			p += length;
		} else {
			txS4 length;
			p++;
			mxDecode4(p, length);
			p += length;
		}
	}
}

/* A module's code and host table with `keys`' IDs for its names (made there when new); 0 when out of memory. */
static int prelink(txMachine *keys, txScript *script)
{
	txByte *p = script->symbolsBuffer;
	txID count;
	mxDecodeID(p, count);
	txID *ids = c_malloc(((size_t)count + 1) * sizeof(txID));
	if (!ids)
		return 0;
	ids[0] = XS_NO_ID;
	for (txID i = 1; i < count; i++) {
		ids[i] = fxNewNameC(keys, (txString)p);
		p += strlen((char *)p) + 1;
	}
	fxRemapIDs(keys, script->codeBuffer, script->codeSize, ids);
	archiveCode(script->codeBuffer, script->codeSize);
	/* The host table: a count, then per function its length (txS1), its name's symbol ID and its C name. */
	if (script->hostsBuffer) {
		txByte *h = script->hostsBuffer;
		txID n;
		mxDecodeID(h, n);
		for (txID k = 0; k < n; k++) {
			h++;
			txByte *at = h;
			txID id;
			mxDecodeID(h, id);
			if (id > 0 && id < count) {
				id = ids[id];
				mxEncodeID(at, id);
			}
			h += strlen((char *)h) + 1;
		}
	}
	c_free(ids);
	return 1;
}

static char (*sortNames)[PATH_MAX];

static int byName(const void *a, const void *b)
{
	return strcmp(sortNames[*(const int *)a], sortNames[*(const int *)b]);
}

int main(int argc, char *argv[])
{
	int source = 0;
	int a = 1;
	if (a < argc && !strcmp(argv[a], "--source")) {
		source = 1;
		a++;
	}
	if (argc - a != 2) {
		fprintf(stderr,
		        "usage: xsight-xsc [--source] LIST OUT.c\n"
		        "Compiles the modules of LIST (NAME<TAB>FILE<TAB>js|native[<TAB>prelink] a line) to XS bytecode in a C "
		        "table.\n");
		return 64;
	}
	FILE *list = fopen(argv[a], "r");
	if (!list) {
		fprintf(stderr, "xsight-xsc: cannot open %s: %s\n", argv[a], strerror(errno));
		return 1;
	}
	txCreation creation = {
	        .initialChunkSize = 256 * 1024,
	        .incrementalChunkSize = 128 * 1024,
	        .initialHeapCount = 4096,
	        .incrementalHeapCount = 1024,
	        .stackCount = 1024,
	        .initialKeyCount = 1024,
	        .incrementalKeyCount = 1024,
	        .nameModulo = 127,
	        .symbolModulo = 127,
	        .parserBufferSize = 256 * 1024,
	        .parserTableModulo = 1993,
	        .staticSize = 0,
	};
	txMachine *the = fxCreateMachine(&creation, "xsc", NULL, XS_NO_ID);
	if (!the) {
		fprintf(stderr, "xsight-xsc: cannot create an XS machine\n");
		return 1;
	}
	/* Written to a temporary file, renamed when complete: make never sees half a table. */
	char temp[PATH_MAX];
	snprintf(temp, sizeof(temp), "%s.tmp", argv[a + 1]);
	FILE *out = fopen(temp, "w");
	if (!out) {
		fprintf(stderr, "xsight-xsc: cannot write %s: %s\n", temp, strerror(errno));
		return 1;
	}
	fprintf(out, "/* Generated by xsight-xsc from %s. Do not edit. */\n#include \"flash_modules.h\"\n", argv[a]);

	static char names[MAX_MODULES][PATH_MAX], paths[MAX_MODULES][PATH_MAX];
	static int natives[MAX_MODULES], prelinks[MAX_MODULES];
	static txScript *scripts[MAX_MODULES];
	int count = 0;
	char line[3 * PATH_MAX];
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		char *name = strtok(line, "\t");
		char *path = strtok(NULL, "\t");
		char *kind = strtok(NULL, "\t");
		char *link = strtok(NULL, "\t");
		if (!name || !path || !kind || (strcmp(kind, "js") && strcmp(kind, "native")) ||
		    (link && strcmp(link, "prelink")) || count == MAX_MODULES) {
			fprintf(stderr, "%s: bad line %d: expected NAME<TAB>FILE<TAB>js|native[<TAB>prelink]\n", argv[a],
			        count + 1);
			return 1;
		}
		prelinks[count] = link != NULL;
		snprintf(names[count], PATH_MAX, "%s", name);
		snprintf(paths[count], PATH_MAX, "%s", path);
		natives[count] = !strcmp(kind, "native");
		txUnsigned flags = mxDebugFlag | (natives[count] ? mxCFlag : 0);
		if (source) {
			char *text = boardReadFile(path, NULL);
			if (!text) {
				fprintf(stderr, "xsight-xsc: cannot read %s: %s\n", path, strerror(errno));
				return 1;
			}
			fprintf(out, "static const char m%d_source[] =\n\t", count);
			writeString(out, text);
			fprintf(out, ";\n");
			free(text);
		} else {
			txScript *script = compileFile(the, path, flags);
			if (!script) {
				gErrors++;
				continue;
			}
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
	/* The modules the list marks prelinked to the firmware's keys (the others keep their symbol tables). */
	txMachine *keys = NULL;
	if (!source) {
		keys = fxCreateMachine(&creation, "keys", NULL, XS_NO_ID);
		if (!keys) {
			fprintf(stderr, "xsight-xsc: cannot create an XS machine\n");
			return 1;
		}
		/* The firmware makes its keys inside fxBuildKeys, right after XS's own: the same IDs only if
		   nothing else in a machine's creation makes one. */
		if (keys->keyIndex != XS_ID_COUNT) {
			fprintf(stderr, "xsight-xsc: an XS machine's creation made %d keys, not XS's %d\n", (int)keys->keyIndex,
			        (int)XS_ID_COUNT);
			return 1;
		}
		for (int i = 0; i < count; i++) {
			txScript *s = scripts[i];
			const int prelinked = prelinks[i];
			if (prelinked && !prelink(keys, s)) {
				fprintf(stderr, "xsight-xsc: %s: out of memory\n", paths[i]);
				return 1;
			}
			writeBytes(out, "code", i, s->codeBuffer, s->codeSize);
			if (s->hostsBuffer)
				writeBytes(out, "hosts", i, s->hostsBuffer, s->hostsSize);
			if (!prelinked)
				writeBytes(out, "symbols", i, s->symbolsBuffer, s->symbolsSize);
			else {
				c_free(s->symbolsBuffer);
				s->symbolsBuffer = NULL;
			}
		}
	}
	const int keyCount = keys ? (int)(keys->keyIndex - XS_ID_COUNT) : 0;
	fprintf(out, "const char *const boardKeys[] = {");
	for (int k = 0; k < keyCount; k++) {
		fprintf(out, "\n\t");
		writeString(out, keys->keyArray[XS_ID_COUNT + k - keys->keyOffset]->value.key.string);
		fputc(',', out);
	}
	fprintf(out, "%s};\nconst int boardKeyCount = %d;\n", keyCount ? "\n" : "0", keyCount);
	if (keys)
		fxDeleteMachine(keys);

	/* The table in strcmp order of names, so that the firmware finds a module by binary search (a wake
	   looks modules up about a hundred times: once per import of each module it loads). */
	static int order[MAX_MODULES];
	for (int i = 0; i < count; i++)
		order[i] = i;
	sortNames = names;
	qsort(order, (size_t)count, sizeof(order[0]), byName);
	for (int i = 1; i < count; i++)
		if (!strcmp(names[order[i - 1]], names[order[i]])) {
			fclose(out);
			remove(temp);
			fprintf(stderr, "%s: module %s is listed twice\n", argv[a], names[order[i]]);
			return 1;
		}
	fprintf(out, "const BoardModule boardModules[] = {\n");
	for (int o = 0; o < count; o++) {
		const int i = order[o];
		fprintf(out, "\t{ .name = ");
		writeString(out, names[i]);
		fprintf(out, ", .path = ");
		writeString(out, paths[i]);
		if (source)
			fprintf(out, ", .flags = %d, .source = m%d_source },\n", (int)(mxDebugFlag | (natives[i] ? mxCFlag : 0)),
			        i);
		else {
			txScript *s = scripts[i];
			fprintf(out, ", .code = m%d_code, .codeSize = %d", i, (int)s->codeSize);
			if (s->hostsBuffer)
				fprintf(out, ", .hosts = m%d_hosts, .hostsSize = %d", i, (int)s->hostsSize);
			if (s->symbolsBuffer)
				fprintf(out, ", .symbols = m%d_symbols, .symbolsSize = %d", i, (int)s->symbolsSize);
			fprintf(out, ", .version = { %d, %d, %d, %d } },\n", s->version[0], s->version[1], s->version[2],
			        s->version[3]);
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
