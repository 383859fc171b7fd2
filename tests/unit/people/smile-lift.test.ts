// Smile on a small face (issue 12): cold-water.jpg's mouth is 12 px wide at 512. The plan's bump lifted the
// corners' content less than the strength (1.6, 2.8, 3.7 px at 2, 4, 6; the content at a corner shows
// where s = w g(s)) and folded over itself past 5.6 (R^2 0.85 in the eval). Now the corner's content
// lifts by the strength at the smile's height, and a lift over half the mouth's width is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strengthFit } from '../../../src/engine/eval/metrics.js';
import { cornerLift } from '../../../src/engine/eval/people/measures.js';
import { toGrey } from '../../../src/engine/flow/index.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import type { FoundFace } from '../../../src/engine/people/types.js';
import { StirError } from '../../../src/shared/index.js';
import { PHOTOS_DIR } from '../../helpers/photos.js';
import { allFrames, prepareFaceWord } from './frames.js';

const detector = createPeopleDetector();
const engine = createMotionEngine({ workers: 0, people: detector });
afterAll(() => detector.dispose());

let photo: RgbaImage;
let face: FoundFace;
beforeAll(async () => {
  photo = (await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/cold-water.jpg` })).image;
  face = (await detector.find(photo)).faces[0]!;
}, 120_000);

function prepareSmile(strength: number): Promise<MotionAnimation> {
  return prepareFaceWord(engine, photo, face, { prompt: 'smile', strength }, { seconds: 2, fps: 8 });
}

describe('smile on a small face', () => {
  it('lifts the corners by the strength, in proportion', async () => {
    const unit = Math.max(photo.width, photo.height) / 512;
    const grey = toGrey(photo);
    const strengths = [2, 4, 6];
    const lifts: number[] = [];
    for (const strength of strengths) {
      const frames = await allFrames(await prepareSmile(strength));
      const reach = Math.ceil(strength * unit * 1.5) + 2;
      const peak = Math.max(...frames.map((f) => cornerLift(grey, toGrey(f), face, reach)));
      lifts.push(peak / unit);
    }
    console.table(strengths.map((s, i) => [s, lifts[i]]));
    const fit = strengthFit(strengths, lifts);
    expect(fit.r2).toBeGreaterThan(0.95);
    expect(fit.slope).toBeGreaterThan(0.9);
    expect(fit.slope).toBeLessThan(1.1);
  }, 120_000);

  it('refuses a lift over half the mouth, naming the strength that works', async () => {
    const refusal = await prepareSmile(8).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(refusal).toBeInstanceOf(StirError);
    const error = refusal as StirError;
    expect(error.details?.['refusal']).toBe('small-mouth');
    expect(error.message).toMatch(/only up to strength 6(\.\d)?:/);
  }, 120_000);
});
