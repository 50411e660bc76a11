// groupRectangles on XS against OpenCV's own, case by case: the vitest side
// (test/vision-group.test.ts) makes candidate sets, groups them with OpenCV
// 4.5's cv.groupRectangles and passes both through mc/config "groupCases".
// SPDX-License-Identifier: Apache-2.0
import config from "mc/config";
import { groupRectangles } from "vision/detect";
import { assert, deepEqual, test } from "./harness";

interface GroupCase {
	/** x, y, width, height per candidate. */
	rects: number[];
	threshold: number;
	/** OpenCV's groups as "x,y,w,h:n" (n = its weight, the members), sorted. */
	expected: string[];
}

const cases = config["groupCases"] as GroupCase[] | undefined;

test("the cases arrived", () => {
	assert(Array.isArray(cases) && cases.length > 0, "mc/config groupCases: expected an array of cases");
});

for (const [thresholds, name] of [
	[[1], "minNeighbors 1"],
	[[2], "minNeighbors 2"],
	[[3, 4, 5], "minNeighbors 3 to 5"],
] as const) {
	test(`groups equal OpenCV's at ${name}, nested groups included`, () => {
		for (const [i, c] of (cases ?? []).entries()) {
			if (!(thresholds as readonly number[]).includes(c.threshold)) continue;
			const count = c.rects.length / 4;
			const out = groupRectangles(
				{ rects: Int32Array.from(c.rects), scores: new Float32Array(count), count },
				c.threshold,
				0.2,
			);
			const got = out.map((d) => `${d.x},${d.y},${d.width},${d.height}:${d.hits}`).sort();
			deepEqual(got, c.expected, `case ${i} (${count} candidates, minNeighbors ${c.threshold})`);
		}
	});
}
