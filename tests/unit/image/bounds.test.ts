import { describe, expect, it } from 'vitest';
import { boundsWhere, growBox, type PixelBox } from '../../../src/engine/image/bounds.js';

/** The box by looking at every pixel: the reference boundsWhere must equal. */
function bruteForce(cells: Uint8Array, width: number, height: number): PixelBox | null {
  let box: PixelBox | null = null;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!cells[y * width + x]) continue;
      box = box
        ? {
            x0: Math.min(box.x0, x),
            y0: Math.min(box.y0, y),
            x1: Math.max(box.x1, x + 1),
            y1: Math.max(box.y1, y + 1),
          }
        : { x0: x, y0: y, x1: x + 1, y1: y + 1 };
    }
  }
  return box;
}

describe('boundsWhere', () => {
  it('is null when no pixel passes, and the whole image when every pixel does', () => {
    expect(boundsWhere(7, 5, () => false)).toBeNull();
    expect(boundsWhere(7, 5, () => true)).toEqual({ x0: 0, y0: 0, x1: 7, y1: 5 });
  });

  it('gives the box of one pixel, in any corner', () => {
    for (const [x, y] of [
      [0, 0],
      [6, 0],
      [0, 4],
      [6, 4],
      [3, 2],
    ] as const) {
      expect(boundsWhere(7, 5, (i) => i === y * 7 + x)).toEqual({ x0: x, y0: y, x1: x + 1, y1: y + 1 });
    }
  });

  it('equals a scan of every pixel on scattered and ring-shaped sets', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(random() * 40);
      const height = 1 + Math.floor(random() * 30);
      const density = random() * 0.05;
      const cells = new Uint8Array(width * height).map(() => (random() < density ? 1 : 0));
      expect(boundsWhere(width, height, (i) => cells[i] === 1)).toEqual(bruteForce(cells, width, height));
    }
    // A ring: the middle rows have pixels only at their ends, which the column scans must still find.
    const ring = new Uint8Array(20 * 10);
    for (let y = 2; y < 8; y++) ring[y * 20 + 3] = ring[y * 20 + 16] = 1;
    expect(boundsWhere(20, 10, (i) => ring[i] === 1)).toEqual({ x0: 3, y0: 2, x1: 17, y1: 8 });
  });

  it('grows a box within the image', () => {
    expect(growBox({ x0: 2, y0: 3, x1: 5, y1: 6 }, 2.5, 8, 7)).toEqual({ x0: 0, y0: 0, x1: 8, y1: 7 });
    expect(growBox({ x0: 4, y0: 4, x1: 5, y1: 5 }, 1, 10, 10)).toEqual({ x0: 3, y0: 3, x1: 6, y1: 6 });
  });
});
