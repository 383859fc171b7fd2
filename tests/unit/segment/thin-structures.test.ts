// Thin structures that cross a region's edge go to the side whose colours they have (thin-structures.ts): a
// smooth sky gives up the stem standing in it, textured grass takes the same stem in; broad shapes and
// pixels of the region's own colours stay where the segmenter put them. Synthetic first, then the
// dune-grass photo, where a click on the sky took the seed heads with it and a drift curled them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { settleThinStructures } from '../../../src/engine/segment/classic/thin-structures.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { makeGuide } from '../../../src/engine/segment/classic/refine.js';
import { loadOpenCv } from '../../../src/engine/segment/opencv.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { PHOTOS_DIR } from '../../helpers/photos.js';

const W = 600;
const H = 360;
/** Rows above this are sky, the rest grass. */
const HORIZON = 240;
const GOLD = [200, 160, 60];
const GREEN = [90, 130, 50];

/** A seeded pseudo-random number in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The stem's middle in row y: it leans from (180, HORIZON) up to (230, 60). */
function stemX(y: number): number {
  return Math.round(180 + (50 * (HORIZON - y)) / (HORIZON - 60));
}

/** Inside the stem: 3 px wide. */
function onStem(x: number, y: number): boolean {
  return y >= 60 && y < HORIZON && Math.abs(x - stemX(y)) <= 1;
}

/** Inside the golden disc that floats in the sky, too broad to be a stem. */
function onDisc(x: number, y: number): boolean {
  return (x - 450) ** 2 + (y - 100) ** 2 <= 30 ** 2;
}

function scene(): RgbaImage {
  const next = random(7);
  const data = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      let rgb: number[];
      if (y >= HORIZON) rgb = next() < 0.5 ? GOLD : GREEN;
      else if (onStem(x, y) || onDisc(x, y)) rgb = GOLD;
      else rgb = [110 + y / 8, 150 + y / 10, 215];
      data.set([...rgb, 255], o);
    }
  }
  return { width: W, height: H, data };
}

async function input(inside: (x: number, y: number) => boolean) {
  const guide = makeGuide(await loadOpenCv(), scene(), 1024);
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mask[y * W + x] = inside(x, y) ? 255 : 0;
  return { ...guide, mask };
}

const at = (mask: Uint8Array, x: number, y: number) => mask[y * W + x]!;

/** In each row, the mask reads `stem` on the stem and `sky` 40 px to its right. */
function expectStemAndSky(mask: Uint8Array, rows: number[], stem: number, sky: number): void {
  for (const y of rows) {
    const x = stemX(y);
    expect(at(mask, x, y), `stem at ${x},${y}`).toBe(stem);
    expect(at(mask, x + 40, y), `sky beside it at ${x + 40},${y}`).toBe(sky);
  }
}

describe('thin structures across a region edge', () => {
  it('a smooth sky gives up the stem standing in it and keeps the broad disc', async () => {
    const sky = await input((_, y) => y < HORIZON);
    const out = settleThinStructures(sky);
    expectStemAndSky(out, [80, 150, 230], 0, 255);
    expect(at(out, 450, 100), 'the disc').toBe(255);
    // Only the stem and a rim of a few pixels leave.
    let left = 0;
    for (let i = 0; i < out.length; i++) if (sky.mask[i] && !out[i]) left++;
    expect(left).toBeGreaterThan(180 * 3);
    expect(left).toBeLessThan(180 * 12);
  });

  it('textured grass takes the same stem in, and not the disc that touches nothing', async () => {
    const grass = await input((_, y) => y >= HORIZON);
    const out = settleThinStructures(grass);
    expectStemAndSky(out, [70, 150, 230], 255, 0);
    expect(at(out, 300, 150), 'the sky').toBe(0);
    expect(at(out, 450, 100), 'the disc').toBe(0);
  });

  it('a region that is neither large nor at the border is left as it is, and so is a clicked stem', async () => {
    const small = await input((x, y) => x > 300 && x < 400 && y > 100 && y < 200);
    expect(settleThinStructures(small)).toBe(small.mask);
    const sky = await input((_, y) => y < HORIZON);
    const out = settleThinStructures(sky, [150 * W + stemX(150)]);
    expect(at(out, stemX(150), 150), 'the stem, clicked').toBe(255);
  });
});

describe('an object takes in its own thin parts', () => {
  // A red beetle with a black band over green bokeh: three black legs stand out below it, and a black
  // wire of the same colour runs past its right side from the top of the picture to the bottom.
  const body = (x: number, y: number) => (x - 300) ** 2 + (y - 160) ** 2 <= 40 ** 2;
  const leg = (x: number, y: number) =>
    y >= 190 &&
    y < 214 &&
    [282, 300, 318].some((lx) => Math.abs(x - (lx + (lx - 300) * ((y - 190) / 24))) <= 1);
  const wire = (x: number) => x >= 341 && x <= 343;
  function beetle(): RgbaImage {
    const data = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let rgb = [70 + x / 12, 120 + y / 10, 50];
        if (body(x, y)) rgb = Math.abs(y - 172) < 9 ? [20, 20, 20] : [200, 40, 30];
        else if (leg(x, y) || wire(x)) rgb = [20, 20, 20];
        data.set([...rgb, 255], (y * W + x) * 4);
      }
    }
    return { width: W, height: H, data };
  }

  it('takes in the legs that end beside it and leaves the wire that runs on past it', async () => {
    const guide = makeGuide(await loadOpenCv(), beetle(), 1024);
    const mask = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mask[y * W + x] = body(x, y) ? 255 : 0;
    const out = settleThinStructures({ ...guide, mask });
    // Each leg, to its tip (they splay: 18 px out over their 24 px length).
    for (const [x, y] of [
      [270, 206],
      [300, 206],
      [330, 206],
      [266, 211],
      [334, 211],
    ] as const)
      expect(at(out, x, y), `leg at ${x},${y}`).toBe(255);
    // The wire, beside the body and far from it; the bokeh between the legs.
    for (const [x, y] of [
      [342, 160],
      [342, 60],
      [342, 300],
      [290, 212],
    ] as const)
      expect(at(out, x, y), `not at ${x},${y}`).toBe(0);
    for (let i = 0; i < out.length; i++) if (mask[i]) expect(out[i]).toBe(255);
  });
});

describe('thin structures on the dune-grass photo', () => {
  const segmenter = new ClassicSegmenter();
  const click = async (x: number, y: number) => {
    const path = join(PHOTOS_DIR, 'hard', 'dune-grass.jpg');
    const photo = (await decodePhoto({ kind: 'path', path })).image;
    const clicks = [{ x: x * photo.width, y: y * photo.height, positive: true }];
    return (await segmenter.segment(photo, { clicks, box: null, previous: null, photoKey: 'dune' })).mask;
  };
  // Points on seed heads that stand above the horizon, at the photo's size (1680x1050).
  const heads = [
    [740, 176],
    [876, 188],
    [1140, 176],
  ] as const;

  it('a click on the sky leaves the seed heads out; a click on the grass takes them in', async () => {
    const sky = await click(0.5, 0.1);
    for (const [x, y] of heads) expect(sky.data[y * sky.width + x], `sky at ${x},${y}`).toBe(0);
    expect(sky.data[100 * sky.width + 300]).toBe(255);
    const grass = await click(0.5, 0.85);
    expect(grass.data[210 * grass.width + 727]).toBe(255);
    expect(grass.data[100 * grass.width + 300]).toBe(0);
  });
});
