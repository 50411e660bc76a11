/*
 * board_args.h: the command-line options the host simulator and mps2-an500
 * share (the CLI drives both alike), and the folders of the host that their
 * storage lives in (the `file` module and Resource map paths into them with
 * native/file's file_path.h).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_BOARD_ARGS_H
#define XSIGHT_BOARD_ARGS_H

struct sxCreation;

/* The data root of `file` and Resource (--root DIR, default "."). */
extern const char *gBoardDataRoot;
/* The board's state folder for "/state/..." paths (--state DIR), or NULL. */
extern const char *gBoardStateRoot;

/* Consume --root DIR, --state DIR, or an XS creation option into `creation`:
 * --chunk INIT,INCR (bytes), --heap INIT,INCR (slots), --stack N (slots),
 * --keys INIT,INCR (INIT and N positive, INCR >= 0). Returns 1 taken with
 * its value, 0 not one of these, -1 a bad value. */
int boardArgument(const char *arg, const char *value, struct sxCreation *creation);

#endif
