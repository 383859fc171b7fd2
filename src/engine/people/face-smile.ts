// Smile: the mouth corners lift up and outwards under a smooth local warp; the lips stay closed where
// they were (no teeth are invented).
import type { FieldRegionPlan } from '../motion/plan.js';
import { boxAround, cyclePhases, emptyField, thereAndBack, type FaceRequest } from './face-field.js';
import { MOUTH, meshPoint, type Point } from './landmarks.js';

export function planSmile(request: FaceRequest): FieldRegionPlan {
  const { width, height, face, clock, frameCount, sizes } = request;
  const right = meshPoint(face, MOUTH.rightCorner);
  const left = meshPoint(face, MOUTH.leftCorner);
  const mouth = Math.hypot(left[0] - right[0], left[1] - right[1]);
  const box = boxAround(
    [right, left].flatMap((p) => [
      [p[0] - mouth, p[1] - mouth] as Point,
      [p[0] + mouth, p[1] + mouth] as Point,
    ]),
    2,
    width,
    height,
  );
  const field = emptyField(box, 1, frameCount, false);
  const basis = field.bases;
  const sigma = 0.28 * mouth;
  const bw = box.x1 - box.x0;
  for (const [corner, outwards] of [
    [right, -1],
    [left, 1],
  ] as const) {
    const norm = Math.hypot(0.45, 1);
    const dx = (0.45 * outwards) / norm;
    const dy = -1 / norm;
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const r2 = (x + 0.5 - corner[0]) ** 2 + (y + 0.5 - corner[1]) ** 2;
        const g = Math.exp(-r2 / (2 * sigma * sigma));
        if (g < 1e-3) continue;
        const i = ((y - box.y0) * bw + (x - box.x0)) * 2;
        // A forward lift d is shown by sampling the photo at x - d (the warp is small and smooth).
        basis[i] = basis[i]! - g * dx;
        basis[i + 1] = basis[i + 1]! - g * dy;
      }
    }
  }
  // Strength: the corners' peak lift, in pixels at a 512-pixel long side; one smile over the span.
  const lift = request.strength * sizes.unit;
  const { phases } = cyclePhases(clock, frameCount, request.fps, Number.POSITIVE_INFINITY);
  for (let f = 0; f < frameCount; f++) field.weights[f] = lift * thereAndBack(phases[f]!);
  return field;
}
