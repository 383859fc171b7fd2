// Dense optical flow: pyramidal Lucas-Kanade with iterative warping (Lucas and Kanade 1981; Bouguet,
// "Pyramidal Implementation of the Lucas Kanade Feature Tracker", 2000), computed for every pixel with
// Gaussian-weighted windows. QUALITY.md requires an estimator that reads synthetic shifts of real photo
// regions within 5%, smooth cloudy ones included; OpenCV.js's Farneback reads low there and has no DIS.
//
// Choices that make it read true:
// - coarse to fine over a pyramid down to ~24 px, so 8 px and larger motions are small at some level;
// - several warping iterations per level, each solving the 2x2 normal equations on the residual;
// - symmetric gradients (the mean of the first frame's and the warped second frame's, as in ESM),
//   which removes most of the first-order bias of one-sided gradients on large shifts;
// - a small Tikhonov term scaled to the image's own gradient energy, so flat windows stay finite;
// - after each level, flat pixels take the confidence-weighted motion of their neighbourhood (the
//   aperture problem leaves their own estimate noisy, which would inflate mean flow magnitudes);
// - exactly zero flow where the two frames do not differ at all in a window (a still background is
//   bit-identical between frames of a rendered clip, and must read as still).
import { gradients, reduce, warp, windowSum } from './filters.js';
import type { GreyImage } from './grey.js';

export interface FlowField {
  width: number;
  height: number;
  /** Displacement from the first frame to the second, pixels: frame2(x + (u, v)) ~ frame1(x). */
  u: Float32Array;
  v: Float32Array;
}

export interface FlowOptions {
  /** Window radius at every level, pixels: two box passes, a tent of about 2 radius + 1 (default 3). */
  window?: number;
  /** Warping iterations per level (default 4; the finest level gets 1 more). */
  iterations?: number;
  /** Smallest pyramid level side (default 24). */
  coarsest?: number;
}

/** Weight of a pixel identical in both frames in its moving neighbours' windows (none: see refineLevel). */
const STILL_WEIGHT = 0;
/** A pixel whose (2r+1)^2 neighbourhood is identical in both frames has no motion. */
const STILL_RADIUS = 2;
/** Radius of the confidence-weighted smoothing after each level (two box passes). */
const SMOOTHING_RADIUS = 4;

function pyramid(image: GreyImage, coarsest: number): GreyImage[] {
  const levels = [image];
  let top = image;
  while (Math.min(top.width, top.height) >= 2 * coarsest) {
    top = reduce(top);
    levels.push(top);
  }
  return levels;
}

/** Bilinear 2x upsampling of a flow field to (width, height), doubling the vectors. */
function upsample(flow: FlowField, width: number, height: number): FlowField {
  const u = new Float32Array(width * height);
  const v = new Float32Array(width * height);
  const sx = flow.width / width;
  const sy = flow.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(flow.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.min(flow.height - 2, Math.floor(fy));
    const ty = flow.height > 1 ? fy - Math.max(0, y0) : 0;
    const r0 = Math.max(0, y0) * flow.width;
    const r1 = Math.min(flow.height - 1, Math.max(0, y0) + 1) * flow.width;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(flow.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.max(0, Math.min(flow.width - 2, Math.floor(fx)));
      const x1 = Math.min(flow.width - 1, x0 + 1);
      const tx = fx - x0;
      const i = y * width + x;
      const w00 = (1 - tx) * (1 - ty);
      const w10 = tx * (1 - ty);
      const w01 = (1 - tx) * ty;
      const w11 = tx * ty;
      u[i] =
        (flow.u[r0 + x0]! * w00 + flow.u[r0 + x1]! * w10 + flow.u[r1 + x0]! * w01 + flow.u[r1 + x1]! * w11) /
        sx;
      v[i] =
        (flow.v[r0 + x0]! * w00 + flow.v[r0 + x1]! * w10 + flow.v[r1 + x0]! * w01 + flow.v[r1 + x1]! * w11) /
        sy;
    }
  }
  return { width, height, u, v };
}

function refineLevel(
  first: GreyImage,
  second: GreyImage,
  flow: FlowField,
  radius: number,
  iterations: number,
  confidence: Float32Array,
): void {
  const { width, height } = first;
  const n = width * height;
  const gx0 = new Float32Array(n);
  const gy0 = new Float32Array(n);
  gradients(first.data, width, height, gx0, gy0);
  // Pixels identical in both frames: they say nothing about the motion of their moving neighbours.
  const still = new Uint8Array(n);
  for (let i = 0; i < n; i++) still[i] = first.data[i] === second.data[i] ? 1 : 0;
  const warped = new Float32Array(n);
  const gx1 = new Float32Array(n);
  const gy1 = new Float32Array(n);
  const products = [0, 1, 2, 3, 4].map(() => new Float32Array(n));
  const sums = [0, 1, 2, 3, 4].map(() => new Float32Array(n));
  const scratch = new Float32Array(n);
  // Regularisation: a small share of the mean gradient energy (flat windows keep the coarser estimate).
  let energy = 0;
  for (let i = 0; i < n; i++) energy += gx0[i]! * gx0[i]! + gy0[i]! * gy0[i]!;
  const lambda = 1e-4 * (energy / n) + 1e-4;
  for (let it = 0; it < iterations; it++) {
    warp(second.data, width, height, flow.u, flow.v, warped);
    gradients(warped, width, height, gx1, gy1);
    const [pxx, pxy, pyy, pxt, pyt] = products as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    for (let i = 0; i < n; i++) {
      const gx = 0.5 * (gx0[i]! + gx1[i]!);
      const gy = 0.5 * (gy0[i]! + gy1[i]!);
      const it1 = warped[i]! - first.data[i]!;
      const w = still[i]! ? STILL_WEIGHT : 1;
      pxx[i] = w * gx * gx;
      pxy[i] = w * gx * gy;
      pyy[i] = w * gy * gy;
      pxt[i] = w * gx * it1;
      pyt[i] = w * gy * it1;
    }
    for (let k = 0; k < 5; k++) windowSum(products[k]!, width, height, radius, sums[k]!, scratch);
    const [sxx, sxy, syy, sxt, syt] = sums as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    for (let i = 0; i < n; i++) {
      const a = sxx[i]! + lambda;
      const b = sxy[i]!;
      const d = syy[i]! + lambda;
      const det = a * d - b * b;
      if (det <= 0) continue;
      // Solve [a b; b d] [du dv] = -[sxt syt].
      const du = (-d * sxt[i]! + b * syt[i]!) / det;
      const dv = (b * sxt[i]! - a * syt[i]!) / det;
      flow.u[i]! += du;
      flow.v[i]! += dv;
      if (it === iterations - 1) {
        // Smaller eigenvalue of the structure tensor: how well the window pins down both components.
        const half = 0.5 * (sxx[i]! + syy[i]!);
        const root = Math.sqrt(Math.max(0, half * half - (sxx[i]! * syy[i]! - b * b)));
        confidence[i] = half - root;
      }
    }
  }
}

/**
 * Confidence-weighted smoothing: each vector becomes the average of its neighbourhood weighted by how
 * well each neighbour's window constrains the motion, so flat areas (a smooth sky) take the motion of
 * the textured pixels around them instead of keeping the noise the aperture problem leaves there.
 */
function smoothByConfidence(flow: FlowField, confidence: Float32Array, radius: number): void {
  const { width, height } = flow;
  const n = width * height;
  const cu = new Float32Array(n);
  const cv = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    cu[i] = flow.u[i]! * confidence[i]!;
    cv[i] = flow.v[i]! * confidence[i]!;
  }
  const su = new Float32Array(n);
  const sv = new Float32Array(n);
  const sc = new Float32Array(n);
  const scratch = new Float32Array(n);
  windowSum(cu, width, height, radius, su, scratch);
  windowSum(cv, width, height, radius, sv, scratch);
  windowSum(confidence, width, height, radius, sc, scratch);
  // A pixel keeps its own estimate in proportion to its confidence against a typical one.
  let typical = 0;
  for (let i = 0; i < n; i++) typical += confidence[i]!;
  typical = typical / n + 1e-9;
  for (let i = 0; i < n; i++) {
    if (sc[i]! <= 1e-9) continue;
    const own = confidence[i]!;
    const keep = own / (own + typical);
    flow.u[i] = keep * flow.u[i]! + (1 - keep) * (su[i]! / sc[i]!);
    flow.v[i] = keep * flow.v[i]! + (1 - keep) * (sv[i]! / sc[i]!);
  }
}

/** Zeroes the flow wherever the two frames are identical over a window (a still background). */
function zeroWhereStill(first: GreyImage, second: GreyImage, flow: FlowField, radius: number): void {
  const { width, height } = first;
  const changed = new Uint8Array(width * height);
  for (let i = 0; i < changed.length; i++) changed[i] = first.data[i] !== second.data[i] ? 1 : 0;
  // Summed-area table of "changed" for window counts.
  const table = new Int32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += changed[y * width + x]!;
      table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1]! + row;
    }
  }
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const count =
        table[y1 * (width + 1) + x1]! -
        table[y0 * (width + 1) + x1]! -
        table[y1 * (width + 1) + x0]! +
        table[y0 * (width + 1) + x0]!;
      if (count === 0) {
        flow.u[y * width + x] = 0;
        flow.v[y * width + x] = 0;
      }
    }
  }
}

/** Dense flow from `first` to `second` (same size). */
export function estimateFlow(first: GreyImage, second: GreyImage, options: FlowOptions = {}): FlowField {
  if (first.width !== second.width || first.height !== second.height) {
    throw new Error(
      `flow needs two frames of the same size, got ${first.width}x${first.height} and ${second.width}x${second.height}`,
    );
  }
  const window = options.window ?? 3;
  const iterations = options.iterations ?? 4;
  const a = pyramid(first, options.coarsest ?? 24);
  const b = pyramid(second, options.coarsest ?? 24);
  let flow: FlowField | null = null;
  for (let level = a.length - 1; level >= 0; level--) {
    const fa = a[level]!;
    const fb = b[level]!;
    flow = flow
      ? upsample(flow, fa.width, fa.height)
      : {
          width: fa.width,
          height: fa.height,
          u: new Float32Array(fa.width * fa.height),
          v: new Float32Array(fa.width * fa.height),
        };
    const confidence = new Float32Array(fa.width * fa.height);
    refineLevel(fa, fb, flow, window, level === 0 ? iterations + 1 : iterations, confidence);
    smoothByConfidence(flow, confidence, SMOOTHING_RADIUS);
  }
  const result = flow!;
  zeroWhereStill(first, second, result, STILL_RADIUS);
  return result;
}
