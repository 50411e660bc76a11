/*
 * unit.h: the smallest test harness that still reports each case.
 *
 * Every native library's tests are plain C programs (no XS, no allocation
 * required) that print TAP lines, so the same binary runs on the host, under
 * QEMU or on a board console, and test/native.test.ts turns each line into
 * its own vitest case.
 *
 *   UNIT_TEST(name) { UNIT_EQ_INT(a, b); ... }
 *   int main(void) { UNIT_RUN(name); ...; return unit_done(); }
 */
#ifndef XSIGHT_UNIT_H
#define XSIGHT_UNIT_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
	int run;
	int failed;
	int case_failed;
} unit_state_t;

static unit_state_t unit_state;

/* xorshift32: the same deterministic test data on the host, QEMU and a board. */
static uint32_t unit_rand_state = 0x2545F491u;

static inline void unit_rand_seed(uint32_t seed)
{
	unit_rand_state = seed ? seed : 1u;
}

static inline uint32_t unit_rand(void)
{
	uint32_t x = unit_rand_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return unit_rand_state = x;
}

#define UNIT_TEST(name) static void name(void)

/* A long long in decimal without printf's %lld, which newlib-nano (the M7's
 * libc) does not implement: a failing check must print, not fault. */
static inline const char *unit_lld(char buf[24], long long v)
{
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char *p = buf + 23;
	*p = 0;
	do {
		*--p = (char)('0' + u % 10u);
		u /= 10u;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

#define UNIT_FAIL(...)                                                                                                 \
	do {                                                                                                               \
		unit_state.case_failed = 1;                                                                                    \
		printf("# %s:%d: ", __FILE__, __LINE__);                                                                       \
		printf(__VA_ARGS__);                                                                                           \
		printf("\n");                                                                                                  \
	} while (0)

#define UNIT_ASSERT(cond)                                                                                              \
	do {                                                                                                               \
		if (!(cond)) {                                                                                                 \
			UNIT_FAIL("assertion failed: %s", #cond);                                                                  \
			return;                                                                                                    \
		}                                                                                                              \
	} while (0)

#define UNIT_EQ_INT(actual, expected)                                                                                  \
	do {                                                                                                               \
		long long unit_a = (long long)(actual), unit_e = (long long)(expected);                                        \
		if (unit_a != unit_e) {                                                                                        \
			char unit_ba[24], unit_be[24];                                                                             \
			UNIT_FAIL("%s == %s, expected %s == %s", #actual, unit_lld(unit_ba, unit_a), #expected,                    \
			          unit_lld(unit_be, unit_e));                                                                      \
			return;                                                                                                    \
		}                                                                                                              \
	} while (0)

#define UNIT_RUN(name)                                                                                                 \
	do {                                                                                                               \
		unit_state.case_failed = 0;                                                                                    \
		unit_state.run++;                                                                                              \
		name();                                                                                                        \
		printf("%s %d - %s\n", unit_state.case_failed ? "not ok" : "ok", unit_state.run, #name);                       \
		unit_state.failed += unit_state.case_failed;                                                                   \
	} while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_state.run);
	return unit_state.failed ? 1 : 0;
}

#endif
