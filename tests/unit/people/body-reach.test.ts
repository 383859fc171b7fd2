// Where a skinned body motion changes pixels (issue 12): an arm raised about the shoulder leaves the
// person's mask, past the 3% margin the editor's partial re-render assumed for every motion, and left
// stale limb pixels there when another region changed. The engine now reports each region's reach (its
// motion area's bounds in photo pixels, motion/reach.ts); every pixel any frame changes lies inside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mask } from '../../../src/shared/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import { regionReach } from '../../../src/engine/motion/reach.js';
import { createPeopleDetector, type PeopleDetector } from '../../../src/engine/people/detector.js';
import { fillPolygon } from '../../../src/engine/people/select.js';
import type { FoundPeople } from '../../../src/engine/people/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { allFrames } from './frames.js';
import { ASTRONAUT_PERSON } from './outlines.js';

const detector = createPeopleDetector();
afterAll(() => detector.dispose());

let photo: RgbaImage;
let person: Mask;
let withHand: FoundPeople;
beforeAll(async () => {
  photo = (await loadPhoto('astronaut.png')).image;
  const found = await detector.find(photo);
  person = fillPolygon(ASTRONAUT_PERSON, photo.width, photo.height);
  const body = found.bodies[0]!;
  // Her glove is cut by the photo's edge and MoveNet misses the wrist: added where the glove shows.
  withHand = {
    ...found,
    bodies: [{ ...body, keypoints: [...body.keypoints, { part: 'rightWrist', x: 150, y: 492, score: 1 }] }],
  };
}, 120_000);

const answering: PeopleDetector = {
  find: async () => withHand,
  peek: () => withHand,
  dispose: async () => undefined,
};

/** The bounds of the mask grown by the editor's margin (3% of the long side and 4 pixels, preview.svelte.ts). */
function grownBounds(mask: Mask): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = mask.width;
  let y0 = mask.height;
  let x1 = 0;
  let y1 = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    const x = i % mask.width;
    const y = Math.floor(i / mask.width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + 1);
    y1 = Math.max(y1, y + 1);
  }
  const margin = Math.max(mask.width, mask.height) * 0.03 + 4;
  return { x0: x0 - margin, y0: y0 - margin, x1: x1 + margin, y1: y1 + margin };
}

describe('the reach of a skinned body motion', () => {
  it('covers every pixel the raised arm changes, past the mask and its margin', async () => {
    const engine = createMotionEngine({ workers: 0, people: answering });
    const animation = (await engine.prepare(
      {
        photo,
        regions: [
          {
            id: 'person',
            mask: person,
            prompt: 'raise the arm',
            strength: 4,
            direction: null,
            seed: 1,
            start: 0,
            end: null,
            pose: null,
          },
        ],
        timing: { seconds: 3, fps: 8, loop: 'loop' },
        size: photo,
      },
      { signal: new AbortController().signal, progress: () => undefined },
    )) as MotionAnimation;
    const reports = animation.regions;
    expect(reports[0]!.family).toBe('skin');
    const frames = await allFrames(animation);
    const reach = regionReach(reports, photo);
    expect(reach).toHaveLength(1);
    const { rect } = reach[0]!;
    const grown = grownBounds(person);
    let outsideReach = 0;
    let pastMargin = 0;
    for (const frame of frames) {
      for (let i = 0; i < photo.width * photo.height; i++) {
        const j = i * 4;
        if (
          frame.data[j] === photo.data[j] &&
          frame.data[j + 1] === photo.data[j + 1] &&
          frame.data[j + 2] === photo.data[j + 2]
        )
          continue;
        const x = i % photo.width;
        const y = Math.floor(i / photo.width);
        if (x < rect.x || y < rect.y || x >= rect.x + rect.width || y >= rect.y + rect.height) outsideReach++;
        if (x < grown.x0 || y < grown.y0 || x >= grown.x1 || y >= grown.y1) pastMargin++;
      }
    }
    console.table({ raise: { ...rect, pastMargin, outsideReach } });
    expect(pastMargin).toBeGreaterThan(0);
    expect(outsideReach).toBe(0);
  }, 120_000);
});
