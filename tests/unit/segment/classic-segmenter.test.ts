// The classic segmenter on real photos: a click on an object gives a plausible mask of it (holds the
// click, a sane share of the photo, hand-chosen points on the object in, hand-chosen background points
// out); negative clicks remove; refinement changes only what the clicks ask for.
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import type { SegmentOutput, SegmentRequest } from '../../../src/engine/segment/types.js';
import type { Click, Mask } from '../../../src/shared/index.js';
import { StirError } from '../../../src/shared/index.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';

type Point = [number, number];
const segmenter = new ClassicSegmenter();

async function segment(
  photo: PhotoName,
  clicks: Click[],
  extra: Partial<SegmentRequest> = {},
): Promise<SegmentOutput> {
  const { image } = await loadPhoto(photo);
  return segmenter.segment(image, { clicks, box: null, previous: null, photoKey: photo, ...extra });
}

const pos = (x: number, y: number): Click => ({ x, y, positive: true });
const neg = (x: number, y: number): Click => ({ x, y, positive: false });
const at = (mask: Mask, [x, y]: Point) => mask.data[y * mask.width + x]!;
const share = (mask: Mask) => mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length;

function expectPlausible(
  mask: Mask,
  expected: { width: number; height: number; area: [number, number]; inside: Point[]; outside: Point[] },
): void {
  expect([mask.width, mask.height]).toEqual([expected.width, expected.height]);
  expect(mask.data.every((v) => v === 0 || v === 255)).toBe(true);
  const area = share(mask);
  expect(area).toBeGreaterThan(expected.area[0]);
  expect(area).toBeLessThan(expected.area[1]);
  for (const p of expected.inside) expect(at(mask, p), `inside point ${p.join(',')}`).toBe(255);
  for (const p of expected.outside) expect(at(mask, p), `outside point ${p.join(',')}`).toBe(0);
}

describe('classic segmenter, one click on an object', () => {
  beforeAll(async () => {
    await segment('chelsea.png', [pos(120, 200)]); // loads OpenCV.js once
  });

  it('finds the cat (chelsea.png, a click on its cheek)', async () => {
    const { mask, score } = await segment('chelsea.png', [pos(120, 200)]);
    expectPlausible(mask, {
      width: 451,
      height: 300,
      area: [0.55, 0.9],
      inside: [
        [120, 200],
        [250, 60],
        [330, 140],
        [80, 280],
        [170, 115] /* the eye: hole filled */,
      ],
      outside: [
        [430, 150],
        [420, 260],
        [10, 40],
      ],
    });
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
  });

  it('finds the cup (coffee.png, a click on its rim) without the table or the saucer', async () => {
    const { mask } = await segment('coffee.png', [pos(190, 110)]);
    expectPlausible(mask, {
      width: 600,
      height: 400,
      area: [0.08, 0.3],
      inside: [
        [190, 110],
        [290, 30],
        [395, 110],
        [290, 140] /* the coffee, inside the rim */,
      ],
      outside: [
        [550, 50],
        [30, 380],
        [560, 350],
        [120, 300] /* saucer */,
      ],
    });
  });

  it('finds the rocket (rocket.jpg): the thin white body, not the sky around it', async () => {
    const { mask } = await segment('rocket.jpg', [pos(322, 250)]);
    expectPlausible(mask, {
      width: 640,
      height: 427,
      area: [0.008, 0.05],
      inside: [
        [322, 250],
        [322, 200],
        [322, 330],
        [320, 150],
      ],
      outside: [
        [290, 250],
        [355, 250],
        [200, 80],
        [500, 200],
        [40, 200] /* a tower */,
      ],
    });
  });

  it("finds the astronaut's suit (astronaut.png), not her face, the wall or the helmet", async () => {
    const { mask } = await segment('astronaut.png', [pos(100, 400)]);
    expectPlausible(mask, {
      width: 512,
      height: 512,
      area: [0.15, 0.45],
      inside: [
        [100, 400],
        [330, 300],
        [60, 300],
        [200, 480],
      ],
      outside: [
        [225, 110],
        [420, 60],
        [400, 440],
        [470, 330],
      ],
    });
  });

  it('is deterministic: the same clicks give the same mask', async () => {
    const a = await segment('coffee.png', [pos(300, 230)]);
    const b = await segment('coffee.png', [pos(300, 230)]);
    expect(Buffer.from(a.mask.data).equals(Buffer.from(b.mask.data))).toBe(true);
  });
});

describe('classic segmenter, negative clicks, boxes and refinement', () => {
  it('negative clicks on the saucer take it out of the cup', async () => {
    const cup = pos(300, 230);
    const saucer: Point[] = [
      [130, 250],
      [430, 270],
    ];
    const before = await segment('coffee.png', [cup]);
    for (const p of saucer) expect(at(before.mask, p)).toBe(255); // the saucer is the cup's colour
    const after = await segment('coffee.png', [cup, ...saucer.map(([x, y]) => neg(x, y))]);
    for (const p of saucer) expect(at(after.mask, p)).toBe(0);
    expect(at(after.mask, [300, 230])).toBe(255);
    expect(at(after.mask, [290, 30])).toBe(255); // the rim stays
    expect(share(after.mask)).toBeLessThan(share(before.mask) * 0.7);
  });

  it('a negative click on the wall separates the face from the wall of the same colour', async () => {
    const { mask } = await segment('astronaut.png', [pos(225, 110), neg(90, 60)]);
    expectPlausible(mask, {
      width: 512,
      height: 512,
      area: [0.02, 0.15],
      inside: [
        [225, 110],
        [225, 40] /* hair */,
        [190, 130],
      ],
      outside: [
        [90, 60],
        [420, 60],
        [330, 150],
        [100, 400],
      ],
    });
  });

  it('a box alone gives the object inside it', async () => {
    const { mask } = await segment('rocket.jpg', [], { box: { x0: 295, y0: 115, x1: 350, y1: 410 } });
    expect(at(mask, [322, 250])).toBe(255);
    expect(at(mask, [322, 160])).toBe(255);
    let outsideTheBox = 0;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        if ((x < 295 || x > 350 || y < 115 || y > 410) && mask.data[y * mask.width + x]) outsideTheBox++;
      }
    }
    expect(outsideTheBox).toBe(0);
    expect(share(mask)).toBeGreaterThan(0.005);
  });

  it('refinement: a negative click removes the flag stripe and keeps the rest of the suit as it was', async () => {
    const suit = pos(100, 400);
    const first = await segment('astronaut.png', [suit]);
    const stripe: Point = [50, 165];
    expect(at(first.mask, stripe)).toBe(255); // the red stripe joins the orange suit
    const second = await segment('astronaut.png', [suit, neg(...stripe)], { previous: first.mask });
    expect(at(second.mask, stripe)).toBe(0);
    for (const p of [
      [100, 400],
      [330, 300],
      [200, 480],
    ] as Point[])
      expect(at(second.mask, p)).toBe(255);
    // Only the stripe's neighbourhood changed: the lower half of the suit is pixel for pixel the same.
    const half = (m: Mask) => m.data.subarray(m.width * 300);
    expect(Buffer.from(half(second.mask)).equals(Buffer.from(half(first.mask)))).toBe(true);
    expect(share(second.mask)).toBeLessThan(share(first.mask));
  });

  it('refinement: a positive click outside the region adds the object under it and keeps the region', async () => {
    const rim = pos(190, 110);
    const first = await segment('coffee.png', [rim]);
    const spoon: Point = [365, 290];
    expect(at(first.mask, spoon)).toBe(0);
    const second = await segment('coffee.png', [rim, pos(...spoon)], { previous: first.mask });
    expect(at(second.mask, spoon)).toBe(255);
    for (let i = 0; i < first.mask.data.length; i++) {
      if (first.mask.data[i]) expect(second.mask.data[i]).toBe(255);
    }
  });

  it('a negative click that removes everything is refused with EMPTY_MASK', async () => {
    const first = await segment('rocket.jpg', [pos(322, 250)]);
    const refused = segment('rocket.jpg', [neg(322, 250)], { previous: first.mask });
    await expect(refused).rejects.toMatchObject({ code: 'EMPTY_MASK' });
  });

  it('stops with CANCELLED when the signal has fired', async () => {
    const { image } = await loadPhoto('chelsea.png');
    const controller = new AbortController();
    controller.abort();
    const run = segmenter.segment(
      image,
      { clicks: [pos(120, 200)], box: null, previous: null, photoKey: 'chelsea.png' },
      controller.signal,
    );
    await expect(run).rejects.toBeInstanceOf(StirError);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('classic segmenter, a positive click is never lost', () => {
  // A click beside an edge lands in a superpixel that straddles it; the edge snap used to move the
  // boundary past the click, and keeping the pieces at the click then left nothing (EMPTY_MASK).
  it("a click on the rim of the cat's right eye gives the eye (chelsea.png)", async () => {
    const { mask } = await segment('chelsea.png', [pos(310, 115)]);
    expectPlausible(mask, {
      width: 451,
      height: 300,
      area: [0.005, 0.05],
      inside: [
        [310, 115],
        [320, 140] /* the eye's middle */,
      ],
      outside: [
        [170, 115] /* the other eye */,
        [250, 60],
        [430, 150],
      ],
    });
  });

  it('every click of a coarse grid over grass.png gives a region holding the click', async () => {
    // The grid holds clicks that came back empty before: (380,20), (20,140), (20,380), (500,500).
    const { image } = await loadPhoto('grass.png');
    const misses: string[] = [];
    for (let y = 20; y < image.height; y += 120) {
      for (let x = 20; x < image.width; x += 120) {
        const outcome = await segment('grass.png', [pos(x, y)]).then(
          ({ mask }) => (at(mask, [x, y]) === 255 ? null : 'click outside the mask'),
          (error: unknown) => (error instanceof StirError ? error.code : String(error)),
        );
        if (outcome) misses.push(`(${x},${y}): ${outcome}`);
      }
    }
    expect(misses).toEqual([]);
  });
});
