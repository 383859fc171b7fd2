// The classic segmenter on the hard photos (issue 10, point 5): texture per superpixel tells grass from
// sky and a sharp leaf from the same browns blurred behind it; the size priors let a meadow filling the
// frame be selected whole and keep lake water from taking the sky mirrored in it; the ranked answers
// (Tab in the editor) hold the seed heads that the first answer misses, and the yellow flower is the first. Bounds are
// the measured IoU (stir eval --segment-only) less a margin; the easy photos' rocket and coffee must not
// drop below what they had before.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskIou } from '../../../src/engine/eval/defects/iou.js';
import { selectionCases, type SelectionCase } from '../../../src/engine/eval/selection.js';
import { rasterize } from '../../../src/engine/eval/shapes.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { computeSuperpixels } from '../../../src/engine/segment/classic/superpixels.js';
import {
  ORIENTATIONS,
  superpixelTexture,
  type SuperpixelTexture,
} from '../../../src/engine/segment/classic/texture.js';
import { makeWorkingImage } from '../../../src/engine/segment/classic/working-image.js';
import { loadOpenCv } from '../../../src/engine/segment/opencv.js';
import type { Mask } from '../../../src/shared/index.js';
import { PHOTOS_DIR } from '../../helpers/photos.js';

const segmenter = new ClassicSegmenter();
const photos = new Map<string, Promise<RgbaImage>>();

function photo(name: string): Promise<RgbaImage> {
  let found = photos.get(name);
  if (!found) {
    const dir = name === 'rocket.jpg' || name === 'coffee.png' ? PHOTOS_DIR : join(PHOTOS_DIR, 'hard');
    found = decodePhoto({ kind: 'path', path: join(dir, name) }).then((d) => d.image);
    photos.set(name, found);
  }
  return found;
}

function selectionCase(name: string): SelectionCase {
  const found = selectionCases().find((c) => c.name === name);
  if (!found) throw new Error(`no selection case ${name}`);
  return found;
}

/**
 * The segmenter's answer `hypothesis` to a case's clicks (or to `clickedAt`, fractions of the photo), its
 * IoU with the case's outline and its share.
 */
async function answer(
  name: string,
  hypothesis = 0,
  clickedAt?: readonly (readonly [number, number])[],
): Promise<{ iou: number; share: number; count: number }> {
  const c = selectionCase(name);
  const image = await photo(c.photo);
  const clicks = (clickedAt ?? c.clicks).map(([x, y]) => ({
    x: x * image.width,
    y: y * image.height,
    positive: true,
  }));
  const out = await segmenter.segment(image, {
    clicks,
    box: null,
    previous: null,
    photoKey: c.photo,
    hypothesis,
  });
  return {
    iou: maskIou(out.mask, rasterize(c.outline, image.width, image.height)),
    share: share(out.mask),
    count: out.hypotheses ?? 1,
  };
}

function share(mask: Mask): number {
  let on = 0;
  for (const v of mask.data) if (v >= 128) on++;
  return on / mask.data.length;
}

describe('texture per superpixel, on real photos', () => {
  const textures = new Map<string, { texture: SuperpixelTexture; at: (x: number, y: number) => number }>();

  beforeAll(async () => {
    const cv = await loadOpenCv();
    for (const name of ['dune-grass.jpg', 'fallen-leaf.jpg', 'lake-horizon.jpg']) {
      const working = makeWorkingImage(cv, await photo(name), 512);
      const sp = computeSuperpixels(working.lab, working.width, working.height, {
        count: 1500,
        compactness: 10,
        iterations: 5,
      });
      const at = (x: number, y: number) =>
        sp.labels[Math.round(y * (sp.height - 1)) * sp.width + Math.round(x * (sp.width - 1))]!;
      textures.set(name, { texture: superpixelTexture(working.lab, sp), at });
    }
  });

  const energy = (name: string, x: number, y: number) => {
    const { texture, at } = textures.get(name)!;
    return texture.energy[at(x, y)]! / texture.spread;
  };

  it('grass is far more textured than the sky above it (dune-grass.jpg)', () => {
    // Measured: 2.3 spreads apart.
    expect(energy('dune-grass.jpg', 0.5, 0.85) - energy('dune-grass.jpg', 0.5, 0.1)).toBeGreaterThan(1.5);
  });

  it('the sharp leaf is more textured than the same browns blurred behind it (fallen-leaf.jpg)', () => {
    // Measured: 2.2 spreads apart.
    expect(energy('fallen-leaf.jpg', 0.7, 0.58) - energy('fallen-leaf.jpg', 0.2, 0.3)).toBeGreaterThan(1.5);
  });

  it("the lake's ripples are horizontal edges: most of their energy is in vertical gradients", () => {
    const { texture, at } = textures.get('lake-horizon.jpg')!;
    const s = at(0.3, 0.85);
    const shares = [...texture.orientation.subarray(s * ORIENTATIONS, (s + 1) * ORIENTATIONS)];
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // Bin 2 is 90 degrees: the gradient points up or down. Measured 0.70.
    expect(shares[2]).toBeGreaterThan(0.5);
  });
});

describe('the size priors and the ranked answers, against outlines drawn by hand', () => {
  it('a click on a meadow that fills the frame selects the meadow, not one blade', async () => {
    const { iou, share } = await answer('meadow.jpg: meadow'); // before: IoU 0.00 (one blade)
    expect(iou).toBeGreaterThan(0.9); // measured 1.00
    expect(share).toBeGreaterThan(0.9);
  });

  it('a click on the lake takes the water, not the sky mirrored in it as well', async () => {
    const { iou, share } = await answer('lake-horizon.jpg: water'); // before: IoU 0.29, 70% of the photo
    expect(iou).toBeGreaterThan(0.5); // measured 0.59
    expect(share).toBeLessThan(0.45);
  });

  it('a click on the fallen leaf does not swallow the frame', async () => {
    const { iou, share } = await answer('fallen-leaf.jpg: leaf'); // before: IoU 0.12, 82% of the photo
    expect(iou).toBeGreaterThan(0.35); // measured 0.48
    expect(share).toBeLessThan(0.2);
  });

  it('a click on one of two touching cyan cups takes that cup, not both (a neck split)', async () => {
    const { iou, share } = await answer('cups.jpg: cup'); // before: IoU 0.53, both cups (12% of the photo)
    expect(iou).toBeGreaterThan(0.75); // measured 0.85
    expect(share).toBeLessThan(0.09);
  });

  it('a click on a petal beside its rim gives the flower first, not the dark ground past the rim', async () => {
    // The clicked superpixel straddles the rim: the best colour cut kept it only as a hard constraint and
    // took the dark ground beyond (IoU 0.06, 36% of the photo); the next colour cut is that one petal
    // (0.06, 4%), and the texture cut, which separates far better, is the flower. Measured 0.89.
    const first = await answer('yellow-flower.jpg: flower');
    expect(first.count).toBeGreaterThan(2);
    expect(first.iou).toBeGreaterThan(0.75);
  });

  it('a click on a marigold petal gives the flower with its stamens first, not the petals alone', async () => {
    // The colour cut of the red petals (IoU 0.51) separates about as well as the texture cut of the
    // whole flower that holds them (0.73 and 0.71) with a far more ragged outline (compactness 0.07
    // against 0.23). Measured 0.81.
    const first = await answer('marigold-bokeh.jpg: flower');
    expect(first.iou).toBeGreaterThan(0.7);
  });

  it('a click in the middle of the fallen leaf does not get two superpixels beside it first', async () => {
    // A texture cut of two superpixels (0.2% of the photo) separates far better than the colour cut of
    // the leaf and the browns around it, as small answers do; it holds none of that cut, so it is no
    // whole the colour cut is part of and does not lead. Measured 0.22 (42%); led, 0.02.
    const first = await answer('fallen-leaf.jpg: leaf', 0, [[0.6, 0.5]]);
    expect(first.share).toBeGreaterThan(0.02);
    expect(first.iou).toBeGreaterThan(0.15);
  });

  it('a click on the sky-blue panel of a kite against the sky still gives the kite first', async () => {
    // The clicked panel is unlike the kite's other panels and like the sky; but nothing of the sky is as
    // close to it as the far side of an edge is to the click (the yellow flower), so the kite stays.
    const first = await answer('kite.jpg: kite');
    expect(first.iou).toBeGreaterThan(0.55); // measured 0.64 before and after
    expect(first.share).toBeLessThan(0.01);
  });

  it('the seed heads are among the first three answers', async () => {
    const ious = await Promise.all(
      [0, 1, 2].map(async (h) => (await answer('seed-heads.jpg: seeds', h)).iou),
    );
    expect(Math.max(...ious)).toBeGreaterThan(0.4); // measured 0.55
  });

  it('two clicks far apart on the seed heads do not get the bright seed cores alone first', async () => {
    // The cores around the two clicks separate best (0.2% of the photo, IoU 0.01); the clicks' spread
    // rules them out. Measured 0.32 (4.9%).
    const first = await answer('seed-heads.jpg: seeds');
    expect(first.share).toBeGreaterThan(0.02);
    expect(first.iou).toBeGreaterThan(0.25);
  });

  it('a click on the ladybird takes in its legs, and a negative click takes them away with it', async () => {
    // The superpixels, wider than a leg, left the legs out (IoU 0.75), and a glide left them behind on
    // the stem. Points on the legs below the shell and the bokeh beside them, at the photo's size.
    const image = await photo('ladybird.jpg');
    const request = { box: null, photoKey: 'ladybird.jpg' };
    const { mask } = await segmenter.segment(image, {
      ...request,
      clicks: [{ x: 1344, y: 588, positive: true }],
      previous: null,
    });
    const inMask = ([x, y]: readonly [number, number]) => mask.data[y * mask.width + x];
    for (const leg of [
      [1314, 696],
      [1318, 708],
      [1274, 636],
      [1290, 660],
    ] as const)
      expect(inMask(leg), `leg at ${leg.join(',')}`).toBe(255);
    for (const bokeh of [
      [1250, 700],
      [1230, 640],
    ] as const)
      expect(inMask(bokeh), `bokeh at ${bokeh.join(',')}`).toBe(0);
    const removed = segmenter.segment(image, {
      ...request,
      clicks: [{ x: 1344, y: 588, positive: false }],
      previous: mask,
    });
    await expect(removed).rejects.toMatchObject({ code: 'EMPTY_MASK' });
  });

  it('an answer past the last gives the last', async () => {
    const { count } = await answer('kite.jpg: kite');
    const last = await answer('kite.jpg: kite', count - 1);
    const past = await answer('kite.jpg: kite', count + 3);
    expect(past).toEqual(last);
  });

  it('the rocket and the coffee of the easy photos keep their first answers', async () => {
    expect((await answer('rocket.jpg: rocket')).iou).toBeGreaterThan(0.75); // 0.79 before and after
    expect((await answer('coffee.png: coffee')).iou).toBeGreaterThan(0.4); // 0.45 before and after
  });
});
