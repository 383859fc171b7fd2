// SLIC superpixels (Achanta et al., "SLIC Superpixels Compared to State-of-the-Art Superpixel Methods",
// TPAMI 2012): k-means in (L, a, b, x, y) restricted to a 2S x 2S window around each centre, then small
// disconnected fragments merged into a neighbour. The OpenCV.js build has no ximgproc, so it lives here.
// The segmenter reasons on these few thousand regions instead of every pixel: graph cuts and colour models
// become cheap enough to try several hypotheses per click.

export interface Superpixels {
  width: number;
  height: number;
  /** Superpixel index of each pixel, 0..count-1. */
  labels: Int32Array;
  count: number;
  /** Pixels in each superpixel. */
  size: Float64Array;
  /** Mean Lab colour, 3 per superpixel. */
  mean: Float64Array;
  /** Within-superpixel colour covariance, 6 per superpixel (xx, xy, xz, yy, yz, zz). */
  covariance: Float64Array;
  /** Centroid, 2 per superpixel (x, y). */
  centroid: Float64Array;
  /** Adjacent pairs (a < b) and the number of 4-connected pixel pairs on their shared boundary. */
  edges: { a: Int32Array; b: Int32Array; length: Float64Array };
  /** Neighbours of superpixel s: neighbours.list[neighbours.offsets[s] .. neighbours.offsets[s + 1]). */
  neighbours: { offsets: Int32Array; list: Int32Array };
}

export interface SlicOptions {
  /** Wanted number of superpixels (the result has about as many). */
  count: number;
  /** Weight of space against colour (the paper's m; 10 keeps boundaries on edges). */
  compactness: number;
  iterations: number;
}

/** Lab pixels (3 floats each: L 0-100, a and b about -128..127) to superpixels. */
export function computeSuperpixels(
  lab: Float32Array,
  width: number,
  height: number,
  options: SlicOptions,
): Superpixels {
  const n = width * height;
  const step = Math.max(2, Math.sqrt(n / Math.max(1, options.count)));
  const cols = Math.max(1, Math.round(width / step));
  const rows = Math.max(1, Math.round(height / step));
  const k = cols * rows;
  const centres = new Float64Array(k * 5); // L a b x y
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = Math.min(width - 1, Math.floor(((c + 0.5) * width) / cols));
      const y = Math.min(height - 1, Math.floor(((r + 0.5) * height) / rows));
      const [bx, by] = lowestGradientNear(lab, width, height, x, y);
      const i = (by * width + bx) * 3;
      centres.set([lab[i]!, lab[i + 1]!, lab[i + 2]!, bx, by], (r * cols + c) * 5);
    }
  }

  const labels = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const spatialWeight = (options.compactness / step) ** 2;
  const radius = Math.ceil(step);
  const sums = new Float64Array(k * 6);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    distance.fill(Infinity);
    for (let c = 0; c < k; c++) {
      const o = c * 5;
      const cl = centres[o]!;
      const ca = centres[o + 1]!;
      const cb = centres[o + 2]!;
      const cx = centres[o + 3]!;
      const cy = centres[o + 4]!;
      const x0 = Math.max(0, Math.floor(cx - radius));
      const x1 = Math.min(width - 1, Math.ceil(cx + radius));
      const y0 = Math.max(0, Math.floor(cy - radius));
      const y1 = Math.min(height - 1, Math.ceil(cy + radius));
      for (let y = y0; y <= y1; y++) {
        const dy2 = (y - cy) * (y - cy);
        let p = y * width + x0;
        for (let x = x0; x <= x1; x++, p++) {
          const q = p * 3;
          const dl = lab[q]! - cl;
          const da = lab[q + 1]! - ca;
          const db = lab[q + 2]! - cb;
          const dx = x - cx;
          const d = dl * dl + da * da + db * db + (dx * dx + dy2) * spatialWeight;
          if (d < distance[p]!) {
            distance[p] = d;
            labels[p] = c;
          }
        }
      }
    }
    sums.fill(0);
    for (let p = 0, y = 0; y < height; y++) {
      for (let x = 0; x < width; x++, p++) {
        const o = labels[p]! * 6;
        const q = p * 3;
        sums[o] = sums[o]! + lab[q]!;
        sums[o + 1] = sums[o + 1]! + lab[q + 1]!;
        sums[o + 2] = sums[o + 2]! + lab[q + 2]!;
        sums[o + 3] = sums[o + 3]! + x;
        sums[o + 4] = sums[o + 4]! + y;
        sums[o + 5] = sums[o + 5]! + 1;
      }
    }
    for (let c = 0; c < k; c++) {
      const count = sums[c * 6 + 5]!;
      if (count === 0) continue;
      for (let j = 0; j < 5; j++) centres[c * 5 + j] = sums[c * 6 + j]! / count;
    }
  }
  const compact = enforceConnectivity(labels, width, height, Math.max(4, Math.floor((step * step) / 4)));
  return describe(lab, width, height, compact.labels, compact.count);
}

/** The pixel with the smallest colour gradient in the 3x3 around (x, y), so no centre starts on an edge. */
function lowestGradientNear(
  lab: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
): [number, number] {
  let best: [number, number] = [x, y];
  let bestGradient = Infinity;
  for (let yy = Math.max(1, y - 1); yy <= Math.min(height - 2, y + 1); yy++) {
    for (let xx = Math.max(1, x - 1); xx <= Math.min(width - 2, x + 1); xx++) {
      let g = 0;
      for (let ch = 0; ch < 3; ch++) {
        const gx = lab[(yy * width + xx + 1) * 3 + ch]! - lab[(yy * width + xx - 1) * 3 + ch]!;
        const gy = lab[((yy + 1) * width + xx) * 3 + ch]! - lab[((yy - 1) * width + xx) * 3 + ch]!;
        g += gx * gx + gy * gy;
      }
      if (g < bestGradient) {
        bestGradient = g;
        best = [xx, yy];
      }
    }
  }
  return best;
}

/**
 * SLIC's post-processing: every 4-connected fragment becomes its own superpixel, and fragments smaller
 * than `minSize` join the neighbour met first (the paper's "enforce connectivity" step).
 */
function enforceConnectivity(
  labels: Int32Array,
  width: number,
  height: number,
  minSize: number,
): { labels: Int32Array; count: number } {
  const n = width * height;
  const out = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (out[start] !== -1) continue;
    const original = labels[start]!;
    // A neighbour already labelled, adopted if this fragment turns out to be too small.
    let adjacent = next > 0 ? next - 1 : 0;
    const sx = start % width;
    const sy = (start - sx) / width;
    if (sx > 0 && out[start - 1]! >= 0) adjacent = out[start - 1]!;
    else if (sy > 0 && out[start - width]! >= 0) adjacent = out[start - width]!;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    out[start] = next;
    while (head < tail) {
      const p = queue[head++]!;
      const x = p % width;
      if (x > 0) tail = visit(p - 1, original, labels, out, queue, tail, next);
      if (x < width - 1) tail = visit(p + 1, original, labels, out, queue, tail, next);
      if (p >= width) tail = visit(p - width, original, labels, out, queue, tail, next);
      if (p < n - width) tail = visit(p + width, original, labels, out, queue, tail, next);
    }
    if (tail < minSize && next > 0) {
      for (let i = 0; i < tail; i++) out[queue[i]!] = adjacent;
    } else {
      next++;
    }
  }
  return { labels: out, count: Math.max(1, next) };
}

function visit(
  p: number,
  original: number,
  labels: Int32Array,
  out: Int32Array,
  queue: Int32Array,
  tail: number,
  label: number,
): number {
  if (out[p] !== -1 || labels[p] !== original) return tail;
  out[p] = label;
  queue[tail] = p;
  return tail + 1;
}

/** Sizes, colour statistics, centroids and the adjacency of the final labels. */
function describe(
  lab: Float32Array,
  width: number,
  height: number,
  labels: Int32Array,
  count: number,
): Superpixels {
  const size = new Float64Array(count);
  const sum = new Float64Array(count * 3);
  const outer = new Float64Array(count * 6);
  const centroid = new Float64Array(count * 2);
  const boundary = new Map<number, number>();
  for (let p = 0, y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const s = labels[p]!;
      const l = lab[p * 3]!;
      const a = lab[p * 3 + 1]!;
      const b = lab[p * 3 + 2]!;
      size[s] = size[s]! + 1;
      sum[s * 3] = sum[s * 3]! + l;
      sum[s * 3 + 1] = sum[s * 3 + 1]! + a;
      sum[s * 3 + 2] = sum[s * 3 + 2]! + b;
      const o = s * 6;
      outer[o] = outer[o]! + l * l;
      outer[o + 1] = outer[o + 1]! + l * a;
      outer[o + 2] = outer[o + 2]! + l * b;
      outer[o + 3] = outer[o + 3]! + a * a;
      outer[o + 4] = outer[o + 4]! + a * b;
      outer[o + 5] = outer[o + 5]! + b * b;
      centroid[s * 2] = centroid[s * 2]! + x;
      centroid[s * 2 + 1] = centroid[s * 2 + 1]! + y;
      if (x + 1 < width) countBoundary(boundary, s, labels[p + 1]!, count);
      if (y + 1 < height) countBoundary(boundary, s, labels[p + width]!, count);
    }
  }
  const mean = new Float64Array(count * 3);
  const covariance = new Float64Array(count * 6);
  for (let s = 0; s < count; s++) {
    const m = Math.max(1, size[s]!);
    const ml = sum[s * 3]! / m;
    const ma = sum[s * 3 + 1]! / m;
    const mb = sum[s * 3 + 2]! / m;
    mean.set([ml, ma, mb], s * 3);
    const o = s * 6;
    covariance.set(
      [
        outer[o]! / m - ml * ml,
        outer[o + 1]! / m - ml * ma,
        outer[o + 2]! / m - ml * mb,
        outer[o + 3]! / m - ma * ma,
        outer[o + 4]! / m - ma * mb,
        outer[o + 5]! / m - mb * mb,
      ],
      o,
    );
    centroid[s * 2] = centroid[s * 2]! / m;
    centroid[s * 2 + 1] = centroid[s * 2 + 1]! / m;
  }
  const a = new Int32Array(boundary.size);
  const b = new Int32Array(boundary.size);
  const length = new Float64Array(boundary.size);
  let i = 0;
  for (const [key, value] of boundary) {
    a[i] = Math.floor(key / count);
    b[i] = key % count;
    length[i] = value;
    i++;
  }
  return {
    width,
    height,
    labels,
    count,
    size,
    mean,
    covariance,
    centroid,
    edges: { a, b, length },
    neighbours: neighbourLists(count, a, b),
  };
}

function neighbourLists(
  count: number,
  a: Int32Array,
  b: Int32Array,
): { offsets: Int32Array; list: Int32Array } {
  const offsets = new Int32Array(count + 1);
  for (let e = 0; e < a.length; e++) {
    offsets[a[e]! + 1]!++;
    offsets[b[e]! + 1]!++;
  }
  for (let s = 0; s < count; s++) offsets[s + 1] = offsets[s + 1]! + offsets[s]!;
  const fill = offsets.slice(0, count);
  const list = new Int32Array(a.length * 2);
  for (let e = 0; e < a.length; e++) {
    list[fill[a[e]!]!++] = b[e]!;
    list[fill[b[e]!]!++] = a[e]!;
  }
  return { offsets, list };
}

function countBoundary(boundary: Map<number, number>, s: number, t: number, count: number): void {
  if (s === t) return;
  const key = s < t ? s * count + t : t * count + s;
  boundary.set(key, (boundary.get(key) ?? 0) + 1);
}
