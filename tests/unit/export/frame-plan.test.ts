import { describe, expect, it } from 'vitest';
import { frameIndices, planFrames, totalFrames } from '../../../src/engine/export/frame-plan.js';
import { slideAnimation } from '../../integration/export/test-animation.js';

describe('frame plan', () => {
  it('plays the clip, repeats it, or goes there and back without doubling the ends', () => {
    expect(frameIndices({ frameCount: 4, pingPong: false, repeats: 1 })).toEqual([0, 1, 2, 3]);
    expect(frameIndices({ frameCount: 4, pingPong: false, repeats: 2 })).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(frameIndices({ frameCount: 4, pingPong: true, repeats: 1 })).toEqual([0, 1, 2, 3, 2, 1]);
    expect(frameIndices({ frameCount: 4, pingPong: true, repeats: 2 })).toEqual([
      0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1,
    ]);
    expect(frameIndices({ frameCount: 2, pingPong: true, repeats: 1 })).toEqual([0, 1]);
    expect(totalFrames({ frameCount: 24, pingPong: true, repeats: 3 })).toBe(3 * 46);
  });

  it('streams the animation in that order', async () => {
    // A 1-pixel-wide photo whose single row moves by frame: the red channel tells which frame it is.
    const width = 16;
    const photo = { width, height: 1, data: new Uint8Array(width * 4) };
    for (let x = 0; x < width; x++) photo.data[x * 4] = x * 10;
    const mask = { width, height: 1, data: new Uint8Array(width).fill(255) };
    const animation = slideAnimation(photo, mask, { frameCount: 5, fps: 8, amplitude: 4 });
    const plan = { frameCount: 5, pingPong: true, repeats: 2 };
    const seen: number[][] = [];
    for await (const image of planFrames(animation, plan, new AbortController().signal)) {
      seen.push(Array.from({ length: width }, (_, x) => image.data[x * 4] ?? 0));
    }
    const expected = await Promise.all(
      frameIndices(plan).map(async (i) => {
        const image = await animation.renderFrame(i);
        return Array.from({ length: width }, (_, x) => image.data[x * 4] ?? 0);
      }),
    );
    expect(seen).toEqual(expected);
    // The frames differ, so the comparison above checks the order, not just the count.
    expect(new Set(seen.map((row) => row.join())).size).toBe(5);
    expect(seen).toHaveLength(16);
  });
});
