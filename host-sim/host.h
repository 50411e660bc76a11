/* host.h: what the host simulator board's parts share. SPDX-License-Identifier: Apache-2.0 */
#ifndef XSIGHT_HOST_H
#define XSIGHT_HOST_H

#include <stddef.h>

/* The data root (--root) and state folder (--state: retained memory, and
 * "/state/..." files): gBoardDataRoot, gBoardStateRoot (board_args.h). */
/* --fsync: the file module's flush() also waits for the disk. */
extern int gHostFsync;

/* Whole files: boardReadFile (boards/common/module_file.h). */

/* ---- console.c: --uart PATH, the console UART (console_board.h): 1 taken, 0 not it, -1 cannot open */
int hostConsoleArgument(const char *arg, const char *value);

/* ---- power.c: the board's power, clock and energy trace */
struct sxMachine;
/* Exit status of an XS run the board left on purpose (a Standby reset, the
 * end of a simulation); never a process status. */
#define HOST_EXIT_LEFT 3
/* Consume a power option (--until, --epoch, --state, --trace, --scenario,
 * --cost): 1 done, 0 not a power option, -1 bad value. */
int hostPowerArgument(const char *arg, const char *value);
void hostPowerInit(void);
/* A new XS machine boots (power-on or a Standby's wake). */
void hostPowerBoot(struct sxMachine *machine);
/* After a run left the machine: whether a Standby's wake wants a new boot. */
int hostPowerRebootPending(void);
/* The app's main ended without sleeping (status: its exit status). */
void hostPowerHalt(int status);
void hostPowerFinish(void);
/* With --until and --state: keep the clock's time in the state folder (STATE/clock). */
void hostPowerSaveClock(void);
/* The timer's time (timer.c): busy time moves the clock on while the core
 * runs; waiting for a timer is idle in Sleep (0: the simulation ends first). */
void hostPowerBusy(double us);
int hostPowerIdle(double us);

/* ---- camera.c: the replay camera's frames (boards/common/camera_replay.h) */

#endif
