// Named parts of the 478-point face mesh (MediaPipe's face mesh topology, as in Human's
// src/face/facemeshcoords.ts). "Right" and "left" are the person's own: the person's right eye is on
// the image's left.
import type { FoundFace } from './types.js';

export type Point = [number, number];

/** The face's outline, clockwise from the top of the forehead. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
] as const;

export interface EyeIndices {
  /** Upper lid, corner to corner (outer corner first for the right eye, as MediaPipe lists them). */
  upper: readonly number[];
  lower: readonly number[];
  /** The eyebrow's lower edge, along the same direction. */
  browLower: readonly number[];
  browUpper: readonly number[];
  /** Iris centre and four rim points (Human appends the person's left iris first). */
  iris: readonly number[];
}

export const RIGHT_EYE: EyeIndices = {
  upper: [33, 246, 161, 160, 159, 158, 157, 173, 133],
  lower: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  browLower: [35, 124, 46, 53, 52, 65],
  browUpper: [156, 70, 63, 105, 66, 107, 55, 193],
  iris: [473, 474, 475, 476, 477],
};

export const LEFT_EYE: EyeIndices = {
  upper: [263, 466, 388, 387, 386, 385, 384, 398, 362],
  lower: [263, 249, 390, 373, 374, 380, 381, 382, 362],
  browLower: [265, 353, 276, 283, 282, 295],
  browUpper: [383, 300, 293, 334, 296, 336, 285, 417],
  iris: [468, 469, 470, 471, 472],
};

/** Mouth corners (the person's right, then left), the top of the upper lip and the bottom of the lower. */
export const MOUTH = { rightCorner: 61, leftCorner: 291, top: 0, bottom: 17 } as const;
export const NOSE_TIP = 1;
export const FOREHEAD = 10;
export const CHIN = 152;

export function meshPoint(face: FoundFace, index: number): Point {
  return [face.mesh[index * 2]!, face.mesh[index * 2 + 1]!];
}

export function meshPoints(face: FoundFace, indices: readonly number[]): Point[] {
  return indices.map((i) => meshPoint(face, i));
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The vertical opening of an eye (mean lid distance over its middle), in pixels. */
export function eyeOpening(face: FoundFace, eye: EyeIndices): number {
  const upper = meshPoints(face, eye.upper);
  const lower = meshPoints(face, eye.lower);
  let sum = 0;
  for (let k = 2; k < upper.length - 2; k++) sum += lower[k]![1] - upper[k]![1];
  return sum / (upper.length - 4);
}

/**
 * The curve through `points` at column x (linear between points taken in x order); outside their x range,
 * the nearest end's y.
 */
export function curveAt(points: readonly Point[], x: number): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  if (x <= sorted[0]![0]) return sorted[0]![1];
  for (let i = 1; i < sorted.length; i++) {
    const [x1, y1] = sorted[i]!;
    if (x <= x1) {
      const [x0, y0] = sorted[i - 1]!;
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return sorted[sorted.length - 1]![1];
}

/** The iris centre and radius, from its centre and four rim points. */
export function irisOf(face: FoundFace, eye: EyeIndices): { centre: Point; radius: number } {
  const [centre, ...rim] = meshPoints(face, eye.iris);
  const radius =
    rim.reduce((sum, p) => sum + Math.hypot(p[0] - centre![0], p[1] - centre![1]), 0) / rim.length;
  return { centre: centre!, radius };
}
