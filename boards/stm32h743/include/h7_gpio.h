/*
 * h7_gpio.h: the GPIO configuration helper the drivers share (RM0433 11.4). Target only.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_GPIO_H
#define XSIGHT_H7_GPIO_H

#include <stdbool.h>

enum { H7_GPIO_INPUT = 0, H7_GPIO_OUTPUT = 1, H7_GPIO_AF = 2, H7_GPIO_ANALOG = 3 };
enum { H7_GPIO_PULL_NONE = 0, H7_GPIO_PULL_UP = 1, H7_GPIO_PULL_DOWN = 2 };
enum { H7_PORT_A = 0, H7_PORT_B, H7_PORT_C, H7_PORT_D, H7_PORT_E };

/* port 0 = A .. 10 = K; speed 0 (low) .. 3 (very high) */
void h7_gpio_config(unsigned port, unsigned pin, unsigned mode, unsigned af, unsigned pull, unsigned speed);
void h7_gpio_write(unsigned port, unsigned pin, bool high);

#endif
