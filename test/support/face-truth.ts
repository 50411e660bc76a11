// The labelled dlib photos of ../shared (images/faces/dlib/training.xml) and
// how detections are scored against them: recall and precision at IoU >= 0.4.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CvRect } from "./opencv-oracle";

export interface Truth {
	file: string;
	boxes: CvRect[];
}

/** The photos and face boxes of dlib/training.xml under `faces`. */
export function readTruth(faces: string): Truth[] {
	const xml = readFileSync(path.join(faces, "dlib/training.xml"), "utf8");
	return [...xml.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)].map((m) => ({
		file: m[1] ?? "",
		boxes: [...(m[2] ?? "").matchAll(/<box top='(\d+)' left='(\d+)' width='(\d+)' height='(\d+)'/g)].map((b) => ({
			x: Number(b[2]),
			y: Number(b[1]),
			width: Number(b[3]),
			height: Number(b[4]),
		})),
	}));
}

export function iou(a: CvRect, b: CvRect): number {
	const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
	const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
	if (w <= 0 || h <= 0) return 0;
	const inter = w * h;
	return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Greedy one-to-one matching at IoU >= 0.4, best pairs first. */
export function matches(found: CvRect[], truth: CvRect[]): number {
	const pairs: [number, number, number][] = [];
	found.forEach((f, i) =>
		truth.forEach((t, j) => {
			const v = iou(f, t);
			if (v >= 0.4) pairs.push([v, i, j]);
		}),
	);
	pairs.sort((a, b) => b[0] - a[0]);
	const usedF = new Set<number>(),
		usedT = new Set<number>();
	for (const [, i, j] of pairs) {
		if (usedF.has(i) || usedT.has(j)) continue;
		usedF.add(i);
		usedT.add(j);
	}
	return usedF.size;
}
