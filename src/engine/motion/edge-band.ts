// The soft band at a region's edge across which a displacement field fades to zero (issue 10, point 3).
// A field that stops at the mask's edge kinks every structure crossing it (a stem, a blade of grass) and,
// cut out as a layer, drags a ring of old background along the boundary. Here the field is multiplied by
// a falloff F of a signed distance to the mask's edge, F = smoothstep((s + outer) / (inner + outer)),
// s = depth inside the region, minus the distance outside it: F is 1 deep inside (from `inner` in), 0
// from `outer` out, and smooth between, so anything that crosses the edge bends continuously.
//
// The distance outside is image-aware: a geodesic distance on the field's grid whose steps cost more
// where the photo changes between grid points (an object's edge, a stem), so the fade completes sooner
// across the photo's own structure and stretches flat parts (sky, bokeh) rather than other objects.
import { distanceTransform } from './distance.js';
import type { RegionShape } from './mask.js';

export interface FieldGrid {
  /** Point (i, j) is pixel (x0 + i*step, y0 + j*step). */
  x0: number;
  y0: number;
  step: number;
  cols: number;
  rows: number;
}

export interface EdgeBandOptions {
  /** Depth inside the region from which the field is whole, in pixels (0: whole up to the edge). */
  inner: number;
  /** Distance outside the region at which the field has faded to nothing, in pixels (geodesic). */
  outer: number;
}

/** How much more a grid step costs across the strongest change in the photo (1 + EDGE_COST x change). */
const EDGE_COST = 1;
/** A change in luminance (0-255) between neighbouring grid points that counts as the strongest. */
const STRONG_CHANGE = 40;

const smoothstep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** Luminance of the photo at each grid point, averaged over a 3 x 3 pixel neighbourhood. */
function gridLuminance(photo: Uint8Array, width: number, height: number, grid: FieldGrid): Float32Array {
  const out = new Float32Array(grid.cols * grid.rows);
  for (let j = 0; j < grid.rows; j++) {
    for (let i = 0; i < grid.cols; i++) {
      const cx = Math.min(width - 1, Math.max(0, Math.round(grid.x0 + i * grid.step)));
      const cy = Math.min(height - 1, Math.max(0, Math.round(grid.y0 + j * grid.step)));
      let sum = 0;
      let n = 0;
      for (let y = Math.max(0, cy - 1); y <= Math.min(height - 1, cy + 1); y++) {
        for (let x = Math.max(0, cx - 1); x <= Math.min(width - 1, cx + 1); x++) {
          const p = (y * width + x) * 4;
          sum += 0.299 * photo[p]! + 0.587 * photo[p + 1]! + 0.114 * photo[p + 2]!;
          n++;
        }
      }
      out[j * grid.cols + i] = sum / n;
    }
  }
  return out;
}

/**
 * Per grid point, the signed distance to the region's edge: the depth inside (Euclidean, exact at the
 * pixel), minus the image-aware geodesic distance outside.
 */
export function signedEdgeDistance(shape: RegionShape, photo: Uint8Array, grid: FieldGrid): Float32Array {
  const { width, height } = shape;
  const { cols, rows, step } = grid;
  // Exact distances at the pixel, over the grid's box inside the photo.
  const bx0 = Math.max(0, Math.floor(grid.x0));
  const by0 = Math.max(0, Math.floor(grid.y0));
  const bx1 = Math.min(width, Math.ceil(grid.x0 + (cols - 1) * step) + 1);
  const by1 = Math.min(height, Math.ceil(grid.y0 + (rows - 1) * step) + 1);
  const bw = bx1 - bx0;
  const bh = by1 - by0;
  const insideAt = (i: number) => shape.inside[(by0 + Math.floor(i / bw)) * width + bx0 + (i % bw)] === 1;
  const outside = distanceTransform(bw, bh, insideAt);
  const depth = distanceTransform(bw, bh, (i) => !insideAt(i));
  const at = (field: Float32Array, x: number, y: number) => {
    const px = Math.min(bw - 1, Math.max(0, Math.round(x) - bx0));
    const py = Math.min(bh - 1, Math.max(0, Math.round(y) - by0));
    return field[py * bw + px]!;
  };
  const points = cols * rows;
  const signed = new Float32Array(points);
  const geodesic = new Float64Array(points).fill(Infinity);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const x = grid.x0 + i * step;
      const y = grid.y0 + j * step;
      const p = j * cols + i;
      const d = at(depth, x, y);
      // The photo's own edge is not the region's: a region reaching it has no depth limit there.
      signed[p] = d > 1e9 ? Math.max(width, height) : d;
      const o = at(outside, x, y);
      // Seeds: points inside and the first ring outside take their exact distance; the rest is walked.
      if (o <= 1.5 * step) geodesic[p] = o;
    }
  }
  const luminance = gridLuminance(photo, width, height, grid);
  const cost = (p: number, q: number, length: number) =>
    length * (1 + EDGE_COST * Math.min(1, Math.abs(luminance[p]! - luminance[q]!) / STRONG_CHANGE));
  const diagonal = Math.SQRT2 * step;
  // Chamfer sweeps (forward, then backward) until nothing shortens: every neighbour pair then agrees
  // within its step's cost, so the band's falloff has no jumps.
  for (let pass = 0, changed = true; pass < 12 && changed; pass++) {
    changed = false;
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const p = j * cols + i;
        let best = geodesic[p]!;
        if (i > 0) best = Math.min(best, geodesic[p - 1]! + cost(p, p - 1, step));
        if (j > 0) {
          best = Math.min(best, geodesic[p - cols]! + cost(p, p - cols, step));
          if (i > 0) best = Math.min(best, geodesic[p - cols - 1]! + cost(p, p - cols - 1, diagonal));
          if (i + 1 < cols) best = Math.min(best, geodesic[p - cols + 1]! + cost(p, p - cols + 1, diagonal));
        }
        if (best < geodesic[p]!) {
          geodesic[p] = best;
          changed = true;
        }
      }
    }
    for (let j = rows - 1; j >= 0; j--) {
      for (let i = cols - 1; i >= 0; i--) {
        const p = j * cols + i;
        let best = geodesic[p]!;
        if (i + 1 < cols) best = Math.min(best, geodesic[p + 1]! + cost(p, p + 1, step));
        if (j + 1 < rows) {
          best = Math.min(best, geodesic[p + cols]! + cost(p, p + cols, step));
          if (i + 1 < cols) best = Math.min(best, geodesic[p + cols + 1]! + cost(p, p + cols + 1, diagonal));
          if (i > 0) best = Math.min(best, geodesic[p + cols - 1]! + cost(p, p + cols - 1, diagonal));
        }
        if (best < geodesic[p]!) {
          geodesic[p] = best;
          changed = true;
        }
      }
    }
  }
  for (let p = 0; p < points; p++) if (signed[p]! <= 0) signed[p] = -geodesic[p]!;
  return signed;
}

/** The falloff F (0-1) at each grid point from its signed distance (see the top of this file). */
export function edgeFalloff(signed: Float32Array, options: EdgeBandOptions): Float32Array {
  const { inner, outer } = options;
  const out = new Float32Array(signed.length);
  const width = Math.max(1e-6, inner + outer);
  for (let p = 0; p < signed.length; p++) {
    const s = signed[p]!;
    out[p] = inner <= 0 && s > 0 ? 1 : smoothstep((s + outer) / width);
  }
  return out;
}
