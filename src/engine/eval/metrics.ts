// The metrics of QUALITY.md, computed from output frames, the input photo and the regions.
import type { Mask } from '../../shared/index.js';
import type { FlowField, GreyImage } from '../flow/index.js';
import type { RgbaImage } from '../image/types.js';
import { distanceTransform } from '../motion/distance.js';

/** PSNR reported when two images are identical (the formula's infinity). */
export const PSNR_IDENTICAL = 100;

/** Mean squared error over the colour channels (0-255 scale): the paper's I1-MSE on frame 0. */
export function i1Mse(frame: RgbaImage, photo: RgbaImage): number {
  if (frame.width !== photo.width || frame.height !== photo.height) {
    throw new Error(`frame is ${frame.width}x${frame.height}, photo ${photo.width}x${photo.height}`);
  }
  let sum = 0;
  for (let i = 0; i < frame.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += (frame.data[i + c]! - photo.data[i + c]!) ** 2;
  }
  return sum / ((frame.data.length / 4) * 3);
}

/** The union of the regions, each grown by `fraction` of the long side, at width x height (1 inside). */
export function dilatedRegions(
  masks: readonly Mask[],
  width: number,
  height: number,
  fraction = 0.02,
): Uint8Array {
  const inside = new Uint8Array(width * height);
  for (const mask of masks) {
    const scaled = maskAt(mask, width, height);
    for (let i = 0; i < inside.length; i++) if (scaled[i]) inside[i] = 1;
  }
  const radius = fraction * Math.max(width, height);
  const distance = distanceTransform(width, height, (i) => inside[i] === 1);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = distance[i]! <= radius ? 1 : 0;
  return out;
}

/** A mask at another size (nearest pixel centre), 1 where the mask is at least half on. */
export function maskAt(mask: Mask, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const my = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const mx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = mask.data[my * mask.width + mx]! >= 128 ? 1 : 0;
    }
  }
  return out;
}

/** Accumulates background stability: PSNR over every frame, outside the dilated regions, vs the photo. */
export class BackgroundStability {
  #sum = 0;
  #count = 0;
  constructor(
    private readonly photo: RgbaImage,
    private readonly inside: Uint8Array,
  ) {}

  add(frame: RgbaImage): void {
    const a = frame.data;
    const b = this.photo.data;
    for (let p = 0; p < this.inside.length; p++) {
      if (this.inside[p]) continue;
      const i = p * 4;
      this.#sum += (a[i]! - b[i]!) ** 2 + (a[i + 1]! - b[i + 1]!) ** 2 + (a[i + 2]! - b[i + 2]!) ** 2;
      this.#count += 3;
    }
  }

  /** dB; PSNR_IDENTICAL when nothing outside changed; null when there is no outside (whole-photo regions). */
  psnr(): number | null {
    if (this.#count === 0) return null;
    const mse = this.#sum / this.#count;
    if (mse === 0) return PSNR_IDENTICAL;
    return Math.min(PSNR_IDENTICAL, 10 * Math.log10((255 * 255) / mse));
  }
}

/** Accumulates mask correspondence: the share of motion energy (sum of |flow|^2) inside the dilated regions. */
export class MaskCorrespondence {
  #inside = 0;
  #total = 0;
  constructor(private readonly dilated: Uint8Array) {}

  add(flow: FlowField): void {
    for (let i = 0; i < this.dilated.length; i++) {
      const e = flow.u[i]! * flow.u[i]! + flow.v[i]! * flow.v[i]!;
      this.#total += e;
      if (this.dilated[i]) this.#inside += e;
    }
  }

  /** 0-1; null when nothing moved at all. */
  value(): number | null {
    return this.#total > 0 ? this.#inside / this.#total : null;
  }
}

/** Mean flow magnitude over the pixels of a mask (1 inside). */
export function meanFlowInside(flow: FlowField, inside: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < inside.length; i++) {
    if (!inside[i]) continue;
    sum += Math.hypot(flow.u[i]!, flow.v[i]!);
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/**
 * Mean flow magnitude over the pixels of `area` (1 inside) that changed between frames a and b by more
 * than `threshold` grey levels: the speed of a thing that travels, wherever it is along its path (the
 * still background it leaves behind does not dilute it). null when nothing there changed.
 */
export function meanFlowWhereChanged(
  flow: FlowField,
  area: Uint8Array,
  a: GreyImage,
  b: GreyImage,
  threshold = 2,
): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < area.length; i++) {
    if (!area[i] || Math.abs(a.data[i]! - b.data[i]!) <= threshold) continue;
    sum += Math.hypot(flow.u[i]!, flow.v[i]!);
    count++;
  }
  return count > 0 ? sum / count : null;
}

/** Least-squares fit of measured = slope * requested through the origin, and its R^2. */
export function strengthFit(
  requested: readonly number[],
  measured: readonly number[],
): { slope: number; r2: number } {
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < requested.length; i++) {
    sxy += requested[i]! * measured[i]!;
    sxx += requested[i]! * requested[i]!;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const mean = measured.reduce((a, b) => a + b, 0) / Math.max(1, measured.length);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    residual += (measured[i]! - slope * requested[i]!) ** 2;
    total += (measured[i]! - mean) ** 2;
  }
  return { slope, r2: total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0 };
}

/** Mean SSIM of two grey images (Wang et al. 2004; 8x8-ish box windows, C1 and C2 for 0-255). */
export function ssim(a: GreyImage, b: GreyImage, radius = 4): number {
  const { width, height } = a;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  // Box sums by summed-area tables of a, b, a^2, b^2, ab.
  const w1 = width + 1;
  const tables = [0, 1, 2, 3, 4].map(() => new Float64Array(w1 * (height + 1)));
  const [ta, tb, taa, tbb, tab] = tables as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  for (let y = 0; y < height; y++) {
    let ra = 0;
    let rb = 0;
    let raa = 0;
    let rbb = 0;
    let rab = 0;
    for (let x = 0; x < width; x++) {
      const va = a.data[y * width + x]!;
      const vb = b.data[y * width + x]!;
      ra += va;
      rb += vb;
      raa += va * va;
      rbb += vb * vb;
      rab += va * vb;
      const i = (y + 1) * w1 + x + 1;
      const up = y * w1 + x + 1;
      ta[i] = ta[up]! + ra;
      tb[i] = tb[up]! + rb;
      taa[i] = taa[up]! + raa;
      tbb[i] = tbb[up]! + rbb;
      tab[i] = tab[up]! + rab;
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
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const n = (x1 - x0) * (y1 - y0);
      const ma = box(ta, x0, y0, x1, y1) / n;
      const mb = box(tb, x0, y0, x1, y1) / n;
      const va = box(taa, x0, y0, x1, y1) / n - ma * ma;
      const vb = box(tbb, x0, y0, x1, y1) / n - mb * mb;
      const cov = box(tab, x0, y0, x1, y1) / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  }
  return total / count;
}

/** Mean absolute difference over the colour channels of two frames. */
export function meanAbsoluteDifference(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    sum +=
      Math.abs(a.data[i]! - b.data[i]!) +
      Math.abs(a.data[i + 1]! - b.data[i + 1]!) +
      Math.abs(a.data[i + 2]! - b.data[i + 2]!);
  }
  return sum / ((a.data.length / 4) * 3);
}

/**
 * Loop seam: the jump from the last frame back to the first, over the mean step between consecutive
 * frames (1 = the loop point looks like any other step). `steps` are the consecutive differences.
 */
export function loopSeam(last: RgbaImage, first: RgbaImage, steps: readonly number[]): number | null {
  const mean = steps.reduce((a, b) => a + b, 0) / Math.max(1, steps.length);
  if (mean === 0) return null;
  return meanAbsoluteDifference(last, first) / mean;
}
