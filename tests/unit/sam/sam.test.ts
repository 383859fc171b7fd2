import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StirError, type Mask } from '../../../src/shared/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { contractsOf } from '../../../src/engine/models/contract.js';
import { openSession } from '../../../src/engine/models/sessions.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import {
  LABEL,
  encoderInput,
  promptPoints,
  resizedFrame,
} from '../../../src/engine/segment/sam/preprocess.js';
import {
  createSamSegmenter,
  findSamSegmenter,
  pickSegmenterPack,
  type SamSegmenter,
} from '../../../src/engine/segment/sam/index.js';
import { maskFromLogits } from '../../../src/engine/segment/sam/sam-segmenter.js';
import { loadPhoto } from '../../helpers/photos.js';
import { packDir } from '../models/fixture-packs.js';

const area = (mask: Mask) => mask.data.reduce((sum, v) => sum + (v ? 1 : 0), 0);
const at = (mask: Mask, x: number, y: number) => mask.data[Math.round(y) * mask.width + Math.round(x)]!;

describe('SAM preprocessing', () => {
  it('resizes the long side to 1024 with SAM rounding and maps clicks and boxes into that frame', () => {
    const frame = resizedFrame(451, 300, 1024);
    expect(frame).toEqual({ width: 451, height: 300, resizedWidth: 1024, resizedHeight: 681 });
    const points = promptPoints(
      [
        { x: 100, y: 50, positive: true },
        { x: 10, y: 20, positive: false },
      ],
      null,
      frame,
    );
    expect(points.count).toBe(3);
    expect(Array.from(points.labels)).toEqual([LABEL.positive, LABEL.negative, LABEL.padding]);
    expect(points.coords[0]).toBeCloseTo((100 * 1024) / 451, 4);
    expect(points.coords[1]).toBeCloseTo((50 * 681) / 300, 4);
    expect([points.coords[4], points.coords[5]]).toEqual([0, 0]);
    const boxed = promptPoints([], { x0: 200, y0: 150, x1: 20, y1: 10 }, frame);
    expect(Array.from(boxed.labels)).toEqual([LABEL.boxTopLeft, LABEL.boxBottomRight]);
    expect(boxed.coords[0]).toBeCloseTo((20 * 1024) / 451, 4);
  });

  it('normalises with the pixel mean and std and pads bottom and right with zeros', async () => {
    const photo: RgbaImage = {
      width: 4,
      height: 2,
      data: new Uint8Array(4 * 2 * 4).map((_, i) => (i % 4 === 3 ? 255 : 200)),
    };
    const { tensor, frame } = await encoderInput(photo, 16, [100, 100, 100], [50, 50, 50]);
    expect(frame.resizedHeight).toBe(8);
    expect(tensor[0]).toBeCloseTo(2, 5); // (200 - 100) / 50
    expect(tensor[8 * 16]).toBe(0); // row 8: padding
    expect(tensor[2 * 256 + 15]).toBeCloseTo(2, 5); // blue plane, last column of row 0
  });
});

describe('SAM segmenter on the tiny pack', () => {
  let photo: RgbaImage;
  let segmenter: SamSegmenter;
  // A spot on the mug's dark coffee in coffee.png.
  const click = { x: 300, y: 170, positive: true };

  beforeAll(async () => {
    photo = (await loadPhoto('coffee.png')).image;
    segmenter = await createSamSegmenter(packDir('sam'), { provider: 'cpu' });
  });
  afterAll(() => segmenter.dispose());

  it('gives a mask at the photo size that holds the click, the best of three by predicted IoU', async () => {
    const result = await segmenter.segment(photo, {
      clicks: [click],
      box: null,
      previous: null,
      photoKey: 'coffee',
    });
    expect([result.mask.width, result.mask.height]).toEqual([photo.width, photo.height]);
    expect(at(result.mask, click.x, click.y)).toBe(255);
    expect(result.score).toBeCloseTo(0.91, 5);
    // The decoder's own three masks, to see that the chosen one is the middle one (IoU 0.91).
    const pack = await loadPack(packDir('sam'));
    const contracts = contractsOf(pack.manifest);
    const encoder = await openSession(pack.path('sam/encoder.onnx'), contracts.get('sam/encoder.onnx')!, {
      provider: 'cpu',
    });
    const decoder = await openSession(pack.path('sam/decoder.onnx'), contracts.get('sam/decoder.onnx')!, {
      provider: 'cpu',
    });
    const { tensor, frame } = await encoderInput(
      photo,
      1024,
      [123.675, 116.28, 103.53],
      [58.395, 57.12, 57.375],
    );
    const embedding = (await encoder.run({ image: { data: tensor, dims: [1, 3, 1024, 1024] } }))
      .image_embeddings!;
    const points = promptPoints([click], null, frame);
    const out = await decoder.run({
      image_embeddings: { data: embedding.data, dims: embedding.dims },
      point_coords: { data: points.coords, dims: [1, points.count, 2] },
      point_labels: { data: points.labels, dims: [1, points.count] },
      mask_input: { data: new Float32Array(256 * 256), dims: [1, 1, 256, 256] },
      has_mask_input: { data: [0], dims: [1] },
      orig_im_size: { data: [photo.height, photo.width], dims: [2] },
    });
    const masks = [0, 1, 2].map((k) =>
      maskFromLogits(out.masks!.data, out.masks!.dims, k, photo.width, photo.height),
    );
    expect(area(masks[0]!)).toBeGreaterThan(area(masks[1]!));
    expect(area(masks[1]!)).toBeGreaterThan(area(masks[2]!));
    expect(Buffer.from(result.mask.data).equals(Buffer.from(masks[1]!.data))).toBe(true);
    await encoder.release();
    await decoder.release();
  });

  it('encodes each photo once, and again after forget()', async () => {
    const before = segmenter.stats.encoderRuns;
    await segmenter.segment(photo, { clicks: [click], box: null, previous: null, photoKey: 'once' });
    await segmenter.segment(photo, {
      clicks: [{ ...click, x: 120 }],
      box: null,
      previous: null,
      photoKey: 'once',
    });
    expect(segmenter.stats.encoderRuns - before).toBe(1);
    segmenter.forget('once');
    await segmenter.segment(photo, { clicks: [click], box: null, previous: null, photoKey: 'once' });
    expect(segmenter.stats.encoderRuns - before).toBe(2);
  });

  it('removes what a negative click points at', async () => {
    const request = { box: null, previous: null, photoKey: 'coffee' };
    const positive = await segmenter.segment(photo, { ...request, clicks: [click] });
    // A second spot of the same coffee, marked negative.
    const negative = { x: 330, y: 175, positive: false };
    expect(at(positive.mask, negative.x, negative.y)).toBe(255);
    const both = await segmenter.segment(photo, { ...request, clicks: [click, negative] });
    expect(at(both.mask, negative.x, negative.y)).toBe(0);
    expect(area(both.mask)).toBeLessThan(area(positive.mask));
  });

  it('keeps a box selection inside the box', async () => {
    const box = { x0: 150, y0: 100, x1: 400, y1: 300 };
    const result = await segmenter.segment(photo, { clicks: [], box, previous: null, photoKey: 'coffee' });
    for (let y = 0; y < photo.height; y += 7) {
      for (let x = 0; x < photo.width; x += 7) {
        const inside = x >= box.x0 + 6 && x <= box.x1 - 6 && y >= box.y0 + 6 && y <= box.y1 - 6;
        const outside = x < box.x0 - 6 || x > box.x1 + 6 || y < box.y0 - 6 || y > box.y1 + 6;
        if (inside) expect(at(result.mask, x, y), `${x},${y}`).toBe(255);
        if (outside) expect(at(result.mask, x, y), `${x},${y}`).toBe(0);
      }
    }
  });

  it('refines from its own previous low-res mask, and ignores a mask it did not make', async () => {
    const request = { box: null, photoKey: 'coffee', clicks: [click] };
    const first = await segmenter.segment(photo, { ...request, previous: null });
    const refinements = segmenter.stats.refinements;
    const refined = await segmenter.segment(photo, { ...request, previous: first.mask });
    expect(segmenter.stats.refinements).toBe(refinements + 1);
    // The tiny decoder's prior pulls undecided cells in: the refined mask grows from the first.
    expect(area(refined.mask)).toBeGreaterThan(area(first.mask));
    const foreign: Mask = { ...first.mask, data: first.mask.data.map((v, i) => (i % 2 ? v : 255 - v)) };
    const unrefined = await segmenter.segment(photo, { ...request, previous: foreign });
    expect(segmenter.stats.refinements).toBe(refinements + 1);
    expect(Buffer.from(unrefined.mask.data).equals(Buffer.from(first.mask.data))).toBe(true);
  });

  it('says so when nothing is selected', async () => {
    try {
      await segmenter.segment(photo, {
        clicks: [{ x: 10, y: 10, positive: false }],
        box: null,
        previous: null,
        photoKey: 'coffee',
      });
      expect.unreachable();
    } catch (caught) {
      expect((caught as StirError).code).toBe('EMPTY_MASK');
    }
  });

  it('is found among installed packs by its capability', async () => {
    const packs = [await loadPack(packDir('fyc-plain')), await loadPack(packDir('sam'))];
    expect(pickSegmenterPack(packs)?.manifest.id).toBe('sam');
    expect(pickSegmenterPack(packs.slice(0, 1))).toBeNull();
    // Broken and segmenter-less packs are passed over; the first that can segment is used.
    const found = await findSamSegmenter([packDir('bad-missing-file'), packDir('fyc-plain'), packDir('fyc')]);
    expect(found?.id).toBe('sam');
    await found?.dispose();
    expect(await findSamSegmenter([packDir('fyc-plain')])).toBeNull();
  });
});
