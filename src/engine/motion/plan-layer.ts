// Prepares a layer motion (issue 3, point 2): the region cut out with a feathered edge, a background with
// the region inpainted where it can be uncovered, a clip that keeps every change inside the 2% band, and
// the layer's pose in every frame, calibrated to the requested strength.
import type { BandSizes } from './band.js';
import { measureMover, solveAmplitude, thinSamples, type Mover, type TimePairs } from './calibrate.js';
import { distanceTransform } from './distance.js';
import { FILL, IGNORE, KNOWN, inpaint } from './inpaint.js';
import { forwardPoint, layerFamily, type LayerMotion, type LayerMotionFamily } from './layers.js';
import { boxHeight, boxWidth, growBox, type RegionShape } from './mask.js';
import {
  POSE_STRIDE,
  sharedFloat32,
  sharedUint8,
  type LayerRegionPlan,
  type LayerShearPlan,
} from './plan.js';
import type { LayerPrimitive } from './spec.js';
import { motionTime, strengthPairs, type RegionClock } from './timing.js';

export interface PlannedRegion<P> {
  plan: P;
  /** The strength the engine's own field has, px/frame at a 512-px long side (QUALITY.md). */
  fieldStrength: number;
}

/** The shortest cycle a bounded motion may be squeezed into to reach its strength, in frames. */
const SHORTEST_CYCLE = 4;

export interface LayerRequest {
  photo: Uint8Array;
  width: number;
  height: number;
  shape: RegionShape;
  motion: LayerPrimitive;
  seed: number;
  clock: RegionClock;
  frameCount: number;
  fps: number;
  /** px/frame at a 512-px long side. */
  strength: number;
  sizes: BandSizes;
}

/** Motion-time pairs over which strength is averaged (travel: only while it travels, not while it fades). */
export function timePairs(
  clock: RegionClock,
  frameCount: number,
  opacity?: (tau: number) => number,
): TimePairs {
  const pairs: [number, number][] = [];
  for (const t of strengthPairs(clock, frameCount)) {
    const a = motionTime(clock, t);
    const b = motionTime(clock, t + 1);
    if (opacity && (opacity(a) < 1 || opacity(b) < 1)) continue;
    pairs.push([a, b]);
  }
  return pairs;
}

function moverOf(motion: LayerMotion): Mover {
  const m = new Float64Array(6);
  return (tau, samples, out) => {
    motion.affine(tau, m);
    const shear = motion.shear;
    const span = shear ? shear.uMax - shear.uMin || 1 : 1;
    for (let i = 0; i < samples.length; i += 2) {
      let x = samples[i]!;
      let y = samples[i + 1]!;
      if (shear) {
        const s = Math.min(1, Math.max(0, (x * shear.axis[0] + y * shear.axis[1] - shear.uMin) / span));
        const d = motion.amplitude * shear.profile(s, tau);
        x += shear.dir[0] * d;
        y += shear.dir[1] * d;
      }
      out[i] = m[0]! * x + m[1]! * y + m[2]!;
      out[i + 1] = m[3]! * x + m[4]! * y + m[5]!;
    }
  };
}

/** Amplitude and cycles for the requested speed: see calibrate.ts. */
export function calibrateLayer(
  family: LayerMotionFamily,
  samples: Float32Array,
  clock: RegionClock,
  frameCount: number,
  target: number,
  travelLimit: number,
): LayerMotion {
  const thin = thinSamples(samples, 400);
  const pairsFor = (motion: LayerMotion) => timePairs(clock, frameCount, motion.opacity);
  const measure = (motion: LayerMotion) => measureMover(moverOf(motion), thin, pairsFor(motion));
  const solve = (cycles: number) => {
    const amplitude = solveAmplitude(
      (a) => measure(family.build(a, cycles)).meanSpeed,
      target,
      family.linear,
    );
    return family.build(amplitude, cycles);
  };
  if (family.periodFrames === null) {
    const motion = solve(1);
    if (clock.mode === 'loop' && family.wholeTurns) {
      // A loop must come back to where it started: whole turns per span.
      const turns = Math.max(1, Math.round((motion.amplitude * clock.span) / (2 * Math.PI)));
      return family.build((2 * Math.PI * turns) / clock.span, 1);
    }
    return motion;
  }
  let cycles = Math.max(1, Math.round(clock.span / family.periodFrames));
  let motion = solve(cycles);
  if (family.bounded) {
    // Keep the region inside its band: when the amplitude would carry its edge past it, make the motion
    // quicker instead of wider (speed = amplitude x frequency).
    const { maxDisplacement } = measure(motion);
    const most = Math.max(cycles, Math.floor(clock.span / SHORTEST_CYCLE));
    if (maxDisplacement > travelLimit && cycles < most) {
      cycles = Math.min(most, Math.ceil((cycles * maxDisplacement) / travelLimit));
      motion = solve(cycles);
    }
  }
  return motion;
}

function invertAffine(m: Float64Array, out: Float32Array, at: number): void {
  const det = m[0]! * m[4]! - m[1]! * m[3]!;
  const inv = 1 / det;
  out[at] = m[4]! * inv;
  out[at + 1] = -m[1]! * inv;
  out[at + 2] = (m[1]! * m[5]! - m[2]! * m[4]!) * inv;
  out[at + 3] = -m[3]! * inv;
  out[at + 4] = m[0]! * inv;
  out[at + 5] = (m[2]! * m[3]! - m[0]! * m[5]!) * inv;
}

export function planLayer(request: LayerRequest): PlannedRegion<LayerRegionPlan> {
  const { photo, width, height, shape, clock, frameCount, sizes } = request;
  const box = growBox(shape.box, sizes.band + 1, width, height);
  const bw = boxWidth(box);
  const bh = boxHeight(box);
  const count = bw * bh;
  const insideAt = (i: number) =>
    shape.inside[(box.y0 + Math.floor(i / bw)) * width + box.x0 + (i % bw)] === 1;
  const outside = distanceTransform(bw, bh, insideAt);

  const clip = sharedFloat32(count);
  const alpha = sharedFloat32(count);
  const { band, clipFade, layerGrow, layerFeather } = sizes;
  for (let i = 0; i < count; i++) {
    const d = outside[i]!;
    clip[i] = d <= band - clipFade ? 1 : d >= band ? 0 : (band - d) / clipFade;
    alpha[i] = d <= layerGrow ? 1 : Math.max(0, 1 - (d - layerGrow) / layerFeather);
  }

  const family = layerFamily(
    request.motion,
    shapeGeometry(shape),
    clock.span,
    request.fps,
    clock.mode === 'loop',
    request.seed,
  );
  const target = request.strength * sizes.unit;
  const motion = calibrateLayer(family, shape.samples, clock, frameCount, target, sizes.layerTravel);
  const measured = measureMover(
    moverOf(motion),
    thinSamples(shape.samples, 400),
    timePairs(clock, frameCount, motion.opacity),
  );

  // Inpaint the part of the layer's footprint that its motion can uncover (never the deep inside of a
  // large region that moves a few pixels: it is never seen).
  const reach = family.bounded ? measured.maxDisplacement + layerFeather + 2 : Infinity;
  const hole = new Uint8Array(count);
  for (let i = 0; i < count; i++) hole[i] = outside[i]! <= layerGrow ? 1 : 0;
  const depth = distanceTransform(bw, bh, (i) => hole[i] === 0);
  const state = new Uint8Array(count);
  for (let i = 0; i < count; i++) state[i] = hole[i] === 0 ? KNOWN : depth[i]! <= reach ? FILL : IGNORE;
  const background = sharedUint8(count * 4);
  for (let y = 0; y < bh; y++) {
    const from = ((box.y0 + y) * width + box.x0) * 4;
    background.set(photo.subarray(from, from + bw * 4), y * bw * 4);
  }
  if (motion.amplitude !== 0) inpaint(background, bw, bh, state);

  return {
    plan: {
      kind: 'layer',
      box,
      clip,
      alpha,
      background,
      poses: layerPoses(motion, clock, frameCount, box),
      shear: shearTables(motion, clock, frameCount, box),
    },
    fieldStrength: measured.meanSpeed / sizes.unit,
  };
}

function shapeGeometry(shape: RegionShape) {
  return {
    centroid: shape.centroid,
    samples: shape.samples,
    top: shape.box.y0,
    bottom: shape.box.y1 - 1,
  };
}

function layerPoses(
  motion: LayerMotion,
  clock: RegionClock,
  frameCount: number,
  box: RegionShape['box'],
): Float32Array {
  const poses = sharedFloat32(frameCount * POSE_STRIDE);
  const affine = new Float64Array(6);
  const corners = new Float32Array([box.x0, box.y0, box.x1, box.y0, box.x0, box.y1, box.x1, box.y1]);
  const moved = new Float64Array(2);
  for (let t = 0; t < frameCount; t++) {
    const tau = motionTime(clock, t);
    const at = t * POSE_STRIDE;
    motion.affine(tau, affine);
    invertAffine(affine, poses, at);
    const opacity = motion.opacity(tau);
    poses[at + 6] = opacity;
    // At rest (frame 0, the end of every cycle) the frame is exactly the photo: the renderer skips it.
    let most = 0;
    for (let i = 0; i < corners.length; i += 2) {
      forwardPoint(motion, tau, corners[i]!, corners[i + 1]!, affine, moved);
      most = Math.max(most, Math.hypot(moved[0]! - corners[i]!, moved[1]! - corners[i + 1]!));
    }
    if (motion.shear) {
      // The shear's largest displacement at this time.
      for (let s = 0; s <= 32; s++)
        most = Math.max(most, Math.abs(motion.amplitude * motion.shear.profile(s / 32, tau)));
    }
    poses[at + 7] = motion.amplitude !== 0 && (most > 1e-4 || opacity < 1) ? 1 : 0;
  }
  return poses;
}

function shearTables(
  motion: LayerMotion,
  clock: RegionClock,
  frameCount: number,
  box: RegionShape['box'],
): LayerShearPlan | null {
  const shear = motion.shear;
  if (!shear) return null;
  const us = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x0, box.y1],
    [box.x1, box.y1],
  ].map(([x, y]) => x! * shear.axis[0] + y! * shear.axis[1]);
  // The inverse map looks up u of a point already moved by the affine part: widen by the band.
  const origin = Math.floor(Math.min(...us)) - 2;
  const length = Math.ceil(Math.max(...us)) + 2 - origin + 1;
  const tables = sharedFloat32(frameCount * length);
  const span = shear.uMax - shear.uMin || 1;
  for (let t = 0; t < frameCount; t++) {
    const tau = motionTime(clock, t);
    for (let j = 0; j < length; j++) {
      const s = Math.min(1, Math.max(0, (origin + j - shear.uMin) / span));
      tables[t * length + j] = motion.amplitude * shear.profile(s, tau);
    }
  }
  return { axis: [shear.axis[0], shear.axis[1]], dir: [shear.dir[0], shear.dir[1]], origin, length, tables };
}
