// What the face motions share (plan-face.ts): the box a field covers, its storage, the strength scale and
// the timing profiles. Every profile is 0 at the start of each cycle and a whole number of cycles fills
// the span, so frame 0 is the photo and the loop closes.
import type { FieldRegionPlan, PlanRequest } from '../motion/plan.js';
import { sharedFloat32 } from '../motion/plan.js';
import type { FacePrimitive } from '../motion/spec.js';
import { cyclesFor, motionTime, type RegionClock } from '../motion/timing.js';
import type { Point } from './landmarks.js';
import type { FoundFace } from './types.js';

export interface FaceRequest extends PlanRequest {
  motion: FacePrimitive;
  /** The face, in output pixels. */
  face: FoundFace;
  /** The photo at the output size, RGBA (what a face word looks at: the glasses over a blinking eye). */
  photo: Uint8Array;
  fps: number;
}

export type FieldBox = FieldRegionPlan['box'];

/** The strength at which a face motion has its natural size (the face words' default strength). */
export const FACE_STRENGTH = 4;

/** How much of its natural size a face motion has at `strength`. */
export function sizeAt(strength: number): number {
  return strength / FACE_STRENGTH;
}

export function boxAround(points: readonly Point[], margin: number, width: number, height: number): FieldBox {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs) - margin)),
    y0: Math.max(0, Math.floor(Math.min(...ys) - margin)),
    x1: Math.min(width, Math.ceil(Math.max(...xs) + margin)),
    y1: Math.min(height, Math.ceil(Math.max(...ys) + margin)),
  };
}

/** An empty field: `count` bases over the box, weights all 0, coverages when asked for. */
export function emptyField(
  box: FieldBox,
  count: number,
  frameCount: number,
  withCoverage: boolean,
): FieldRegionPlan {
  const size = Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
  return {
    kind: 'field',
    box,
    count,
    bases: sharedFloat32(count * size * 2),
    weights: sharedFloat32(frameCount * count),
    alphas: withCoverage ? sharedFloat32(count * size) : null,
  };
}

export function smoothstep(t: number): number {
  const u = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return u * u * (3 - 2 * u);
}

/**
 * Where each frame is in its cycle, 0-1: whole cycles of about `periodSeconds` over the span (one for a
 * span shorter than that).
 */
export function cyclePhases(
  clock: RegionClock,
  frameCount: number,
  fps: number,
  periodSeconds: number,
): { phases: Float64Array; cycleFrames: number } {
  const span = Math.max(1, clock.span);
  const cycles = cyclesFor(span, periodSeconds * fps);
  const phases = new Float64Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    const turns = (motionTime(clock, f) * cycles) / span;
    phases[f] = turns - Math.floor(turns);
  }
  return { phases, cycleFrames: span / cycles };
}

/** There and back: 0 at the cycle's ends, 1 at its middle. */
export function thereAndBack(phase: number): number {
  return (1 - Math.cos(2 * Math.PI * phase)) / 2;
}

/**
 * To one side, through rest, to the other side and back, the swings growing from rest and dying back to
 * it over the span (`share`: how far through the span, 0-1), so the loop point is as calm as any other.
 */
export function toAndFro(phase: number, share: number): number {
  return Math.sin(2 * Math.PI * phase) * Math.sin(Math.PI * share);
}

/** Goes there over the first quarter, holds, comes back by 85% and rests. */
export function goAndHold(phase: number): number {
  if (phase < 0.25) return smoothstep(phase / 0.25);
  if (phase < 0.6) return 1;
  return 1 - smoothstep((phase - 0.6) / 0.25);
}
