// Face motions for the built-in engine (issue 12, point 4), driven by the face mesh: displacement fields
// over the face (bases) weighted per frame. A frame shows the photo sampled at x + sum_k w_k(t) B_k(x):
// nothing is invented, frame 0 (weights 0) is the photo, and the weights back at 0 at the end of the span
// close the loop. One module per motion: face-smile.ts, face-blink.ts, face-brows.ts, face-head.ts (nod,
// shake, look).
import type { Mask } from '../../shared/index.js';
import type { FieldRegionPlan } from '../motion/plan.js';
import type { FacePart } from '../motion/spec.js';
import { planBlink } from './face-blink.js';
import { planBrows } from './face-brows.js';
import { findRuns } from './field-runs.js';
import type { FaceRequest } from './face-field.js';
import { planLook, planNod, planShake } from './face-head.js';
import { planSmile } from './face-smile.js';

export type { FaceRequest } from './face-field.js';

const PLANNERS: Record<FacePart, (request: FaceRequest) => FieldRegionPlan> = {
  smile: planSmile,
  blink: planBlink,
  brows: planBrows,
  nod: planNod,
  shake: planShake,
  look: planLook,
};

/** Moves under this many pixels are not motion (the motion area leaves them out). */
const STILL = 0.05;

/**
 * The field's strength (QUALITY.md's unit): the largest change of any pixel's displacement from one frame
 * to the next, per 512 pixels of long side; and where it moves (the output pixels it ever displaces).
 * Only the pixels some basis moves are looked at (field-runs.ts): a smile's box is mostly still face, and
 * this ran over every pixel of it for every frame. Squared lengths are compared and the root taken once.
 */
function measure(
  plan: FieldRegionPlan,
  frameCount: number,
  width: number,
  height: number,
  unit: number,
): { fieldStrength: number; motionArea: Mask } {
  const { box, count, bases, weights, alphas } = plan;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  const moving = movingPixels(plan);
  let fastest = 0;
  const step = new Float64Array(count);
  for (let f = 1; f < frameCount; f++) {
    let any = false;
    for (let k = 0; k < count; k++) {
      step[k] = weights[f * count + k]! - weights[(f - 1) * count + k]!;
      any ||= step[k] !== 0;
    }
    if (!any) continue;
    for (const j of moving) {
      let dx = 0;
      let dy = 0;
      for (let k = 0; k < count; k++) {
        if (step[k] === 0) continue;
        const a = alphas ? alphas[k * size + j]! : 1;
        dx += step[k]! * a * bases[(k * size + j) * 2]!;
        dy += step[k]! * a * bases[(k * size + j) * 2 + 1]!;
      }
      const squared = dx * dx + dy * dy;
      if (squared > fastest) fastest = squared;
    }
  }
  const largest = new Float64Array(count);
  for (let f = 0; f < frameCount; f++)
    for (let k = 0; k < count; k++) largest[k] = Math.max(largest[k]!, Math.abs(weights[f * count + k]!));
  const data = new Uint8Array(width * height);
  for (const j of moving) {
    let reach = 0;
    for (let k = 0; k < count; k++) {
      const a = alphas ? alphas[k * size + j]! : 1;
      reach += largest[k]! * a * Math.hypot(bases[(k * size + j) * 2]!, bases[(k * size + j) * 2 + 1]!);
    }
    if (reach >= STILL) data[(box.y0 + Math.floor(j / bw)) * width + box.x0 + (j % bw)] = 255;
  }
  return { fieldStrength: Math.sqrt(fastest) / unit, motionArea: { width, height, data } };
}

/** The box's pixels (row-major indices) that some basis moves. */
function movingPixels(plan: FieldRegionPlan): Int32Array {
  const { starts, ends, rowStart } = findRuns(plan);
  const bw = plan.box.x1 - plan.box.x0;
  let total = 0;
  for (let r = 0; r < starts.length; r++) total += ends[r]! - starts[r]!;
  const pixels = new Int32Array(total);
  let n = 0;
  for (let y = 0; y + 1 < rowStart.length; y++)
    for (let r = rowStart[y]!; r < rowStart[y + 1]!; r++)
      for (let x = starts[r]!; x < ends[r]!; x++) pixels[n++] = y * bw + x;
  return pixels;
}

export function planFace(request: FaceRequest): {
  plan: FieldRegionPlan;
  fieldStrength: number;
  motionArea: Mask;
} {
  const plan = PLANNERS[request.motion.part](request);
  return { plan, ...measure(plan, request.frameCount, request.width, request.height, request.sizes.unit) };
}
