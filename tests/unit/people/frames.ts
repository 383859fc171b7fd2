// What the people tests read off a prepared animation: every frame, and the face found again on one.
import { expect } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { encodePng } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import type { MotionAnimation } from '../../../src/engine/motion/index.js';
import type { PeopleDetector } from '../../../src/engine/people/detector.js';
import type { FoundFace } from '../../../src/engine/people/types.js';

/** Every frame of the animation, which is disposed afterwards. */
export async function allFrames(animation: MotionAnimation): Promise<RgbaImage[]> {
  const frames: RgbaImage[] = [];
  try {
    for await (const { image } of animation.frames()) frames.push(image);
  } finally {
    await animation.dispose();
  }
  return frames;
}

/** The face found again on a rendered frame (a fresh decode, so the detector's cache does not answer). */
export async function faceOn(detector: PeopleDetector, frame: RgbaImage): Promise<FoundFace> {
  const copy = (await decodePhoto({ kind: 'bytes', name: 'frame.png', bytes: await encodePng(frame) })).image;
  const found = await detector.find(copy);
  expect(found.faces).toHaveLength(1);
  return found.faces[0]!;
}
