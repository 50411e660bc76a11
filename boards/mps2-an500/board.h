/*
 * board.h: what the parts of the mps2-an500 board share: ARM semihosting
 * (console, files, command line and exit through the debugger, here QEMU),
 * the CMSDK timer and the module table built into flash.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_MPS2_BOARD_H
#define XSIGHT_MPS2_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* ---- semihosting (ARM's "Semihosting for AArch32 and AArch64") */
enum {
	SYS_OPEN = 0x01,
	SYS_CLOSE = 0x02,
	SYS_WRITE = 0x05,
	SYS_READ = 0x06,
	SYS_SEEK = 0x0A,
	SYS_FLEN = 0x0C,
	SYS_REMOVE = 0x0E,
	SYS_RENAME = 0x0F,
	SYS_TIME = 0x11,
	SYS_ERRNO = 0x13,
	SYS_GET_CMDLINE = 0x15,
	SYS_EXIT = 0x18
};
/* SYS_OPEN modes: fopen's "r" "rb" "r+" "r+b" "w" "wb" "w+" "w+b" ... */
enum { SH_MODE_RB = 1, SH_MODE_RPLUSB = 3, SH_MODE_WPLUSB = 7, SH_MODE_W = 4, SH_MODE_A = 8 };

int semihost(int operation, void *argument);
/* Status reported to QEMU as its own exit status (0..255). */
void boardExit(int status) __attribute__((noreturn));
/* Console: semihosting ":tt" handles, stdout and stderr kept apart. */
void boardConsoleWrite(const char *text, size_t length, int error);
/* SYS_OPEN of a host file; a handle, or < 0 (SYS_ERRNO says why). */
int boardHostOpen(const char *path, int mode);
/* A whole host file of at most `max` bytes in malloc'd memory, with a NUL
   after it (so text is a C string): BOARD_READ_OK with *data and *length, or why not.
   A non-NULL *data is the caller's buffer of max + 1 bytes instead of malloc's. */
enum { BOARD_READ_OK = 0, BOARD_READ_OPEN = -1, BOARD_READ_SIZE = -2, BOARD_READ_MEMORY = -3, BOARD_READ_FAILED = -4 };
int boardHostReadFile(const char *path, size_t max, uint8_t **data, size_t *length);
/* A file (a host path) was written, renamed or deleted: fw-h743.elf's flash-store window stops
   serving its old copy to Resource (the bytes stay, so a mapping still in use keeps them). */
void boardStoreForget(const char *name);

/* ---- time: CMSDK timer 0 at 25 MHz, extended to 64 bits by its wrap interrupt */
#define BOARD_TIMER_HZ 25000000u
void boardTimerStart(void);
uint64_t boardTicks(void);

/* ---- power.c: wake reason, board time across Standby resets, sleeping */
void boardPowerInit(void);
/* --until MS: 1 taken, 0 not a power option, -1 bad value. */
/* --until MS (1: taken with its value), --skip-sleep (2: taken alone),
   0 not a power option, -1 bad value. */
int boardPowerArgument(const char *arg, const char *value);
/* Board time in us since power-on, and Unix time at power-on. */
int64_t boardNowUs(void);
int64_t boardEpochUs(void);
/* Sleep (WFI) until board time `at` for the timer (timer.c); 0 at once when --until ends the run first. */
int boardPowerIdleUntil(int64_t at);
/* Boots since power-on: 1 at power-on, more after each Standby reset. */
uint32_t boardPowerBoots(void);
/* XS aborted (memory full, ...: XS's reason, where): keep it for the next boot and sleep to its
   wake (boards/common/abort.h); does not return. */
void boardPowerAbort(const char *name, const char *where) __attribute__((noreturn));

/* ---- camera.c: the replay camera's frames (boards/common/camera_replay.h): --frames DIR
   names a folder on the host with frames.list */

/* The host folders of files and resources (--root, --state): board_args.h. */
/* Highest break of malloc's heap this boot (syscalls.c). */
size_t boardHeapPeak(void);
/* --stats: each sleep also reports the ticks this boot ran and its heap peaks (power.c). */
extern int gBoardStats;
/* The --config file's JSON text, or NULL. */
extern char *gBoardConfig;

#endif
