// Region masks at the sizes the pipeline needs: the UNet's mask channel (nearest sampling at latent size,
// MODEL-PACKS.md), soft coverage for blending predictions, and dilated, feathered masks for keeping the
// background still and for compositing onto the photo. All filters are separable and O(pixels), so they
// stay cheap on a 24-megapixel photo.
import type { Mask } from '../../shared/index.js';
import { boundsWhere, boxHeight, boxWidth } from '../image/bounds.js';

/**
 * The mask sampled nearest as PyTorch's F.interpolate(mode='nearest') samples it (cell i reads source
 * pixel floor(i * source / size)), what the reference code feeds its UNet; 1 inside, 0 outside. A region
 * too small to be sampled still gets the cells it touches, so a small click never vanishes from the input.
 */
export function maskNearest(mask: Mask, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  let any = false;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor((y * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor((x * mask.width) / width));
      if (mask.data[sy * mask.width + sx]! >= 128) {
        out[y * width + x] = 1;
        any = true;
      }
    }
  }
  if (any) return out;
  const coverage = maskCoverage(mask, width, height);
  for (let i = 0; i < out.length; i++) out[i] = coverage[i]! > 0 ? 1 : 0;
  return out;
}

/** The share of each cell the mask covers (0-1), through a summed-area table of the source. */
export function maskCoverage(mask: Mask, width: number, height: number): Float32Array {
  const W = mask.width;
  const H = mask.height;
  const sums = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    for (let x = 0; x < W; x++) {
      row += mask.data[y * W + x]!;
      sums[(y + 1) * (W + 1) + x + 1] = sums[y * (W + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.min(H - 1, Math.floor((y * H) / height));
    const y1 = Math.max(y0 + 1, Math.min(H, Math.ceil(((y + 1) * H) / height)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.min(W - 1, Math.floor((x * W) / width));
      const x1 = Math.max(x0 + 1, Math.min(W, Math.ceil(((x + 1) * W) / width)));
      const total =
        sums[y1 * (W + 1) + x1]! -
        sums[y0 * (W + 1) + x1]! -
        sums[y1 * (W + 1) + x0]! +
        sums[y0 * (W + 1) + x0]!;
      out[y * width + x] = total / (255 * (x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/**
 * Grows a soft mask by `radius` cells (the maximum over a square window), separably, with van Herk and
 * Gil-Werman's algorithm: three comparisons per cell whatever the radius (a 120-pixel dilation of a
 * 12-megapixel mask stays well under a second).
 */
export function dilate(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return values.slice();
  const k = 2 * r + 1;
  const longest = Math.max(width, height) + 2 * r;
  const padded = new Float32Array(longest);
  const g = new Float32Array(longest);
  const h = new Float32Array(longest);
  const pass = (
    src: Float32Array,
    dst: Float32Array,
    length: number,
    lines: number,
    stride: number,
    step: number,
  ) => {
    const m = length + 2 * r;
    for (let l = 0; l < lines; l++) {
      const base = l * stride;
      padded.fill(0, 0, m); // values are >= 0, so 0 is a neutral pad
      for (let i = 0; i < length; i++) padded[i + r] = src[base + i * step]!;
      for (let j = 0; j < m; j++) g[j] = j % k === 0 ? padded[j]! : Math.max(g[j - 1]!, padded[j]!);
      for (let j = m - 1; j >= 0; j--) {
        h[j] = j % k === k - 1 || j === m - 1 ? padded[j]! : Math.max(h[j + 1]!, padded[j]!);
      }
      for (let i = 0; i < length; i++) dst[base + i * step] = Math.max(h[i]!, g[i + 2 * r]!);
    }
  };
  const across = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  pass(values, across, width, height, width, 1);
  pass(across, out, height, width, 1, width);
  return out;
}

/** Box blur of `radius`, applied twice (close to a Gaussian of sigma ~ 0.8 radius), separably, edges clamped. */
export function blur(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return values.slice();
  let src = values;
  const tmp = new Float32Array(values.length);
  const line = new Float64Array(Math.max(width, height) + 1);
  for (let round = 0; round < 2; round++) {
    const dst = new Float32Array(values.length);
    const pass = (
      a: Float32Array,
      b: Float32Array,
      length: number,
      lines: number,
      stride: number,
      step: number,
    ) => {
      for (let l = 0; l < lines; l++) {
        const base = l * stride;
        line[0] = 0;
        for (let i = 0; i < length; i++) line[i + 1] = line[i]! + a[base + i * step]!;
        for (let i = 0; i < length; i++) {
          const from = Math.max(0, i - r);
          const to = Math.min(length, i + r + 1);
          b[base + i * step] = (line[to]! - line[from]!) / (to - from);
        }
      }
    };
    pass(src, tmp, width, height, width, 1);
    pass(tmp, dst, height, width, 1, width);
    src = dst;
  }
  return src;
}

/** The union (maximum) of several soft masks of the same size. */
export function union(masks: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(size);
  for (const m of masks) for (let i = 0; i < size; i++) if (m[i]! > out[i]!) out[i] = m[i]!;
  return out;
}

/**
 * A region's compositing alpha at `width` x `height` (0-255): its coverage, dilated and feathered by the
 * given radii in pixels of that size (the object may move a little beyond its mask: the paper does not
 * confine it, section 3.1).
 */
export function compositeAlpha(
  mask: Mask,
  width: number,
  height: number,
  dilation: number,
  feather: number,
): Uint8Array {
  const coverage = maskCoverage(mask, width, height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = coverage[i]! >= 0.5 ? 1 : 0;
  const soft = blur(dilate(coverage, width, height, dilation), width, height, feather);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, soft[i]!) * 255);
  return out;
}

/** The bounding box of the non-zero cells, or null when there are none. */
export function boundingBox(
  alpha: Uint8Array,
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } | null {
  const box = boundsWhere(width, height, (i) => alpha[i] !== 0);
  return box && { x: box.x0, y: box.y0, width: boxWidth(box), height: boxHeight(box) };
}
