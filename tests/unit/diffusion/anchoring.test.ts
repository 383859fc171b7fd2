// Frame-0 anchoring as a setting (issue 11, point 3): on, a change the model makes on every frame alike is
// cancelled and frame 0 is the photo; off, the clip is the model's frames composited onto the photo.
import { beforeAll, describe, expect, it } from 'vitest';
import { DiffusionAnimation } from '../../../src/engine/diffusion/animation.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import type { Mask } from '../../../src/shared/index.js';
import { loadPhoto } from '../../helpers/photos.js';

let photo: RgbaImage;
beforeAll(async () => {
  photo = (await loadPhoto('chelsea.png')).image; // 451 x 300
});

const FRAMES = 8;
const BRIGHTER = 40;

/** The model's frames: the photo at the working size, brighter by BRIGHTER on every frame (a consistent change). */
async function brighterFrames(): Promise<RgbaImage[]> {
  const working = await resizeRgba(photo, 128, 64);
  const data = working.data.map((v, i) => (i % 4 === 3 ? v : Math.min(255, v + BRIGHTER)));
  return Array.from({ length: FRAMES }, () => ({ ...working, data: data.slice() }));
}

function wholePhoto(): Mask {
  return {
    width: photo.width,
    height: photo.height,
    data: new Uint8Array(photo.width * photo.height).fill(255),
  };
}

async function clip(anchorFirstFrame: boolean): Promise<RgbaImage[]> {
  const animation = await DiffusionAnimation.create({
    photo,
    size: { width: photo.width, height: photo.height },
    generated: await brighterFrames(),
    regions: [{ mask: wholePhoto(), window: { start: 0, end: null } }],
    timing: { seconds: 1, fps: 8, loop: 'once' },
    dilation: 0,
    feather: 0,
    anchorFirstFrame,
  });
  const frames: RgbaImage[] = [];
  for await (const { image } of animation.frames()) frames.push(image);
  return frames;
}

/** Mean of (frame - photo) over the red, green and blue samples that are not clipped at 255. */
function meanShift(frame: RgbaImage): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < frame.data.length; i++) {
    if (i % 4 === 3 || photo.data[i]! + BRIGHTER > 255) continue;
    sum += frame.data[i]! - photo.data[i]!;
    count++;
  }
  return sum / count;
}

describe('frame-0 anchoring', () => {
  it('on: frame 0 is the photo and a change made on every frame is cancelled', async () => {
    const frames = await clip(true);
    expect(frames).toHaveLength(FRAMES);
    expect(Buffer.from(frames[0]!.data).equals(Buffer.from(photo.data))).toBe(true);
    for (const frame of frames.slice(1)) expect(Math.abs(meanShift(frame))).toBeLessThan(3);
  });

  it("off: every frame, frame 0 included, is the model's frame composited onto the photo", async () => {
    const frames = await clip(false);
    expect(frames).toHaveLength(FRAMES);
    for (const frame of frames) expect(meanShift(frame)).toBeGreaterThan(BRIGHTER - 5);
  });
});
