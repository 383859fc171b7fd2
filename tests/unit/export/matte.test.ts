import { describe, expect, it } from 'vitest';
import { hasTransparency, unionMatte, withMatteAlpha } from '../../../src/engine/export/matte.js';
import { ellipseMask } from '../../integration/export/test-animation.js';

describe('matte', () => {
  it('is the union of the region masks, scaled to the clip', async () => {
    const left = { width: 8, height: 4, data: new Uint8Array(32) };
    const right = { width: 8, height: 4, data: new Uint8Array(32) };
    for (let y = 0; y < 4; y++) {
      left.data.fill(255, y * 8, y * 8 + 2);
      right.data.fill(200, y * 8 + 6, y * 8 + 8);
    }
    const union = await unionMatte([left, right], 8, 4);
    expect(Array.from(union?.subarray(0, 8) ?? [])).toEqual([255, 255, 0, 0, 0, 0, 200, 200]);
    expect(await unionMatte([], 8, 4)).toBeNull();

    const ellipse = ellipseMask(200, 100);
    const half = await unionMatte([ellipse], 100, 50);
    expect(half).toHaveLength(100 * 50);
    expect(half?.[25 * 100 + 50]).toBe(255); // centre
    expect(half?.[0]).toBe(0); // corner
    const inside = Array.from(half ?? []).filter((v) => v > 127).length;
    // An ellipse with radii 30% of each side covers pi * 0.3 * 0.3 = 28% of the image.
    expect(inside / (100 * 50)).toBeCloseTo(Math.PI * 0.09, 1);
  });

  it('multiplies the frame alpha and leaves the colours alone', () => {
    const image = { width: 2, height: 1, data: new Uint8Array([10, 20, 30, 255, 40, 50, 60, 128]) };
    const out = withMatteAlpha(image, new Uint8Array([0, 255]));
    expect(Array.from(out)).toEqual([10, 20, 30, 0, 40, 50, 60, 128]);
    expect(Array.from(image.data)).toEqual([10, 20, 30, 255, 40, 50, 60, 128]);
    expect(hasTransparency(image)).toBe(true);
    expect(hasTransparency({ width: 1, height: 1, data: new Uint8Array([1, 2, 3, 255]) })).toBe(false);
  });
});
