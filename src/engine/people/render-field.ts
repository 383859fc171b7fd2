// Draws a face motion (plan-face.ts): the photo sampled at x + sum_k w_k(t) B_k(x) inside the field's box,
// laid over the photo in place with coverage sum_k w_k(t) A_k(x) where the plan has coverages.
//
// This runs for every pixel of a person's box on every frame (a breath covers the whole torso), so the
// inner loop avoids iterators and per-channel loops: the frame's active weights are copied once into a
// small typed array, and the bilinear weights are computed once per pixel for all four channels.
import type { FieldRegionPlan, FramePlan } from '../motion/plan.js';

export function drawField(
  plan: FramePlan,
  region: FieldRegionPlan,
  frame: number,
  out: Uint8Array,
  covered: boolean,
): boolean {
  const { box, count, bases, weights, alphas } = region;
  const { width, height, photo } = plan;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const size = bw * bh;
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
    if (covered) {
      for (let y = box.y0; y < box.y1; y++)
        out.set(photo.subarray((y * width + box.x0) * 4, (y * width + box.x1) * 4), (y * width + box.x0) * 4);
    }
    return false;
  }
  const single = active === 1 && alphas === null;
  const firstWeight = activeWeight[0]!;
  const firstOffset = activeBasis[0]! * size * 2;
  const maxX = width - 1.001;
  const maxY = height - 1.001;
  const stride = width * 4;
  for (let y = 0; y < bh; y++) {
    const py = box.y0 + y;
    let oi = (py * width + box.x0) * 4;
    for (let x = 0; x < bw; x++, oi += 4) {
      const j = y * bw + x;
      let dx: number;
      let dy: number;
      let alpha: number;
      if (single) {
        // One basis and no coverage (a breath, a smile): the common case, without the inner loop.
        dx = firstWeight * bases[firstOffset + j * 2]!;
        dy = firstWeight * bases[firstOffset + j * 2 + 1]!;
        alpha = 1;
      } else {
        dx = 0;
        dy = 0;
        alpha = alphas ? 0 : 1;
        for (let n = 0; n < active; n++) {
          const k = activeBasis[n]!;
          const w = activeWeight[n]!;
          const b = (k * size + j) * 2;
          dx += w * bases[b]!;
          dy += w * bases[b + 1]!;
          if (alphas) alpha += w * alphas[k * size + j]!;
        }
      }
      if (Math.abs(dx) + Math.abs(dy) < 1e-3 || alpha <= 0) {
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
  return true;
}
