// Straight structures that cross a hole (issue 10, point 1): the edges of a stem a ladybird sat on, a
// horizon behind a kite, a beam behind a rocket. A patch fill left to itself lays out a hole from random
// draws and often loses such a line; with the line found first, it is told where the line runs (the order
// of Sun, Yuan, Jia and Shum, "Image Completion with Structure Propagation", SIGGRAPH 2005: structure
// first, texture after). Found automatically: the photo's edges within reach of the hole vote in a Hough
// transform (orientation-gated, so texture does not add up to lines), and a peak is kept only where its
// edge runs up to the hole on both sides, long enough on each, with the same colours on the same sides, so
// it reads as one structure passing behind the object. A stem entering on one side only (a kite's string)
// is left to the texture fill.
import { boundsWhere, boxHeight, boxWidth } from '../image/bounds.js';
import { distanceTransform } from './distance.js';
import { FILL, KNOWN, knownAround } from './inpaint-core.js';

/** A line across the hole: points p with p.x * nx + p.y * ny = rho, supported on both sides of it. */
export interface StructureLine {
  nx: number;
  ny: number;
  rho: number;
  /** The stretches (in t along (-ny, nx) from the foot of rho) where the edge is seen, one each side. */
  runs: [number, number][];
}

/** The most lines a hole takes: more are texture (grass, a fence), which the patch fill handles alone. */
const MOST_LINES = 4;
/** An edge pixel's gradient changes by at most this much along the line (degrees) to vote for it. */
const VOTE_SPREAD = 6;
/** An edge pixel beside the line supports it when its normal differs by at most this much (degrees). */
const SUPPORT_ANGLE = 14;
/** ... and lies within this many pixels of it. */
const SUPPORT_BAND = 2;
/** Slope (grey levels per pixel) an edge pixel needs at least, and the share of the ring's that it must beat. */
const EDGE_LEAST = 4;
const EDGE_PERCENTILE = 0.85;
/** A run of support may skip this many unsupported pixels. */
const RUN_GAP = 3;
/** Each side's run is at least this long, in pixels and as a share of the line's path through the hole. */
const RUN_LEAST = 8;
const RUN_SHARE = 0.2;
/** The run must begin within this many pixels of where the line leaves the object's rim. */
const RUN_START = 4;
/** Colours sampled this far either side of the line. */
const SIDE_OFFSET = 4;
/** The same side of a structure on both sides of the hole: RGB distance at most this. */
const SIDE_MATCH = 150;
/** A structure's two sides differ by at least this much grey, with the same sign both sides of the hole. */
const CONTRAST_LEAST = 8;

interface Edges {
  width: number;
  height: number;
  /** Gradient slope, grey levels per pixel; 0 where the 3x3 neighbourhood is not all KNOWN. */
  slope: Float32Array;
  /** Gradient direction (the edge's normal) in radians, [0, pi); set only where slope >= threshold. */
  normal: Float32Array;
  threshold: number;
}

function edgesOf(
  color: Float32Array,
  state: Uint8Array,
  width: number,
  height: number,
  near: Float32Array,
  reach: number,
): Edges {
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++)
    grey[i] = 0.299 * color[i * 3]! + 0.587 * color[i * 3 + 1]! + 0.114 * color[i * 3 + 2]!;
  const slope = new Float32Array(width * height);
  const ring = new Float32Array(width * height);
  let ringSize = 0;
  for (let y = 1; y + 1 < height; y++) {
    for (let x = 1; x + 1 < width; x++) {
      const i = y * width + x;
      if (!knownAround(state, width, i)) continue;
      const gx = sobelX(grey, width, i);
      const gy = sobelY(grey, width, i);
      slope[i] = Math.sqrt(gx * gx + gy * gy);
      if (near[i]! <= reach) ring[ringSize++] = slope[i]!;
    }
  }
  const sorted = ring.subarray(0, ringSize).sort();
  const threshold = Math.max(EDGE_LEAST, sorted[Math.floor(ringSize * EDGE_PERCENTILE)] ?? 0);
  // Only edge pixels' directions are ever read (every reader skips a slope under the threshold), and
  // they are a few per cent of the crop: atan2 over all of it was a sixth of a large fill's time.
  const normal = new Float32Array(width * height);
  for (let i = 0; i < slope.length; i++) {
    if (slope[i]! < threshold) continue;
    let angle = Math.atan2(sobelY(grey, width, i), sobelX(grey, width, i));
    if (angle < 0) angle += Math.PI;
    if (angle >= Math.PI) angle -= Math.PI;
    normal[i] = angle;
  }
  return { width, height, slope, normal, threshold };
}

/** Sobel's horizontal derivative at an inner pixel, scaled so a ramp of slope s reads s. */
function sobelX(grey: Float32Array, width: number, i: number): number {
  return (
    (grey[i - width + 1]! +
      2 * grey[i + 1]! +
      grey[i + width + 1]! -
      grey[i - width - 1]! -
      2 * grey[i - 1]! -
      grey[i + width - 1]!) /
    8
  );
}

/** Sobel's vertical derivative at an inner pixel, scaled so a ramp of slope s reads s. */
function sobelY(grey: Float32Array, width: number, i: number): number {
  return (
    (grey[i + width - 1]! +
      2 * grey[i + width]! +
      grey[i + width + 1]! -
      grey[i - width - 1]! -
      2 * grey[i - width]! -
      grey[i - width + 1]!) /
    8
  );
}

/** Smallest difference between two undirected angles in [0, pi), in degrees. */
function angleBetween(a: number, b: number): number {
  let d = Math.abs(a - b) % Math.PI;
  if (d > Math.PI / 2) d = Math.PI - d;
  return (d * 180) / Math.PI;
}

/** Hough peaks (normal angle, rho) from the edge pixels within `reach` of the hole, strongest first. */
function houghPeaks(
  edges: Edges,
  near: Float32Array,
  reach: number,
  count: number,
): { theta: number; rho: number }[] {
  const { width, height, slope, normal, threshold } = edges;
  const bins = 180;
  const diagonal = Math.ceil(Math.hypot(width, height));
  const rhos = 2 * diagonal + 1;
  const votes = new Float32Array(bins * rhos);
  const cos = new Float64Array(bins);
  const sin = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    cos[b] = Math.cos((b * Math.PI) / bins);
    sin[b] = Math.sin((b * Math.PI) / bins);
  }
  for (let i = 0; i < slope.length; i++) {
    if (slope[i]! < threshold || near[i]! > reach || near[i]! === 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    const centre = Math.round((normal[i]! * bins) / Math.PI);
    for (let db = -VOTE_SPREAD; db <= VOTE_SPREAD; db++) {
      const b = (((centre + db) % bins) + bins) % bins;
      const rho = Math.round(x * cos[b]! + y * sin[b]!) + diagonal;
      votes[b * rhos + rho]! += Math.min(slope[i]!, 4 * threshold);
    }
  }
  const peaks: { theta: number; rho: number; votes: number }[] = [];
  for (let b = 0; b < bins; b++) {
    for (let r = 1; r + 1 < rhos; r++) {
      const v = votes[b * rhos + r]!;
      if (v <= 0) continue;
      let peak = true;
      for (let db = -3; db <= 3 && peak; db++) {
        const bb = (((b + db) % bins) + bins) % bins;
        for (let dr = -3; dr <= 3; dr++) {
          if (db === 0 && dr === 0) continue;
          // Across theta = 0 / pi the line is the same with rho negated.
          const wrapped = b + db < 0 || b + db >= bins;
          const rr = wrapped ? 2 * diagonal - r + dr : r + dr;
          if (rr < 0 || rr >= rhos) continue;
          const other = votes[bb * rhos + rr]!;
          if (other > v || (other === v && bb * rhos + rr < b * rhos + r)) {
            peak = false;
            break;
          }
        }
      }
      if (peak) peaks.push({ theta: (b * Math.PI) / bins, rho: r - diagonal, votes: v });
    }
  }
  peaks.sort((a, b) => b.votes - a.votes);
  return peaks.slice(0, count);
}

interface Candidate {
  nx: number;
  ny: number;
  rho: number;
}

interface Checked {
  line: StructureLine;
  /** The shorter run's length. */
  strength: number;
  /** Edge points (x, y) that supported the line, for the refit. */
  points: number[];
}

/** Whether there is an edge within SUPPORT_BAND of (x, y) across the line whose normal agrees; its index. */
function supportAt(
  edges: Edges,
  state: Uint8Array,
  line: Candidate,
  theta: number,
  x: number,
  y: number,
): number {
  const { width, height, slope, normal, threshold } = edges;
  let best = -1;
  let bestSlope = 0;
  for (let k = -SUPPORT_BAND; k <= SUPPORT_BAND; k++) {
    const px = Math.round(x + k * line.nx);
    const py = Math.round(y + k * line.ny);
    if (px < 0 || py < 0 || px >= width || py >= height) continue;
    const i = py * width + px;
    if (state[i] !== KNOWN || slope[i]! < threshold) continue;
    if (angleBetween(normal[i]!, theta) > SUPPORT_ANGLE) continue;
    if (slope[i]! > bestSlope) {
      bestSlope = slope[i]!;
      best = i;
    }
  }
  return best;
}

/** Mean colour of the KNOWN pixels `offset` along the normal from the line's points over t in [t0, t1]. */
function sideColour(
  color: Float32Array,
  state: Uint8Array,
  width: number,
  height: number,
  line: Candidate,
  t0: number,
  t1: number,
  offset: number,
): number[] | null {
  const sum = [0, 0, 0];
  let n = 0;
  for (let t = Math.min(t0, t1); t <= Math.max(t0, t1); t++) {
    const x = Math.round(line.rho * line.nx - t * line.ny + offset * line.nx);
    const y = Math.round(line.rho * line.ny + t * line.nx + offset * line.ny);
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const i = y * width + x;
    if (state[i] !== KNOWN) continue;
    for (let c = 0; c < 3; c++) sum[c]! += color[i * 3 + c]!;
    n++;
  }
  return n > 0 ? sum.map((s) => s / n) : null;
}

const greyOf = (rgb: number[]) => 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;

/** A candidate line checked against the photo: the hole it crosses, the runs either side, the colours. */
function check(color: Float32Array, state: Uint8Array, edges: Edges, line: Candidate): Checked | null {
  const { width, height } = edges;
  // The normal's undirected angle in [0, pi), as the edge pixels' normals are kept.
  const theta = (Math.atan2(line.ny, line.nx) + Math.PI) % Math.PI;
  const at = (t: number) => ({
    x: line.rho * line.nx - t * line.ny,
    y: line.rho * line.ny + t * line.nx,
  });
  const stateAt = (t: number) => {
    const p = at(t);
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (x < 0 || y < 0 || x >= width || y >= height) return -1;
    return state[y * width + x]!;
  };
  const span = Math.ceil(Math.hypot(width, height));
  let holeIn = Infinity;
  let holeOut = -Infinity;
  for (let t = -span; t <= span; t++) {
    if (stateAt(t) !== FILL) continue;
    holeIn = Math.min(holeIn, t);
    holeOut = Math.max(holeOut, t);
  }
  if (holeOut < holeIn) return null;
  const least = Math.max(RUN_LEAST, RUN_SHARE * (holeOut - holeIn));
  const points: number[] = [];
  const runs: [number, number][] = [];
  for (const direction of [-1, 1]) {
    let t = direction < 0 ? holeIn : holeOut;
    while (Math.abs(t) <= span && stateAt(t) !== KNOWN && stateAt(t) !== -1) t += direction;
    const start = t;
    let last = NaN;
    const found: number[] = [];
    for (; Math.abs(t) <= span && stateAt(t) === KNOWN; t += direction) {
      const p = at(t);
      const edge = supportAt(edges, state, line, theta, p.x, p.y);
      if (edge >= 0) {
        if (Number.isNaN(last) && Math.abs(t - start) > RUN_START) return null;
        last = t;
        found.push(edge % width, Math.floor(edge / width));
      } else if (Number.isNaN(last) ? Math.abs(t - start) > RUN_START : Math.abs(t - last) > RUN_GAP) break;
    }
    if (Number.isNaN(last) || Math.abs(last - start) + 1 < least) return null;
    runs.push([start, last]);
    points.push(...found);
  }
  // The same colours on the same sides, and a real step between them, on both sides of the hole.
  const sides = runs.map(([t0, t1]) => [
    sideColour(color, state, width, height, line, t0, t1, -SIDE_OFFSET),
    sideColour(color, state, width, height, line, t0, t1, SIDE_OFFSET),
  ]);
  const [minusA, plusA] = sides[0]!;
  const [minusB, plusB] = sides[1]!;
  if (!minusA || !plusA || !minusB || !plusB) return null;
  const contrastA = greyOf(plusA) - greyOf(minusA);
  const contrastB = greyOf(plusB) - greyOf(minusB);
  if (Math.abs(contrastA) < CONTRAST_LEAST || Math.abs(contrastB) < CONTRAST_LEAST) return null;
  if (Math.sign(contrastA) !== Math.sign(contrastB)) return null;
  const distance = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
  // Light and shade vary along a stem, so the sides need not match closely: each within SIDE_MATCH, and
  // together closer than with the sides swapped.
  const same = distance(minusA, minusB) + distance(plusA, plusB);
  if (Math.max(distance(minusA, minusB), distance(plusA, plusB)) > SIDE_MATCH) return null;
  if (same >= distance(minusA, plusB) + distance(plusA, minusB)) return null;
  const strength = Math.min(...runs.map(([t0, t1]) => Math.abs(t1 - t0) + 1));
  return { line: { ...line, runs }, strength, points };
}

/** The total-least-squares line through points (x0, y0, x1, y1, ...), with its normal on n's side. */
function refit(points: number[], near: Candidate): Candidate {
  const n = points.length / 2;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += points[2 * k]!;
    my += points[2 * k + 1]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = points[2 * k]! - mx;
    const dy = points[2 * k + 1]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  // The normal is the eigenvector of the smaller eigenvalue of the scatter matrix.
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy) + Math.PI / 2;
  let nx = Math.cos(angle);
  let ny = Math.sin(angle);
  if (nx * near.nx + ny * near.ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  return { nx, ny, rho: mx * nx + my * ny };
}

/** Whether two lines are parallel to within 4 degrees and pass within 3 px of each other at `at`. */
function sameLine(a: Candidate, b: Candidate, at: { x: number; y: number }): boolean {
  const cos = a.nx * b.nx + a.ny * b.ny;
  if (Math.abs(cos) < Math.cos((4 * Math.PI) / 180)) return false;
  const offA = at.x * a.nx + at.y * a.ny - a.rho;
  const offB = at.x * b.nx + at.y * b.ny - b.rho;
  return Math.abs(offA - Math.sign(cos) * offB) < 3;
}

/**
 * The straight structures crossing the FILL pixels of an RGB image (0-255 floats, 3 per pixel), strongest
 * first, at most MOST_LINES. Empty where none is seen on both sides of the hole.
 */
export function findStructureLines(
  color: Float32Array,
  state: Uint8Array,
  width: number,
  height: number,
): StructureLine[] {
  const hole = boundsWhere(width, height, (i) => state[i] === FILL);
  if (!hole) return [];
  const near = distanceTransform(width, height, (i) => state[i] === FILL);
  const reach = Math.max(16, 0.5 * Math.max(boxWidth(hole), boxHeight(hole)));
  const edges = edgesOf(color, state, width, height, near, reach);
  const kept: Checked[] = [];
  for (const peak of houghPeaks(edges, near, reach, 4 * MOST_LINES)) {
    const candidate = { nx: Math.cos(peak.theta), ny: Math.sin(peak.theta), rho: peak.rho };
    const first = check(color, state, edges, candidate);
    if (!first) continue;
    const checked = check(color, state, edges, refit(first.points, candidate)) ?? first;
    kept.push(checked);
  }
  kept.sort((a, b) => b.strength - a.strength);
  const lines: StructureLine[] = [];
  const middle = { x: (hole.x0 + hole.x1) / 2, y: (hole.y0 + hole.y1) / 2 };
  for (const { line } of kept) {
    // The same line found twice (two Hough peaks, refit to one): keep the stronger.
    const twin = lines.some((other) => sameLine(other, line, middle));
    if (twin) continue;
    lines.push(line);
    if (lines.length === MOST_LINES) break;
  }
  return lines;
}
