// The face/body field drawer (src/engine/people/render-field.ts) has a fast path for one basis without
// coverage; both paths must draw what the plain definition says: out = a * photo(x + sum w_k B_k) +
// (1 - a) * photo(x), with a = min(1, sum w_k A_k), bilinear sampling, clamped at the photo's edges.
import { describe, expect, it } from 'vitest';
import { drawField } from '../../../src/engine/people/render-field.js';
import type { FieldRegionPlan, FramePlan } from '../../../src/engine/motion/plan.js';
import { loadPhoto } from '../../helpers/photos.js';

function reference(plan: FramePlan, region: FieldRegionPlan, frame: number): Uint8Array {
  const { width, height, photo } = plan;
  const out = photo.slice();
  const { box, count, bases, weights, alphas } = region;
  const bw = box.x1 - box.x0;
  const size = bw * (box.y1 - box.y0);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const j = (y - box.y0) * bw + (x - box.x0);
      let dx = 0;
      let dy = 0;
      let a = alphas ? 0 : 1;
      for (let k = 0; k < count; k++) {
        const w = weights[frame * count + k]!;
        dx += w * bases[(k * size + j) * 2]!;
        dy += w * bases[(k * size + j) * 2 + 1]!;
        if (alphas) a += w * alphas[k * size + j]!;
      }
      if (Math.abs(dx) + Math.abs(dy) < 1e-3 || a <= 0) continue;
      a = Math.min(1, a);
      const sx = Math.min(width - 1.001, Math.max(0, x + dx));
      const sy = Math.min(height - 1.001, Math.max(0, y + dy));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const tx = sx - x0;
      const ty = sy - y0;
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number) => photo[(yy * width + xx) * 4 + c]!;
        const sample =
          at(x0, y0) * (1 - tx) * (1 - ty) +
          at(x0 + 1, y0) * tx * (1 - ty) +
          at(x0, y0 + 1) * (1 - tx) * ty +
          at(x0 + 1, y0 + 1) * tx * ty;
        out[(y * width + x) * 4 + c] = Math.floor(
          a * sample + (1 - a) * photo[(y * width + x) * 4 + c]! + 0.5,
        );
      }
    }
  }
  return out;
}

async function astronautPlan(): Promise<FramePlan> {
  const { image } = await loadPhoto('astronaut.png');
  return { width: image.width, height: image.height, frameCount: 4, photo: image.data, regions: [] };
}

function field(count: number, withAlphas: boolean): FieldRegionPlan {
  const box = { x0: 150, y0: 100, x1: 360, y1: 300 };
  const size = (box.x1 - box.x0) * (box.y1 - box.y0);
  const bases = new Float32Array(count * size * 2);
  for (let i = 0; i < bases.length; i++) bases[i] = Math.sin(i * 0.37) * 6 * (i % 5 === 0 ? 0 : 1);
  const alphas = withAlphas
    ? new Float32Array(count * size).map((_, i) => (Math.cos(i * 0.11) + 1) / 2)
    : null;
  const weights = new Float32Array(4 * count);
  for (let f = 1; f < 4; f++)
    for (let k = 0; k < count; k++) weights[f * count + k] = k === f % count ? 0.8 : 0.3 * f;
  return { kind: 'field', box, count, bases, weights, alphas };
}

function differing(a: Uint8Array, b: Uint8Array): { count: number; max: number } {
  let count = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 0) count++;
    max = Math.max(max, d);
  }
  return { count, max };
}

describe('drawField', () => {
  it('draws one basis without coverage (the fast path) as the definition says', async () => {
    const plan = await astronautPlan();
    const region = field(1, false);
    for (const frame of [1, 2, 3]) {
      const out = plan.photo.slice();
      expect(drawField(plan, region, frame, out, false)).toBe(true);
      const want = reference(plan, region, frame);
      expect(differing(out, want)).toEqual({ count: 0, max: 0 });
      // And it moved something: the field is not a no-op.
      expect(differing(out, plan.photo).count).toBeGreaterThan(10_000);
    }
  });

  it('draws several weighted bases with coverage as the definition says', async () => {
    const plan = await astronautPlan();
    const region = field(3, true);
    for (const frame of [1, 2, 3]) {
      const out = plan.photo.slice();
      drawField(plan, region, frame, out, false);
      expect(differing(out, reference(plan, region, frame))).toEqual({ count: 0, max: 0 });
    }
  });

  it('puts the photo back where the field rests, over what other regions drew', async () => {
    const plan = await astronautPlan();
    const region = field(1, false);
    const out = new Uint8Array(plan.photo.length).fill(7);
    expect(drawField(plan, region, 0, out, true)).toBe(false);
    const { box } = region;
    const i = (150 * plan.width + 200) * 4;
    expect([...out.subarray(i, i + 4)]).toEqual([...plan.photo.subarray(i, i + 4)]);
    expect(out[(box.y1 * plan.width + box.x1) * 4]).toBe(7);
  });

  it('moves only where a basis does: the rest of its box is the photo over what other regions drew', async () => {
    const plan = await astronautPlan();
    const region = field(1, false);
    // A disk in the box moves (a breath covers the person, not their whole bounding box).
    const { box } = region;
    const bw = box.x1 - box.x0;
    for (let j = 0; j < bw * (box.y1 - box.y0); j++) {
      const x = (j % bw) - 100;
      const y = Math.floor(j / bw) - 100;
      if (x * x + y * y > 80 * 80) region.bases.fill(0, j * 2, j * 2 + 2);
    }
    const out = new Uint8Array(plan.photo.length).fill(7);
    expect(drawField(plan, region, 2, out, true)).toBe(true);
    const want = reference(plan, region, 2);
    const rowBytes = (box.x1 - box.x0) * 4;
    const inBox = (a: Uint8Array) => {
      const rows = new Uint8Array((box.y1 - box.y0) * rowBytes);
      for (let y = box.y0; y < box.y1; y++) {
        const at = (y * plan.width + box.x0) * 4;
        rows.set(a.subarray(at, at + rowBytes), (y - box.y0) * rowBytes);
      }
      return rows;
    };
    expect(differing(inBox(out), inBox(want))).toEqual({ count: 0, max: 0 });
    expect(differing(out, plan.photo).count).toBeGreaterThan(10_000);
    // Outside the box, what the regions below drew stays.
    expect(out[((box.y1 + 1) * plan.width + box.x0) * 4]).toBe(7);
  });

  it('draws the same into a frame that does not start on a whole pixel of its buffer', async () => {
    const plan = await astronautPlan();
    const region = field(1, false);
    const aligned = plan.photo.slice();
    drawField(plan, region, 3, aligned, false);
    const shifted = new Uint8Array(plan.photo.length + 1).subarray(1);
    shifted.set(plan.photo);
    drawField(plan, region, 3, shifted, false);
    expect(differing(shifted, aligned)).toEqual({ count: 0, max: 0 });
  });
});
