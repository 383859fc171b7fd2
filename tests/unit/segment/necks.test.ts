// splitAtNecks (necks.ts): two round bodies joined by a narrow neck are two things, and a click keeps the
// one it is on; a stem into a body, a wide waist and a region reaching the photo's edge are one.
import { describe, expect, it } from 'vitest';
import { splitAtNecks } from '../../../src/engine/segment/classic/necks.js';

const W = 240;
const H = 160;

function draw(inside: (x: number, y: number) => boolean): Uint8Array {
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inside(x, y)) mask[y * W + x] = 255;
  return mask;
}
const disc = (cx: number, cy: number, r: number) => (x: number, y: number) =>
  (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const count = (mask: Uint8Array) => mask.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('splitting a mask at a narrow neck', () => {
  it('keeps the clicked one of two touching discs, cut straight across where they meet', () => {
    const left = disc(70, 80, 50);
    const right = disc(168, 80, 50);
    const mask = draw((x, y) => left(x, y) || right(x, y));
    const kept = splitAtNecks(mask, W, H, [80 * W + 168]);
    const wanted = draw(right);
    expect(count(kept)).toBeGreaterThan(0.95 * count(wanted));
    expect(count(kept)).toBeLessThan(1.05 * count(wanted));
    expect(kept[80 * W + 70]).toBe(0);
    expect(kept[80 * W + 168]).toBe(255);
    // Clicked on both, both stay.
    expect(count(splitAtNecks(mask, W, H, [80 * W + 70, 80 * W + 168]))).toBe(count(mask));
  });

  it('leaves one body with a stem, two bodies joined by a wide waist, and a region at the photo edge', () => {
    const head = disc(120, 60, 45);
    const withStem = draw((x, y) => head(x, y) || (Math.abs(x - 120) <= 3 && y >= 60 && y < 150));
    expect(splitAtNecks(withStem, W, H, [60 * W + 120])).toBe(withStem);
    const a = disc(75, 80, 50);
    const b = disc(165, 80, 50);
    const waisted = draw((x, y) => a(x, y) || b(x, y) || (x >= 75 && x <= 165 && Math.abs(y - 80) <= 30));
    expect(splitAtNecks(waisted, W, H, [80 * W + 165])).toBe(waisted);
    // The two discs of the first case, moved to touch the photo's left edge: a sky either side of a tree.
    const l = disc(40, 80, 50);
    const r = disc(138, 80, 50);
    const atEdge = draw((x, y) => l(x, y) || r(x, y));
    expect(splitAtNecks(atEdge, W, H, [80 * W + 138])).toBe(atEdge);
  });
});
