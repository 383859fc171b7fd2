// The flow estimator must read synthetic shifts of real photo regions within 5% (QUALITY.md), smooth and
// cloudy ones included, and read a still background as exactly still.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  estimateFlow,
  flowWhereChanged,
  shrinkGrey,
  sizeForLongSide,
  toGrey,
  type GreyImage,
} from '../../../src/engine/flow/index.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';

/** A window of the photo's grey image at a 512-px long side. */
function crop(grey: GreyImage, x0: number, y0: number, width: number, height: number): GreyImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(grey.data.subarray((y0 + y) * grey.width + x0, (y0 + y) * grey.width + x0 + width), y * width);
  return { width, height, data };
}

/** The same window with the box [bx0, by0, bx1, by1) moved by (dx, dy): frame2(x) = frame1(x - d). */
function moved(grey: GreyImage, box: readonly number[], dx: number, dy: number): GreyImage {
  const data = Float32Array.from(grey.data);
  const [bx0, by0, bx1, by1] = box as [number, number, number, number];
  for (let y = by0; y < by1; y++)
    for (let x = bx0; x < bx1; x++) data[y * grey.width + x] = grey.data[(y - dy) * grey.width + (x - dx)]!;
  return { ...grey, data };
}

// Windows (at 512 px) around real regions: x0, y0, width, height, then the moved box inside the window.
const CASES: [PhotoName, string, number[], number[]][] = [
  ['grass.png', 'grass (texture)', [150, 150, 200, 200], [30, 30, 170, 170]],
  ['astronaut.png', 'studio backdrop (smooth, cloudy)', [270, 0, 150, 150], [25, 10, 125, 125]],
  ['rocket.jpg', 'clouds at dusk (dark, low contrast)', [100, 200, 260, 142], [40, 85, 210, 122]],
  ['chelsea.png', 'out-of-focus room (smooth)', [360, 20, 150, 200], [20, 20, 130, 180]],
];

describe('dense Lucas-Kanade flow', () => {
  const greys = new Map<PhotoName, GreyImage>();
  beforeAll(async () => {
    for (const [name] of CASES) {
      const { image } = await loadPhoto(name);
      const size = sizeForLongSide(image.width, image.height, 512);
      greys.set(name, shrinkGrey(toGrey(image), size.width, size.height));
    }
  });

  it.each(CASES)('reads shifts of 1, 4 and 8 px of %s: %s within 5%', (name, _what, window, box) => {
    const [x0, y0, w, h] = window as [number, number, number, number];
    const first = crop(greys.get(name)!, x0, y0, w, h);
    const margin = 10;
    for (const shift of [1, 4, 8]) {
      for (const [dx, dy] of [
        [shift, 0],
        [0, shift],
      ] as const) {
        const flow = estimateFlow(first, moved(first, box, dx, dy));
        let magnitude = 0;
        let count = 0;
        for (let y = box[1]! + margin; y < box[3]! - margin; y++) {
          for (let x = box[0]! + margin; x < box[2]! - margin; x++) {
            magnitude += Math.hypot(flow.u[y * w + x]!, flow.v[y * w + x]!);
            count++;
          }
        }
        const i = ((box[1]! + box[3]!) >> 1) * w + ((box[0]! + box[2]!) >> 1);
        expect(Math.sign(dx ? flow.u[i]! : flow.v[i]!)).toBe(1);
        expect(magnitude / count / shift, `${name} shift (${dx}, ${dy})`).toBeGreaterThan(0.95);
        expect(magnitude / count / shift, `${name} shift (${dx}, ${dy})`).toBeLessThan(1.05);
      }
    }
  });

  it('reads a still background as exactly still, and only estimates where frames differ', () => {
    const grey = crop(greys.get('grass.png')!, 100, 100, 160, 120);
    const still = estimateFlow(grey, grey);
    expect(still.u.every((v) => v === 0) && still.v.every((v) => v === 0)).toBe(true);
    const shifted = moved(grey, [40, 40, 100, 90], 3, 0);
    const flow = flowWhereChanged(grey, shifted);
    expect(flow.u[65 * 160 + 70]!).toBeCloseTo(3, 0);
    // Far from the moved box nothing moves.
    expect(flow.u[5 * 160 + 150]).toBe(0);
    expect(flow.v[115 * 160 + 5]).toBe(0);
  });
});
