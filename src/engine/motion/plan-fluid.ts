// Prepares a fluid motion as a looping Eulerian motion field (Holynski et al., "Animating Pictures with
// Eulerian Motion Fields", CVPR 2021). A static velocity field M lives inside the region (zero at its
// edge, so nothing outside is pulled in and nothing outside moves). A frame at cycle time c shows the
// photo advected forwards by c steps, cross-faded with the photo advected backwards by L - c steps:
// the second reaches the photo exactly at c = L, so the last frame of a cycle leads into the first.
// Traces are integrated once here, on a coarse grid (the field is smooth), for every whole step of the
// cycle; a frame interpolates them. Consecutive frames differ by exactly one step along M at every grid
// point, so the motion's strength is M's mean magnitude over the region.
import { regionDepth } from './depth.js';
import { unitVector } from './layers.js';
import { boxBlur } from './blur.js';
import { detailMap } from './detail.js';
import { thinHold } from './thin-hold.js';
import { boxHeight, boxWidth, growBox, type PixelBox, type RegionShape } from './mask.js';
import { curlNoise } from './noise.js';
import { guidedDirections, guidedTurbulence, holdField, holdStill, type Guide } from './guide.js';
import {
  CELL_INSIDE,
  CELL_OUTSIDE,
  CELL_PART,
  sharedFloat32,
  sharedUint8,
  type FluidRegionPlan,
  type PlanRequest,
} from './plan.js';
import type { PlannedRegion } from './plan-layer.js';
import type { FluidPrimitive } from './spec.js';

export interface FluidRequest extends PlanRequest {
  shape: RegionShape;
  motion: FluidPrimitive;
  seed: number;
  photo: Uint8Array;
  /** Drawn paths, anchors and freeze strokes at the output size (guide.ts); none when absent. */
  guide?: Guide | null;
  /** The region's soft coverage at the output size (0-1): where the fluid draws, and how much. */
  coverage: Float32Array;
}

/**
 * Longest stretch a texture is carried before the cross-fade renews it, as a share of the long side.
 * Longer carries smear more at the edge the texture comes from; shorter cycles pulse faster.
 */
const CARRY = 0.15;
/** Longest carry across the region, as a share of its narrower side. */
const REACH = 1;
/** The traces fade in from the region's edge over this share of the velocity's ramp (fadeAtEdge). */
const FADE_SHARE = 0.75;
/** Shortest cycle in frames. */
const SHORTEST_CYCLE = 8;
/** Longest cycle in frames: bounds the stored traces for long clips (memory stays bounded). */
const LONGEST_CYCLE = 96;

export function planFluid(request: FluidRequest): PlannedRegion<FluidRegionPlan> {
  const { width, height, shape, motion, clock, sizes } = request;
  const long = Math.max(width, height);
  // The field varies over the noise scale (and ramps at the region's edge over a few pixels): a grid of
  // a quarter of the noise scale, and no coarser than 1/128 of the long side, follows it closely.
  const extent = Math.max(boxWidth(shape.box), boxHeight(shape.box));
  const scale = Math.max(6, ('scale' in motion ? motion.scale : 0.3) * extent);
  const step = Math.min(12, Math.max(2, Math.min(Math.round(long / 128), Math.floor(scale / 4))));
  const target = request.strength * sizes.unit;

  // Cycle: a whole number of cycles fills the span; each carries the texture at most CARRY * long, and
  // at most REACH of the way across the region's narrower side (a trace that reaches the region's edge
  // stops there: carried further, a narrow region's texture piled up at the edge it comes from and read
  // as slower: the astronaut's backdrop drifted 3.22 px a frame at strength 4, 5.88 at 8).
  // Cycles are never shorter than SHORTEST_CYCLE frames: a faster cross-fade would flicker, and read to
  // optical flow more as a fade than as motion.
  const across = Math.min(boxWidth(shape.box), boxHeight(shape.box));
  const reach = Math.max(4, Math.min(CARRY * long, REACH * across));
  const most = Math.max(1, Math.floor(clock.span / SHORTEST_CYCLE));
  const cycles = Math.max(
    1,
    Math.min(most, Math.ceil((target * clock.span) / reach)),
    Math.ceil(clock.span / LONGEST_CYCLE),
  );
  const cycle = clock.span / cycles;
  const steps = Math.max(1, Math.ceil(cycle));

  // Grid: the region's box plus a cell; where the region meets the photo's edge, further out by the
  // longest carry, so traces can leave the photo (they are sampled mirrored) rather than pile up there.
  const carry = target * cycle + step;
  const touches = {
    left: shape.box.x0 === 0,
    top: shape.box.y0 === 0,
    right: shape.box.x1 === width,
    bottom: shape.box.y1 === height,
  };
  const x0 = shape.box.x0 - step - (touches.left ? carry : 0);
  const y0 = shape.box.y0 - step - (touches.top ? carry : 0);
  const x1 = shape.box.x1 + step + (touches.right ? carry : 0);
  const y1 = shape.box.y1 + step + (touches.bottom ? carry : 0);
  const cols = Math.ceil((x1 - x0) / step) + 1;
  const rows = Math.ceil((y1 - y0) / step) + 1;
  const gx0 = Math.floor(x0);
  const gy0 = Math.floor(y0);

  const { depthAt, deepest, ramp } = regionDepth(shape, width, height);
  const guideGrid = { x0: gx0, y0: gy0, step, cols, rows };
  const guided = guidedDirections(request.guide ?? null, guideGrid);

  // Velocity directions at grid points, before scaling to the strength.
  const seed = request.seed * 7919 + 13;
  const velocity = new Float32Array(cols * rows * 2);
  const curl = new Float32Array(cols * rows * 2);
  let curlSquares = 0;
  let curlCount = 0;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const x = gx0 + i * step;
      const y = gy0 + j * step;
      const [u, v] = curlNoise(x, y, scale, seed);
      curl[(j * cols + i) * 2] = u;
      curl[(j * cols + i) * 2 + 1] = v;
      if (depthAt(x, y) > 0) {
        curlSquares += u * u + v * v;
        curlCount++;
      }
    }
  }
  const curlNorm = 1 / Math.sqrt(curlSquares / Math.max(1, curlCount) || 1);
  // Swirl: a stream function of the depth inside the region, psi = F(depth), so the liquid circulates
  // along the region's own outline (its depth contours) and never runs out of it, whatever its shape.
  // F' = (deepest - depth) * ramp: speed grows outwards as in a turning disc, then falls to zero at the
  // edge. Velocity is the perpendicular gradient of psi: divergence-free, nothing piles up.
  const stream = motion.primitive === 'swirl' ? new Float32Array(cols * rows) : null;
  if (stream) {
    const table: number[] = [0];
    const dd = 0.25;
    // The rim turns slower than the middle of the liquid (it drags on the cup): the fastest ring sits
    // a third of the way in.
    const rim = Math.max(ramp, 0.35 * deepest);
    for (let d = dd; d <= deepest + dd; d += dd) {
      const t = Math.min(1, d / rim);
      table.push(table[table.length - 1]! + Math.max(0, deepest - d) * t * t * (3 - 2 * t) * dd);
    }
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const d = Math.min(deepest, depthAt(gx0 + i * step, gy0 + j * step));
        stream[j * cols + i] = table[Math.min(table.length - 1, Math.round(d / dd))]! / deepest;
      }
    }
  }
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const g = (j * cols + i) * 2;
      const x = gx0 + i * step;
      const y = gy0 + j * step;
      const depth = depthAt(x, y);
      if (depth <= 0) continue;
      const t = Math.min(1, depth / ramp);
      const weight = t * t * (3 - 2 * t);
      const nx = curl[g]! * curlNorm;
      const ny = curl[g + 1]! * curlNorm;
      let vx: number;
      let vy: number;
      if (guided) {
        // Drawn paths give the mean direction, whatever the primitive's own (guide.ts).
        const turbulence = guidedTurbulence(motion);
        vx = guided[g]! + turbulence * nx;
        vy = guided[g + 1]! + turbulence * ny;
      } else if (motion.primitive === 'flow') {
        const [ex, ey] = unitVector(motion.direction);
        vx = ex + motion.turbulence * nx;
        vy = ey + motion.turbulence * ny;
      } else if (motion.primitive === 'churn') {
        vx = nx;
        vy = ny;
      } else {
        const sign = motion.clockwise ? -1 : 1;
        const at = (ii: number, jj: number) =>
          stream![Math.min(rows - 1, Math.max(0, jj)) * cols + Math.min(cols - 1, Math.max(0, ii))]!;
        const dpx = (at(i + 1, j) - at(i - 1, j)) / (2 * step);
        const dpy = (at(i, j + 1) - at(i, j - 1)) / (2 * step);
        // Counter-clockwise on screen (y down): (-dpsi/dy, dpsi/dx), psi growing inwards.
        velocity[g] = -sign * dpy + motion.turbulence * nx * weight;
        velocity[g + 1] = sign * dpx + motion.turbulence * ny * weight;
        continue;
      }
      velocity[g] = vx * weight;
      velocity[g + 1] = vy * weight;
    }
  }

  const grid = { x0: gx0, y0: gy0, step, cols, rows };
  // Scale to the strength: the mean speed over the region's pixels, as the renderer interpolates it,
  // with the traces faded at the region's edge (fadeAtEdge).
  const fade = edgeFade(grid, depthAt, FADE_SHARE * ramp);
  const faded = velocity.map((value, g) => value * fade[g >> 1]!);
  let total = 0;
  const samples = shape.samples;
  const v = new Float64Array(2);
  for (let k = 0; k < samples.length; k += 2) {
    sampleGrid(faded, grid, samples[k]!, samples[k + 1]!, v);
    total += Math.hypot(v[0]!, v[1]!);
  }
  const meanSpeed = total / Math.max(1, samples.length / 2);
  const gain = meanSpeed > 0 && target > 0 ? target / meanSpeed : 0;
  // Anchors and frozen strokes hold parts still after the speed is set, so the rest keeps its speed.
  holdStill(velocity, holdField(request.guide ?? null, guideGrid, width, height));
  let fastest = 0;
  for (let g = 0; g < velocity.length; g += 2) {
    velocity[g]! *= gain;
    velocity[g + 1]! *= gain;
    fastest = Math.max(fastest, Math.hypot(velocity[g]!, velocity[g + 1]!));
  }

  const points = cols * rows;
  const back = sharedFloat32((steps + 1) * points * 2);
  const ahead = sharedFloat32((steps + 1) * points * 2);
  if (gain > 0) {
    trace(velocity, grid, steps, -1, fastest, back);
    trace(velocity, grid, steps, 1, fastest, ahead);
    fadeAtEdge(back, ahead, fade, steps);
  }

  const active = new Uint8Array(
    new SharedArrayBuffer(Math.max(1, (cols - 1) * (rows - 1))),
    0,
    Math.max(0, (cols - 1) * (rows - 1)),
  );
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      let moving = false;
      for (const [di, dj] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const g = ((j + dj) * cols + i + di) * 2;
        if (velocity[g] !== 0 || velocity[g + 1] !== 0) moving = true;
      }
      active[j * (cols - 1) + i] = moving && gain > 0 ? 1 : 0;
    }
  }

  const { cover, alpha } = cellCover(request.coverage, width, height, grid);

  // The photo's local mean where the region draws (the grid's cells inside the photo).
  const meanBox = {
    x0: Math.max(0, gx0),
    y0: Math.max(0, gy0),
    x1: Math.min(width, gx0 + (cols - 1) * step),
    y1: Math.min(height, gy0 + (rows - 1) * step),
  };
  const sigma = Math.max(2, 0.006 * long);
  // Thin structures in front of a smooth region stay; the fluid moves the region without them.
  const hold = gain > 0 ? thinHold(request.photo, width, height, request.coverage, shape.box) : null;
  const source = hold?.plate ?? request.photo;
  const mean = localMean(source, width, height, meanBox, sigma);
  const detail = detailMap(source, width, height);

  return {
    plan: {
      kind: 'fluid',
      clock,
      grid,
      cycle,
      steps,
      back,
      ahead,
      active,
      cover,
      alpha,
      mean,
      meanBox,
      detail,
      grain: 4 * sigma,
      hold,
    },
    fieldStrength: (meanSpeed * gain) / sizes.unit,
  };
}

type Grid = FluidRegionPlan['grid'];

/**
 * Per grid point, how much of its trace a fluid shows: rising from 0 at the region's edge to 1 at depth
 * `band`, as the velocity does over its ramp. The photo's own edge is no edge (depth.ts): a region that
 * reaches it runs on past it.
 */
function edgeFade(grid: Grid, depthAt: (x: number, y: number) => number, band: number): Float32Array {
  const { x0, y0, step, cols, rows } = grid;
  const fade = new Float32Array(cols * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const t = Math.min(1, depthAt(x0 + i * step, y0 + j * step) / band);
      fade[j * cols + i] = t * t * (3 - 2 * t);
    }
  }
  return fade;
}

/**
 * Scales every trace offset by its grid point's edge fade. The velocity is zero at the region's edge, but
 * a trace that starts there and runs inwards speeds up and carries content from deep inside, so the
 * texture was cut off at the edge a drift runs out of (a seam the eval read on the astronaut's backdrop).
 * Faded, the displacement reaches zero at every edge whatever the flow's direction.
 */
function fadeAtEdge(back: Float32Array, ahead: Float32Array, fade: Float32Array, steps: number): void {
  const points = fade.length;
  for (let k = 0; k <= steps; k++) {
    for (let p = 0; p < points; p++) {
      const g = (k * points + p) * 2;
      const f = fade[p]!;
      back[g]! *= f;
      back[g + 1]! *= f;
      ahead[g]! *= f;
      ahead[g + 1]! *= f;
    }
  }
}

/**
 * Each grid cell's cover by the region (CELL_OUTSIDE, CELL_PART or CELL_INSIDE), and the coverage as
 * bytes for the cells covered in part. The region's velocity is zero at its edge, but a cell across the
 * edge interpolates its corners' traces over its outer pixels too: drawn there, a sky's drift carried
 * the stems standing in front of it (a region of their own, or none) off in blocks of a cell.
 */
function cellCover(
  coverage: Float32Array,
  width: number,
  height: number,
  grid: Grid,
): { cover: Uint8Array; alpha: Uint8Array } {
  const alpha = sharedUint8(width * height);
  const { x0, y0, step, cols, rows } = grid;
  const cover = sharedUint8(Math.max(1, (cols - 1) * (rows - 1)));
  for (let j = 0; j + 1 < rows; j++) {
    const ys = Math.max(0, y0 + j * step);
    const ye = Math.min(height, y0 + (j + 1) * step);
    for (let i = 0; i + 1 < cols; i++) {
      const xs = Math.max(0, x0 + i * step);
      const xe = Math.min(width, x0 + (i + 1) * step);
      let full = true;
      let any = false;
      for (let y = ys; y < ye; y++) {
        for (let x = xs; x < xe; x++) {
          const c = coverage[y * width + x]!;
          if (c > 0) any = true;
          if (c < 1) full = false;
        }
      }
      const kind = !any ? CELL_OUTSIDE : full ? CELL_INSIDE : CELL_PART;
      cover[j * (cols - 1) + i] = kind;
      // Only a cell covered in part reads its pixels' coverage (render-frame.ts blendCell).
      if (kind !== CELL_PART) continue;
      for (let y = ys; y < ye; y++) {
        for (let x = xs; x < xe; x++) {
          const c = coverage[y * width + x]!;
          alpha[y * width + x] = c <= 0 ? 0 : c >= 1 ? 255 : c * 255 + 0.5;
        }
      }
    }
  }
  return { cover, alpha };
}

/** The photo blurred (sigma pixels) over a box, computed from the box grown by three sigmas. */
function localMean(
  photo: Uint8Array,
  width: number,
  height: number,
  box: PixelBox,
  sigma: number,
): Uint8Array {
  const grown = growBox(box, 3 * sigma, width, height);
  const gw = boxWidth(grown);
  const gh = boxHeight(grown);
  const work = new Uint8Array(Math.max(0, gw * gh * 4));
  for (let y = 0; y < gh; y++) {
    const from = ((grown.y0 + y) * width + grown.x0) * 4;
    work.set(photo.subarray(from, from + gw * 4), y * gw * 4);
  }
  boxBlur(work, gw, gh, sigma);
  const bw = boxWidth(box);
  const bh = boxHeight(box);
  const out = sharedUint8(Math.max(0, bw * bh * 4));
  for (let y = 0; y < bh; y++) {
    const from = ((box.y0 - grown.y0 + y) * gw + (box.x0 - grown.x0)) * 4;
    out.set(work.subarray(from, from + bw * 4), y * bw * 4);
  }
  return out;
}

/** Bilinear sample of a 2-channel grid field at pixel (x, y) into out[0], out[1]; zero outside the grid. */
export function sampleGrid(field: Float32Array, grid: Grid, x: number, y: number, out: Float64Array): void {
  const gx = (x - grid.x0) / grid.step;
  const gy = (y - grid.y0) / grid.step;
  if (gx < 0 || gy < 0 || gx > grid.cols - 1 || gy > grid.rows - 1) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const i = Math.min(grid.cols - 2, Math.floor(gx));
  const j = Math.min(grid.rows - 2, Math.floor(gy));
  const fx = gx - i;
  const fy = gy - j;
  const a = (j * grid.cols + i) * 2;
  const b = a + 2;
  const c = a + grid.cols * 2;
  const d = c + 2;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  out[0] = field[a]! * w00 + field[b]! * w10 + field[c]! * w01 + field[d]! * w11;
  out[1] = field[a + 1]! * w00 + field[b + 1]! * w10 + field[c + 1]! * w01 + field[d + 1]! * w11;
}

/**
 * Follows every grid point along the field for `steps` frames (sign -1: where its content came from;
 * +1: where it goes), storing the offset after each frame. Each frame is one step p <- p + sign*M(p),
 * taken in midpoint (RK2) sub-steps no longer than a grid cell so swirls stay round. The trace from a
 * point continues through its first step p1, so (up to the grid's interpolation) frame k+1 is frame k
 * moved by M.
 */
function trace(
  velocity: Float32Array,
  grid: Grid,
  steps: number,
  sign: 1 | -1,
  fastest: number,
  out: Float32Array,
): void {
  const points = grid.cols * grid.rows;
  const px = new Float64Array(points);
  const py = new Float64Array(points);
  for (let j = 0; j < grid.rows; j++) {
    for (let i = 0; i < grid.cols; i++) {
      px[j * grid.cols + i] = grid.x0 + i * grid.step;
      py[j * grid.cols + i] = grid.y0 + j * grid.step;
    }
  }
  const substeps = Math.max(1, Math.ceil(fastest / grid.step));
  const h = sign / substeps;
  const a = new Float64Array(2);
  const b = new Float64Array(2);
  for (let k = 1; k <= steps; k++) {
    for (let p = 0; p < points; p++) {
      let x = px[p]!;
      let y = py[p]!;
      for (let s = 0; s < substeps; s++) {
        sampleGrid(velocity, grid, x, y, a);
        if (a[0] === 0 && a[1] === 0) break; // outside the field: it stays
        sampleGrid(velocity, grid, x + 0.5 * h * a[0]!, y + 0.5 * h * a[1]!, b);
        x += h * b[0]!;
        y += h * b[1]!;
      }
      px[p] = x;
      py[p] = y;
      const at = (k * points + p) * 2;
      out[at] = x - (grid.x0 + (p % grid.cols) * grid.step);
      out[at + 1] = y - (grid.y0 + Math.floor(p / grid.cols) * grid.step);
    }
  }
}
