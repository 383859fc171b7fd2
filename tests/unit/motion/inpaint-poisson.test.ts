// The gradient-domain stitch of an exemplar fill (inpaint-poisson.ts): pieces copied from places of other
// shades lose their steps and meet the photo round the hole without a rim; an object's remnant beside
// the hole does not smear into it.
import { describe, expect, it } from 'vitest';
import { FILL, IGNORE, KNOWN } from '../../../src/engine/motion/inpaint-core.js';
import { stitchFill, type GuidedFill } from '../../../src/engine/motion/inpaint-poisson.js';

const SIZE = 96;
const CENTRE = 48;
const RADIUS = 22;

/** A blurred background: a slow two-way shade with a faint ripple (bokeh has no sharp detail). */
const background = (x: number, y: number, c: number) =>
  90 + 0.6 * x + 0.3 * y + 10 * c + 3 * Math.sin(x / 5) * Math.cos(y / 7);

/** The photo round a round hole, the hole filled with the background in four quadrants of other shades. */
function blotchyFill(): { fill: GuidedFill; truth: Float32Array } {
  const color = new Float32Array(SIZE * SIZE * 3);
  const truth = new Float32Array(SIZE * SIZE * 3);
  const state = new Uint8Array(SIZE * SIZE);
  const shades = [18, -14, 25, -20];
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      const inHole = (x - CENTRE) ** 2 + (y - CENTRE) ** 2 <= RADIUS ** 2;
      state[i] = inHole ? FILL : KNOWN;
      const quadrant = (x < CENTRE ? 0 : 1) + (y < CENTRE ? 0 : 2);
      for (let c = 0; c < 3; c++) {
        truth[i * 3 + c] = background(x, y, c);
        color[i * 3 + c] = background(x, y, c) + (inHole ? shades[quadrant]! : 0);
      }
    }
  // What the patches voted: the background's own gradients (each piece was copied whole).
  const gx = new Float32Array(SIZE * SIZE * 3).fill(NaN);
  const gy = new Float32Array(SIZE * SIZE * 3).fill(NaN);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      for (let c = 0; c < 3; c++) {
        const k = (y * SIZE + x) * 3 + c;
        if (x + 1 < SIZE) gx[k] = background(x + 1, y, c) - background(x, y, c);
        if (y + 1 < SIZE) gy[k] = background(x, y + 1, c) - background(x, y, c);
      }
  return { fill: { width: SIZE, height: SIZE, color, state, gx, gy }, truth };
}

/** The largest difference from the truth over the hole's pixels for which `where` holds. */
function worst(fill: GuidedFill, truth: Float32Array, where: (x: number, y: number) => boolean): number {
  let most = 0;
  for (let i = 0; i < fill.state.length; i++) {
    const x = i % SIZE;
    const y = (i - x) / SIZE;
    if (fill.state[i] !== FILL || !where(x, y)) continue;
    for (let c = 0; c < 3; c++) most = Math.max(most, Math.abs(fill.color[i * 3 + c]! - truth[i * 3 + c]!));
  }
  return most;
}

describe('stitching a fill in the gradient domain', () => {
  it('takes the shade steps out of a fill made of pieces of other shades, and its rim', () => {
    const { fill, truth } = blotchyFill();
    const everywhere = () => true;
    expect(worst(fill, truth, everywhere)).toBeGreaterThan(24);
    stitchFill(fill);
    expect(worst(fill, truth, everywhere)).toBeLessThan(3);
    // The photo outside the hole is left alone.
    for (let i = 0; i < fill.state.length; i++)
      if (fill.state[i] !== FILL) expect(fill.color[i * 3]).toBe(truth[i * 3]);
  });

  it('keeps the fill off a dark remnant of the object beside the hole', () => {
    // A dark leg 3 px wide left beside the hole, across its lower edge: marked IGNORE, as the engine
    // marks the object's rim, but dark in the photo. The fill is the truth, so pinning to the leg could
    // only pull it wrong.
    const { fill, truth } = blotchyFill();
    for (let i = 0; i < fill.state.length; i++) {
      if (fill.state[i] !== FILL) continue;
      for (let c = 0; c < 3; c++) fill.color[i * 3 + c] = truth[i * 3 + c]!;
    }
    for (let y = 0; y < SIZE; y++)
      for (let x = CENTRE - 12; x <= CENTRE + 12; x++) {
        const i = y * SIZE + x;
        const d = Math.sqrt((x - CENTRE) ** 2 + (y - CENTRE) ** 2);
        if (y <= CENTRE || d <= RADIUS || d > RADIUS + 3) continue;
        fill.state[i] = IGNORE;
        for (let c = 0; c < 3; c++) fill.color[i * 3 + c] = 20;
      }
    stitchFill(fill);
    expect(worst(fill, truth, (_x, y) => y > CENTRE)).toBeLessThan(4);
  });
});
