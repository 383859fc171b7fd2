// Separable filters on grey float images: Gaussian smoothing, 2x pyramid reduction, gradients, warping.
import type { GreyImage } from './grey.js';

/** A normalised 1-D Gaussian kernel of radius ceil(3 sigma). */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Convolves rows then columns with a symmetric kernel; edges clamped. `scratch` must be width*height. */
export function convolve(
  src: Float32Array,
  width: number,
  height: number,
  kernel: Float32Array,
  out: Float32Array,
  scratch: Float32Array,
): void {
  const r = (kernel.length - 1) >> 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (x >= r && x < width - r) {
        for (let k = -r; k <= r; k++) sum += src[row + x + k]! * kernel[k + r]!;
      } else {
        for (let k = -r; k <= r; k++) {
          const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
          sum += src[row + xx]! * kernel[k + r]!;
        }
      }
      scratch[row + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    const inner = y >= r && y < height - r;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (inner) {
        for (let k = -r; k <= r; k++) sum += scratch[(y + k) * width + x]! * kernel[k + r]!;
      } else {
        for (let k = -r; k <= r; k++) {
          const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
          sum += scratch[yy * width + x]! * kernel[k + r]!;
        }
      }
      out[y * width + x] = sum;
    }
  }
}

const REDUCE = new Float32Array([1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16]);

/** Half-size image, smoothed with the binomial 5-tap filter first (Burt and Adelson's pyramid). */
export function reduce(image: GreyImage): GreyImage {
  const { width, height, data } = image;
  const smooth = new Float32Array(width * height);
  convolve(data, width, height, REDUCE, smooth, new Float32Array(width * height));
  const w = Math.max(1, Math.floor(width / 2));
  const h = Math.max(1, Math.floor(height / 2));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Average of the 2x2 block's smoothed values: samples at the block's centre.
      const x0 = 2 * x;
      const y0 = 2 * y;
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      out[y * w + x] =
        0.25 *
        (smooth[y0 * width + x0]! +
          smooth[y0 * width + x1]! +
          smooth[y1 * width + x0]! +
          smooth[y1 * width + x1]!);
    }
  }
  return { width: w, height: h, data: out };
}

/** Central-difference gradients (one-sided at the edges). */
export function gradients(
  src: Float32Array,
  width: number,
  height: number,
  gx: Float32Array,
  gy: Float32Array,
): void {
  for (let y = 0; y < height; y++) {
    const up = y > 0 ? y - 1 : 0;
    const down = y < height - 1 ? y + 1 : height - 1;
    const vy = 1 / Math.max(1, down - up);
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? x - 1 : 0;
      const right = x < width - 1 ? x + 1 : width - 1;
      const i = y * width + x;
      gx[i] = (src[y * width + right]! - src[y * width + left]!) / Math.max(1, right - left);
      gy[i] = (src[down * width + x]! - src[up * width + x]!) * vy;
    }
  }
}

/** out(x) = src(x + (u, v)), bilinear, clamped at the edges. */
export function warp(
  src: Float32Array,
  width: number,
  height: number,
  u: Float32Array,
  v: Float32Array,
  out: Float32Array,
): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out[i] = bilinearAt(src, width, height, x + u[i]!, y + v[i]!);
    }
  }
}

/** src at (x, y), bilinear, clamped at the edges. */
export function bilinearAt(src: Float32Array, width: number, height: number, x: number, y: number): number {
  const maxX = width - 1.001;
  const maxY = height - 1.001;
  const sx = x < 0 ? 0 : x > maxX ? maxX : x;
  const sy = y < 0 ? 0 : y > maxY ? maxY : y;
  const x0 = sx | 0;
  const y0 = sy | 0;
  const fx = sx - x0;
  const fy = sy - y0;
  const p = y0 * width + x0;
  const q = p + width;
  return (src[p]! * (1 - fx) + src[p + 1]! * fx) * (1 - fy) + (src[q]! * (1 - fx) + src[q + 1]! * fx) * fy;
}

/** One running-sum box pass of radius r along rows (edges clamped). */
function boxRows(src: Float32Array, width: number, height: number, r: number, out: Float32Array): void {
  const norm = 1 / (2 * r + 1);
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = src[row]! * (r + 1);
    for (let k = 1; k <= r; k++) sum += src[row + Math.min(k, last)]!;
    for (let x = 0; x < width; x++) {
      out[row + x] = sum * norm;
      sum += src[row + Math.min(x + r + 1, last)]! - src[row + Math.max(x - r, 0)]!;
    }
  }
}

/** One running-sum box pass of radius r along columns (edges clamped). */
function boxColumns(src: Float32Array, width: number, height: number, r: number, out: Float32Array): void {
  const norm = 1 / (2 * r + 1);
  const last = height - 1;
  const sums = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    let sum = src[x]! * (r + 1);
    for (let k = 1; k <= r; k++) sum += src[Math.min(k, last) * width + x]!;
    sums[x] = sum;
  }
  for (let y = 0; y < height; y++) {
    const into = Math.min(y + r + 1, last) * width;
    const from = Math.max(y - r, 0) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      out[row + x] = sums[x]! * norm;
      sums[x]! += src[into + x]! - src[from + x]!;
    }
  }
}

/**
 * Two box passes of radius r in each direction: a smooth window (a tent, close to a Gaussian of
 * sigma ~ sqrt(2 r (r + 1) / 3)) at a cost independent of r. `scratch` must be width*height.
 */
export function windowSum(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out: Float32Array,
  scratch: Float32Array,
): void {
  boxRows(src, width, height, r, scratch);
  boxRows(scratch, width, height, r, out);
  boxColumns(out, width, height, r, scratch);
  boxColumns(scratch, width, height, r, out);
}
