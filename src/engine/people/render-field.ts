// Draws a face motion (plan-face.ts): the photo sampled at x + sum_k w_k(t) B_k(x) inside the field's box,
// laid over the photo in place with coverage sum_k w_k(t) A_k(x) where the plan has coverages.
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
  const active: number[] = [];
  for (let k = 0; k < count; k++) if (weights[frame * count + k] !== 0) active.push(k);
  if (active.length === 0) {
    // At rest over regions that moved: the photo again.
    if (covered) {
      for (let y = box.y0; y < box.y1; y++)
        out.set(photo.subarray((y * width + box.x0) * 4, (y * width + box.x1) * 4), (y * width + box.x0) * 4);
    }
    return false;
  }
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      let dx = 0;
      let dy = 0;
      let alpha = alphas ? 0 : 1;
      const j = y * bw + x;
      for (const k of active) {
        const w = weights[frame * count + k]!;
        dx += w * bases[(k * size + j) * 2]!;
        dy += w * bases[(k * size + j) * 2 + 1]!;
        if (alphas) alpha += w * alphas[k * size + j]!;
      }
      const px = box.x0 + x;
      const py = box.y0 + y;
      const oi = (py * width + px) * 4;
      if (Math.abs(dx) + Math.abs(dy) < 1e-3 || alpha <= 0) {
        if (covered) for (let c = 0; c < 4; c++) out[oi + c] = photo[oi + c]!;
        continue;
      }
      const sx = Math.min(width - 1.001, Math.max(0, px + dx));
      const sy = Math.min(height - 1.001, Math.max(0, py + dy));
      const x0 = sx | 0;
      const y0 = sy | 0;
      const tx = sx - x0;
      const ty = sy - y0;
      const p = (y0 * width + x0) * 4;
      const q = p + width * 4;
      const a = Math.min(1, alpha);
      for (let c = 0; c < 4; c++) {
        const sample =
          photo[p + c]! * (1 - tx) * (1 - ty) +
          photo[p + 4 + c]! * tx * (1 - ty) +
          photo[q + c]! * (1 - tx) * ty +
          photo[q + 4 + c]! * tx * ty;
        out[oi + c] = a * sample + (1 - a) * photo[oi + c]! + 0.5;
      }
    }
  }
  return true;
}
