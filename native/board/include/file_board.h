/*
 * file_board.h: what a board supplies to the "file" module's binding
 * (native/file/file_xs.c, Moddable's File API). The binding owns the API: the
 * arguments, the position, what a read returns, the errors JS sees. A board
 * only moves bytes: stdio within a folder on the host simulator
 * (host-sim/file.c), semihosting within a folder of the host on mps2-an500
 * (boards/mps2-an500/file.c), the internal-flash store on the STM32H743
 * (boards/stm32h743/file.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Paths are the app's, as given to File ("/models/smile.tflite"); the board
 * maps them to its storage. Hooks return BOARD_FILE_OK or an error with its
 * message in `error` (without the "file: " prefix the binding adds).
 */
#ifndef XSIGHT_FILE_BOARD_H
#define XSIGHT_FILE_BOARD_H

#include <stddef.h>
#include <stdint.h>

enum {
	BOARD_FILE_OK = 0,
	BOARD_FILE_BAD_PATH = -1, /* a path the board refuses: a URIError */
	BOARD_FILE_FAILED = -2    /* the storage failed or has no such file: an Error */
};

/* An open file: a FILE*, a semihosting handle or a store descriptor. */
typedef intptr_t board_file_t;

/* Open `path`; `writable` creates it when missing. */
int board_file_open(const char *path, int writable, board_file_t *file, char *error, size_t error_size);
void board_file_close(board_file_t file);
int board_file_length(board_file_t file, uint32_t *length, char *error, size_t error_size);
/* Move to `position` (>= 0); nonzero when the board refuses it. */
int board_file_seek(board_file_t file, uint32_t position);
/* Read or write `count` bytes at `position`, which is where the last seek,
 * read or write left the file. */
int board_file_read(board_file_t file, uint32_t position, void *data, uint32_t count, char *error, size_t error_size);
int board_file_write(board_file_t file, uint32_t position, const void *data, uint32_t count, char *error,
                     size_t error_size);
/* Hand what was written to the storage (a commit point). */
int board_file_flush(board_file_t file, int writable, char *error, size_t error_size);
/* 1 done (or exists), 0 not, BOARD_FILE_BAD_PATH with a message. */
int board_file_delete(const char *path, char *error, size_t error_size);
int board_file_exists(const char *path, char *error, size_t error_size);
int board_file_rename(const char *from, const char *to, char *error, size_t error_size);

#endif
