// Face words on a person who breathes (issue 12): regions were drawn in list order, each sampling the
// photo, so a breath listed after a blink and a smile drew the photo's face over them (the eyes stayed
// open, the mouth corners still), and a smile listed after a blink drew the photo's eyes over the blink
// (the smile's box holds the lower face and the eyes). Now a field inside a larger one is carried by it
// (carried-fields.ts): the face words are drawn first and the breath moves that picture, so the frames are
// the same whatever the order, the eyes close and the mouth smiles while the chest rises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mask } from '../../../src/shared/index.js';
import { cornerLift, EyeOpening } from '../../../src/engine/eval/people/measures.js';
import { toGrey } from '../../../src/engine/flow/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import { findCarriedFields } from '../../../src/engine/people/carried-fields.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { faceMask, fillPolygon } from '../../../src/engine/people/select.js';
import type { FoundFace, FoundPeople } from '../../../src/engine/people/types.js';
import type { FramePlan, RegionPlan } from '../../../src/engine/motion/plan.js';
import type { RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { allFrames } from './frames.js';
import { ASTRONAUT_PERSON } from './outlines.js';

const detector = createPeopleDetector();
const engine = createMotionEngine({ workers: 0, people: detector });
afterAll(() => detector.dispose());

let photo: RgbaImage;
let face: FoundFace;
let person: Mask;
beforeAll(async () => {
  photo = (await loadPhoto('astronaut.png')).image;
  face = (await detector.find(photo)).faces[0]!;
  person = fillPolygon(ASTRONAUT_PERSON, photo.width, photo.height);
}, 120_000);

/** Each word at the strength eval and the bench give it (breathe at its lexicon strength). */
const STRENGTH: Record<string, number> = { blink: 4, smile: 3, breathe: 0.3, 'wave the hand': 3.5 };

async function render(words: readonly string[], by = engine): Promise<RgbaImage[]> {
  const regions: RegionSpec[] = words.map((word) => ({
    id: word,
    mask: word === 'blink' || word === 'smile' ? faceMask(face, photo.width, photo.height) : person,
    prompt: word,
    strength: STRENGTH[word]!,
    direction: null,
    seed: 1, // each region keeps its seed when the list is reordered (a skin's mesh takes it)
    start: 0,
    end: null,
    pose: null,
  }));
  const animation = (await by.prepare(
    { photo, regions, timing: { seconds: 3, fps: 8, loop: 'loop' }, size: photo },
    { signal: new AbortController().signal, progress: () => undefined },
  )) as MotionAnimation;
  return allFrames(animation);
}

function sameFrames(a: RgbaImage[], b: RgbaImage[]): void {
  expect(b).toHaveLength(a.length);
  a.forEach((frame, f) => expect(Buffer.compare(frame.data, b[f]!.data), `frame ${f}`).toBe(0));
}

describe('face words on a person who breathes', () => {
  it('blinks and smiles with the breath listed after them, and no order of the list changes a frame', async () => {
    const last = await render(['blink', 'smile', 'breathe']);
    const eyes = new EyeOpening(photo, face);
    const middle = last[last.length / 2]!;
    // The people eval's blink: the eyes shut at the blink's middle (before, 1.00: the photo's eyes).
    expect(eyes.ratio(middle)).toBeLessThan(0.4);
    // The smile lifts the mouth corners (before, 0.25 px: the breath's own drift).
    const grey = toGrey(photo);
    const lift = Math.max(...last.map((frame) => cornerLift(grey, toGrey(frame), face, 12)));
    expect(lift).toBeGreaterThan(2);
    // The breath still moves the chest: where the face words never reach, the frame is not the photo.
    const chest = (frame: RgbaImage) => {
      let differs = 0;
      for (let y = 330; y < 420; y++)
        for (let x = 150; x < 350; x++) {
          const at = (y * photo.width + x) * 4;
          differs += Math.abs(frame.data[at]! - photo.data[at]!);
        }
      return differs;
    };
    expect(chest(middle)).toBeGreaterThan(0);
    expect(Buffer.compare(last[0]!.data, photo.data)).toBe(0);
    // Exactly the same frames, byte for byte, with the breath first and with the smile last.
    sameFrames(last, await render(['breathe', 'smile', 'blink']));
    sameFrames(last, await render(['smile', 'breathe', 'blink']));
  }, 120_000);

  it('blinks under a smile listed after the blink, as with the smile first', async () => {
    const smileLast = await render(['blink', 'smile']);
    expect(new EyeOpening(photo, face).ratio(smileLast[smileLast.length / 2]!)).toBeLessThan(0.4);
    sameFrames(smileLast, await render(['smile', 'blink']));
  }, 120_000);
});

describe('a blink on a person who waves', () => {
  it('blinks while she waves her hand, the wave listed first or last', async () => {
    // MoveNet does not see her wrist (the glove is cut by the photo's edge): added where the glove shows,
    // as body-motion.test.ts does.
    const found = await detector.find(photo);
    const body = found.bodies[0]!;
    const withHand: FoundPeople = {
      ...found,
      bodies: [{ ...body, keypoints: [...body.keypoints, { part: 'rightWrist', x: 150, y: 492, score: 1 }] }],
    };
    const waving = createMotionEngine({
      workers: 0,
      people: { find: async () => withHand, peek: () => withHand, dispose: async () => undefined },
    });
    const last = await render(['blink', 'wave the hand'], waving);
    const eyes = new EyeOpening(photo, face);
    // Before, the waving person drew the photo's open eyes over the blink (1.00).
    expect(eyes.ratio(last[last.length / 2]!)).toBeLessThan(0.4);
    // The hand moves.
    const glove = (frame: RgbaImage) => {
      let differs = 0;
      for (let y = 462; y < 512; y++)
        for (let x = 120; x < 180; x++) {
          const at = (y * photo.width + x) * 4;
          differs += Math.abs(frame.data[at]! - photo.data[at]!);
        }
      return differs;
    };
    expect(Math.max(...last.map(glove))).toBeGreaterThan(0);
    sameFrames(last, await render(['wave the hand', 'blink'], waving));
  }, 120_000);
});

describe('findCarriedFields', () => {
  const field = (x0: number, y0: number, x1: number, y1: number): RegionPlan => ({
    kind: 'field',
    box: { x0, y0, x1, y1 },
    count: 0,
    bases: new Float32Array(0),
    weights: new Float32Array(0),
    alphas: null,
  });
  const plan = (regions: RegionPlan[]): FramePlan => ({
    width: 100,
    height: 100,
    frameCount: 1,
    photo: new Uint8Array(0),
    regions,
  });

  it('carries each field by the largest field over it, one level deep, whatever the order', () => {
    const body = field(0, 0, 100, 100);
    const mouth = field(30, 40, 70, 70);
    const eyes = field(35, 30, 65, 45);
    const elsewhere = field(200, 200, 210, 210);
    const found = findCarriedFields(plan([eyes, mouth, elsewhere, body]));
    expect([...found.carrier]).toEqual([3, 3, -1, -1]);
    expect(found.carries[3]).toEqual([0, 1]);
    // The same with the body first: each field keeps its carrier.
    const reversed = findCarriedFields(plan([body, elsewhere, mouth, eyes]));
    expect([...reversed.carrier]).toEqual([-1, -1, 0, 0]);
  });
});
