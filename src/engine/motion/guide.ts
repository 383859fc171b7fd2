// Motion where the person wants it (issue 13, point 5): drawn paths, anchor points and the freeze brush,
// turned into what the planners use.
// - A fluid region's flow follows its paths: at every grid point of its field the mean direction is the
//   paths' tangents weighted by nearness (inverse squared distance, Shepard interpolation, as Motionleap's
//   flow arrows), with the motion's own turbulence on top; the strength still sets the speed.
// - Anchors and frozen strokes hold a fluid region still: its field is exactly zero on the grid points
//   whose cells reach an anchor's radius or a frozen pixel (so those pixels are the photo in every frame)
//   and rises smoothly to full speed over a falloff beyond them.
// - A travelling layer moves along its first path; every other motion with a direction takes the first
//   path's overall direction (its first point to its last).
import type { FreezeStroke, MotionPath, Point } from '../../shared/index.js';
import type { RegionSpec } from '../render/types.js';
import {
  withDirection,
  type Degrees,
  type Route,
  type FluidPrimitive,
  type MotionPrimitive,
} from './spec.js';

/** A region's guides at the output size (pixels of the frame being rendered). */
export interface Guide {
  paths: MotionPath[];
  anchors: Point[];
  freeze: FreezeStroke[];
}

/** Radius held completely still around an anchor, as a share of the frame's long side. */
export const ANCHOR_RADIUS = 0.03;
/** Distance over which held motion rises back to full speed, as a share of the long side. */
export const HOLD_FALLOFF = 0.08;
/** Share of a path's speed given to curl noise in a guided churn (which has no turbulence of its own). */
const GUIDED_CHURN_TURBULENCE = 0.5;
/** Below this length the blended direction is not stretched back to unit length (opposing paths cancel). */
const SHORTEST_BLEND = 0.3;

/** The region's guides scaled from the photo's pixels to the output size; null when it has none. */
export function guideAtSize(
  region: Pick<RegionSpec, 'paths' | 'anchors' | 'freeze'>,
  photo: { width: number; height: number },
  size: { width: number; height: number },
): Guide | null {
  const paths = region.paths ?? [];
  const anchors = region.anchors ?? [];
  const freeze = region.freeze ?? [];
  if (paths.length === 0 && anchors.length === 0 && freeze.length === 0) return null;
  const sx = size.width / photo.width;
  const sy = size.height / photo.height;
  const at = (p: Point): Point => ({ x: p.x * sx, y: p.y * sy });
  return {
    paths: paths.map((path) => path.map(at)),
    anchors: anchors.map(at),
    freeze: freeze.map((stroke) => ({
      ...stroke,
      radius: stroke.radius * Math.sqrt(sx * sy),
      points: stroke.points.map(at),
    })),
  };
}

/** Degrees counter-clockwise from pointing right (y up) from a path's first point to its last. */
export function pathDirection(path: MotionPath): Degrees | null {
  const first = path[0]!;
  const last = path[path.length - 1]!;
  if (Math.hypot(last.x - first.x, last.y - first.y) < 1e-6) return null;
  return ((Math.atan2(-(last.y - first.y), last.x - first.x) * 180) / Math.PI + 360) % 360;
}

/**
 * The motion a layer or warp region makes with its guides: a travel follows the first path (`route`),
 * any other motion with a direction takes the first path's direction. Fluids are guided in their field.
 */
export function guidedMotion(motion: MotionPrimitive, guide: Guide | null): MotionPrimitive {
  const path = guide?.paths[0];
  if (!path) return motion;
  if (motion.primitive === 'travel') {
    const route = routeOf(path);
    return route ? { ...motion, route } : motion;
  }
  return withDirection(motion, pathDirection(path));
}

/**
 * A path as a route from its first point: x y pairs relative to the first point, with the cumulative
 * length at each point. Null when the path has no length.
 */
export function routeOf(path: MotionPath): Route | null {
  const points = new Float64Array(path.length * 2);
  const lengths = new Float64Array(path.length);
  const origin = path[0]!;
  for (const [i, p] of path.entries()) {
    points[i * 2] = p.x - origin.x;
    points[i * 2 + 1] = p.y - origin.y;
    if (i > 0) {
      lengths[i] =
        lengths[i - 1]! +
        Math.hypot(points[i * 2]! - points[i * 2 - 2]!, points[i * 2 + 1]! - points[i * 2 - 1]!);
    }
  }
  return lengths[path.length - 1]! > 1e-6 ? { points, lengths } : null;
}

/**
 * Where a route has got to after `distance` pixels, relative to its start. Past its end it goes on
 * along its last segment (the strength sets how far a travel goes, the path only its way).
 */
export function routeOffset(route: Route, distance: number): [number, number] {
  const { points, lengths } = route;
  const n = lengths.length;
  // The segment holding `distance` (the last one past the end, the first one before the start).
  let i = 1;
  while (i < n - 1 && lengths[i]! < distance) i++;
  // Skip back over zero-length segments so the direction is defined.
  let a = i - 1;
  while (a > 0 && lengths[i]! - lengths[a]! < 1e-9) a--;
  const span = lengths[i]! - lengths[a]!;
  if (span < 1e-9) return [0, 0];
  const f = (distance - lengths[a]!) / span;
  return [
    points[a * 2]! + (points[i * 2]! - points[a * 2]!) * f,
    points[a * 2 + 1]! + (points[i * 2 + 1]! - points[a * 2 + 1]!) * f,
  ];
}

/** A field's coarse grid: point (i, j) is pixel (x0 + i*step, y0 + j*step). */
export interface GuideGrid {
  x0: number;
  y0: number;
  step: number;
  cols: number;
  rows: number;
}

/**
 * The paths' direction at every grid point (x y pairs, unit length but where opposing paths cancel), or
 * null without paths. Each segment's unit tangent counts with weight 1 / (d^2 + soft^2), d the distance
 * from the point to the segment: on a path the flow runs along it, between paths it blends them.
 */
export function guidedDirections(guide: Guide | null, grid: GuideGrid): Float32Array | null {
  if (!guide || guide.paths.length === 0) return null;
  const segments: number[] = [];
  for (const path of guide.paths) {
    // Merge points closer than a grid step: a hand-drawn path is smooth at the field's scale.
    let from = path[0]!;
    for (let k = 1; k < path.length; k++) {
      const to = path[k]!;
      const last = k === path.length - 1;
      if (Math.hypot(to.x - from.x, to.y - from.y) < grid.step && !last) continue;
      if (Math.hypot(to.x - from.x, to.y - from.y) < 1e-6) continue;
      segments.push(from.x, from.y, to.x, to.y);
      from = to;
    }
  }
  if (segments.length === 0) return null;
  const soft = grid.step;
  const out = new Float32Array(grid.cols * grid.rows * 2);
  for (let j = 0; j < grid.rows; j++) {
    for (let i = 0; i < grid.cols; i++) {
      const x = grid.x0 + i * grid.step;
      const y = grid.y0 + j * grid.step;
      let sx = 0;
      let sy = 0;
      let total = 0;
      for (let s = 0; s < segments.length; s += 4) {
        const ax = segments[s]!;
        const ay = segments[s + 1]!;
        const dx = segments[s + 2]! - ax;
        const dy = segments[s + 3]! - ay;
        const length2 = dx * dx + dy * dy;
        const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length2));
        const ex = ax + t * dx - x;
        const ey = ay + t * dy - y;
        const w = 1 / (ex * ex + ey * ey + soft * soft);
        const length = Math.sqrt(length2);
        sx += (w * dx) / length;
        sy += (w * dy) / length;
        total += w;
      }
      sx /= total;
      sy /= total;
      const norm = Math.max(SHORTEST_BLEND, Math.hypot(sx, sy));
      out[(j * grid.cols + i) * 2] = sx / norm;
      out[(j * grid.cols + i) * 2 + 1] = sy / norm;
    }
  }
  return out;
}

/** The turbulence a guided fluid keeps: its own, or some for a churn (which is all turbulence). */
export function guidedTurbulence(motion: FluidPrimitive): number {
  return 'turbulence' in motion ? motion.turbulence : GUIDED_CHURN_TURBULENCE;
}

/** Stamps the freeze strokes, in order (erasing takes back), into a frame-sized map: 1 frozen, 0 not. */
export function freezeMap(strokes: readonly FreezeStroke[], width: number, height: number): Uint8Array {
  const map = new Uint8Array(width * height);
  for (const stroke of strokes) {
    const value = stroke.erase ? 0 : 1;
    const r = stroke.radius;
    const pts = stroke.points;
    for (let k = 0; k < pts.length; k++) {
      const a = pts[Math.max(0, k - 1)]!;
      const b = pts[k]!;
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x) + r));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y) + r));
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const length2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          // Pixel centres: the same rule the editor's brush stamps with.
          const px = x + 0.5;
          const py = y + 0.5;
          const t = length2 > 0 ? Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / length2)) : 0;
          const ex = a.x + t * dx - px;
          const ey = a.y + t * dy - py;
          if (ex * ex + ey * ey <= r * r) map[y * width + x] = value;
        }
      }
    }
  }
  return map;
}

/**
 * How much of the field's speed each grid point keeps (0-1), or null when nothing is held. Zero on the
 * grid points whose cells reach an anchor's radius or a frozen pixel; a smoothstep of the distance to
 * the nearest such point beyond them, reaching 1 at HOLD_FALLOFF of the long side.
 */
export function holdField(
  guide: Guide | null,
  grid: GuideGrid,
  width: number,
  height: number,
): Float32Array | null {
  if (!guide || (guide.anchors.length === 0 && guide.freeze.length === 0)) return null;
  const { cols, rows, step } = grid;
  const long = Math.max(width, height);
  const held = new Uint8Array(cols * rows);
  // Anchors: every corner of a cell that has a pixel within the radius.
  const reach = ANCHOR_RADIUS * long + step * Math.SQRT2;
  for (const anchor of guide.anchors) {
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const x = grid.x0 + i * step;
        const y = grid.y0 + j * step;
        if (Math.hypot(x - anchor.x, y - anchor.y) <= reach) held[j * cols + i] = 1;
      }
    }
  }
  // Frozen pixels: the four corners of the cell each lies in.
  if (guide.freeze.length > 0) {
    const frozen = freezeMap(guide.freeze, width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!frozen[y * width + x]) continue;
        const i = Math.floor((x - grid.x0) / step);
        const j = Math.floor((y - grid.y0) / step);
        for (const [di, dj] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const) {
          const ii = i + di;
          const jj = j + dj;
          if (ii >= 0 && jj >= 0 && ii < cols && jj < rows) held[jj * cols + ii] = 1;
        }
      }
    }
  }
  const falloff = Math.max(step, HOLD_FALLOFF * long);
  const window = Math.ceil(falloff / step);
  const hold = new Float32Array(cols * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      if (held[j * cols + i]) continue;
      let nearest = Infinity;
      for (let jj = Math.max(0, j - window); jj <= Math.min(rows - 1, j + window); jj++) {
        for (let ii = Math.max(0, i - window); ii <= Math.min(cols - 1, i + window); ii++) {
          if (held[jj * cols + ii]) nearest = Math.min(nearest, Math.hypot(ii - i, jj - j) * step);
        }
      }
      const t = Math.min(1, nearest / falloff);
      hold[j * cols + i] = t * t * (3 - 2 * t);
    }
  }
  return hold;
}

/** Multiplies a 2-channel grid field by the hold (0 where held): the planners' hook. */
export function holdStill(velocity: Float32Array, hold: Float32Array | null): void {
  if (!hold) return;
  for (let p = 0; p < hold.length; p++) {
    velocity[p * 2]! *= hold[p]!;
    velocity[p * 2 + 1]! *= hold[p]!;
  }
}
