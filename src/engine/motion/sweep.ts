// The motion area of a region that travels (launch, fly away, drive forward, fall): its mask swept along
// its path over every pose the motion takes, clipped to the photo. The object moves inside this area, the
// background it uncovers is filled, and beyond the area grown by the 2% band (QUALITY.md) nothing
// changes; eval measures mask correspondence and background stability against it.
//
// The swept set is the mask at rest together with the sweep of the mask's boundary: a point covered at
// some time but not at rest was crossed by the boundary in between, since the motion is continuous. So
// only boundary pixels are moved, at motion times close enough that no point moves more than half a
// pixel between two of them, and stamped; a distance transform closes the stamps into the area and gives
// every pixel's distance to it, for the band.
import { distanceTransform } from './distance.js';
import type { LayerMotion } from './layers.js';
import { boxHeight, boxWidth, growBox, type PixelBox, type RegionShape } from './mask.js';

export interface SweptArea {
  /** Full frame at the output size: 1 where the swept mask is. */
  inside: Uint8Array;
  /** Around the swept mask, grown by the requested margin and clipped to the frame. */
  box: PixelBox;
  /** Box-sized: distance in pixels to the nearest stamped pixel of the sweep (at most 1 inside it). */
  distance: Float32Array;
}

/** Largest movement of any point between two stamped poses, in pixels. */
const STAMP_STEP = 0.5;
/** Uniform motion times before subdividing where the motion is fast. */
const COARSE_SAMPLES = 512;

function boundaryOf(shape: RegionShape): Float32Array {
  const { inside, box, width, height } = shape;
  const points: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !inside[i - 1] ||
        !inside[i + 1] ||
        !inside[i - width] ||
        !inside[i + width];
      if (edge) points.push(x, y);
    }
  }
  return new Float32Array(points);
}

/** How far the corners of the region's box move between motion times a and b (the most any point does). */
function cornerMove(motion: LayerMotion, box: PixelBox, a: number, b: number, m: Float64Array): number {
  const corners = [box.x0, box.y0, box.x1, box.y0, box.x0, box.y1, box.x1, box.y1];
  const at = (tau: number) => {
    motion.affine(tau, m);
    const moved: number[] = [];
    for (let i = 0; i < corners.length; i += 2) {
      moved.push(m[0]! * corners[i]! + m[1]! * corners[i + 1]! + m[2]!);
      moved.push(m[3]! * corners[i]! + m[4]! * corners[i + 1]! + m[5]!);
    }
    return moved;
  };
  const pa = at(a);
  const pb = at(b);
  let most = 0;
  for (let i = 0; i < pa.length; i += 2)
    most = Math.max(most, Math.hypot(pb[i]! - pa[i]!, pb[i + 1]! - pa[i + 1]!));
  return most;
}

/**
 * The region's mask swept by an affine layer motion over motion times 0..untilTau, with the distance to
 * it over a box grown by `margin`.
 */
export function sweepRegion(
  shape: RegionShape,
  motion: LayerMotion,
  untilTau: number,
  margin: number,
): SweptArea {
  const { width, height } = shape;
  const stamped = shape.inside.slice();
  const boundary = boundaryOf(shape);
  const m = new Float64Array(6);
  let x0 = shape.box.x0;
  let y0 = shape.box.y0;
  let x1 = shape.box.x1;
  let y1 = shape.box.y1;
  const stampAt = (tau: number) => {
    motion.affine(tau, m);
    for (let i = 0; i < boundary.length; i += 2) {
      const px = boundary[i]!;
      const py = boundary[i + 1]!;
      const x = Math.round(m[0]! * px + m[1]! * py + m[2]!);
      const y = Math.round(m[3]! * px + m[4]! * py + m[5]!);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      stamped[y * width + x] = 1;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x >= x1) x1 = x + 1;
      if (y >= y1) y1 = y + 1;
    }
  };
  if (untilTau > 0) {
    const coarse = untilTau / COARSE_SAMPLES;
    for (let k = 0; k < COARSE_SAMPLES; k++) {
      const a = k * coarse;
      // Where the motion jumps (a loop's return to rest) the subdivision is capped: there is no path there.
      const steps = Math.min(
        256,
        Math.max(1, Math.ceil(cornerMove(motion, shape.box, a, a + coarse, m) / STAMP_STEP)),
      );
      for (let s = 0; s < steps; s++) stampAt(a + (coarse * s) / steps);
    }
    stampAt(untilTau);
  }
  const box = growBox({ x0, y0, x1, y1 }, margin, width, height);
  const bw = boxWidth(box);
  const distance = distanceTransform(
    bw,
    boxHeight(box),
    (i) => stamped[(box.y0 + Math.floor(i / bw)) * width + box.x0 + (i % bw)] === 1,
  );
  const inside = new Uint8Array(width * height);
  for (let i = 0; i < distance.length; i++) {
    if (distance[i]! <= 1) inside[(box.y0 + Math.floor(i / bw)) * width + box.x0 + (i % bw)] = 1;
  }
  return { inside, box, distance };
}
