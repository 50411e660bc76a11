/*
 * timer_board.h: what a board supplies to the "timer" module's binding
 * (native/timer/timer_xs.c), and what the binding gives the board back.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The queue lives in timer.js; the binding holds its step function. A board
 * only says how time passes: busy (Timer.delay, the core runs) and idle
 * (waiting for the next timer, the core sleeps). The host simulator moves its
 * virtual clock (host-sim/timer.c), mps2-an500 waits on the CMSDK timer
 * (boards/mps2-an500/timer.c), the STM32H743 on SysTick (boards/stm32h743/timer.c).
 */
#ifndef XSIGHT_TIMER_BOARD_H
#define XSIGHT_TIMER_BOARD_H

struct sxMachine;

/* ---- supplied by the board */

/* Timer.delay(): `us` of busy time on the running core. */
void board_timer_busy(double us);
/* Wait `us` for the next timer; 0 when the board ends the run first (a
 * simulation's end), else 1. */
int board_timer_idle(double us);

/* ---- provided by the binding */

/* Once main has returned: run the app's timers until none is left or the
 * board ends the run; returns the exit status (XS_PORT_EXIT_*). Nothing to
 * do when `machine` registered no timer module. */
int xsTimerRun(struct sxMachine *machine);
/* Forget the machine (before a new one boots in the same process). */
void xsTimerReset(void);

#endif
