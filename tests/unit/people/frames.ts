// What the people tests prepare and read off an animation: a face word on the face, every frame, and the
// face found again on a frame.
import { expect } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { encodePng } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import type { MotionAnimation, MotionEngine } from '../../../src/engine/motion/index.js';
import type { PeopleDetector } from '../../../src/engine/people/detector.js';
import { faceMask } from '../../../src/engine/people/select.js';
import type { FoundFace } from '../../../src/engine/people/types.js';
import { regionSpec } from '../../helpers/region-spec.js';

export { allFrames } from '../../helpers/frames.js';

/** The face found again on a rendered frame (a fresh decode, so the detector's cache does not answer). */
export async function faceOn(detector: PeopleDetector, frame: RgbaImage): Promise<FoundFace> {
  const copy = (await decodePhoto({ kind: 'bytes', name: 'frame.png', bytes: await encodePng(frame) })).image;
  const found = await detector.find(copy);
  expect(found.faces).toHaveLength(1);
  return found.faces[0]!;
}

/**
 * One face word on the whole face as its region (the face's outline, as a click on it selects), looping:
 * the animation, or the engine's refusal as a rejection.
 */
export function prepareFaceWord(
  engine: MotionEngine,
  photo: RgbaImage,
  face: FoundFace,
  word: { prompt: string; strength: number },
  timing: { seconds: number; fps: number },
): Promise<MotionAnimation> {
  const region = regionSpec({
    id: word.prompt,
    mask: faceMask(face, photo.width, photo.height),
    prompt: word.prompt,
    strength: word.strength,
    seed: 1,
  });
  return engine.prepare(
    { photo, regions: [region], timing: { ...timing, loop: 'loop' }, size: photo },
    { signal: new AbortController().signal, progress: () => undefined },
  );
}
