/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * The operator families Model.load prepares (ops/op.ts: what each supplies),
 * by TFLite builtin code. A new operator: its file here, listed below.
 */
import { add } from "./add";
import { conv } from "./conv";
import { fullyConnected } from "./fully-connected";
import { mul } from "./mul";
import type { OpFamily } from "./op";
import { pool } from "./pool";
import { quantize } from "./quantize";
import { reshape } from "./reshape";
import { reverse } from "./reverse";
import { softmax } from "./softmax";

const families: readonly OpFamily[] = [conv, fullyConnected, pool, softmax, add, mul, reshape, reverse, quantize];

const byCode = new Map<number, OpFamily>();
for (const family of families) for (const code of family.codes) byCode.set(code, family);

/** The family that prepares operators of this builtin code, or undefined (an unsupported operator). */
export function familyOf(code: number): OpFamily | undefined {
	return byCode.get(code);
}
