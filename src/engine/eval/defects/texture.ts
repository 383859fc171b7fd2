// Texture statistics of a set of pixels in a grey image, shared by the defect metrics: gradient energy
// (mean squared central-difference gradient) and mean local variance in square windows.
import type { GreyImage } from '../../flow/index.js';
import { distanceTransform } from '../../motion/distance.js';

/** Mean of gx^2 + gy^2 (central differences, grey levels per pixel) over the pixels where `where` is 1. */
export function gradientEnergy(image: GreyImage, where: Uint8Array): number {
  const { width, height, data } = image;
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!where[i]) continue;
      const gx = (data[y * width + Math.min(width - 1, x + 1)]! - data[y * width + Math.max(0, x - 1)]!) / 2;
      const gy = (data[Math.min(height - 1, y + 1) * width + x]! - data[Math.max(0, y - 1) * width + x]!) / 2;
      sum += gx * gx + gy * gy;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

/** Mean over the pixels where `where` is 1 of the variance in the (2r+1)^2 window around each (clipped). */
export function localVariance(image: GreyImage, where: Uint8Array, radius: number): number {
  const { width, height, data } = image;
  const w1 = width + 1;
  const sums = new Float64Array(w1 * (height + 1));
  const squares = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    let rowSquares = 0;
    for (let x = 0; x < width; x++) {
      const value = data[y * width + x]!;
      row += value;
      rowSquares += value * value;
      sums[(y + 1) * w1 + x + 1] = sums[y * w1 + x + 1]! + row;
      squares[(y + 1) * w1 + x + 1] = squares[y * w1 + x + 1]! + rowSquares;
    }
  }
  const box = (t: Float64Array, x0: number, y0: number, x1: number, y1: number) =>
    t[y1 * w1 + x1]! - t[y0 * w1 + x1]! - t[y1 * w1 + x0]! + t[y0 * w1 + x0]!;
  let total = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      if (!where[y * width + x]) continue;
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const n = (x1 - x0) * (y1 - y0);
      const mean = box(sums, x0, y0, x1, y1) / n;
      total += Math.max(0, box(squares, x0, y0, x1, y1) / n - mean * mean);
      count++;
    }
  }
  return count > 0 ? total / count : 0;
}

/**
 * Signed distance to a mask's edge, in pixels: negative inside (distance to the nearest outside pixel),
 * positive outside (distance to the nearest inside pixel).
 */
export function signedDistance(inside: Uint8Array, width: number, height: number): Float32Array {
  const toInside = distanceFrom(inside, width, height, 1);
  const toOutside = distanceFrom(inside, width, height, 0);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = inside[i] ? -toOutside[i]! : toInside[i]!;
  return out;
}

/** The frame of `frames` whose pixels under `where` differ most (mean absolute) from `photo`. */
export function mostChangedFrame(
  frames: readonly GreyImage[],
  photo: GreyImage,
  where: Uint8Array,
): { index: number; meanDifference: number } {
  let best = { index: 0, meanDifference: 0 };
  frames.forEach((frame, index) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < where.length; i++) {
      if (!where[i]) continue;
      sum += Math.abs(frame.data[i]! - photo.data[i]!);
      count++;
    }
    const meanDifference = count > 0 ? sum / count : 0;
    if (meanDifference > best.meanDifference) best = { index, meanDifference };
  });
  return best;
}

function distanceFrom(inside: Uint8Array, width: number, height: number, value: 0 | 1): Float32Array {
  return distanceTransform(width, height, (i) => inside[i] === value);
}
