// The hover outline (issue 13, point 1): before a click, the object under the pointer, grown over the
// cached superpixels of the reduced photo. On real photos it holds the pointed spot, stays on the object
// (hand-chosen points elsewhere are out) and comes back at the working size with the photo's aspect.
import { describe, expect, it } from 'vitest';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import type { Mask } from '../../../src/shared/index.js';
import { loadPhoto } from '../../helpers/photos.js';

const segmenter = new ClassicSegmenter();

/** Whether the reduced mask holds photo point (x, y). */
function holds(mask: Mask, photoWidth: number, [x, y]: [number, number]): boolean {
  const scale = mask.width / photoWidth;
  return mask.data[Math.round(y * scale) * mask.width + Math.round(x * scale)] === 255;
}
const share = (mask: Mask) => mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length;

describe('hover outline (classic segmenter)', () => {
  it('outlines the coffee in the cup, not the rim, the saucer or the table', async () => {
    const { image } = await loadPhoto('coffee.png');
    await segmenter.prepare(image, 'coffee');
    const mask = await segmenter.hover(image, 'coffee', { x: 290, y: 110 });
    expect([mask.width, mask.height]).toEqual([512, 341]);
    expect(holds(mask, image.width, [290, 110])).toBe(true);
    expect(share(mask)).toBeGreaterThan(0.005);
    expect(share(mask)).toBeLessThan(0.3);
    for (const p of [
      [550, 50],
      [30, 380],
      [560, 350],
      [120, 300],
    ] as const) {
      expect(holds(mask, image.width, [...p]), `outside point ${p.join(',')}`).toBe(false);
    }
  });

  it('follows the pointer: the sky and the rocket are different outlines', async () => {
    const { image } = await loadPhoto('rocket.jpg');
    const sky = await segmenter.hover(image, 'rocket', { x: 100, y: 60 });
    const rocket = await segmenter.hover(image, 'rocket', { x: 322, y: 250 });
    expect(holds(sky, image.width, [100, 60])).toBe(true);
    expect(holds(sky, image.width, [322, 250])).toBe(false);
    expect(holds(rocket, image.width, [322, 250])).toBe(true);
    expect(holds(rocket, image.width, [100, 60])).toBe(false);
  });
});
