// Face motions of the built-in engine on the astronaut (issue 12, points 4 and 5), measured on the
// rendered frames with the face mesh found again on them: the smile lifts the mouth corners in proportion to strength;
// frame 0 is the photo and nothing outside the face moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { meshPoint, MOUTH } from '../../../src/engine/people/landmarks.js';
import type { FoundFace } from '../../../src/engine/people/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { allFrames, faceOn, prepareFaceWord } from './frames.js';

const detector = createPeopleDetector();
const engine = createMotionEngine({ workers: 0, people: detector });
afterAll(() => detector.dispose());

let photo: RgbaImage;
let face: FoundFace;
beforeAll(async () => {
  photo = (await loadPhoto('astronaut.png')).image;
  face = (await detector.find(photo)).faces[0]!;
}, 120_000);

async function render(prompt: string, strength: number, seconds = 3): Promise<RgbaImage[]> {
  const animation = await prepareFaceWord(engine, photo, face, { prompt, strength }, { seconds, fps: 24 });
  return allFrames(animation);
}

function outsideBoxChanged(a: RgbaImage, b: RgbaImage, box: [number, number, number, number]): number {
  let changed = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (x >= box[0] && y >= box[1] && x < box[0] + box[2] && y < box[1] + box[3]) continue;
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2])
        changed++;
    }
  }
  return changed;
}

describe('smile', () => {
  it('lifts the mouth corners in proportion to strength', async () => {
    const lifts: [number, number][] = [];
    for (const strength of [3, 6]) {
      const frames = await render('smile', strength);
      const peak = await faceOn(detector, frames[Math.round(frames.length / 2)]!);
      const lift =
        (meshPoint(face, MOUTH.rightCorner)[1] -
          meshPoint(peak, MOUTH.rightCorner)[1] +
          meshPoint(face, MOUTH.leftCorner)[1] -
          meshPoint(peak, MOUTH.leftCorner)[1]) /
        2;
      lifts.push([strength, lift]);
      for (const frame of frames) expect(outsideBoxChanged(frame, photo, face.box)).toBe(0);
    }
    console.table(lifts);
    expect(lifts[0]![1]).toBeGreaterThan(1);
    // Twice the strength, about twice the lift (the mesh reads corners to a pixel or so).
    expect(lifts[1]![1] / lifts[0]![1]).toBeGreaterThan(1.4);
    expect(lifts[1]![1] / lifts[0]![1]).toBeLessThan(2.6);
  }, 120_000);
});
