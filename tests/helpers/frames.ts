// Every frame of a prepared animation, as the tests read clips.
import type { RgbaImage } from '../../src/engine/image/types.js';
import type { Animation } from '../../src/engine/render/types.js';

/** Every frame of the animation, in order; the animation is disposed afterwards, even on failure. */
export async function allFrames(animation: Animation): Promise<RgbaImage[]> {
  const frames: RgbaImage[] = [];
  try {
    for await (const { image } of animation.frames()) frames.push(image);
  } finally {
    await animation.dispose();
  }
  return frames;
}
