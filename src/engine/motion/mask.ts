// Region masks at the output size, and the geometry the motions need from them.
import type { Mask } from '../../shared/index.js';
import type { PixelBox } from '../image/bounds.js';

export { boxHeight, boxWidth, growBox, type PixelBox } from '../image/bounds.js';

/** True when every pixel is fully inside: the region is the whole photo (camera motions). */
export function isWholePhoto(mask: Mask): boolean {
  const data = mask.data;
  for (let i = 0; i < data.length; i++) if (data[i] !== 255) return false;
  return true;
}

/** Resamples a 1-D run by area averaging (each output sample is the mean of the input it covers). */
function areaWeights(
  from: number,
  to: number,
): { index: Int32Array; weight: Float32Array; count: Int32Array } {
  const scale = from / to;
  const index: number[] = [];
  const weight: number[] = [];
  const count = new Int32Array(to);
  for (let o = 0; o < to; o++) {
    const start = o * scale;
    const end = Math.min(from, (o + 1) * scale);
    let n = 0;
    for (let i = Math.floor(start); i < Math.ceil(end); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w <= 0) continue;
      index.push(i);
      weight.push(w / (end - start));
      n++;
    }
    count[o] = n;
  }
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), count };
}

/**
 * The mask at width x height as coverage 0-1: area averaging when shrinking, bilinear when growing (a
 * soft edge the guided filter of mask-refine.ts then snaps to the photo's edges).
 */
export function maskAtSize(mask: Mask, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  if (mask.width === width && mask.height === height) {
    for (let i = 0; i < out.length; i++) out[i] = mask.data[i]! / 255;
    return out;
  }
  if (mask.width < width || mask.height < height) {
    for (let y = 0; y < height; y++) {
      const my = Math.min(mask.height - 1, Math.max(0, ((y + 0.5) * mask.height) / height - 0.5));
      const y0 = Math.floor(my);
      const y1 = Math.min(mask.height - 1, y0 + 1);
      const fy = my - y0;
      for (let x = 0; x < width; x++) {
        const mx = Math.min(mask.width - 1, Math.max(0, ((x + 0.5) * mask.width) / width - 0.5));
        const x0 = Math.floor(mx);
        const x1 = Math.min(mask.width - 1, x0 + 1);
        const fx = mx - x0;
        const top = mask.data[y0 * mask.width + x0]! * (1 - fx) + mask.data[y0 * mask.width + x1]! * fx;
        const bottom = mask.data[y1 * mask.width + x0]! * (1 - fx) + mask.data[y1 * mask.width + x1]! * fx;
        out[y * width + x] = (top * (1 - fy) + bottom * fy) / 255;
      }
    }
    return out;
  }
  const cols = areaWeights(mask.width, width);
  const rows = areaWeights(mask.height, height);
  // Where each output column's weights start in cols.index / cols.weight.
  const colStart = new Int32Array(width + 1);
  for (let x = 0; x < width; x++) colStart[x + 1] = colStart[x]! + cols.count[x]!;
  const horizontal = new Float32Array(width * mask.height);
  // Only the rows with something on them, and in each only the output columns its run of pixels reaches:
  // a region is usually a small part of a large photo (a 12 MP photo's cup of coffee went to the preview's
  // size in tens of milliseconds a plan when every column of those rows was summed).
  const used = new Uint8Array(mask.height);
  let first = width;
  let last = -1;
  const scale = mask.width / width;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    let lo = 0;
    while (lo < mask.width && mask.data[row + lo] === 0) lo++;
    if (lo === mask.width) continue;
    let hi = mask.width - 1;
    while (mask.data[row + hi] === 0) hi--;
    used[y] = 1;
    const xlo = Math.max(0, Math.floor(lo / scale) - 1);
    const xhi = Math.min(width - 1, Math.floor(hi / scale) + 1);
    if (xlo < first) first = xlo;
    if (xhi > last) last = xhi;
    for (let x = xlo; x <= xhi; x++) {
      let sum = 0;
      for (let k = colStart[x]!; k < colStart[x + 1]!; k++)
        sum += mask.data[row + cols.index[k]!]! * cols.weight[k]!;
      horizontal[y * width + x] = sum / 255;
    }
  }
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < rows.count[y]!; j++, k++) {
      if (!used[rows.index[k]!]) continue;
      const source = rows.index[k]! * width;
      const w = rows.weight[k]!;
      for (let x = first; x <= last; x++) out[y * width + x]! += horizontal[source + x]! * w;
    }
  }
  return out;
}

/** What motions need to know about a region's shape, at the output size. */
export interface RegionShape {
  width: number;
  height: number;
  /** 1 inside (coverage >= 0.5), 0 outside. */
  inside: Uint8Array;
  box: PixelBox;
  area: number;
  centroid: { x: number; y: number };
  /** Up to ~1500 inside pixels spread evenly over the region: where strength is measured. */
  samples: Float32Array;
}

export function regionShape(coverage: Float32Array, width: number, height: number): RegionShape {
  const inside = new Uint8Array(width * height);
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (coverage[y * width + x]! < 0.5) continue;
      inside[y * width + x] = 1;
      area++;
      sx += x;
      sy += y;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x >= x1) x1 = x + 1;
      if (y >= y1) y1 = y + 1;
    }
  }
  const box = area > 0 ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
  const step = Math.max(1, Math.floor(Math.sqrt(area / 1500)));
  const points: number[] = [];
  for (let y = box.y0 + (step >> 1); y < box.y1; y += step) {
    for (let x = box.x0 + (step >> 1); x < box.x1; x += step) {
      if (inside[y * width + x]) points.push(x, y);
    }
  }
  if (points.length === 0 && area > 0) points.push(sx / area, sy / area);
  return {
    width,
    height,
    inside,
    box,
    area,
    centroid: area > 0 ? { x: sx / area, y: sy / area } : { x: width / 2, y: height / 2 },
    samples: Float32Array.from(points),
  };
}
