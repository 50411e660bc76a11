/*
 * creation_args.h: the XS creation options of a board's command line, the
 * same on the host simulator and mps2-an500 (the CLI passes the manifest's
 * creation sizes to both alike).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_CREATION_ARGS_H
#define XSIGHT_CREATION_ARGS_H

struct sxCreation;

/* Consume --chunk INIT,INCR (bytes), --heap INIT,INCR (slots), --stack N
 * (slots) or --keys INIT,INCR into `creation`: 1 taken with its value, 0 not
 * a creation option, -1 a bad value. INIT and N are positive, INCR >= 0. */
int boardCreationArgument(const char* arg, const char* value, struct sxCreation* creation);

#endif
