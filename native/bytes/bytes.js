// The "native/bytes" module: host functions in C (native/bytes/bytes_xs.c).
// SPDX-License-Identifier: Apache-2.0
export function crc32(data, crc) @ "xs_bytes_crc32";
export function histogram(data, bins) @ "xs_bytes_histogram";
