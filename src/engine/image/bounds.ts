// Rectangles of pixels: the box around the pixels that pass a test, and boxes grown within an image.

/** A rectangle of pixels: x0, y0 inclusive; x1, y1 exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const boxWidth = (box: PixelBox) => box.x1 - box.x0;
export const boxHeight = (box: PixelBox) => box.y1 - box.y0;

/** The box grown by `by` pixels on every side, kept inside a width x height image. */
export function growBox(box: PixelBox, by: number, width: number, height: number): PixelBox {
  const pad = Math.ceil(by);
  return {
    x0: Math.max(0, box.x0 - pad),
    y0: Math.max(0, box.y0 - pad),
    x1: Math.min(width, box.x1 + pad),
    y1: Math.min(height, box.y1 + pad),
  };
}

/**
 * The smallest box holding every pixel whose row-major index passes `test`, or null when none does.
 * Rows are scanned from both ends and each row only outside the columns already known to be inside,
 * so a compact region costs little more than its outline.
 */
export function boundsWhere(
  width: number,
  height: number,
  test: (index: number) => boolean,
): PixelBox | null {
  const rowHas = (y: number) => {
    for (let i = y * width, end = i + width; i < end; i++) if (test(i)) return true;
    return false;
  };
  let y0 = 0;
  while (y0 < height && !rowHas(y0)) y0++;
  if (y0 === height) return null;
  let y1 = height;
  while (!rowHas(y1 - 1)) y1--;
  let x0 = width;
  let x1 = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = 0; x < x0; x++) {
      if (test(row + x)) {
        x0 = x;
        break;
      }
    }
    for (let x = width - 1; x >= x1; x--) {
      if (test(row + x)) {
        x1 = x + 1;
        break;
      }
    }
  }
  return { x0, y0, x1, y1 };
}
