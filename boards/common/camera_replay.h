/*
 * camera_replay.h: a camera (camera_board.h) that replays binary PGM frames
 * from a folder of the host, one per capture in order, wrapping around: the
 * host simulator's and mps2-an500's camera. camera_replay.c owns the
 * sensor's behaviour (format, scaling, simulated exposure, power reports);
 * a board says which frames there are, reads one, and keeps the sequence.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A frame whose size differs from the format is scaled to it (area mean,
 * native/vision), as a sensor's binning would. Exposure is simulated: the
 * frame's mean says which exposure the scene wants (camera.h's model), and
 * the settling frames counted for energy follow from where auto-exposure
 * started.
 */
#ifndef XSIGHT_CAMERA_REPLAY_H
#define XSIGHT_CAMERA_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#define CAMERA_REPLAY_MAX_FRAMES 1024

/* ---- provided by camera_replay.c */

/* Consume --frames DIR: 1 done, 0 not a camera option. */
int boardReplayArgument(const char *arg, const char *value);

/* ---- supplied by the board */

/* The frames in `dir`, in capture order, into `names` (relative to `dir`, or
 * absolute); the names must stay valid. Returns how many, or -1 with a
 * message in `error`. Called once, at the first open. */
int board_replay_list(const char *dir, const char **names, int capacity, char *error, size_t error_size);
/* A whole frame file in the board's memory (malloc'd, or a frame buffer outside
 * the heap), handed back with board_replay_release; NULL with the reason in `error`. */
uint8_t *board_replay_read(const char *path, size_t *length, char *error, size_t error_size);
void board_replay_release(uint8_t *data);
/* Captures since power-on: the next wake sees the next frame, across the
 * board's Standby boots as the world goes on while the device sleeps. */
uint32_t board_replay_sequence(void);
void board_replay_set_sequence(uint32_t sequence);

#endif
