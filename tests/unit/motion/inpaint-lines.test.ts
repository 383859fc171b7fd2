import { describe, expect, it } from 'vitest';
import { FILL, IGNORE, KNOWN } from '../../../src/engine/motion/inpaint-core.js';
import { findStructureLines } from '../../../src/engine/motion/inpaint-lines.js';
import { seededRandom } from '../../../src/engine/motion/noise.js';

const WIDTH = 240;
const HEIGHT = 180;
/** The band's middle runs through (120, 90) down to the right at this slope; it is BAND px wide. */
const SLOPE = 0.4;
const BAND = 14;
/** Unit normal of the band's edges, pointing down (+y). */
const NORMAL = { x: -SLOPE / Math.hypot(1, SLOPE), y: 1 / Math.hypot(1, SLOPE) };

/** Signed distance of (x, y) from the band's middle line, along NORMAL. */
const offBand = (x: number, y: number) => (x - 120) * NORMAL.x + (y - 90) * NORMAL.y;

/**
 * A mottled dark background (blurred noise, as bokeh) with a light band (a stem) crossing it. `ends`:
 * where along x the band stops (it may end inside the hole, as a kite's string ends at the kite).
 */
function scene(options: { band: boolean; ends?: number }): { color: Float32Array; state: Uint8Array } {
  const random = seededRandom(7);
  const coarse = Array.from({ length: 16 * 12 }, () => 70 + 40 * random());
  const color = new Float32Array(WIDTH * HEIGHT * 3);
  const state = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      // Bilinear over a 16 x 12 grid of random greys: soft blobs some 15 px across.
      const gx = (x / WIDTH) * 15;
      const gy = (y / HEIGHT) * 11;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      const at = (xx: number, yy: number) => coarse[yy * 16 + xx]!;
      let grey =
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
        fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      grey += 6 * (random() - 0.5);
      const inBand = Math.abs(offBand(x, y)) <= BAND / 2 && (options.ends === undefined || x <= options.ends);
      if (options.band && inBand) grey = 200 + 6 * (random() - 0.5);
      const i = y * WIDTH + x;
      color.set([grey * 0.8, grey, grey * 0.5], i * 3);
      // The hole an object leaves: a disk on the band, with a 3-px rim that is no source.
      const r = Math.hypot(x - 120, y - 90);
      state[i] = r <= 26 ? FILL : r <= 29 ? IGNORE : KNOWN;
    }
  }
  return { color, state };
}

describe('findStructureLines', () => {
  it('finds both edges of a band that crosses the hole, where they run', () => {
    const { color, state } = scene({ band: true });
    const lines = findStructureLines(color, state, WIDTH, HEIGHT);
    expect(lines).toHaveLength(2);
    const offsets = lines.map((line) => {
      // Parallel to the band, and where its edges are (the middle line is at rho = offBand's zero).
      expect(Math.abs(line.nx * NORMAL.x + line.ny * NORMAL.y)).toBeGreaterThan(0.995);
      const sign = Math.sign(line.nx * NORMAL.x + line.ny * NORMAL.y);
      return sign * (line.rho - (120 * line.nx + 90 * line.ny));
    });
    offsets.sort((a, b) => a - b);
    expect(offsets[0]).toBeCloseTo(-BAND / 2, -0.5);
    expect(offsets[1]).toBeCloseTo(BAND / 2, -0.5);
    // Each line is seen on both sides of the hole.
    for (const line of lines) expect(line.runs).toHaveLength(2);
  });

  it('finds none for a band that ends inside the hole (a string ending at a kite)', () => {
    const { color, state } = scene({ band: true, ends: 120 });
    expect(findStructureLines(color, state, WIDTH, HEIGHT)).toEqual([]);
  });

  it('finds none in texture alone', () => {
    const { color, state } = scene({ band: false });
    expect(findStructureLines(color, state, WIDTH, HEIGHT)).toEqual([]);
  });

  it('finds none where the two sides of the hole differ (a light band on one side, a dark one on the other)', () => {
    const { color, state } = scene({ band: true });
    for (let y = 0; y < HEIGHT; y++)
      for (let x = 150; x < WIDTH; x++) {
        const i = y * WIDTH + x;
        if (Math.abs(offBand(x, y)) <= BAND / 2) color.set([20, 25, 12], i * 3);
      }
    expect(findStructureLines(color, state, WIDTH, HEIGHT)).toEqual([]);
  });
});
