/*
 * power.c: power_board.h on the host simulator board: a virtual clock,
 * scheduled wake events (a scenario), a retained memory kept in the board's
 * state folder, and an energy trace the CLI turns into charge and battery
 * life. SPDX-License-Identifier: Apache-2.0
 *
 * Virtual time. With --until the board simulates: time only moves when the
 * app works or sleeps. Awake time is not measured (the host is not the
 * device) but computed from the work done through a cost model: microseconds
 * per counted unit (--cost NAME=US: boot, xs.bytecodes, nn.macs, ...), which
 * the Cortex-M7 board is to calibrate. XS bytecodes are counted by XS itself
 * (mxMetering). A sleep jumps the clock to the wake at once. Without --until
 * the clock is real time plus the time slept, and a Standby ends the run
 * (nothing would restart it).
 *
 * Standby is a reset: the board leaves the XS machine, board.c deletes it and
 * boots a new one; only the retained memory and files survive. Stop and Sleep
 * return to the app with its heap intact.
 *
 * The trace (--trace FILE) is one JSON object a line:
 *   {"t":"wake","boot":N,"reason":"rtc","pin":-1,"at":US}
 *   {"t":"mark","name":"detect","at":US,"bytecodes":N}   (power.mark(): the end of a phase; XS bytecodes so far)
 *   {"t":"awake","from":US,"to":US,"counts":{...},"camera":{"on":US,"standby":US}}
 *   {"t":"sleep","mode":"standby","from":US,"to":US,"camera":"off"}
 *   {"t":"end","at":US,"why":"..."}
 */
#include "xs_port.h"
#include "board_args.h"
#include "host.h"
#include "module_file.h"
#include "power_board.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HOST_RETAINED_SIZE  4096 /* the STM32H743's backup SRAM */
#define HOST_MAX_COUNTERS   32
#define HOST_WAKE_PIN_COUNT 6 /* the STM32H743's WKUP1..6 */
#define HOST_NONE           INT64_MAX

#define HOST_EVENT_RTC   -1
#define HOST_EVENT_RESET -2

typedef struct {
	int64_t at; /* us of virtual time since power-on */
	int pin;    /* a wake pin, HOST_EVENT_RTC or HOST_EVENT_RESET */
	int edge;
} HostEvent;

typedef struct {
	char name[40];
	double cost;  /* us per unit; NAN when the cost model has no entry */
	double count; /* in this wake */
} HostCounter;

static struct {
	int simulate;         /* --until given */
	int64_t until;        /* end of simulation, us; HOST_NONE without --until */
	double epochMs;       /* Date.now() at power-on */
	const char *stateDir; /* --state */
	FILE *trace;
	HostEvent *events;
	int eventCount, nextEvent;
	HostCounter counters[HOST_MAX_COUNTERS];
	int counterCount;
	txMachine *machine;
	txU4 meterBase;           /* XS bytecodes counted before this wake */
	int64_t wakeAt;           /* virtual us when this wake began */
	double busyUs;            /* Timer.delay() in this wake */
	struct timespec realWake; /* without --until: real time of this wake */
	power_wake wake;
	int boots;
	int pendingBoot;    /* a Standby's wake: board.c boots again */
	const char *endWhy; /* set when the run is over */
	power_camera_state camera;
	int64_t cameraSince;
	double cameraUs[3]; /* in this wake, by state */
	uint8_t retained[HOST_RETAINED_SIZE];
} gPower = {
        .until = HOST_NONE,
        .wake = {POWER_WAKE_POWER_ON, -1},
};

static const char *const gReasonNames[] = {"power-on", "rtc", "pin", "watchdog", "reset"};
static const char *const gModeNames[] = {"sleep", "stop", "standby"};
static const char *const gCameraNames[] = {"off", "standby", "on"};

/* ---- counters and the clock */

static HostCounter *counter(const char *name, int create)
{
	for (int i = 0; i < gPower.counterCount; i++)
		if (!strcmp(gPower.counters[i].name, name))
			return &gPower.counters[i];
	if (!create || gPower.counterCount == HOST_MAX_COUNTERS || strlen(name) >= sizeof(gPower.counters[0].name))
		return NULL;
	HostCounter *result = &gPower.counters[gPower.counterCount++];
	snprintf(result->name, sizeof(result->name), "%s", name);
	result->cost = NAN;
	return result;
}

static double bytecodes(void)
{
#ifdef mxMetering
	if (gPower.machine)
		return (double)(txU4)(gPower.machine->meterIndex - gPower.meterBase);
#endif
	return 0;
}

/* Virtual microseconds since power-on. */
static int64_t nowUs(void)
{
	double awake = 0;
	if (gPower.simulate) {
		HostCounter *xs = counter("xs.bytecodes", 0);
		if (xs && !isnan(xs->cost))
			awake += bytecodes() * xs->cost;
		for (int i = 0; i < gPower.counterCount; i++)
			if (!isnan(gPower.counters[i].cost))
				awake += gPower.counters[i].count * gPower.counters[i].cost;
		awake += gPower.busyUs;
	} else {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		awake = (double)(now.tv_sec - gPower.realWake.tv_sec) * 1e6 +
		        (double)(now.tv_nsec - gPower.realWake.tv_nsec) / 1e3;
	}
	return gPower.wakeAt + (int64_t)llround(awake);
}

/* XS's clock (Date.now() and the rest): see xs_platform.h. */
int xsBoardGetTimeOfDay(struct timeval *tv, void *zone)
{
	double ms = gPower.epochMs + (double)nowUs() / 1000.0;
	tv->tv_sec = (time_t)floor(ms / 1000.0);
	tv->tv_usec = (suseconds_t)((ms - (double)tv->tv_sec * 1000.0) * 1000.0);
	return 0;
}

/* ---- the state folder */

static char *statePath(char *path, size_t size, const char *name)
{
	int n = snprintf(path, size, "%s/%s", gPower.stateDir, name);
	return (n > 0 && (size_t)n < size) ? path : NULL;
}

/* Committed when written to the state folder whole, over the old text in place
   by one write: a kill lands before it or after it (Linux checks for a fatal
   signal between pages; these files are a page at most), so the old text or
   the new is there, never a mix. A new file renamed over the old cost a block
   allocated, written and freed (and discarded, on an ext4 mounted so) at every
   write, three or four a wake: most of examples/duty's real time. A text
   shorter than the last is cut after it (the clock's reader stops at its
   newline, should a kill come in between). */
static int writeStateFile(const char *name, const void *data, size_t size)
{
	char path[PATH_MAX];
	if (!statePath(path, sizeof(path), name))
		return -1;
	int file = open(path, O_WRONLY | O_CREAT, 0644);
	if (file < 0)
		return -1;
	int ok = pwrite(file, data, size, 0) == (ssize_t)size && ftruncate(file, (off_t)size) == 0;
	ok = (close(file) == 0) && ok;
	return ok ? 0 : -1;
}

/* The RTC keeps its time in the state folder (STATE/clock, Date.now() in ms), as the
   H7's backup domain keeps it on VBAT: a simulation on a folder used before goes on
   from where the last one left off, so the log's times never go back. Saved at every
   sleep and end, and before every file or retained write, so nothing the app wrote
   is dated after it. */
static void saveClock(int64_t at)
{
	if (!gPower.simulate || !gPower.stateDir)
		return;
	char text[40];
	int n = snprintf(text, sizeof(text), "%.17g\n", gPower.epochMs + (double)at / 1000.0);
	if (writeStateFile("clock", text, (size_t)n))
		fprintf(stderr, "xsight-sim: cannot write %s/clock: %s\n", gPower.stateDir, strerror(errno));
}

/* ---- trace */

static void traceCamera(int64_t at)
{
	gPower.cameraUs[gPower.camera] += (double)(at - gPower.cameraSince);
	gPower.cameraSince = at;
}

static void traceAwake(int64_t to)
{
	traceCamera(to);
	if (!gPower.trace)
		return;
	fprintf(gPower.trace, "{\"t\":\"awake\",\"from\":%lld,\"to\":%lld,\"counts\":{", (long long)gPower.wakeAt,
	        (long long)to);
	fprintf(gPower.trace, "\"xs.bytecodes\":%.0f", bytecodes());
	for (int i = 0; i < gPower.counterCount; i++)
		if (gPower.counters[i].count != 0 && strcmp(gPower.counters[i].name, "xs.bytecodes"))
			fprintf(gPower.trace, ",\"%s\":%.17g", gPower.counters[i].name, gPower.counters[i].count);
	fprintf(gPower.trace, "},\"camera\":{\"on\":%.0f,\"standby\":%.0f}}\n", gPower.cameraUs[POWER_CAMERA_ON],
	        gPower.cameraUs[POWER_CAMERA_STANDBY]);
	fflush(gPower.trace);
}

static void traceEnd(int64_t at, const char *why)
{
	gPower.endWhy = why;
	saveClock(at);
	if (!gPower.trace)
		return;
	fprintf(gPower.trace, "{\"t\":\"end\",\"at\":%lld,\"why\":\"%s\"}\n", (long long)at, why);
	fflush(gPower.trace);
}

/* ---- boots and wakes (board.c) */

static void startWake(int64_t at)
{
	gPower.wakeAt = at;
	gPower.busyUs = 0;
	clock_gettime(CLOCK_MONOTONIC, &gPower.realWake);
	for (int i = 0; i < gPower.counterCount; i++)
		gPower.counters[i].count = 0;
	gPower.cameraUs[0] = gPower.cameraUs[1] = gPower.cameraUs[2] = 0;
	gPower.cameraSince = at;
#ifdef mxMetering
	gPower.meterBase = gPower.machine ? gPower.machine->meterIndex : 0;
#endif
}

void hostPowerBoot(txMachine *machine)
{
	gPower.machine = machine;
	gPower.pendingBoot = 0;
	gPower.boots++;
	gPower.camera = POWER_CAMERA_OFF; /* a reset leaves the sensor unpowered */
	startWake(gPower.wakeAt);
	board_power_count("boot", 1);
	if (gPower.trace) {
		fprintf(gPower.trace, "{\"t\":\"wake\",\"boot\":%d,\"reason\":\"%s\",\"pin\":%d,\"at\":%lld}\n", gPower.boots,
		        gReasonNames[gPower.wake.reason], gPower.wake.pin, (long long)gPower.wakeAt);
		fflush(gPower.trace);
	}
	/* The boot's cost (the cost model's "boot": before main) is the breakdown's first part. */
	board_power_mark("boot");
}

int hostPowerRebootPending(void)
{
	return gPower.pendingBoot;
}

/* The app's main returned, threw or aborted: a device would sit in Run. */
void hostPowerHalt(int status)
{
	if (gPower.endWhy)
		return;
	int64_t at = nowUs();
	traceAwake(at);
	traceEnd(at, status == 0 ? "app ended without sleeping" : "app failed");
}

/* Timer.delay()'s busy time (timer.c): the clock moves on with the core running. */
void hostPowerBusy(double us)
{
	if (gPower.simulate) {
		gPower.busyUs += us;
		return;
	}
	struct timespec wait = {(time_t)(us / 1e6), (long)fmod(us * 1000.0, 1e9)};
	while (nanosleep(&wait, &wait) && errno == EINTR) {
	}
}

/* Waiting for a timer (timer.c): the core sleeps (WFI) with its clocks on, then runs on. */
int hostPowerIdle(double us)
{
	int64_t from = nowUs();
	int64_t to = from + (int64_t)llround(us);
	traceAwake(from);
	int ends = to >= gPower.until;
	if (ends)
		to = gPower.until;
	if (gPower.trace) {
		fprintf(gPower.trace, "{\"t\":\"sleep\",\"mode\":\"sleep\",\"from\":%lld,\"to\":%lld,\"camera\":\"%s\"}\n",
		        (long long)from, (long long)to, gCameraNames[gPower.camera]);
		fflush(gPower.trace);
	}
	if (ends) {
		traceEnd(to, "end of simulation");
		return 0;
	}
	/* Without --until the real clock goes on from here, the jump kept as an offset. */
	startWake(to);
	board_power_count("wakeup.sleep", 1);
	if (gPower.trace) {
		fprintf(gPower.trace,
		        "{\"t\":\"wake\",\"boot\":%d,\"reason\":\"timer\",\"pin\":-1,\"at\":%lld,\"resume\":true}\n",
		        gPower.boots, (long long)to);
		fflush(gPower.trace);
	}
	return 1;
}

/* Leave the XS machine for board.c (a reset or the end of the simulation). */
static void leaveMachine(txMachine *the)
{
	the->exitStatus = HOST_EXIT_LEFT;
	the->abortStatus = HOST_EXIT_LEFT;
	fxExitToHost(the);
}

/* ---- power_board.h */

void board_power_wake(power_wake *wake)
{
	*wake = gPower.wake;
}

int board_power_is_wake_pin(int pin)
{
	return pin >= 0 && pin < HOST_WAKE_PIN_COUNT;
}

int board_power_wake_pins(int *pins, int capacity)
{
	for (int i = 0; i < HOST_WAKE_PIN_COUNT && i < capacity; i++)
		pins[i] = i;
	return HOST_WAKE_PIN_COUNT;
}

static int pinWakes(const power_sleep_request *request, const HostEvent *event)
{
	for (int i = 0; i < request->pin_count; i++)
		if (request->pins[i].pin == event->pin && (request->pins[i].edges & event->edge))
			return 1;
	return 0;
}

int board_power_sleep(void *machine, const power_sleep_request *request, power_wake *wake)
{
	txMachine *the = machine;
	int64_t from = nowUs();
	traceAwake(from);

	/* The first event that wakes this sleep: the alarm, a scenario RTC alarm or a
	   pin edge the request listens to. Events while awake are lost, as an edge on
	   a pin not yet armed is. */
	int64_t at = (request->wake_after_us >= 0) ? from + request->wake_after_us : HOST_NONE;
	power_wake next = {POWER_WAKE_RTC, -1};
	while (gPower.nextEvent < gPower.eventCount && gPower.events[gPower.nextEvent].at < from)
		gPower.nextEvent++;
	for (int i = gPower.nextEvent; i < gPower.eventCount; i++) {
		const HostEvent *event = &gPower.events[i];
		if (event->at >= at)
			break;
		if (event->pin < 0 || pinWakes(request, event)) {
			at = event->at;
			next.reason = (event->pin == HOST_EVENT_RTC) ? POWER_WAKE_RTC
			        : (event->pin == HOST_EVENT_RESET)   ? POWER_WAKE_RESET
			                                             : POWER_WAKE_PIN;
			next.pin = (event->pin >= 0) ? event->pin : -1;
			gPower.nextEvent = i + 1;
			break;
		}
	}
	/* Without --until the run ends at a Standby (nothing would restart it). */
	int ends = (at == HOST_NONE) || (at >= gPower.until) || (!gPower.simulate && request->mode == POWER_MODE_STANDBY);
	int64_t to = ends ? ((gPower.until != HOST_NONE) ? gPower.until : from) : at;
	if (to < from)
		to = from;
	power_camera_state camera = (request->mode == POWER_MODE_STANDBY) ? POWER_CAMERA_OFF : gPower.camera;
	if (gPower.trace) {
		fprintf(gPower.trace, "{\"t\":\"sleep\",\"mode\":\"%s\",\"from\":%lld,\"to\":%lld,\"camera\":\"%s\"}\n",
		        gModeNames[request->mode], (long long)from, (long long)to, gCameraNames[camera]);
		fflush(gPower.trace);
	}
	if (ends) {
		traceEnd(to,
		         (at == HOST_NONE)              ? "no wake source left"
		                 : (at >= gPower.until) ? "end of simulation"
		                                        : "standby without --until");
		leaveMachine(the);
	}
	saveClock(at);
	gPower.wake = next;
	*wake = next;
	/* A reset (the reset pin) reboots from any mode. */
	if (request->mode == POWER_MODE_STANDBY || next.reason == POWER_WAKE_RESET) {
		gPower.wakeAt = at;
		gPower.pendingBoot = 1;
		leaveMachine(the);
	}
	gPower.camera = camera;
	startWake(at);
	board_power_count(request->mode == POWER_MODE_STOP ? "wakeup.stop" : "wakeup.sleep", 1);
	if (gPower.trace) {
		fprintf(gPower.trace, "{\"t\":\"wake\",\"boot\":%d,\"reason\":\"%s\",\"pin\":%d,\"at\":%lld,\"resume\":true}\n",
		        gPower.boots, gReasonNames[next.reason], next.pin, (long long)at);
		fflush(gPower.trace);
	}
	return 1;
}

size_t board_power_retained_size(void)
{
	return HOST_RETAINED_SIZE;
}

void board_power_retained_read(uint8_t *data, size_t size)
{
	memcpy(data, gPower.retained, size < HOST_RETAINED_SIZE ? size : HOST_RETAINED_SIZE);
}

void hostPowerSaveClock(void)
{
	saveClock(nowUs());
}

int board_power_retained_write(const uint8_t *data, size_t size)
{
	if (size > HOST_RETAINED_SIZE)
		return -1;
	memcpy(gPower.retained, data, size);
	/* Counted so the app's writes a wake show in the trace (no cost of its own: the backup SRAM is RAM). */
	board_power_count("retained.writes", 1);
	if (!gPower.stateDir)
		return 0;
	hostPowerSaveClock();
	return writeStateFile("retained.bin", gPower.retained, HOST_RETAINED_SIZE);
}

/* The simulator stops on an XS abort (status 2): no boot ever follows one. */
size_t board_power_last_abort(char *text, size_t size)
{
	(void)text;
	(void)size;
	return 0;
}

void board_power_count(const char *name, double amount)
{
	HostCounter *c = counter(name, 1);
	if (c)
		c->count += amount;
}

/* The end of a phase of the wake, in the trace at its virtual time: the
   simulator's per-wake breakdown comes from the same meter as the wake's
   awake time. Nothing without a trace. */
void board_power_mark(const char *name)
{
	if (!gPower.trace)
		return;
	fputs("{\"t\":\"mark\",\"name\":\"", gPower.trace);
	for (const char *c = name; *c; c++)
		fputc((*c == '"' || *c == '\\' || (unsigned char)*c < 0x20) ? '_' : *c, gPower.trace);
	fprintf(gPower.trace, "\",\"at\":%lld,\"bytecodes\":%.0f}\n", (long long)nowUs(), bytecodes());
}

/* The simulator's `#wake` line, which xsight sim reads: on the console's output, not counted as its bytes. */
void board_power_report(const char *json)
{
	xsBoardWrite("#wake ", 6, 0);
	xsBoardWrite(json, strlen(json), 0);
	xsBoardWrite("\n", 1, 0);
}

void board_power_camera(power_camera_state state)
{
	traceCamera(nowUs());
	gPower.camera = state;
}

/* ---- options (board.c passes each --name value here first) */

static int parseUs(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	double value = strtod(text, &end);
	if (end == text || *end || errno || !(value >= 0) || value > 9.0e15)
		return 0;
	*out = (int64_t)llround(value * 1000.0);
	return 1;
}

/* Scenario events, one a line, times in ms from power-on, sorted by time:
 *   MS rtc            an RTC alarm
 *   MS reset          the reset pin: a new boot with reason "reset", from any
 *                     sleep mode (one that comes while the app is awake
 *                     takes effect when it next sleeps)
 *   MS pin PIN EDGE   an edge (1 rising, 2 falling) on a pin
 * The CLI writes this from the user's JSON scenario, which it checks. */
static int loadScenario(const char *path)
{
	FILE *file = fopen(path, "r");
	if (!file) {
		fprintf(stderr, "xsight-sim: cannot read scenario %s: %s\n", path, strerror(errno));
		return 0;
	}
	char line[256];
	int number = 0;
	int64_t last = 0;
	while (fgets(line, sizeof(line), file)) {
		number++;
		char ms[64], kind[16];
		int pin = -1, edge = 0;
		int fields = sscanf(line, "%63s %15s %d %d", ms, kind, &pin, &edge);
		if (fields <= 0 || line[0] == '#')
			continue;
		HostEvent event = {0, HOST_EVENT_RTC, 0};
		int ok = fields >= 2 && parseUs(ms, &event.at) && event.at >= last;
		if (ok && !strcmp(kind, "rtc"))
			ok = fields == 2;
		else if (ok && !strcmp(kind, "reset")) {
			ok = fields == 2;
			event.pin = HOST_EVENT_RESET;
		} else if (ok && !strcmp(kind, "pin")) {
			ok = fields == 4 && board_power_is_wake_pin(pin) &&
			        (edge == POWER_EDGE_RISING || edge == POWER_EDGE_FALLING);
			event.pin = pin;
			event.edge = edge;
		} else
			ok = 0;
		if (!ok) {
			fprintf(stderr,
			        "xsight-sim: %s:%d: expected \"MS rtc\", \"MS reset\" or \"MS pin PIN 1|2\" in time order (pins "
			        "0-%d)\n",
			        path, number, HOST_WAKE_PIN_COUNT - 1);
			fclose(file);
			return 0;
		}
		HostEvent *events = realloc(gPower.events, sizeof(HostEvent) * (size_t)(gPower.eventCount + 1));
		if (!events) {
			fclose(file);
			return 0;
		}
		gPower.events = events;
		gPower.events[gPower.eventCount++] = event;
		last = event.at;
	}
	fclose(file);
	return 1;
}

int hostPowerArgument(const char *arg, const char *value)
{
	if (!strcmp(arg, "--until")) {
		gPower.simulate = 1;
		return parseUs(value, &gPower.until) ? 1 : -1;
	}
	if (!strcmp(arg, "--epoch")) {
		char *end;
		gPower.epochMs = strtod(value, &end);
		return (*end || end == value) ? -1 : 1;
	}
	if (!strcmp(arg, "--state")) {
		gPower.stateDir = value;
		gBoardStateRoot = value;
		char path[PATH_MAX];
		FILE *file = statePath(path, sizeof(path), "retained.bin") ? fopen(path, "rb") : NULL;
		if (file) {
			/* A short or missing file leaves zeros: the store's checksum says so. */
			size_t n = fread(gPower.retained, 1, HOST_RETAINED_SIZE, file);
			(void)n;
			fclose(file);
		}
		return 1;
	}
	if (!strcmp(arg, "--trace")) {
		gPower.trace = fopen(value, "w");
		if (!gPower.trace)
			fprintf(stderr, "xsight-sim: cannot write trace %s: %s\n", value, strerror(errno));
		return gPower.trace ? 1 : -1;
	}
	if (!strcmp(arg, "--scenario"))
		return loadScenario(value) ? 1 : -1;
	if (!strcmp(arg, "--cost")) {
		const char *equals = strchr(value, '=');
		char name[40];
		if (!equals || equals == value || (size_t)(equals - value) >= sizeof(name))
			return -1;
		snprintf(name, sizeof(name), "%.*s", (int)(equals - value), value);
		char *end;
		double cost = strtod(equals + 1, &end);
		HostCounter *c = counter(name, 1);
		if (*end || end == equals + 1 || !(cost >= 0) || !c)
			return -1;
		c->cost = cost;
		return 1;
	}
	return 0;
}

void hostPowerInit(void)
{
	char path[PATH_MAX];
	char *saved = (gPower.simulate && gPower.stateDir && statePath(path, sizeof(path), "clock"))
	        ? boardReadFile(path, NULL)
	        : NULL;
	if (saved) {
		char *end;
		double ms = strtod(saved, &end);
		if (end != saved && (*end == '\n' || !*end) && isfinite(ms))
			gPower.epochMs = ms;
		else
			fprintf(stderr, "xsight-sim: %s: not a time in ms; the clock starts at --epoch\n", path);
		free(saved);
	}
	if (gPower.epochMs == 0) {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		gPower.epochMs = (double)tv.tv_sec * 1000.0 + (double)(tv.tv_usec / 1000);
	}
}

void hostPowerFinish(void)
{
	if (gPower.trace)
		fclose(gPower.trace);
	gPower.trace = NULL;
	free(gPower.events);
	gPower.events = NULL;
}
