/*
 * board.c: the desktop simulator board: runs an xsight app on XS in a
 * process. The CLI (tools/xsight.ts) builds the app and starts this program;
 * it is not meant to be typed by hand, but `xsight-sim --help` says how.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Modules are .js files (tsc's output and native module declarations) found
 * under the --modules folders by name; tsc's source maps are followed, so
 * stack traces name the .ts file and line. `mc/config` is the JSON given with
 * --config. Exit status: 0, or XS_PORT_EXIT_* (1 exception, 2 XS abort,
 * 64 usage).
 */
#include "xs_port.h"
#include "board_args.h"
#include "xsScript.h"
#include "host.h"
#include "module_file.h"
#include "camera_replay.h"
#include "timer_board.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#endif

#define HOST_MAX_MODULE_DIRS 8

/* A module's bytecode as the parser left it, before a machine remaps its IDs,
 * and the text it came from: every boot's machine gets its own copy. */
typedef struct HostScript {
	struct HostScript *next;
	char *name;
	char *source; /* the file's text when it was parsed; NULL for mc/config */
	size_t size;
	txScript *script;
} HostScript;

static struct {
	const char *moduleDirs[HOST_MAX_MODULE_DIRS];
	int moduleDirNative[HOST_MAX_MODULE_DIRS]; /* from --natives: may declare host functions */
	int moduleDirCount;
	char *config; /* mc/config as JSON text */
	int stats;
	HostScript *scripts;  /* each module compiled so far */
	long loads, compiles; /* module loads and parses, for --stats */
} gHost;

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: xsight-sim [options] MAIN\n"
	        "Runs module MAIN on the XS engine (the xsight host simulator board).\n"
	        "  --modules DIR        where module code is found as DIR/<name>.js (repeatable)\n"
	        "  --natives DIR        the same, for native modules' host-function declarations\n"
	        "  --config FILE        JSON object served as the module \"mc/config\"\n"
	        "  --root DIR           data root of the \"file\" module (default .)\n"
	        "  --chunk INIT,INCR    XS chunk heap in bytes (manifest creation.chunk)\n"
	        "  --heap INIT,INCR     XS slot heap in slots (manifest creation.heap)\n"
	        "  --stack N            XS stack in slots (manifest creation.stack)\n"
	        "  --keys INIT,INCR     XS keys (manifest creation.keys)\n"
	        "  --stats              print heap use after the run (the last boot's) and the modules loaded and\n"
	        "                       parsed (all boots') as a #xs-stats line on stderr\n"
	        "  --fsync              the file module's flush() also waits for the disk\n"
	        "power and duty cycles (host-sim/power.c):\n"
	        "  --until MS           simulate: virtual clock from the cost model, run until MS of virtual time\n"
	        "  --epoch MS           Date.now() at power-on (default: the real time); with --until, the\n"
	        "                       state folder's clock wins when it has one (a run goes on from the last)\n"
	        "  --state DIR          the board's state folder (retained memory and clock survive runs there)\n"
	        "  --trace FILE         write the power trace (JSON lines) for energy accounting\n"
	        "  --scenario FILE      wake events: lines \"MS rtc\" or \"MS pin PIN 1|2\"\n"
	        "  --cost NAME=US       cost model: microseconds per counted unit (repeatable)\n"
	        "camera (boards/common/camera_replay.c):\n"
	        "  --frames DIR         the camera replays DIR's .pgm frames in name order\n"
	        "console (host-sim/console.c):\n"
	        "  --uart PATH          the console UART's other end: a terminal or FIFO (the console protocol)\n"
	        "exit status: 0 done, 1 uncaught exception, 2 XS abort, 64 usage\n");
}

void xsBoardWrite(const char *text, size_t length, int error)
{
	FILE *out = error ? stderr : stdout;
	fwrite(text, 1, length, out);
	/* A board can be killed at any moment (power-loss tests): what the app
	   printed must be out by then, like a UART's bytes. */
	fflush(out);
}

/* The file of module `name` in the first module folder that has it; *native
 * tells whether that folder holds native module declarations. */
static int findModuleFile(const char *name, char *path, size_t size, int *native)
{
	for (int i = 0; i < gHost.moduleDirCount; i++) {
		struct stat info;
		int n = snprintf(path, size, "%s/%s.js", gHost.moduleDirs[i], name);
		if ((n > 0) && ((size_t)n < size) && !stat(path, &info) && S_ISREG(info.st_mode)) {
			if (native)
				*native = gHost.moduleDirNative[i];
			return 1;
		}
	}
	return 0;
}

txBoolean xsBoardHasModule(txMachine *the, const char *name)
{
	char path[PATH_MAX];
	if (!strcmp(name, "mc/config"))
		return 1;
	return findModuleFile(name, path, sizeof(path), NULL);
}

static txScript *parseConfig(txMachine *the)
{
	/* Frozen deep (XS's second argument to freeze), like a preloaded config. */
	static const char prefix[] = "export default Object.freeze(";
	static const char suffix[] = ", true);\n";
	const char *json = gHost.config ? gHost.config : "{}";
	size_t size = sizeof(prefix) + strlen(json) + sizeof(suffix);
	char *source = malloc(size);
	if (!source)
		return NULL;
	snprintf(source, size, "%s%s%s", prefix, json, suffix);
	txStringCStream stream = {source, 0, (txSize)strlen(source)};
	txScript *script = fxParseScript(the, &stream, fxStringCGetter, mxDebugFlag);
	free(source);
	return script;
}

static void *copyBuffer(const void *from, txSize size, int *ok)
{
	void *to = (from && size > 0) ? malloc((size_t)size) : NULL;
	if (to)
		memcpy(to, from, (size_t)size);
	else if (from)
		*ok = 0;
	return to;
}

/* A copy of `from` that XS may remap into its machine and delete. */
static txScript *copyScript(const txScript *from)
{
	txScript *to = malloc(sizeof(txScript));
	if (!to)
		return NULL;
	int ok = 1;
	*to = *from;
	to->symbolsBuffer = copyBuffer(from->symbolsBuffer, from->symbolsSize, &ok);
	to->codeBuffer = copyBuffer(from->codeBuffer, from->codeSize, &ok);
	to->hostsBuffer = copyBuffer(from->hostsBuffer, from->hostsSize, &ok);
	if (!ok) {
		fxDeleteScript(to);
		return NULL;
	}
	return to;
}

/* Each boot is a new machine that imports its modules again, but their files
 * seldom change within a run: a module is parsed at its first import (or when
 * its file's text changed since), the way the M7 keeps bytecode in flash, and
 * each import gets its own copy of the bytecode. Scripts the parser refused
 * are not kept: every boot reports them again. */
static txScript *compiledScript(txMachine *the, const char *name, const char *path, txUnsigned flags)
{
	gHost.loads++;
	size_t size = 0;
	char *source = path ? boardReadFile(path, &size) : NULL;
	if (path && !source)
		return NULL;
	HostScript *kept = gHost.scripts;
	while (kept && strcmp(kept->name, name))
		kept = kept->next;
	if (kept && kept->size == size && (!path || !memcmp(kept->source, source, size))) {
		free(source);
		return copyScript(kept->script);
	}
	txScript *script = path ? boardParseModuleFile(the, path, flags, xsPortReportParserError, NULL) : parseConfig(the);
	gHost.compiles++;
	if (!kept && script) {
		kept = calloc(1, sizeof(HostScript));
		if (kept && !(kept->name = strdup(name))) {
			free(kept);
			kept = NULL;
		}
		if (kept) {
			kept->next = gHost.scripts;
			gHost.scripts = kept;
		}
	}
	if (!kept || !script) {
		free(source);
		return script;
	}
	fxDeleteScript(kept->script);
	free(kept->source);
	kept->source = source;
	kept->size = size;
	kept->script = script;
	return copyScript(script);
}

static void deleteScripts(void)
{
	while (gHost.scripts) {
		HostScript *kept = gHost.scripts;
		gHost.scripts = kept->next;
		fxDeleteScript(kept->script);
		free(kept->source);
		free(kept->name);
		free(kept);
	}
}

txScript *xsBoardLoadModule(txMachine *the, const char *name)
{
	char path[PATH_MAX];
	int native = 0;
	if (!strcmp(name, "mc/config"))
		return compiledScript(the, name, NULL, 0);
	if (!findModuleFile(name, path, sizeof(path), &native))
		return NULL;
	/* Only native module declarations may use XS's `@ "host"` syntax. */
	return compiledScript(the, name, path, mxDebugFlag | (native ? mxCFlag : 0));
}

/* The simulator ends with the program that started it (the CLI, a test): a
 * device nobody watches must not go on writing its state folder. On Linux the
 * kernel kills it when its parent ends; elsewhere a write to the parent's pipe
 * does, at the next line the app prints. */
static int endWithParent(void)
{
#ifdef __linux__
	pid_t parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A parent that ended before prctl sends nothing. */
	return getppid() == parent;
#else
	return 1;
#endif
}

int main(int argc, char *argv[])
{
	if (!endWithParent())
		return XS_PORT_EXIT_ABORT;
	/* Moddable's defaults for a desktop target, overridden by the manifest. */
	txCreation creation = {
	        .initialChunkSize = 256 * 1024,
	        .incrementalChunkSize = 128 * 1024,
	        .initialHeapCount = 16 * 1024,
	        .incrementalHeapCount = 8 * 1024,
	        .stackCount = 4096,
	        .initialKeyCount = 2048,
	        .incrementalKeyCount = 1024,
	        .nameModulo = 1993,
	        .symbolModulo = 127,
	        .parserBufferSize = 64 * 1024,
	        .parserTableModulo = 1993,
	        .staticSize = 0,
	};
	const char *mainName = NULL;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = (i + 1 < argc) ? argv[i + 1] : NULL;
		int ok = 1, taken;
		int power = value ? hostPowerArgument(arg, value) : 0;
		if (!power && value && boardReplayArgument(arg, value))
			power = 1;
		if (!power && value)
			power = hostConsoleArgument(arg, value);
		if (power) {
			if (power < 0) {
				fprintf(stderr, "xsight-sim: bad argument: %s %s\n", arg, value);
				return XS_PORT_EXIT_USAGE;
			}
			i++;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(arg, "--stats"))
			gHost.stats = 1;
		else if (!strcmp(arg, "--fsync"))
			gHostFsync = 1;
		else if (arg[0] == '-' && arg[1] == '-' && !value)
			ok = 0;
		else if (!strcmp(arg, "--modules") || !strcmp(arg, "--natives")) {
			ok = gHost.moduleDirCount < HOST_MAX_MODULE_DIRS;
			if (ok) {
				gHost.moduleDirNative[gHost.moduleDirCount] = !strcmp(arg, "--natives");
				gHost.moduleDirs[gHost.moduleDirCount++] = value;
			}
			i++;
		} else if (!strcmp(arg, "--config")) {
			gHost.config = boardReadFile(value, NULL);
			if (!gHost.config) {
				fprintf(stderr, "xsight-sim: cannot read config %s: %s\n", value, strerror(errno));
				return XS_PORT_EXIT_USAGE;
			}
			i++;
		} else if ((taken = boardArgument(arg, value, &creation))) {
			ok = taken > 0;
			i++;
		} else if (arg[0] == '-' || mainName)
			ok = 0;
		else
			mainName = arg;
		if (!ok) {
			fprintf(stderr, "xsight-sim: bad argument: %s%s%s\n", arg, value ? " " : "",
			        value && arg[0] == '-' ? value : "");
			usage(stderr);
			return XS_PORT_EXIT_USAGE;
		}
	}
	if (!mainName) {
		usage(stderr);
		return XS_PORT_EXIT_USAGE;
	}

	/* One XS machine per boot: a Standby's wake is a reset, so the app starts
	   over on a fresh heap; only the retained memory and files carry over. */
	hostPowerInit();
	int status;
	for (;;) {
		txMachine *machine = fxCreateMachine(&creation, "xsight", NULL, XS_NO_ID);
		if (!machine) {
			fprintf(stderr, "fatal: cannot create the XS machine\n");
			return XS_PORT_EXIT_ABORT;
		}
		hostPowerBoot(machine);
		xsTimerReset();
		status = xsPortRunMain(machine, mainName);
		/* Then the app lives on its timers, as a Moddable app does. */
		if (status == XS_PORT_EXIT_OK)
			status = xsTimerRun(machine);
		fflush(stdout);
		if (status == HOST_EXIT_LEFT) {
			/* The board left the machine between two XS frames, as a thrown
			   exception does: it is consistent enough to delete. */
			status = XS_PORT_EXIT_OK;
			if (hostPowerRebootPending()) {
				fxDeleteMachine(machine);
				continue;
			}
		} else
			hostPowerHalt(status);
		if (gHost.stats)
			fprintf(stderr,
			        "#xs-stats {\"chunks\":%ld,\"peakChunks\":%ld,\"slots\":%ld,\"peakSlots\":%ld,\"slotSize\":%ld,"
			        "\"moduleLoads\":%ld,\"moduleParses\":%ld}\n",
			        (long)machine->currentChunksSize, (long)machine->peakChunksSize, (long)machine->currentHeapCount,
			        (long)machine->peakHeapCount, (long)sizeof(txSlot), gHost.loads, gHost.compiles);
		/* After a fatal abort the machine's state is not trustworthy: just leave. */
		if (status != XS_PORT_EXIT_ABORT)
			fxDeleteMachine(machine);
		break;
	}
	hostPowerFinish();
	deleteScripts();
	free(gHost.config);
	return status;
}
