// Stitches an exemplar fill in the gradient domain (issue 10, point 1): the patches a fill copies come
// from places of different shade (a blurred background darkens and lightens across the photo), so where
// two copied pieces meet, and where the fill meets the photo, a step shows that no photo had: blotches
// with rims in bokeh. As in Darabi et al., "Image Melding" (SIGGRAPH 2012), and Pérez et al., "Poisson
// Image Editing" (SIGGRAPH 2003), each fill pixel keeps the gradients its patches carried (voted like the
// colours) but not their absolute shade: the fill is the image whose gradients are closest to those,
// equal to the photo along the hole's edge. The shades then follow the photo around the hole, and a
// copied structure (a stem's edges) keeps its contrast.
import { FILL, fillBounds } from './inpaint-core.js';

/** What the solve is told: the fill's colours, and the gradients its patches voted for. */
export interface GuidedFill {
  width: number;
  height: number;
  /** RGB floats, width * height * 3: the fill (FILL pixels) and the photo around it. Solved in place. */
  color: Float32Array;
  state: Uint8Array;
  /** Desired color[i + 1] - color[i] per channel (width * height * 3); NaN where unknown (past the edge). */
  gx: Float32Array;
  /** Desired color[i + width] - color[i] per channel. */
  gy: Float32Array;
  /** This size's pixels per full-size pixel along a side (1, 1/2, 1/4...: the cascade's sizes). */
  scale?: number;
}

/**
 * The largest mismatch (grey levels, any channel) between the fill's edge and the photo beside it, net of
 * the voted gradients between them and averaged along the edge (edgeMismatch), at which the photo still
 * pins the fill. A larger one is the object's remnant beside the hole (a leg, the shadow under it), which
 * pinned would smear into the fill; there the fill keeps its own shade. The ladybird's fill stands off
 * its bokeh by 15-30 levels over most of its edge (that is the rim to remove): at 16, two thirds of its
 * edge was left unpinned and the rim stayed.
 */
export const PIN_MOST = 32;
/** The largest mismatch one photo pixel may have and still pin the fill (a remnant's thin line has more). */
const PIN_PIXEL_MOST = 48;
/**
 * A weak pull of every fill pixel towards the fill as copied, so a piece of fill that no photo pixel pins
 * (walled in by remnants) still has one answer; it reaches about 1 / sqrt(SCREEN) = 100 px.
 */
const SCREEN = 1e-4;
/**
 * Conjugate-gradient iterations, at most, at full size and at the coarser sizes, and the relative
 * residual at which a solve stops. At full size the solve settles edges and grain from the coarser answer;
 * on the ladybird's 42 000-pixel hole, 30 and 60 leave the fill within a mean 1.3 grey levels (at most 6)
 * of 40 and 80, at two thirds of the time; every iteration at full size costs about 8 ms on a
 * 160 000-pixel hole.
 */
const FINEST_ITERATIONS = 30;
const COARSER_ITERATIONS = 60;
const TOLERANCE = 1e-3;

/**
 * Replaces the FILL pixels of `fill.color` with the image whose gradients best match gx and gy, equal to
 * the photo along the hole's edge (least squares: a screened Poisson equation, solved by conjugate
 * gradients preconditioned by its diagonal, from the fill as copied). Returns the iterations it took.
 */
export function stitchFill(fill: GuidedFill): number {
  // Only the hole and a ring round it take part: the photo further out is neither solved nor read.
  const { width, height, state } = fill;
  const hole = fillBounds(state, width);
  if (!hole) return 0;
  const x0 = Math.max(0, hole.x0 - CROP_RING);
  const y0 = Math.max(0, hole.y0 - CROP_RING);
  const x1 = Math.min(width, hole.x1 + 1 + CROP_RING);
  const y1 = Math.min(height, hole.y1 + 1 + CROP_RING);
  const w = x1 - x0;
  const h = y1 - y0;
  const part: GuidedFill = {
    width: w,
    height: h,
    color: new Float32Array(w * h * 3),
    state: new Uint8Array(w * h),
    gx: new Float32Array(w * h * 3),
    gy: new Float32Array(w * h * 3),
  };
  for (let y = 0; y < h; y++) {
    const from = (y0 + y) * width + x0;
    part.state.set(state.subarray(from, from + w), y * w);
    for (const key of ['color', 'gx', 'gy'] as const)
      part[key].set(fill[key].subarray(from * 3, (from + w) * 3), y * w * 3);
    // The crop's last column and row have no neighbour past them.
    for (let c = 0; c < 3; c++) {
      part.gx[(y * w + w - 1) * 3 + c] = NaN;
      if (y === h - 1) for (let x = 0; x < w; x++) part.gy[(y * w + x) * 3 + c] = NaN;
    }
  }
  const iterations = cascade(part);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (part.state[k] !== FILL) continue;
      const i = (y0 + y) * width + x0 + x;
      for (let c = 0; c < 3; c++) fill.color[i * 3 + c] = part.color[k * 3 + c]!;
    }
  }
  return iterations;
}

/**
 * The ring of photo round the hole the solve reads (pixels): past the mismatch window and past the edge
 * the coarser sizes see (a pixel at 1/16 size, where a 158 000-pixel hole's cascade ends, spans 16).
 */
const CROP_RING = 24;

/** stitchFill on a crop: coarser first, then this size from the coarser answer. */
function cascade(fill: GuidedFill): number {
  const { width, height, color, state } = fill;
  // Cascade: solve the fill at half size first and start from that answer, so the solve here only
  // settles what the coarser one could not draw (a few tens of iterations instead of hundreds).
  let filled = 0;
  for (let i = 0; i < state.length; i++) if (state[i] === FILL) filled++;
  const initial = new Float32Array(color);
  if (filled > COARSE_LEAST && width >= 8 && height >= 8) {
    const coarse = halveFill(fill);
    const before = new Float32Array(coarse.color);
    cascade(coarse);
    const change = new Float32Array(before.length);
    for (let k = 0; k < change.length; k++) change[k] = coarse.color[k]! - before[k]!;
    addUpsampled(initial, state, change, coarse.width, coarse.height, width, height);
  }
  return solve(fill, initial);
}

/** Unknowns below which the solve runs at its own size only. */
const COARSE_LEAST = 2000;

/** The fill at half size: 2x2 means, FILL where any child is, gradients of the means (NaN where any is). */
function halveFill(fine: GuidedFill): GuidedFill {
  const width = Math.ceil(fine.width / 2);
  const height = Math.ceil(fine.height / 2);
  const color = new Float32Array(width * height * 3);
  const state = new Uint8Array(width * height);
  const gx = new Float32Array(width * height * 3).fill(NaN);
  const gy = new Float32Array(width * height * 3).fill(NaN);
  const fw = fine.width;
  const fh = fine.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * width + x;
      let count = 0;
      let fill = false;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const fx = 2 * x + dx;
          const fy = 2 * y + dy;
          if (fx >= fw || fy >= fh) continue;
          const i = fy * fw + fx;
          if (fine.state[i] === FILL) fill = true;
          for (let c = 0; c < 3; c++) color[k * 3 + c]! += fine.color[i * 3 + c]!;
          count++;
        }
      }
      for (let c = 0; c < 3; c++) color[k * 3 + c]! /= count;
      state[k] = fill ? FILL : 0;
      // The mean of the next 2x2 block less this one's: per row, g(2x) + 2 g(2x + 1) + g(2x + 2), over 4.
      if (2 * x + 3 < fw && 2 * y + 1 < fh)
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let dy = 0; dy < 2; dy++) {
            const row = (2 * y + dy) * fw + 2 * x;
            sum += fine.gx[row * 3 + c]! + 2 * fine.gx[(row + 1) * 3 + c]! + fine.gx[(row + 2) * 3 + c]!;
          }
          gx[k * 3 + c] = sum / 4;
        }
      if (2 * y + 3 < fh && 2 * x + 1 < fw)
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let dx = 0; dx < 2; dx++) {
            const column = 2 * y * fw + 2 * x + dx;
            sum +=
              fine.gy[column * 3 + c]! +
              2 * fine.gy[(column + fw) * 3 + c]! +
              fine.gy[(column + 2 * fw) * 3 + c]!;
          }
          gy[k * 3 + c] = sum / 4;
        }
    }
  }
  return { width, height, color, state, gx, gy, scale: (fine.scale ?? 1) / 2 };
}

/** Adds the coarse `change` (bilinear, pixel centres aligned) to the FILL pixels of `into`. */
function addUpsampled(
  into: Float32Array,
  state: Uint8Array,
  change: Float32Array,
  cw: number,
  ch: number,
  width: number,
  height: number,
): void {
  for (let y = 0; y < height; y++) {
    const cy = Math.min(ch - 1, Math.max(0, (y - 0.5) / 2));
    const y0 = Math.floor(cy);
    const y1 = Math.min(ch - 1, y0 + 1);
    const fy = cy - y0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (state[i] !== FILL) continue;
      const cx = Math.min(cw - 1, Math.max(0, (x - 0.5) / 2));
      const x0 = Math.floor(cx);
      const x1 = Math.min(cw - 1, x0 + 1);
      const fx = cx - x0;
      for (let c = 0; c < 3; c++) {
        const top = change[(y0 * cw + x0) * 3 + c]! * (1 - fx) + change[(y0 * cw + x1) * 3 + c]! * fx;
        const bottom = change[(y1 * cw + x0) * 3 + c]! * (1 - fx) + change[(y1 * cw + x1) * 3 + c]! * fx;
        into[i * 3 + c]! += top * (1 - fy) + bottom * fy;
      }
    }
  }
}

/** stitchFill at one size, from `initial` (the anchor of the screening is the fill as copied). */
function solve(fill: GuidedFill, initial: Float32Array): number {
  const { width, height, color, state } = fill;
  // The pull reaches as far in full-size pixels at every size: a Laplacian 2^k times coarser is 4^k weaker.
  const screen = SCREEN / (fill.scale ?? 1) ** 2;
  const index = new Int32Array(width * height).fill(-1);
  const pixels: number[] = [];
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FILL) continue;
    index[i] = pixels.length;
    pixels.push(i);
  }
  const n = pixels.length;
  if (n === 0) return 0;

  const mismatch = edgeMismatch(fill);
  // Per unknown: its up-to-4 neighbours that are unknowns too (n, a zero past the last unknown, where
  // there is none: the product below then needs no branch), the diagonal, and the right-hand side.
  const neighbours = new Int32Array(n * 4).fill(n);
  const diagonal = new Float32Array(n);
  const rhs = new Float32Array(n * 3);
  const x = new Float32Array((n + 1) * 3);
  const wanted = new Float64Array(3);
  for (let k = 0; k < n; k++) {
    const i = pixels[k]!;
    let diag = screen;
    for (let c = 0; c < 3; c++) {
      x[k * 3 + c] = initial[i * 3 + c]!;
      rhs[k * 3 + c] = screen * color[i * 3 + c]!;
    }
    // A photo pixel beside the hole pins the fill, unless the fill's edge around it stands off from the
    // photo by more than a shade (a remnant there) or it alone stands off by far (a leg's thin line).
    let shaded = false;
    for (let c = 0; c < 3; c++) if (Math.abs(mismatch[i * 3 + c]!) > PIN_MOST) shaded = true;
    let slot = 0;
    for (let side = 0; side < 4; side++) {
      const q = neighbourOf(fill, i, side, wanted);
      if (q < 0) continue;
      if (state[q] === FILL) {
        neighbours[k * 4 + slot++] = index[q]!;
        diag += 1;
        for (let c = 0; c < 3; c++) rhs[k * 3 + c]! += wanted[c]!;
        continue;
      }
      let most = 0;
      for (let c = 0; c < 3; c++)
        most = Math.max(most, Math.abs(color[i * 3 + c]! - color[q * 3 + c]! - wanted[c]!));
      if (shaded || most > PIN_PIXEL_MOST) continue;
      diag += 1;
      for (let c = 0; c < 3; c++) rhs[k * 3 + c]! += color[q * 3 + c]! + wanted[c]!;
    }
    diagonal[k] = diag;
  }
  // out = A v, for v of (n + 1) * 3 values whose last three are zero; per channel, the sum of v (A v)
  // into `dot`. Every loop below does all it can in one pass over the unknowns: the solve's time is
  // mostly memory traffic, not arithmetic.
  const times = (v: Float32Array, out: Float32Array, dot: Float64Array) => {
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    for (let k = 0; k < n; k++) {
      const d = diagonal[k]!;
      const i = k * 3;
      const a = neighbours[k * 4]! * 3;
      const b = neighbours[k * 4 + 1]! * 3;
      const c = neighbours[k * 4 + 2]! * 3;
      const e = neighbours[k * 4 + 3]! * 3;
      const v0 = v[i]!;
      const v1 = v[i + 1]!;
      const v2 = v[i + 2]!;
      const o0 = (out[i] = d * v0 - v[a]! - v[b]! - v[c]! - v[e]!);
      const o1 = (out[i + 1] = d * v1 - v[a + 1]! - v[b + 1]! - v[c + 1]! - v[e + 1]!);
      const o2 = (out[i + 2] = d * v2 - v[a + 2]! - v[b + 2]! - v[c + 2]! - v[e + 2]!);
      // Sums of the values as stored (float32), as a separate pass would read them back.
      d0 += v0 * Math.fround(o0);
      d1 += v1 * Math.fround(o1);
      d2 += v2 * Math.fround(o2);
    }
    dot[0] = d0;
    dot[1] = d1;
    dot[2] = d2;
  };
  // Preconditioned conjugate gradients, the three channels side by side (each its own step lengths).
  const r = new Float32Array(n * 3);
  const z = new Float32Array(n * 3);
  const p = new Float32Array((n + 1) * 3);
  const ap = new Float32Array(n * 3);
  const pap = new Float64Array(3);
  times(x, ap, pap);
  const norm = new Float64Array(3);
  for (let k = 0; k < n * 3; k++) {
    r[k] = rhs[k]! - ap[k]!;
    norm[k % 3]! += rhs[k]! ** 2;
  }
  const rz = new Float64Array(3);
  for (let k = 0; k < n; k++) {
    const d = diagonal[k]!;
    for (let c = k * 3; c < k * 3 + 3; c++) rz[c % 3]! += r[c]! * (z[c] = r[c]! / d);
  }
  p.set(z);
  const alpha = new Float64Array(3);
  let iterations = 0;
  const most = (fill.scale ?? 1) === 1 ? FINEST_ITERATIONS : COARSER_ITERATIONS;
  while (iterations < most) {
    iterations++;
    times(p, ap, pap);
    for (let c = 0; c < 3; c++) alpha[c] = pap[c]! > 0 ? rz[c]! / pap[c]! : 0;
    const [a0, a1, a2] = alpha as unknown as [number, number, number];
    // x += alpha p, r -= alpha A p, z = r / diagonal: with the residual's and r z's sums, one pass.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    for (let k = 0, j = 0; k < n * 3; k += 3, j++) {
      const d = diagonal[j]!;
      x[k]! += a0 * p[k]!;
      x[k + 1]! += a1 * p[k + 1]!;
      x[k + 2]! += a2 * p[k + 2]!;
      const r0 = (r[k]! -= a0 * ap[k]!);
      const r1 = (r[k + 1]! -= a1 * ap[k + 1]!);
      const r2 = (r[k + 2]! -= a2 * ap[k + 2]!);
      s0 += r0 * r0;
      s1 += r1 * r1;
      s2 += r2 * r2;
      const f0 = Math.fround(r0);
      const f1 = Math.fround(r1);
      const f2 = Math.fround(r2);
      n0 += f0 * (z[k] = f0 / d);
      n1 += f1 * (z[k + 1] = f1 / d);
      n2 += f2 * (z[k + 2] = f2 / d);
    }
    const bound = TOLERANCE ** 2;
    if (!(s0 > bound * norm[0]! || s1 > bound * norm[1]! || s2 > bound * norm[2]!)) break;
    const b0 = rz[0]! > 0 ? n0 / rz[0]! : 0;
    const b1 = rz[1]! > 0 ? n1 / rz[1]! : 0;
    const b2 = rz[2]! > 0 ? n2 / rz[2]! : 0;
    for (let k = 0; k < n * 3; k += 3) {
      p[k] = z[k]! + b0 * p[k]!;
      p[k + 1] = z[k + 1]! + b1 * p[k + 1]!;
      p[k + 2] = z[k + 2]! + b2 * p[k + 2]!;
    }
    rz[0] = n0;
    rz[1] = n1;
    rz[2] = n2;
  }
  for (let k = 0; k < n; k++) for (let c = 0; c < 3; c++) color[pixels[k]! * 3 + c] = x[k * 3 + c]!;
  return iterations;
}

/**
 * Neighbour `side` (0 right, 1 left, 2 below, 3 above) of pixel i, with the difference color[i] -
 * color[q] the gradients want into `wanted`; -1 past the image's edge or where no gradient is known.
 */
function neighbourOf(fill: GuidedFill, i: number, side: number, wanted: Float64Array): number {
  const { width, height, gx, gy } = fill;
  const x = i % width;
  const y = (i - x) / width;
  let q = -1;
  let at = i;
  let sign = -1;
  let g = gx;
  if (side === 0) {
    if (x + 1 < width) q = i + 1;
  } else if (side === 1) {
    if (x > 0) q = at = i - 1;
    sign = 1;
  } else if (side === 2) {
    if (y + 1 < height) q = i + width;
    g = gy;
  } else {
    if (y > 0) q = at = i - width;
    sign = 1;
    g = gy;
  }
  if (q < 0) return -1;
  for (let c = 0; c < 3; c++) {
    const v = g[at * 3 + c]!;
    if (Number.isNaN(v)) return -1;
    wanted[c] = sign * v;
  }
  return q;
}

/** Half the side of the window (level pixels) over which edgeMismatch averages. */
const PIN_WINDOW = 6;

/**
 * Per FILL pixel and channel: how far the fill's edge stands off from the photo beside it (fill less
 * photo less the wanted difference), averaged over the hole's edge within PIN_WINDOW. One pixel's
 * mismatch is mostly grain and a seam, which the solve is there to remove; a shade over a stretch of
 * the edge is what the object left there.
 */
function edgeMismatch(fill: GuidedFill): Float32Array {
  const { width, height, color, state } = fill;
  const sum = new Float64Array(width * height * 3);
  const count = new Float64Array(width * height);
  const wanted = new Float64Array(3);
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FILL) continue;
    for (let side = 0; side < 4; side++) {
      const q = neighbourOf(fill, i, side, wanted);
      if (q < 0 || state[q] === FILL) continue;
      count[i]!++;
      for (let c = 0; c < 3; c++) sum[i * 3 + c]! += color[i * 3 + c]! - color[q * 3 + c]! - wanted[c]!;
    }
  }
  const meanSum = boxSum(sum, width, height, 3, PIN_WINDOW);
  const meanCount = boxSum(count, width, height, 1, PIN_WINDOW);
  const mismatch = new Float32Array(width * height * 3);
  for (let i = 0; i < count.length; i++) {
    if (meanCount[i]! <= 0) continue;
    for (let c = 0; c < 3; c++) mismatch[i * 3 + c] = meanSum[i * 3 + c]! / meanCount[i]!;
  }
  return mismatch;
}

/** Sums of `values` (channels per pixel) over the (2 radius + 1)^2 window round each pixel. */
function boxSum(
  values: Float64Array,
  width: number,
  height: number,
  channels: number,
  radius: number,
): Float64Array {
  const w1 = width + 1;
  const table = new Float64Array(w1 * (height + 1) * channels);
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < channels; c++) {
      let row = 0;
      for (let x = 0; x < width; x++) {
        row += values[(y * width + x) * channels + c]!;
        table[((y + 1) * w1 + x + 1) * channels + c] = table[(y * w1 + x + 1) * channels + c]! + row;
      }
    }
  }
  const out = new Float64Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      for (let c = 0; c < channels; c++)
        out[(y * width + x) * channels + c] =
          table[(y1 * w1 + x1) * channels + c]! -
          table[(y0 * w1 + x1) * channels + c]! -
          table[(y1 * w1 + x0) * channels + c]! +
          table[(y0 * w1 + x0) * channels + c]!;
    }
  }
  return out;
}
