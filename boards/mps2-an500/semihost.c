/*
 * semihost.c: ARM semihosting calls and the console built on them. Under
 * QEMU (`-semihosting-config enable=on,target=native`) they reach the host:
 * files, the command line, the clock and the exit status.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"

#include <stdlib.h>
#include <string.h>

int semihost(int operation, void *argument)
{
	register int r0 __asm__("r0") = operation;
	register void *r1 __asm__("r1") = argument;
	__asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void boardExit(int status)
{
	/* AArch32 SYS_EXIT takes a reason only: ApplicationExit means status 0,
	   any other reason makes QEMU exit 1. SYS_EXIT_EXTENDED (0x20) carries
	   the status, and QEMU implements it for AArch32 as well. */
	int block[2] = {0x20026, status};
	semihost(0x20, block);
	semihost(SYS_EXIT, (void *)(status ? 0x20023 : 0x20026));
	for (;;)
		__asm__ volatile("wfi");
}

static int consoleHandle(int error)
{
	static int handles[2] = {-1, -1};
	if (handles[error] < 0) {
		/* ":tt" opened for writing is stdout, opened for appending is stderr. */
		int block[3] = {(int)":tt", error ? SH_MODE_A : SH_MODE_W, 3};
		handles[error] = semihost(SYS_OPEN, block);
	}
	return handles[error];
}

void boardConsoleWrite(const char *text, size_t length, int error)
{
	if (!length)
		return;
	int block[3] = {consoleHandle(error ? 1 : 0), (int)text, (int)length};
	semihost(SYS_WRITE, block);
}

int boardHostOpen(const char *path, int mode)
{
	int block[3] = {(int)path, mode, (int)strlen(path)};
	return semihost(SYS_OPEN, block);
}

int boardHostReadFile(const char *path, size_t max, uint8_t **data, size_t *length)
{
	int handle = boardHostOpen(path, SH_MODE_RB);
	if (handle < 0)
		return BOARD_READ_OPEN;
	int size = semihost(SYS_FLEN, &handle);
	int status = BOARD_READ_OK;
	uint8_t *bytes = NULL;
	if (size < 0 || (size_t)size > max)
		status = BOARD_READ_SIZE;
	else if (!(bytes = *data ? *data : malloc((size_t)size + 1)))
		status = BOARD_READ_MEMORY;
	else {
		int block[3] = {handle, (int)bytes, size};
		/* SYS_READ returns the count of bytes NOT read. */
		if (size && semihost(SYS_READ, block) != 0) {
			if (bytes != *data)
				free(bytes);
			status = BOARD_READ_FAILED;
		} else {
			bytes[size] = 0;
			*data = bytes;
			*length = (size_t)size;
		}
	}
	semihost(SYS_CLOSE, &handle);
	return status;
}
