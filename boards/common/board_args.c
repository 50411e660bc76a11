/* board_args.c: the options the host simulator and mps2-an500 share (board_args.h). SPDX-License-Identifier: Apache-2.0 */
#include "xs_port.h"
#include "board_args.h"

#include <limits.h>
#include <stdlib.h>

const char *gBoardDataRoot = ".";
const char *gBoardStateRoot = NULL;

/* "INIT" (when second is NULL) or "INIT,INCR". */
static int parsePair(const char *text, int *first, int *second)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (end == text || a <= 0 || a > INT_MAX)
		return 0;
	*first = (int)a;
	if (*end == 0 && second == NULL)
		return 1;
	if (*end != ',' || second == NULL)
		return 0;
	long b = strtol(end + 1, &end, 10);
	if (*end != 0 || b < 0 || b > INT_MAX)
		return 0;
	*second = (int)b;
	return 1;
}

int boardArgument(const char *arg, const char *value, txCreation *creation)
{
	int ok;
	if (!strcmp(arg, "--root"))
		ok = (gBoardDataRoot = value) != NULL;
	else if (!strcmp(arg, "--state"))
		ok = (gBoardStateRoot = value) != NULL;
	else if (!strcmp(arg, "--chunk"))
		ok = parsePair(value, &creation->initialChunkSize, &creation->incrementalChunkSize);
	else if (!strcmp(arg, "--heap"))
		ok = parsePair(value, &creation->initialHeapCount, &creation->incrementalHeapCount);
	else if (!strcmp(arg, "--stack"))
		ok = parsePair(value, &creation->stackCount, NULL);
	else if (!strcmp(arg, "--keys"))
		ok = parsePair(value, &creation->initialKeyCount, &creation->incrementalKeyCount);
	else
		return 0;
	return ok ? 1 : -1;
}
