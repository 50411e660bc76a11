/*
 * xs_nn_rounding.h: XSIGHT_NN_SINGLE_ROUNDING in every build, for the binding, the kernels and the tests.
 * SPDX-License-Identifier: Apache-2.0
 *
 * native/nn's arm_nnfunctions.h defines it. Built against the real CMSIS-NN
 * (make CMSIS_NN_PATH=...), whose header does not, its own switch decides the
 * rounding; without this a test's `#if XSIGHT_NN_SINGLE_ROUNDING` would quietly
 * read 0 and check the wrong rounding.
 */
#ifndef XS_NN_ROUNDING_H
#define XS_NN_ROUNDING_H

/* Angle brackets: with CMSIS_NN_PATH, the real CMSIS-NN's header comes first. */
#include <arm_nnfunctions.h>

#ifndef XSIGHT_NN_SINGLE_ROUNDING
#if defined(CMSIS_NN_USE_SINGLE_ROUNDING)
#define XSIGHT_NN_SINGLE_ROUNDING 1
#else
#define XSIGHT_NN_SINGLE_ROUNDING 0
#endif
#endif

#endif /* XS_NN_ROUNDING_H */
