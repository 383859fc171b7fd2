// Draws a face motion (plan-face.ts): the photo sampled at x + sum_k w_k(t) B_k(x) inside the field's box,
// laid over the photo in place with coverage sum_k w_k(t) A_k(x) where the plan has coverages. "The photo"
// is the plan's photo, or the picture a body field carries (carried-fields.ts: the photo with the face
// words drawn on it, so a breath moves a smiling, blinking face rather than the photo's).
//
// This runs for every pixel of a person's box on every frame (a breath covers the whole torso, a 1080x1920
// portrait's breath box is 1.7 million pixels), so:
// - only the runs of each row where some basis moves (field-runs.ts) are warped; the rest of the box is
//   the photo, copied row by row when a region below has drawn over it;
// - one basis without coverage (a breath, a smile: the common case) has a loop of its own;
// - the inner loops avoid iterators and per-channel loops, and compute the bilinear weights once per
//   pixel for all four channels.
import type { FieldRegionPlan, FramePlan } from '../motion/plan.js';
import { fieldRuns, type FieldRuns } from './field-runs.js';

/** Displacements under this (|dx| + |dy|, pixels) leave the photo in place. */
const STILL = 1e-3;

export function drawField(
  plan: FramePlan,
  region: FieldRegionPlan,
  frame: number,
  out: Uint8Array,
  covered: boolean,
  source: Uint8Array = plan.photo,
): boolean {
  const { box, count, weights, alphas } = region;
  const { width } = plan;
  // Only the bases this frame weighs (a blink has one basis per lid position, one of them at a time).
  const activeBasis = new Int32Array(count);
  const activeWeight = new Float64Array(count);
  let active = 0;
  for (let k = 0; k < count; k++) {
    const w = weights[frame * count + k]!;
    if (w === 0) continue;
    activeBasis[active] = k;
    activeWeight[active] = w;
    active++;
  }
  if (active === 0) {
    // At rest over regions that moved: the photo again.
    if (covered) copyRows(source, out, width, box.x0, box.x1, box.y0, box.y1);
    return false;
  }
  const runs = fieldRuns(region);
  if (covered) copyStill(source, out, width, box, runs);
  const whole = LITTLE_ENDIAN && (source.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0;
  if (active === 1 && alphas === null && whole)
    drawOneBasis(plan, region, runs, activeBasis[0]!, activeWeight[0]!, source, out, covered);
  else drawBlend(plan, region, runs, activeBasis, activeWeight, active, source, out, covered);
  return true;
}

export function copyRows(
  photo: Uint8Array,
  out: Uint8Array,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): void {
  for (let y = y0; y < y1; y++)
    out.set(photo.subarray((y * width + x0) * 4, (y * width + x1) * 4), (y * width + x0) * 4);
}

/** The photo over the box's pixels no basis ever moves (between and around the runs). */
function copyStill(
  photo: Uint8Array,
  out: Uint8Array,
  width: number,
  box: FieldRegionPlan['box'],
  runs: FieldRuns,
): void {
  const { starts, ends, rowStart } = runs;
  for (let y = box.y0; y < box.y1; y++) {
    let x = box.x0;
    const row = y - box.y0;
    for (let r = rowStart[row]!; r < rowStart[row + 1]!; r++) {
      const from = box.x0 + starts[r]!;
      if (from > x) copyRows(photo, out, width, x, from, y, y + 1);
      x = box.x0 + ends[r]!;
    }
    if (box.x1 > x) copyRows(photo, out, width, x, box.x1, y, y + 1);
  }
}

/** Whether a pixel's four bytes read as one Uint32 hold R in its low byte (as on x86 and ARM). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * One basis at weight `weight`, every sample covering its pixel whole. Pixels are read and written as
 * whole Uint32s (a quarter of the memory accesses); each channel's arithmetic is the byte-wise one, so
 * the frames are the same bytes.
 */
function drawOneBasis(
  plan: FramePlan,
  region: FieldRegionPlan,
  runs: FieldRuns,
  k: number,
  weight: number,
  photo: Uint8Array,
  out: Uint8Array,
  covered: boolean,
): void {
  const { box, bases } = region;
  const { width, height } = plan;
  const photo32 = new Uint32Array(photo.buffer, photo.byteOffset, photo.length >> 2);
  const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
  const bw = box.x1 - box.x0;
  const offset = k * bw * (box.y1 - box.y0) * 2;
  const maxX = width - 1.001;
  const maxY = height - 1.001;
  const { starts, ends, rowStart } = runs;
  for (let y = 0; y < box.y1 - box.y0; y++) {
    const py = box.y0 + y;
    for (let run = rowStart[y]!; run < rowStart[y + 1]!; run++) {
      const end = ends[run]!;
      let o = py * width + box.x0 + starts[run]!;
      for (let x = starts[run]!; x < end; x++, o++) {
        const at = offset + (y * bw + x) * 2;
        const dx = weight * bases[at]!;
        const dy = weight * bases[at + 1]!;
        if (Math.abs(dx) + Math.abs(dy) < STILL) {
          if (covered) out32[o] = photo32[o]!;
          continue;
        }
        const sx = Math.min(maxX, Math.max(0, box.x0 + x + dx));
        const sy = Math.min(maxY, Math.max(0, py + dy));
        const x0 = sx | 0;
        const y0 = sy | 0;
        const tx = sx - x0;
        const ty = sy - y0;
        const w00 = (1 - tx) * (1 - ty);
        const w10 = tx * (1 - ty);
        const w01 = (1 - tx) * ty;
        const w11 = tx * ty;
        const p = y0 * width + x0;
        const c00 = photo32[p]!;
        const c10 = photo32[p + 1]!;
        const c01 = photo32[p + width]!;
        const c11 = photo32[p + width + 1]!;
        // As a Uint8Array stores it: truncated (the samples lie in 0.5-255.5).
        const r = (c00 & 255) * w00 + (c10 & 255) * w10 + (c01 & 255) * w01 + (c11 & 255) * w11 + 0.5;
        const g =
          ((c00 >>> 8) & 255) * w00 +
          ((c10 >>> 8) & 255) * w10 +
          ((c01 >>> 8) & 255) * w01 +
          ((c11 >>> 8) & 255) * w11 +
          0.5;
        const b =
          ((c00 >>> 16) & 255) * w00 +
          ((c10 >>> 16) & 255) * w10 +
          ((c01 >>> 16) & 255) * w01 +
          ((c11 >>> 16) & 255) * w11 +
          0.5;
        const a = (c00 >>> 24) * w00 + (c10 >>> 24) * w10 + (c01 >>> 24) * w01 + (c11 >>> 24) * w11 + 0.5;
        out32[o] = (r & 255) | ((g & 255) << 8) | ((b & 255) << 16) | ((a & 255) << 24);
      }
    }
  }
}

/** Several bases, or coverages: the sample laid over the photo in place by the weighed coverage. */
function drawBlend(
  plan: FramePlan,
  region: FieldRegionPlan,
  runs: FieldRuns,
  activeBasis: Int32Array,
  activeWeight: Float64Array,
  active: number,
  photo: Uint8Array,
  out: Uint8Array,
  covered: boolean,
): void {
  const { box, bases, alphas } = region;
  const { width, height } = plan;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  const maxX = width - 1.001;
  const maxY = height - 1.001;
  const stride = width * 4;
  const { starts, ends, rowStart } = runs;
  for (let y = 0; y < box.y1 - box.y0; y++) {
    const py = box.y0 + y;
    for (let r = rowStart[y]!; r < rowStart[y + 1]!; r++) {
      const end = ends[r]!;
      let oi = (py * width + box.x0 + starts[r]!) * 4;
      for (let x = starts[r]!; x < end; x++, oi += 4) {
        const j = y * bw + x;
        let dx = 0;
        let dy = 0;
        let alpha = alphas ? 0 : 1;
        for (let n = 0; n < active; n++) {
          const k = activeBasis[n]!;
          const w = activeWeight[n]!;
          const b = (k * size + j) * 2;
          dx += w * bases[b]!;
          dy += w * bases[b + 1]!;
          if (alphas) alpha += w * alphas[k * size + j]!;
        }
        if (Math.abs(dx) + Math.abs(dy) < STILL || alpha <= 0) {
          if (covered) {
            out[oi] = photo[oi]!;
            out[oi + 1] = photo[oi + 1]!;
            out[oi + 2] = photo[oi + 2]!;
            out[oi + 3] = photo[oi + 3]!;
          }
          continue;
        }
        const sx = Math.min(maxX, Math.max(0, box.x0 + x + dx));
        const sy = Math.min(maxY, Math.max(0, py + dy));
        const x0 = sx | 0;
        const y0 = sy | 0;
        const tx = sx - x0;
        const ty = sy - y0;
        const w00 = (1 - tx) * (1 - ty);
        const w10 = tx * (1 - ty);
        const w01 = (1 - tx) * ty;
        const w11 = tx * ty;
        const p = (y0 * width + x0) * 4;
        const q = p + stride;
        const a = alpha < 1 ? alpha : 1;
        const keep = 1 - a;
        for (let c = 0; c < 4; c++) {
          const sample =
            photo[p + c]! * w00 + photo[p + 4 + c]! * w10 + photo[q + c]! * w01 + photo[q + 4 + c]! * w11;
          out[oi + c] = a * sample + keep * photo[oi + c]! + 0.5;
        }
      }
    }
  }
}
