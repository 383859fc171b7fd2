// Every mask the engine renders with is refined on the photo at the output size (issue 10, point 4).
// A segmenter works at a reduced size (SAM's low-resolution logits, the classic segmenter's 1024-pixel
// working image); enlarged as it is, its edge on a large photo is cut in blocky, axis-aligned teeth that
// a moving layer or field then carries along. A guided filter (He, Sun and Tang, "Guided Image Filtering",
// TPAMI 2013) with the photo's brightness as the guide makes the coverage locally a linear function of
// the photo: its edge follows the photo's own edges, sub-pixel soft, and in flat parts it is smooth.
import { boxHeight, boxWidth, growBox, type PixelBox } from './mask.js';

export interface RefineOptions {
  /** Window radius in output pixels. */
  radius: number;
  /** Regularisation (brightness 0-1 squared): edges with more local variance than this are followed. */
  epsilon: number;
}

/**
 * The refined region may reach at most this far (pixels) past the mask it was given: pixels beyond the
 * mask's 2% band stay exactly as in the photo (QUALITY.md), and the band leaves about a pixel to spare.
 * Inwards it may move freely: teeth are cut back to the photo's edge.
 */
const MOST_GROWTH = 1;

/**
 * The radius and regularisation used at an output size: windows grow with the photo, and reach across
 * the steps of a mask enlarged `enlarged` times.
 */
export function refineOptionsFor(width: number, height: number, enlarged = 1): RefineOptions {
  const radius = Math.max(2, Math.round(Math.max(width, height) / 400), Math.ceil(enlarged));
  return { radius, epsilon: 1e-3 };
}

/** Mean over a (2r+1)^2 window, clamped at the borders (window shrinks there), in place of `out`. */
function boxMean(src: Float32Array, width: number, height: number, r: number, out: Float32Array): void {
  const row = new Float64Array(width);
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    const at = y * width;
    for (let x = 0; x <= Math.min(width - 1, r); x++) sum += src[at + x]!;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      tmp[at + x] = sum / (hi - lo + 1);
      if (x + r + 1 < width) sum += src[at + x + r + 1]!;
      if (x - r >= 0) sum -= src[at + x - r]!;
    }
  }
  for (let x = 0; x < width; x++) row[x] = 0;
  for (let y = 0; y <= Math.min(height - 1, r); y++)
    for (let x = 0; x < width; x++) row[x]! += tmp[y * width + x]!;
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    const n = hi - lo + 1;
    for (let x = 0; x < width; x++) out[y * width + x] = row[x]! / n;
    if (y + r + 1 < height) for (let x = 0; x < width; x++) row[x]! += tmp[(y + r + 1) * width + x]!;
    if (y - r >= 0) for (let x = 0; x < width; x++) row[x]! -= tmp[(y - r) * width + x]!;
  }
}

/** Side of the tiles the refinement works in (plus a halo of 2 r + 2 on every side). */
const TILE = 128;

/**
 * Refines a coverage map (0-1, width x height, the mask at the output size) in place, guided by the
 * photo (RGBA at the same size). Only the region's edge is touched: where the coverage is the same all
 * through a pixel's neighbourhood of radius 2 r (the filter's reach: means of means), cov(I, p) is 0 and
 * the filter returns p itself. So the box around the region is cut into tiles, and only the tiles whose
 * halo holds an edge are filtered: a sky's refinement costs its horizon's length, not its area (issue
 * 13.1: the storm's sky and field took 0.6 s of a 1 s plan, most of it in flat coverage), and memory
 * stays bounded by a tile.
 */
export function refineCoverage(
  coverage: Float32Array,
  photo: Uint8Array,
  width: number,
  height: number,
  options: RefineOptions = refineOptionsFor(width, height),
): void {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (coverage[y * width + x]! <= 0) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  }
  if (x1 <= x0) return;
  const r = options.radius;
  const halo = 2 * r + 2;
  const box: PixelBox = growBox({ x0, y0, x1, y1 }, halo, width, height);
  // Decide every tile on the coverage as given, before any tile writes its refined values.
  const tiles: { write: PixelBox; read: PixelBox }[] = [];
  for (let ty = box.y0; ty < box.y1; ty += TILE) {
    for (let tx = box.x0; tx < box.x1; tx += TILE) {
      const write = { x0: tx, y0: ty, x1: Math.min(box.x1, tx + TILE), y1: Math.min(box.y1, ty + TILE) };
      const read = growBox(write, halo, width, height);
      if (!isUniform(coverage, width, read)) tiles.push({ write, read });
    }
  }
  // Every tile reads the coverage as given: the refined values go in once all tiles are done.
  const refined = tiles.map(({ write, read }) => refineTile(coverage, photo, width, read, write, options));
  tiles.forEach(({ write }, t) => {
    const values = refined[t]!;
    const ww = boxWidth(write);
    for (let y = write.y0; y < write.y1; y++)
      coverage.set(values.subarray((y - write.y0) * ww, (y - write.y0 + 1) * ww), y * width + write.x0);
  });
}

/** Whether the coverage holds one value all over the box. */
function isUniform(coverage: Float32Array, width: number, box: PixelBox): boolean {
  const first = coverage[box.y0 * width + box.x0]!;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) if (coverage[y * width + x] !== first) return false;
  }
  return true;
}

/**
 * The guided filter over `box` (the coverage as given there), returned for the pixels of `write` (rows
 * of its width): a pixel of `write` is at least 2 r + 2 from any side of `box` that is not the photo's
 * own edge, so its result is what the filter over the whole photo gives.
 */
function refineTile(
  coverage: Float32Array,
  photo: Uint8Array,
  width: number,
  box: PixelBox,
  write: PixelBox,
  options: RefineOptions,
): Float32Array {
  const r = options.radius;
  const bw = boxWidth(box);
  const bh = boxHeight(box);
  const n = bw * bh;
  const I = new Float32Array(n);
  const p = new Float32Array(n);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = (box.y0 + y) * width + box.x0 + x;
      const q = i * 4;
      I[y * bw + x] = (0.299 * photo[q]! + 0.587 * photo[q + 1]! + 0.114 * photo[q + 2]!) / 255;
      p[y * bw + x] = coverage[i]!;
    }
  }
  // Where the region may reach: the given mask (coverage >= 0.5) grown by MOST_GROWTH pixels.
  const allowed = new Uint8Array(n);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      if (p[y * bw + x]! < 0.5) continue;
      for (let dy = -MOST_GROWTH; dy <= MOST_GROWTH; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= bh) continue;
        for (let dx = -MOST_GROWTH; dx <= MOST_GROWTH; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < bw) allowed[yy * bw + xx] = 1;
        }
      }
    }
  }
  const meanI = new Float32Array(n);
  const meanP = new Float32Array(n);
  const work = new Float32Array(n);
  const a = new Float32Array(n);
  boxMean(I, bw, bh, r, meanI);
  boxMean(p, bw, bh, r, meanP);
  // a = cov(I, p) / (var(I) + eps); b = mean(p) - a mean(I); q = mean(a) I + mean(b)   (paper, eq. 7-8)
  for (let i = 0; i < n; i++) work[i] = I[i]! * I[i]!;
  boxMean(work, bw, bh, r, a); // a holds mean(I^2) for a moment
  const variance = a;
  for (let i = 0; i < n; i++) variance[i] = variance[i]! - meanI[i]! * meanI[i]!;
  for (let i = 0; i < n; i++) work[i] = I[i]! * p[i]!;
  const meanIp = p; // p is no longer needed once mean(I p) is taken: reuse its memory
  boxMean(work, bw, bh, r, meanIp);
  for (let i = 0; i < n; i++) {
    const cov = meanIp[i]! - meanI[i]! * meanP[i]!;
    const ai = cov / (variance[i]! + options.epsilon);
    a[i] = ai;
    work[i] = meanP[i]! - ai * meanI[i]!; // b
  }
  boxMean(a, bw, bh, r, meanP); // meanP now holds mean(a)
  boxMean(work, bw, bh, r, meanI); // meanI now holds mean(b)
  const ww = boxWidth(write);
  const out = new Float32Array(ww * boxHeight(write));
  for (let y = write.y0; y < write.y1; y++) {
    for (let x = write.x0; x < write.x1; x++) {
      const k = (y - box.y0) * bw + (x - box.x0);
      const q = allowed[k] ? meanP[k]! * I[k]! + meanI[k]! : 0;
      out[(y - write.y0) * ww + (x - write.x0)] = q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
  return out;
}
