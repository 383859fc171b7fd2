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

/**
 * Refines a coverage map (0-1, width x height, the mask at the output size) in place, guided by the
 * photo (RGBA at the same size). Only the box around the region's edge is touched: a region is usually a
 * small part of a large photo, and memory stays bounded by its size.
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
  const box: PixelBox = growBox({ x0, y0, x1, y1 }, 2 * r + 2, width, height);
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
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const k = y * bw + x;
      const q = allowed[k] ? meanP[k]! * I[k]! + meanI[k]! : 0;
      coverage[(box.y0 + y) * width + box.x0 + x] = q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
}
