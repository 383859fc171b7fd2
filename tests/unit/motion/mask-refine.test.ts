// Masks are refined on the photo at the output size (issue 10, point 4): a mask made at a quarter of the
// size, enlarged, has axis-aligned stair-steps along a diagonal edge; refined with the photo as the
// guide, its edge follows the photo's own, within a pixel, without steps.
import { describe, expect, it } from 'vitest';
import { maskAtSize } from '../../../src/engine/motion/mask.js';
import { refineCoverage, refineOptionsFor } from '../../../src/engine/motion/mask-refine.js';

const SIZE = 400;
const R = 120;
const C = 200;
/** The mask is made this many times smaller (a 1024-pixel working size on a 3640-pixel photo: 3.6). */
const FACTOR = 4;

/** A bright disc on a dark, slightly textured ground, anti-aliased: the "photo". */
function discPhoto(): Uint8Array {
  const photo = new Uint8Array(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const d = Math.hypot(x + 0.5 - C, y + 0.5 - C) - R;
      const inside = Math.min(1, Math.max(0, 0.5 - d));
      const texture = 8 * Math.sin(x * 0.9) * Math.sin(y * 1.3);
      const v = 40 + texture + inside * 170;
      photo.set([v, v * 0.9, v * 0.8, 255], (y * SIZE + x) * 4);
    }
  }
  return photo;
}

/** The disc as a binary mask at a quarter of the size. */
function smallMask() {
  const s = SIZE / FACTOR;
  const data = new Uint8Array(s * s);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++)
      data[y * s + x] = Math.hypot((x + 0.5) * FACTOR - C, (y + 0.5) * FACTOR - C) <= R ? 255 : 0;
  return { width: s, height: s, data };
}

/** Rightmost inside column of each row (coverage >= 0.5) over the rows of the disc's 30-60 degree sector. */
function edgeColumns(coverage: Float32Array): { y: number; x: number }[] {
  const rows: { y: number; x: number }[] = [];
  for (
    let y = Math.round(C - R * Math.sin(Math.PI / 3));
    y <= Math.round(C - R * Math.sin(Math.PI / 6));
    y++
  ) {
    let edge = -1;
    for (let x = C; x < SIZE; x++) if (coverage[y * SIZE + x]! >= 0.5) edge = x;
    rows.push({ y, x: edge });
  }
  return rows;
}

/** Largest jump of the edge between neighbouring rows, and the largest distance from the true circle. */
function edgeStats(coverage: Float32Array) {
  const rows = edgeColumns(coverage);
  let jump = 0;
  let error = 0;
  for (let i = 0; i < rows.length; i++) {
    const { y, x } = rows[i]!;
    const truth = C + Math.sqrt(R * R - (y + 0.5 - C) ** 2) - 0.5;
    error = Math.max(error, Math.abs(x - truth));
    if (i > 0) jump = Math.max(jump, Math.abs(x - rows[i - 1]!.x));
  }
  return { jump, error };
}

describe('mask refinement', () => {
  it('an enlarged small mask has stair-steps (the measure fires)', () => {
    const coverage = maskAtSize(smallMask(), SIZE, SIZE);
    for (let i = 0; i < coverage.length; i++) coverage[i] = coverage[i]! >= 0.5 ? 1 : 0;
    const { jump, error } = edgeStats(coverage);
    expect(jump).toBeGreaterThanOrEqual(3);
    expect(error).toBeGreaterThan(1.5);
  });

  it('refined on the photo, the edge follows the photo within a pixel and has no steps', () => {
    const coverage = maskAtSize(smallMask(), SIZE, SIZE);
    refineCoverage(coverage, discPhoto(), SIZE, SIZE, refineOptionsFor(SIZE, SIZE, FACTOR));
    const { jump, error } = edgeStats(coverage);
    // Along a 30-60 degree edge the true contour moves 0.6-1.7 px a row.
    expect(jump).toBeLessThanOrEqual(2);
    expect(error).toBeLessThanOrEqual(1.5);
    // Soft: the edge has sub-pixel coverage, not only 0 and 1.
    const partial = coverage.filter((v) => v > 0.05 && v < 0.95).length;
    expect(partial).toBeGreaterThan(2 * Math.PI * R * 0.5);
  });

  it('never reaches more than a pixel past the mask it was given', () => {
    const mask = smallMask();
    const given = maskAtSize(mask, SIZE, SIZE);
    const refined = given.slice();
    refineCoverage(refined, discPhoto(), SIZE, SIZE, refineOptionsFor(SIZE, SIZE, FACTOR));
    for (let y = 1; y < SIZE - 1; y++) {
      for (let x = 1; x < SIZE - 1; x++) {
        if (refined[y * SIZE + x]! <= 0) continue;
        let near = false;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) near ||= given[(y + dy) * SIZE + x + dx]! >= 0.5;
        expect(near).toBe(true);
      }
    }
  });
});
