// OpenCV's groupRectangles rules, case by case on XS (test/xs/grouping.xs.ts):
// seeded candidate sets shaped like a detector's output (clusters of 1 to 6
// jittered windows, smaller clusters nested inside larger ones, strays),
// grouped by OpenCV 4.5 (opencv-js cv.groupRectangles, eps 0.2, the call
// detectMultiScale makes) at minNeighbors 1 to 5. The nested-group rule
// (a group inside another with more than max(3, its) members is dropped,
// unless it has fewer than 3) only shows at small minNeighbors.
// SPDX-License-Identifier: Apache-2.0
import { rng } from "../tools/tflite/testmodels";
import { loadOpenCv, cv } from "./support/opencv-oracle";
import { defineXsSuite } from "./support/xs";
import { visionRoot } from "./support/vision-data";

function candidates(next: () => number): number[] {
	const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
	const rects: number[] = [];
	const cluster = (x: number, y: number, size: number, members: number) => {
		const jitter = Math.max(1, Math.floor(size * 0.08));
		for (let m = 0; m < members; m++) {
			// Width and height apart: a cascade's window need not be square.
			rects.push(
				x + int(-jitter, jitter),
				y + int(-jitter, jitter),
				size + int(-jitter, jitter),
				size + int(-jitter, jitter),
			);
		}
	};
	for (let f = int(1, 3); f > 0; f--) {
		const size = int(30, 90),
			x = int(0, 200),
			y = int(0, 140);
		cluster(x, y, size, int(1, 6));
		// A smaller cluster inside it, as a detector finds on a face's features.
		// Some stick out of it by up to a fifth of its size and a pixel: the
		// edge of eps's slack, rounded as OpenCV rounds it.
		if (next() < 0.7) {
			const inner = Math.max(20, Math.floor(size * (0.3 + 0.5 * next())));
			const edge = next() < 0.5,
				out = int(0, Math.ceil(size * 0.2) + 1);
			const ix = edge ? x + size - inner + out : x + int(0, size - inner);
			const iy = edge && next() < 0.5 ? y - out : y + int(0, size - inner);
			cluster(ix, iy, inner, int(1, 6));
		}
	}
	for (let s = int(0, 2); s > 0; s--) cluster(int(0, 250), int(0, 180), int(24, 60), 1);
	return rects;
}

interface CvVector<T> {
	size(): number;
	get(i: number): T;
	push_back(value: T): void;
	delete(): void;
}

function openCvGroups(rects: number[], threshold: number): string[] {
	const c = cv() as unknown as {
		RectVector: new () => CvVector<object>;
		IntVector: new () => CvVector<number>;
		Rect: new (x: number, y: number, w: number, h: number) => object;
		groupRectangles(list: CvVector<object>, weights: CvVector<number>, threshold: number, eps: number): void;
	};
	const list = new c.RectVector(),
		weights = new c.IntVector();
	for (let i = 0; i < rects.length; i += 4)
		list.push_back(new c.Rect(rects[i]!, rects[i + 1]!, rects[i + 2]!, rects[i + 3]!));
	c.groupRectangles(list, weights, threshold, 0.2);
	const out: string[] = [];
	for (let i = 0; i < list.size(); i++) {
		const r = list.get(i) as { x: number; y: number; width: number; height: number };
		out.push(`${r.x},${r.y},${r.width},${r.height}:${weights.get(i)}`);
	}
	list.delete();
	weights.delete();
	return out.sort();
}

await loadOpenCv();
const next = rng(0x5eed);
const groupCases = [];
for (let i = 0; i < 1000; i++) {
	const rects = candidates(next);
	const threshold = 1 + (i % 5);
	groupCases.push({ rects, threshold, expected: openCvGroups(rects, threshold) });
}
await defineXsSuite("test/xs/grouping.xs", { root: visionRoot(), config: { groupCases } });
