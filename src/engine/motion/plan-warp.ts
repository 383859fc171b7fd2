// Prepares a gust (spec.ts WarpPrimitive): an elastic displacement field inside the region. Each point
// sways about its rest position, d(x, t) = A(x) (sin(theta - psi(x)) + sin(psi(x))) e(x), where the phase
// psi grows along the wind direction (waves of wind run across the region) with a little noise, and the
// amplitude A fades to zero at the region's edge. d is zero at theta = 0 and periodic, so frame 0 is the
// photo and a whole number of cycles per span closes the loop; nothing is cross-faded, nothing uncovered.
import { measureMover, solveAmplitude, thinSamples, type Mover } from './calibrate.js';
import { regionDepth } from './depth.js';
import { unitVector } from './layers.js';
import { boxHeight, boxWidth, type RegionShape } from './mask.js';
import { fractalNoise, curlNoise } from './noise.js';
import { sharedFloat32, type PlanRequest, type WarpRegionPlan } from './plan.js';
import { sampleGrid } from './plan-fluid.js';
import type { PlannedRegion } from './plan-layer.js';
import { timePairs } from './plan-layer.js';
import type { WarpPrimitive } from './spec.js';

export interface WarpRequest extends PlanRequest {
  shape: RegionShape;
  motion: WarpPrimitive;
  seed: number;
  fps: number;
}

/** Shortest sway cycle in frames, when a strong gust must be quick rather than wide. */
const SHORTEST_CYCLE = 4;
/** Largest sway, as a share of the long side, before the gust gets quicker instead of wider. */
const WIDEST = 0.012;
/** Steepest slope of the warp: the largest share of a wavelength by which neighbours may move apart. */
const STEEPEST = 0.4;

export function planWarp(request: WarpRequest): PlannedRegion<WarpRegionPlan> {
  const { width, height, shape, motion, clock, frameCount, sizes } = request;
  const long = Math.max(width, height);
  const step = Math.min(8, Math.max(2, Math.round(long / 128)));
  const x0 = Math.max(0, shape.box.x0 - step);
  const y0 = Math.max(0, shape.box.y0 - step);
  const cols = Math.ceil((Math.min(width, shape.box.x1 + step) - x0) / step) + 1;
  const rows = Math.ceil((Math.min(height, shape.box.y1 + step) - y0) / step) + 1;
  const grid = { x0, y0, step, cols, rows };
  const { depthAt, ramp } = regionDepth(shape, width, height);

  const extent = Math.max(boxWidth(shape.box), boxHeight(shape.box));
  const wavelength = Math.max(8, motion.wavelength * extent);
  const [ex, ey] = motion.primitive === 'gust' ? unitVector(motion.direction) : [0, 0];
  const seed = request.seed * 7919 + 29;
  const points = cols * rows;
  const amplitude = sharedFloat32(points);
  const phase = sharedFloat32(points);
  const direction = sharedFloat32(points * 2);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const p = j * cols + i;
      const x = x0 + i * step;
      const y = y0 + j * step;
      const t = Math.min(1, depthAt(x, y) / ramp);
      // Waves vary in strength from place to place.
      const variety = 0.65 + 0.35 * fractalNoise(x / wavelength, y / wavelength, seed);
      amplitude[p] = t * t * (3 - 2 * t) * variety;
      const wobble = fractalNoise(x / wavelength + 7.3, y / wavelength - 3.1, seed + 1);
      const [cx, cy] = curlNoise(x, y, wavelength, seed + 2);
      let dx: number;
      let dy: number;
      if (motion.primitive === 'gust') {
        // Wind: fronts along the direction, bent by noise; points sway along the wind.
        phase[p] = (2 * Math.PI * (x * ex + y * ey)) / wavelength + 1.5 * wobble;
        dx = ex + 0.3 * cx;
        dy = ey + 0.3 * cy;
      } else {
        // Water: patches of the surface heave to and fro in slowly drifting phase; heat haze: every
        // spot shivers on its own (a much faster-varying phase).
        phase[p] = (motion.haze ? 4 * Math.PI : 1.5) * wobble;
        dx = cx;
        dy = cy;
      }
      const norm = Math.hypot(dx, dy) || 1;
      direction[p * 2] = dx / norm;
      direction[p * 2 + 1] = dy / norm;
    }
  }

  // Strength: mean speed of the region's points, per unit of gain, for a whole number of cycles.
  const samples = thinSamples(shape.samples, 400);
  const count = samples.length / 2;
  const at = new Float64Array(2);
  const sampleA = new Float64Array(count);
  const sampleP = new Float64Array(count);
  const sampleD = new Float64Array(count * 2);
  const pair = new Float32Array(points * 2);
  for (let p = 0; p < points; p++) {
    pair[p * 2] = amplitude[p]!;
    pair[p * 2 + 1] = phase[p]!;
  }
  for (let k = 0; k < count; k++) {
    sampleGrid(pair, grid, samples[k * 2]!, samples[k * 2 + 1]!, at);
    sampleA[k] = at[0]!;
    sampleP[k] = at[1]!;
    sampleGrid(direction, grid, samples[k * 2]!, samples[k * 2 + 1]!, at);
    const norm = Math.hypot(at[0]!, at[1]!) || 1;
    sampleD[k * 2] = at[0]! / norm;
    sampleD[k * 2 + 1] = at[1]! / norm;
  }
  const mover =
    (gain: number, cycles: number): Mover =>
    (tau, points, out) => {
      const theta = (2 * Math.PI * cycles * tau) / Math.max(1e-9, clock.span);
      for (let k = 0; k < points.length / 2; k++) {
        const d = gain * sampleA[k]! * (Math.sin(theta - sampleP[k]!) + Math.sin(sampleP[k]!));
        out[k * 2] = points[k * 2]! + d * sampleD[k * 2]!;
        out[k * 2 + 1] = points[k * 2 + 1]! + d * sampleD[k * 2 + 1]!;
      }
    };
  const pairs = timePairs(clock, frameCount);
  const target = request.strength * sizes.unit;
  const solve = (cycles: number) =>
    solveAmplitude((g) => measureMover(mover(g, cycles), samples, pairs).meanSpeed, target, true);
  let cycles = Math.max(1, Math.round(clock.span / (motion.period * request.fps)));
  let gain = solve(cycles);
  const widest = measureMover(mover(gain, cycles), samples, pairs).maxDisplacement;
  const most = Math.max(cycles, Math.floor(clock.span / SHORTEST_CYCLE));
  // Wider than WIDEST, or so wide against the wavelength that the warp would fold over itself (its
  // slope, amplitude x 2 pi / wavelength, kept under STEEPEST): quicker instead.
  const limit = Math.min(WIDEST * long, (STEEPEST * wavelength) / (2 * Math.PI));
  if (widest > limit && cycles < most) {
    cycles = Math.min(most, Math.ceil((cycles * widest) / limit));
    gain = solve(cycles);
  }
  for (let p = 0; p < points; p++) amplitude[p]! *= gain;

  const active = new Uint8Array(
    new SharedArrayBuffer(Math.max(1, (cols - 1) * (rows - 1))),
    0,
    Math.max(0, (cols - 1) * (rows - 1)),
  );
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      const p = j * cols + i;
      active[j * (cols - 1) + i] =
        amplitude[p]! > 0 || amplitude[p + 1]! > 0 || amplitude[p + cols]! > 0 || amplitude[p + cols + 1]! > 0
          ? 1
          : 0;
    }
  }
  const measured = measureMover(mover(gain, cycles), samples, pairs).meanSpeed;
  return {
    plan: { kind: 'warp', clock, grid, cycles, amplitude, phase, direction, active },
    fieldStrength: measured / sizes.unit,
  };
}
