// The person selection where her head fills the frame (issue 12): the astronaut cropped and enlarged to
// 1080x1920, as the people bench holds her. Her face's box grown by 0.3 spanned the frame's width, so the
// hair seed's piece (the backdrop above her shoulders with her hair and face, 41% of the frame) counted
// as 91% on her, and the selection took 98% of the frame: the backdrop breathed with her. The head is now
// an ellipse about the face's oval, and the hair is asked for inside the head's box (select.ts), so the
// selection holds her, hair included, on the crop as on the photo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mask } from '../../../src/shared/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { fillPolygon, selectPerson } from '../../../src/engine/people/select.js';
import { keypoint, type FoundPeople } from '../../../src/engine/people/types.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { loadEnlarged } from '../../helpers/photos.js';
import { ASTRONAUT_PERSON } from './outlines.js';

const detector = createPeopleDetector();
const segmenter = new ClassicSegmenter();
afterAll(async () => {
  await segmenter.dispose();
  await detector.dispose();
});

/** The crop: the 512-pixel photo enlarged 3.75 times to 1920x1920, its middle 1080 columns. */
const SCALE = 3.75;
const LEFT = 420;
const toCrop = ([x, y]: readonly [number, number]): [number, number] => [x * SCALE - LEFT, y * SCALE];

let photo: RgbaImage;
let people: FoundPeople;
beforeAll(async () => {
  photo = await loadEnlarged('astronaut.png', 1080, 1920);
  people = await detector.find(photo);
}, 120_000);

function iou(a: Mask, b: Mask): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.data.length; i++) {
    both += a.data[i] && b.data[i] ? 1 : 0;
    either += a.data[i] || b.data[i] ? 1 : 0;
  }
  return both / either;
}

describe('the person selection on the astronaut cropped to 1080x1920', () => {
  it('holds her, hair included, and not the backdrop beside her head', async () => {
    const body = people.bodies[0]!;
    const torso = (['leftShoulder', 'rightShoulder', 'leftHip', 'rightHip'] as const).map((part) =>
      keypoint(body, part)!,
    );
    const click = {
      x: torso.reduce((s, k) => s + k.x, 0) / 4,
      y: torso.reduce((s, k) => s + k.y, 0) / 4,
      positive: true,
    };
    const picked = await selectPerson(
      people,
      photo,
      { clicks: [click], box: null, previous: null, photoKey: 'astronaut-crop' },
      segmenter,
    );
    const mask = picked!.mask;
    const share = mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length;
    // Measured 0.70 (0.98 before); the hand-drawn outline covers 0.59 of the crop, her helmet (not her) most of the rest.
    expect(share).toBeLessThan(0.78);
    const truth = fillPolygon(ASTRONAUT_PERSON.map(toCrop), photo.width, photo.height);
    // Measured 0.77 (0.59 before), as on the 512-pixel photo (0.77).
    expect(iou(mask, truth)).toBeGreaterThan(0.72);
    const at = (p: readonly [number, number]) => {
      const [x, y] = toCrop(p).map(Math.round) as [number, number];
      return { mask: mask.data[y * photo.width + x]! > 0, truth: truth.data[y * photo.width + x]! > 0 };
    };
    // Her hair over the left temple and on top; the backdrop left of her hair and above her right shoulder.
    for (const hair of [
      [170, 70],
      [225, 30],
    ] as const)
      expect(at(hair)).toEqual({ mask: true, truth: true });
    for (const backdrop of [
      [130, 60],
      [330, 150],
    ] as const)
      expect(at(backdrop)).toEqual({ mask: false, truth: false });
  }, 120_000);
});
