// A fluid region that reaches the photo's edge runs on past it as its mirror image (depth.ts), the way the
// renderer samples there. Extended straight out instead, the fog of pier.jpg drifted, beside the photo's
// left edge, to where the mirror shows the deck below it, and carried a dark wedge of the deck into its
// corner (issue 10, point 3). Here: a pale fog over a dark deck whose edge runs up from the photo's left
// edge, the fog drifting every way; no frame shows the deck in the fog.
import { describe, expect, it } from 'vitest';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import { createScratch, renderFrameInto } from '../../../src/engine/motion/render-frame.js';
import type { JobControl } from '../../../src/engine/render/types.js';

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

const WIDTH = 320;
const HEIGHT = 240;
/** The deck's edge: y = DECK_Y0 - DECK_SLOPE * x (it rises from the left edge to the right). */
const DECK_Y0 = 200;
const DECK_SLOPE = 0.7;

function deckAt(x: number, y: number): boolean {
  return y >= DECK_Y0 - DECK_SLOPE * x;
}

/** Pale grainy fog above the deck's edge, dark planks below it. */
function pierPhoto(): Uint8Array {
  const rgba = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const grain = (((y * WIDTH + x) * 2654435761) >>> 28) - 8;
      const v = deckAt(x, y) ? 40 + (y % 9 === 0 ? -20 : grain) : 170 + (grain >> 2);
      rgba.set([v, v, v, 255], (y * WIDTH + x) * 4);
    }
  }
  return rgba;
}

describe('a fluid region at the photo edge', () => {
  it('never carries what lies outside it in from beyond the edge', async () => {
    const photo = { width: WIDTH, height: HEIGHT, data: pierPhoto() };
    const mask = new Uint8Array(WIDTH * HEIGHT);
    for (let y = 0; y < HEIGHT; y++)
      for (let x = 0; x < WIDTH; x++) if (!deckAt(x, y)) mask[y * WIDTH + x] = 255;
    const out = new Uint8Array(WIDTH * HEIGHT * 4);
    for (const direction of [0, 45, 90, 135, 180, 225, 270, 315]) {
      const { plan } = await preparePlan(
        {
          photo,
          regions: [
            {
              id: 'fog',
              mask: { width: WIDTH, height: HEIGHT, data: mask },
              prompt: 'drift',
              strength: 8,
              direction,
            },
          ].map((r) => ({ ...r, seed: 3, start: 0, end: null, pose: null })),
          timing: { seconds: 2, fps: 12, loop: 'loop' },
          size: { width: WIDTH, height: HEIGHT },
        },
        control(),
      );
      expect(plan.regions[0]!.kind).toBe('fluid');
      // The fog beside the photo's left edge, clear of the region's soft edge by 6 px.
      for (let index = 1; index < 24; index += 2) {
        renderFrameInto(plan, index, out, createScratch());
        let darkest = 255;
        for (let y = 0; y < HEIGHT; y++) {
          for (let x = 0; x < 60; x++) {
            if (deckAt(x, y + 6 / DECK_SLOPE) || deckAt(x, y + 6)) continue;
            darkest = Math.min(darkest, out[(y * WIDTH + x) * 4]!);
          }
        }
        expect(darkest, `drift ${direction}°, frame ${index}: the darkest fog pixel`).toBeGreaterThan(150);
      }
    }
  });
});
