// OpenCV 4.5 in WASM (npm @techstark/opencv-js, a devDependency): the tests'
// oracle for the cascade detectors and gray conversion (../shared/notes/oracles.md),
// and what xsight bench vision times beside detect() on XS.
//
// The module object is a thenable: awaiting it, or resolving a promise with
// it, makes Node spin forever. So the promise here resolves with nothing, on
// onRuntimeInitialized, and the module is handed out by cv().
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { GrayImage } from "./image";

interface CvMat {
	data: Uint8Array;
	delete(): void;
}
interface CvVector<T> {
	size(): number;
	get(i: number): T;
	delete(): void;
}
export interface CvRect {
	x: number;
	y: number;
	width: number;
	height: number;
}
interface CvClassifier {
	load(path: string): boolean;
	empty(): boolean;
	detectMultiScale(
		img: CvMat,
		out: CvVector<CvRect>,
		scaleFactor: number,
		minNeighbors: number,
		flags: number,
		minSize: object,
		maxSize: object,
	): void;
	delete(): void;
}
interface Cv {
	Mat: new (rows?: number, cols?: number, type?: number) => CvMat;
	Size: new (w: number, h: number) => object;
	RectVector: new () => CvVector<CvRect>;
	CascadeClassifier: new () => CvClassifier;
	cvtColor(src: CvMat, dst: CvMat, code: number): void;
	FS_createDataFile(dir: string, name: string, data: Uint8Array, read: boolean, write: boolean, own: boolean): void;
	CV_8UC1: number;
	CV_8UC4: number;
	COLOR_RGBA2GRAY: number;
	onRuntimeInitialized?: () => void;
}

let module: Cv | undefined;
let ready: Promise<void> | undefined;

export function loadOpenCv(): Promise<void> {
	ready ??= new Promise<void>((resolve) => {
		const mod = createRequire(import.meta.url)("@techstark/opencv-js") as Cv;
		module = mod;
		if ((mod as unknown as { calledRun?: boolean }).calledRun === true) resolve();
		else mod.onRuntimeInitialized = () => resolve();
	});
	return ready;
}

export function cv(): Cv {
	if (!module) throw new Error("opencv-js: call loadOpenCv() and wait for it first");
	return module;
}

let fileCount = 0;
const classifiers = new Map<string, CvClassifier>();

/** A CascadeClassifier for OpenCV XML text (cached by a key). */
export function classifier(key: string, xml: string): CvClassifier {
	let c = classifiers.get(key);
	if (!c) {
		const name = `cascade${fileCount++}.xml`;
		cv().FS_createDataFile("/", name, new TextEncoder().encode(xml), true, false, false);
		c = new (cv().CascadeClassifier)();
		if (!c.load(name) || c.empty()) throw new Error(`opencv-js cannot load cascade ${key}`);
		classifiers.set(key, c);
	}
	return c;
}

export function classifierFromFile(file: string): CvClassifier {
	return classifier(file, readFileSync(file, "utf8"));
}

export interface CvDetectOptions {
	scale: number;
	minNeighbors: number;
	minSize?: number;
	maxSize?: number;
}

/** detectMultiScale on exactly these gray bytes. */
export function detectMultiScale(c: CvClassifier, image: GrayImage, options: CvDetectOptions): CvRect[] {
	const m = new (cv().Mat)(image.height, image.width, cv().CV_8UC1);
	m.data.set(image.data);
	const out = new (cv().RectVector)();
	const min = options.minSize ?? 0,
		max = options.maxSize ?? 0;
	c.detectMultiScale(
		m,
		out,
		options.scale,
		options.minNeighbors,
		0,
		new (cv().Size)(min, min),
		new (cv().Size)(max, max),
	);
	const rects: CvRect[] = [];
	for (let i = 0; i < out.size(); i++) {
		const r = out.get(i);
		rects.push({ x: r.x, y: r.y, width: r.width, height: r.height });
	}
	out.delete();
	m.delete();
	return rects;
}

/** cvtColor(RGBA2GRAY) of width x height RGBA pixels. */
export function cvGray(rgba: Uint8Array, width: number, height: number): Uint8Array {
	const src = new (cv().Mat)(height, width, cv().CV_8UC4);
	src.data.set(rgba);
	const dst = new (cv().Mat)();
	cv().cvtColor(src, dst, cv().COLOR_RGBA2GRAY);
	const gray = dst.data.slice();
	src.delete();
	dst.delete();
	return gray;
}
