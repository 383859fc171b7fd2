// Face motions for the built-in engine (issue 12, point 4), driven by the face mesh: a displacement
// field over the face (a basis) weighted per frame. A frame shows the photo sampled at x + w(t) B(x):
// nothing is invented, frame 0 (weight 0) is the photo, and the weight back at 0 at the end of the span
// closes the loop.
// - smile: the mouth corners lift up and outwards under a smooth local warp; the lips stay closed where
//   they were (no teeth are invented).
// (blink is not here yet: a lid sliding down over the eye was tried and left a visible band above the
// eye, so it stays with the diffusion engine.)
import type { FieldRegionPlan, PlanRequest } from '../motion/plan.js';
import { sharedFloat32 } from '../motion/plan.js';
import { motionTime } from '../motion/timing.js';
import type { FacePrimitive } from '../motion/spec.js';
import { MOUTH, meshPoint, type Point } from './landmarks.js';
import type { FoundFace } from './types.js';

export interface FaceRequest extends PlanRequest {
  motion: FacePrimitive;
  /** The face, in output pixels. */
  face: FoundFace;
  fps: number;
}

function boxOf(points: readonly Point[], margin: number, width: number, height: number) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs) - margin)),
    y0: Math.max(0, Math.floor(Math.min(...ys) - margin)),
    x1: Math.min(width, Math.ceil(Math.max(...xs) + margin)),
    y1: Math.min(height, Math.ceil(Math.max(...ys) + margin)),
  };
}

/** The smile's backward field: each corner lifted by `lift` pixels, up and outwards, fading smoothly. */
function smileBasis(face: FoundFace, box: FieldRegionPlan['box'], basis: Float32Array): void {
  const right = meshPoint(face, MOUTH.rightCorner);
  const left = meshPoint(face, MOUTH.leftCorner);
  const mouth = Math.hypot(left[0] - right[0], left[1] - right[1]);
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
}

export function planFace(request: FaceRequest): { plan: FieldRegionPlan; fieldStrength: number } {
  const { width, height, face, clock, frameCount, sizes } = request;
  const span = Math.max(1, clock.span);
  const mouth = Math.hypot(
    meshPoint(face, MOUTH.leftCorner)[0] - meshPoint(face, MOUTH.rightCorner)[0],
    meshPoint(face, MOUTH.leftCorner)[1] - meshPoint(face, MOUTH.rightCorner)[1],
  );
  const points = [meshPoint(face, MOUTH.rightCorner), meshPoint(face, MOUTH.leftCorner)].flatMap((p) => [
    [p[0] - mouth, p[1] - mouth] as Point,
    [p[0] + mouth, p[1] + mouth] as Point,
  ]);
  const box = boxOf(points, 2, width, height);
  const bw = Math.max(0, box.x1 - box.x0);
  const bh = Math.max(0, box.y1 - box.y0);
  const basis = sharedFloat32(bw * bh * 2);
  const weights = sharedFloat32(frameCount);
  smileBasis(face, box, basis);
  // Strength: the corners' peak lift, in pixels at a 512-pixel long side.
  const lift = request.strength * sizes.unit;
  for (let f = 0; f < frameCount; f++) {
    weights[f] = (lift * (1 - Math.cos((2 * Math.PI * motionTime(clock, f)) / span))) / 2;
  }
  // The field's strength (QUALITY.md's unit): the largest per-frame change of the peak displacement.
  let peak = 0;
  for (let i = 0; i < basis.length; i += 2) peak = Math.max(peak, Math.hypot(basis[i]!, basis[i + 1]!));
  let fastest = 0;
  for (let f = 1; f < frameCount; f++) fastest = Math.max(fastest, Math.abs(weights[f]! - weights[f - 1]!));
  return {
    plan: { kind: 'field', box, count: 1, bases: basis, weights },
    fieldStrength: (peak * fastest) / sizes.unit,
  };
}
