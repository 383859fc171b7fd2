// Issue 13, point 6: a new region's first motion word comes from what was clicked. Real photos, real
// clicks, masks from the classic segmenter (what a person gets without a model pack): the rocket's sky
// drifts, the grass sways, a face breathes, and a coffee cup or a spoon keeps the neutral "sway".
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import {
  SUBJECT_MOTION,
  classifyFeatures,
  regionFeatures,
  regionSubject,
} from '../../../src/engine/segment/region-subject.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../../src/engine/create-engine.js';
import { inProcessTransport } from '../../../src/shared/rpc/in-process.js';
import { createClient, type Click, type Mask } from '../../../src/shared/index.js';
import { loadPhoto, photoPath, type PhotoName } from '../../helpers/photos.js';

const segmenter = new ClassicSegmenter();

async function clicked(
  photo: PhotoName,
  x: number,
  y: number,
): Promise<{ image: RgbaImage; mask: Mask; clicks: Click[] }> {
  const { image } = await loadPhoto(photo);
  const clicks = [{ x, y, positive: true }];
  const { mask } = await segmenter.segment(image, { clicks, box: null, previous: null, photoKey: photo });
  return { image, mask, clicks };
}

/** The photo upside down: the same real pixels, the sky now at the bottom of the frame. */
function upsideDown(image: RgbaImage, mask: Mask): { image: RgbaImage; mask: Mask } {
  const { width, height } = image;
  const data = new Uint8Array(image.data.length);
  const maskData = new Uint8Array(mask.data.length);
  for (let y = 0; y < height; y++) {
    data.set(image.data.subarray(y * width * 4, (y + 1) * width * 4), (height - 1 - y) * width * 4);
    maskData.set(mask.data.subarray(y * width, (y + 1) * width), (height - 1 - y) * width);
  }
  return { image: { width, height, data }, mask: { width, height, data: maskData } };
}

describe('regionSubject on real photos', () => {
  beforeAll(async () => {
    await clicked('chelsea.png', 120, 200); // loads OpenCV.js once
  });

  const cases: Array<[string, string, PhotoName, number, number]> = [
    ["the rocket photo's evening sky", 'sky', 'rocket.jpg', 150, 100],
    ['the sky on the other side of the rocket', 'sky', 'rocket.jpg', 520, 60],
    ['the grass (grey, but finely textured)', 'foliage', 'grass.png', 256, 256],
    ["the astronaut's face", 'person', 'astronaut.png', 225, 110],
    ["the astronaut's chin", 'person', 'astronaut.png', 222, 160],
    ['the coffee in the cup', 'other', 'coffee.png', 290, 140],
    ['the saucer', 'other', 'coffee.png', 120, 300],
    ['the spoon', 'other', 'coffee.png', 365, 280],
    ['the rocket itself', 'other', 'rocket.jpg', 320, 250],
  ];
  it.each(cases)('%s is %s', async (_what, subject, photo, x, y) => {
    const { image, mask, clicks } = await clicked(photo, x, y);
    expect(regionSubject(image, mask, clicks)).toBe(subject);
  });

  it('reads the same blue region as water when it lies low in the frame', async () => {
    const { image, mask } = await clicked('rocket.jpg', 150, 100);
    const flipped = upsideDown(image, mask);
    expect(regionFeatures(flipped.image, flipped.mask).blue).toBeGreaterThan(0.9);
    expect(regionSubject(flipped.image, flipped.mask)).toBe('water');
  });

  it('suggests the lexicon word for each subject', () => {
    expect(SUBJECT_MOTION).toEqual({
      sky: 'drift',
      water: 'flow',
      foliage: 'sway',
      person: 'breathe',
      other: 'sway',
    });
    // An empty mask says nothing.
    const image = { width: 4, height: 4, data: new Uint8Array(64) };
    const empty = { width: 4, height: 4, data: new Uint8Array(16) };
    expect(classifyFeatures(regionFeatures(image, empty))).toBe('other');
  });
});

describe('segment returns the suggestion through the contract', () => {
  it('a click on the rocket photo sky comes back with "drift"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stir-subject-'));
    const engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
    const client = createClient(inProcessTransport(engine.dispatch, engine.bus));
    try {
      const doc = await client.openPhoto({ source: { kind: 'path', path: photoPath('rocket.jpg') } });
      const result = await client.segment({
        docId: doc.docId,
        clicks: [{ x: 150, y: 100, positive: true }],
      });
      expect(result.suggestion).toEqual({ subject: 'sky', prompt: 'drift' });
    } finally {
      await engine.dispose();
    }
  });
});
