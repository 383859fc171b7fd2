// Stir's SAM path (its own resize, normalisation, padding, prompt geometry, the exported encoder and
// decoder, the best mask by IoU) against segment-anything's SamPredictor on the same tiny random SAM
// (scripts/reference/reference_fixtures.py): mask logits within 1e-3 (issue 11, point 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import { SamSegmenter } from '../../../src/engine/segment/sam/index.js';
import type { Click } from '../../../src/shared/index.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';
import {
  maxAbsDiff,
  referenceFloats,
  referenceJson,
  unpackReferencePack,
} from '../../helpers/reference-packs.js';

interface SamCase {
  name: string;
  clicks: Click[];
  iou: number;
  masks: string;
  lowRes: string;
  insideShare: number;
}
interface SamFixture {
  segmenters: { pack: string; photo: PhotoName; stride: number; cases: SamCase[] }[];
}

const TOLERANCE = 1e-3;
const fixture = referenceJson<SamFixture>('sam.json');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stir-reference-sam-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every `stride`-th row and column of mask k of [1, K, h, w] logits, as the fixture stores them. */
function strided(data: Float32Array, dims: number[], k: number, stride: number): Float32Array {
  const [h, w] = [dims[2]!, dims[3]!];
  const out: number[] = [];
  for (let y = 0; y < h; y += stride)
    for (let x = 0; x < w; x += stride) out.push(data[(k * h + y) * w + x]!);
  return Float32Array.from(out);
}

describe.each(fixture.segmenters)(
  '$pack against SamPredictor',
  ({ pack, photo: photoName, stride, cases }) => {
    let segmenter: SamSegmenter;
    let photo: RgbaImage;
    beforeAll(async () => {
      segmenter = new SamSegmenter(await loadPack(unpackReferencePack(pack, work), { verifyHashes: true }), {
        provider: 'cpu',
      });
      photo = (await loadPhoto(photoName)).image;
    });
    afterAll(() => segmenter.dispose());

    it.each(cases)('$name: mask logits at the photo size and at 256x256 within 1e-3', async (c) => {
      const out = await segmenter.decode(photo, { clicks: c.clicks, box: null, photoKey: photoName });
      expect(out.masks.dims.slice(2)).toEqual([photo.height, photo.width]);
      const masks = maxAbsDiff(
        strided(out.masks.data, out.masks.dims, out.best, stride),
        referenceFloats(c.masks),
      );
      const lowRes = maxAbsDiff(
        strided(out.lowRes.data, out.lowRes.dims, out.best, stride),
        referenceFloats(c.lowRes),
      );
      const iou = Math.abs(out.iou.data[out.best]! - c.iou);
      console.info(
        `[reference] ${pack} ${c.name}: masks max |diff| ${masks.max.toExponential(2)}, low-res ${lowRes.max.toExponential(2)}, IoU ${iou.toExponential(2)}`,
      );
      expect(masks.max).toBeLessThanOrEqual(TOLERANCE);
      expect(lowRes.max).toBeLessThanOrEqual(TOLERANCE);
      expect(iou).toBeLessThanOrEqual(TOLERANCE);
      // The mask Stir draws is the reference's: the same pixels inside.
      const result = await segmenter.segment(photo, {
        clicks: c.clicks,
        box: null,
        previous: null,
        photoKey: photoName,
      });
      const inside = result.mask.data.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) / result.mask.data.length;
      expect(Math.abs(inside - c.insideShare)).toBeLessThan(2e-3);
    });
  },
);
