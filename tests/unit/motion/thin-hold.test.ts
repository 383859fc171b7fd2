// Thin structures in front of a smooth fluid region stand still (issue 10, points 3 and 5): the blades of
// dune-grass.jpg that stand up into its sky stay where they grow while the sky drifts behind them, and
// none is carried off into the sky; a thin structure of the sky's own (wholly inside it) still moves.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import { createScratch, renderFrameInto } from '../../../src/engine/motion/render-frame.js';
import { thinHold } from '../../../src/engine/motion/thin-hold.js';
import type { JobControl } from '../../../src/engine/render/types.js';

const DUNE = fileURLToPath(new URL('../../../examples/photos/hard/dune-grass.jpg', import.meta.url));
const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

/** A pale blue sky with a little grain, `width` x `height`, RGBA. */
function sky(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const grain = ((i * 2654435761) >>> 28) - 8;
    rgba.set([150 + (grain >> 2), 180 + (grain >> 2), 225, 255], i * 4);
  }
  return rgba;
}

/** Draws a dark line 3 px wide from (x, y0) to (x + lean, y1). */
function line(rgba: Uint8Array, width: number, x: number, y0: number, y1: number, lean: number): void {
  for (let y = y0; y < y1; y++) {
    const cx = Math.round(x + (lean * (y - y0)) / (y1 - y0));
    for (let dx = -1; dx <= 1; dx++) rgba.set([90, 80, 60, 255], (y * width + cx + dx) * 4);
  }
}

describe('thin structures in front of a smooth fluid region', () => {
  it('are held where they run out of the region, and moved where they are wholly inside it', () => {
    const width = 400;
    const height = 300;
    const rgba = sky(width, height);
    // A stalk standing up from below the region into it, and a streak wholly inside it.
    line(rgba, width, 100, 60, 300, 30);
    line(rgba, width, 280, 40, 150, -20);
    const coverage = new Float32Array(width * height);
    coverage.fill(1, 0, 200 * width);
    const hold = thinHold(rgba, width, height, coverage, { x0: 0, y0: 0, x1: width, y1: 200 });
    expect(hold).not.toBeNull();
    const held = new Set(hold!.held);
    const at = (x: number, y: number) => y * width + x;
    // The stalk, where the region covers it, is held; the streak is not; no pixel outside the region is.
    expect(held.has(at(100 + Math.round((30 * 40) / 240), 100))).toBe(true);
    expect(held.has(at(280 - Math.round((20 * 60) / 110), 100))).toBe(false);
    for (const i of held) expect(coverage[i]).toBe(1);
    // The plate the fluid moves has no stalk: its pixels are of the sky round them.
    const p = at(100 + Math.round((30 * 40) / 240), 100) * 4;
    expect(hold!.plate[p + 2]! - hold!.plate[p]!).toBeGreaterThan(50);
    expect(rgba[p + 2]! - rgba[p]!).toBeLessThan(0);
  });

  it('hold nothing in a region full of fine structure (a field is no sky)', () => {
    const width = 200;
    const height = 150;
    const rgba = sky(width, height);
    for (let x = 0; x < width; x += 4) line(rgba, width, x + 1, 0, height, 0);
    const coverage = new Float32Array(width * height).fill(1, 0, 100 * width);
    expect(thinHold(rgba, width, height, coverage, { x0: 0, y0: 0, x1: width, y1: 100 })).toBeNull();
  });

  it('keep dune-grass.jpg blades standing in its drifting sky, and carry none off into it', async () => {
    const { image: photo } = await decodePhoto({ kind: 'path', path: DUNE });
    const { width, height } = photo;
    // The sky above the horizon, as a band; the blades stand up into it from the grass below.
    const skyRows = Math.round(height * 0.4);
    const mask = new Uint8Array(width * height).fill(255, 0, skyRows * width);
    const size = { width: 840, height: 525 };
    const { plan } = await preparePlan(
      {
        photo,
        regions: [
          { id: 'sky', mask: { width, height, data: mask }, prompt: 'drift', strength: 2, direction: 0 },
        ].map((r) => ({ ...r, seed: 1, start: 0, end: null, pose: null })),
        timing: { seconds: 2, fps: 12, loop: 'loop' },
        size,
      },
      control(),
    );
    const region = plan.regions[0]!;
    expect(region.kind).toBe('fluid');
    // Blade pixels: warmer than blue, in the band of the sky (clear of its soft edge).
    const rows = Math.round(size.height * 0.4) - 8;
    const blade = (rgba: Uint8Array, i: number) => rgba[i * 4]! > rgba[i * 4 + 2]! + 10;
    let blades = 0;
    for (let i = 0; i < rows * size.width; i++) if (blade(plan.photo, i)) blades++;
    expect(blades).toBeGreaterThan(500);
    const out = new Uint8Array(size.width * size.height * 4);
    for (const index of [6, 12]) {
      renderFrameInto(plan, index, out, createScratch());
      let kept = 0;
      let carried = 0;
      for (let i = 0; i < rows * size.width; i++) {
        if (blade(plan.photo, i) && blade(out, i)) kept++;
        if (!blade(plan.photo, i) && blade(out, i)) carried++;
      }
      expect(kept / blades, `frame ${index}: blade pixels still there`).toBeGreaterThan(0.9);
      expect(carried / blades, `frame ${index}: blade pixels carried into the sky`).toBeLessThan(0.1);
    }
  });
});
