// Where a face or body field (plan-face.ts, plan-body.ts) can move anything: per row of its box, the runs
// of pixels where some basis is not zero. Elsewhere every frame shows the photo, so drawing a frame
// (render-field.ts) skips them: a breath's box is the person's whole bounding box, a quarter of it off the
// person, and a smile's box holds the whole lower face for a field that moves the mouth.
import type { FieldRegionPlan } from '../motion/plan.js';

export interface FieldRuns {
  /** Run r covers box columns starts[r] to ends[r] - 1. */
  starts: Int32Array;
  ends: Int32Array;
  /** Row y's runs are rowStart[y] to rowStart[y + 1] - 1. */
  rowStart: Int32Array;
}

/**
 * Found once per plan and thread (a render worker draws many frames of the same plan; the plan's arrays
 * are shared between workers, not this, which is cheap to find again).
 */
const found = new WeakMap<FieldRegionPlan, FieldRuns>();

export function fieldRuns(region: FieldRegionPlan): FieldRuns {
  let runs = found.get(region);
  if (!runs) {
    runs = findRuns(region);
    found.set(region, runs);
  }
  return runs;
}

export function findRuns(region: FieldRegionPlan): FieldRuns {
  const { box, count, bases } = region;
  const bw = Math.max(0, box.x1 - box.x0);
  const bh = Math.max(0, box.y1 - box.y0);
  const size = bw * bh;
  const moves = new Uint8Array(size);
  for (let k = 0; k < count; k++) {
    const offset = k * size * 2;
    for (let j = 0; j < size; j++) {
      if (bases[offset + j * 2] !== 0 || bases[offset + j * 2 + 1] !== 0) moves[j] = 1;
    }
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const rowStart = new Int32Array(bh + 1);
  for (let y = 0; y < bh; y++) {
    rowStart[y] = starts.length;
    let x = 0;
    while (x < bw) {
      while (x < bw && moves[y * bw + x] === 0) x++;
      if (x === bw) break;
      starts.push(x);
      while (x < bw && moves[y * bw + x] === 1) x++;
      ends.push(x);
    }
  }
  rowStart[bh] = starts.length;
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends), rowStart };
}
