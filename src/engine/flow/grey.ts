// Grey images for optical flow: luma from RGBA, and area-averaged shrinking to a working size.
import type { RgbaImage } from '../image/types.js';

/** A single-channel float image, 0-255, row-major. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Rec. 601 luma of an RGBA image. */
export function toGrey(image: RgbaImage): GreyImage {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 4) {
    out[i] = 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
  }
  return { width, height, data: out };
}

/** Shrinks by area averaging to the given size (which must not be larger). */
export function shrinkGrey(image: GreyImage, width: number, height: number): GreyImage {
  if (width === image.width && height === image.height) return image;
  const out = new Float32Array(width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const ya = y * sy;
    const yb = Math.min(image.height, (y + 1) * sy);
    for (let x = 0; x < width; x++) {
      const xa = x * sx;
      const xb = Math.min(image.width, (x + 1) * sx);
      let sum = 0;
      let area = 0;
      for (let yy = Math.floor(ya); yy < Math.ceil(yb); yy++) {
        const wy = Math.min(yb, yy + 1) - Math.max(ya, yy);
        if (wy <= 0) continue;
        for (let xx = Math.floor(xa); xx < Math.ceil(xb); xx++) {
          const wx = Math.min(xb, xx + 1) - Math.max(xa, xx);
          if (wx <= 0) continue;
          sum += image.data[yy * image.width + xx]! * wx * wy;
          area += wx * wy;
        }
      }
      out[y * width + x] = area > 0 ? sum / area : 0;
    }
  }
  return { width, height, data: out };
}

/** The size with `longSide` on the longer side (never larger than the image). */
export function sizeForLongSide(
  width: number,
  height: number,
  longSide: number,
): { width: number; height: number } {
  const scale = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
