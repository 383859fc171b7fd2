// Prepares a layer motion (issue 3, point 2): the region cut out with a feathered edge (grown a little past
// its mask, to take the object's rim along; a travel, which leaves everything round it behind, is cut on
// its coverage instead, travel-matte.ts), a background with the region inpainted where it can be
// uncovered, a clip that keeps every change inside the 2% band around the region (around its motion area,
// the mask swept along its path, for a travel), and the layer's pose in every frame, calibrated to the
// requested strength.
import type { Mask } from '../../shared/index.js';
import type { BandSizes } from './band.js';
import { measureMover, solveAmplitude, thinSamples, type Mover, type TimePairs } from './calibrate.js';
import { detailMap } from './detail.js';
import { distanceTransform } from './distance.js';
import { FILL, IGNORE, KNOWN, inpaint } from './inpaint.js';
import {
  forwardPoint,
  layerFamily,
  type LayerGeometry,
  type LayerMotion,
  type LayerMotionFamily,
} from './layers.js';
import { boxHeight, boxWidth, growBox, type PixelBox, type RegionShape } from './mask.js';
import { POSE_STRIDE, sharedFloat32, sharedUint8, type LayerRegionPlan, type PlanRequest } from './plan.js';
import type { LayerPrimitive } from './spec.js';
import { sweepRegion } from './sweep.js';
import { splitEdge, travelAlpha } from './travel-matte.js';
import { motionTime, strengthPairs, type RegionClock } from './timing.js';

export interface PlannedRegion<P> {
  plan: P;
  /** The strength the engine's own field has, px/frame at a 512-px long side (QUALITY.md). */
  fieldStrength: number;
  /**
   * At the output size, where the region moves when that reaches beyond its own mask (a travel: the mask
   * swept along its path); absent when the region's area is its mask.
   */
  motionArea?: Mask;
  /**
   * A bounded motion made quicker than its word's tempo so that its swing stays inside its band: the
   * cycles per second it got and its word's (told to the person, strength-note.ts).
   */
  quickened?: { hz: number; naturalHz: number };
  /**
   * A motion held at its widest (a breath on something that is not a person, layers.ts BREATH_LARGEST):
   * the swell it got and the one its strength asked for, as shares of the region's size (strength-note.ts).
   */
  held?: { largest: number; asked: number };
}

/** The shortest cycle a bounded motion may be squeezed into to reach its strength, in frames. */
const SHORTEST_CYCLE = 4;

export interface LayerRequest extends PlanRequest {
  photo: Uint8Array;
  shape: RegionShape;
  motion: LayerPrimitive;
  seed: number;
  fps: number;
  /**
   * The region's coverage at the output size, refined on the photo where its mask was made smaller (0-1,
   * width x height, prepare.ts): a travel's layer is cut on it (travel-matte.ts). Without it, a distance
   * feather grown past the mask.
   */
  coverage?: Float32Array;
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
    for (let i = 0; i < samples.length; i += 2) {
      const x = samples[i]!;
      const y = samples[i + 1]!;
      out[i] = m[0]! * x + m[1]! * y + m[2]!;
      out[i + 1] = m[3]! * x + m[4]! * y + m[5]!;
    }
  };
}

/** A layer motion calibrated to its strength, with its cycles over the span and its word's (null: not periodic). */
export interface CalibratedLayer {
  motion: LayerMotion;
  cycles: number | null;
  naturalCycles: number | null;
  /** Set when the family's widest held it: the amplitude it got and the one its strength asked for. */
  held?: { largest: number; asked: number };
}

/** Amplitude and cycles for the requested speed: see calibrate.ts. */
export function calibrateLayer(
  family: LayerMotionFamily,
  samples: Float32Array,
  clock: RegionClock,
  frameCount: number,
  target: number,
  travelLimit: number,
): CalibratedLayer {
  const thin = thinSamples(samples, 400);
  const pairsFor = (motion: LayerMotion) => timePairs(clock, frameCount, motion.opacity);
  const measure = (motion: LayerMotion) => measureMover(moverOf(motion), thin, pairsFor(motion));
  const solve = (cycles: number) => {
    const amplitude = solveAmplitude(
      (a) => measure(family.build(a, cycles)).meanSpeed,
      target,
      family.linear,
      family.guess?.(target),
    );
    return family.build(amplitude, cycles);
  };
  if (family.periodFrames === null) {
    const motion = solve(1);
    if (clock.mode === 'loop' && family.wholeTurns) {
      // A loop must come back to where it started: whole turns per span.
      const turns = Math.max(1, Math.round((motion.amplitude * clock.span) / (2 * Math.PI)));
      return {
        motion: family.build((2 * Math.PI * turns) / clock.span, 1),
        cycles: null,
        naturalCycles: null,
      };
    }
    return { motion, cycles: null, naturalCycles: null };
  }
  const naturalCycles = Math.max(1, Math.round(clock.span / family.periodFrames));
  let cycles = naturalCycles;
  let motion = solve(cycles);
  if (family.largest !== undefined)
    return heldAtLargest(family, family.largest, motion, cycles, measure, travelLimit);
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
  return { motion, cycles, naturalCycles };
}

/**
 * A motion with a widest of its own (a breath) keeps its word's tempo: past its widest, or past what keeps
 * its edge inside its band, it is held there rather than made quicker, and the person is told.
 */
function heldAtLargest(
  family: LayerMotionFamily,
  widest: number,
  motion: LayerMotion,
  cycles: number,
  measure: (motion: LayerMotion) => { maxDisplacement: number },
  travelLimit: number,
): CalibratedLayer {
  const { maxDisplacement } = measure(motion);
  // Displacement grows in proportion to the amplitude (a linear family): the widest inside the band.
  const inBand = maxDisplacement > 0 ? (motion.amplitude * travelLimit) / maxDisplacement : Infinity;
  const largest = Math.min(widest, inBand);
  if (motion.amplitude <= largest) return { motion, cycles, naturalCycles: cycles };
  return {
    motion: family.build(largest, cycles),
    cycles,
    naturalCycles: cycles,
    held: { largest, asked: motion.amplitude },
  };
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
  const { band, clipFade, layerGrow, layerFeather, rimRing } = sizes;
  // The layer's box reaches past its feathered edge and the rim ring around it (at small sizes, past the band).
  const layerBox = growBox(
    shape.box,
    Math.max(band, layerGrow + layerFeather + 2 * rimRing) + 1,
    width,
    height,
  );
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const layerCount = lw * lh;
  const insideAt = (i: number) =>
    shape.inside[(layerBox.y0 + Math.floor(i / lw)) * width + layerBox.x0 + (i % lw)] === 1;
  const outside = distanceTransform(lw, lh, insideAt);
  // A travel leaves everything around it behind: its layer is cut on the photo's own edges, so it carries
  // no ring of the background it leaves. Motions in place keep the grown feather that hides their seam.
  const coverage = request.motion.primitive === 'travel' ? request.coverage : undefined;
  const alpha = coverage
    ? travelAlpha(coverage, width, layerBox)
    : featherAlpha(outside, layerGrow, layerFeather);

  const family = layerFamily(
    request.motion,
    shapeGeometry(shape, layerGrow + layerFeather),
    clock.span,
    request.fps,
    clock.mode === 'loop',
    request.seed,
  );
  const target = request.strength * sizes.unit;
  const calibrated = calibrateLayer(family, shape.samples, clock, frameCount, target, sizes.layerTravel);
  const motion = calibrated.motion;
  const measured = measureMover(
    moverOf(motion),
    thinSamples(shape.samples, 400),
    timePairs(clock, frameCount, motion.opacity),
  );

  // Where the region may change pixels: its mask grown by the band, or for a travel its motion area (the
  // mask swept along its path) grown by the band. The clip is 1 there and fades out at the band's edge.
  const travels = request.motion.primitive === 'travel' && motion.amplitude !== 0;
  let box = layerBox;
  let clip: Float32Array;
  let motionArea: Mask | undefined;
  if (travels) {
    const swept = sweepRegion(shape, motion, clock.span, band + 1);
    box = swept.box;
    clip = sharedFloat32(boxWidth(box) * boxHeight(box));
    for (let i = 0; i < clip.length; i++) clip[i] = clipOf(swept.distance[i]!, band, clipFade);
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = swept.inside[i] ? 255 : 0;
    motionArea = { width, height, data };
  } else {
    clip = sharedFloat32(layerCount);
    for (let i = 0; i < layerCount; i++) clip[i] = clipOf(outside[i]!, band, clipFade);
  }

  const background = sharedUint8(layerCount * 4);
  for (let y = 0; y < lh; y++) {
    const from = ((layerBox.y0 + y) * width + layerBox.x0) * 4;
    background.set(photo.subarray(from, from + lw * 4), y * lw * 4);
  }
  if (motion.amplitude !== 0) {
    if (travels) fillBehindTravel(request, layerBox, background);
    else fillBehindLayer(request, layerBox, outside, reachOf(family, measured, sizes), background);
  }

  const split = coverage && travels ? splitEdge(photo, width, layerBox, alpha, background) : null;
  const foreground = split ? split.foreground : unmixed(photo, width, layerBox, alpha, background);
  const travelFrames = travels ? travelFramesOf(motion, clock, frameCount, layerBox, box) : null;
  return {
    plan: {
      kind: 'layer',
      box,
      clip,
      layerBox,
      alpha,
      background,
      foreground,
      detail: detailMap(foreground, lw, lh),
      poses: layerPoses(motion, clock, frameCount, layerBox),
      frameBoxes: travelFrames ? travelFrames.boxes : null,
      vacate:
        split && travelFrames
          ? {
              rest: split.rest,
              moved: travelFrames.moved,
              reach: reachFromCut(alpha, lw, lh),
            }
          : null,
    },
    fieldStrength: measured.meanSpeed / sizes.unit,
    motionArea,
    quickened: quickenedOf(calibrated, clock.span / request.fps),
    ...(calibrated.held ? { held: calibrated.held } : {}),
  };
}

/**
 * A bounded motion's tempo when its band made it half as quick again as its word's or more (a breath on a
 * large region at 0.4 quickened fourfold), else undefined: the person is told, not left to wonder.
 */
function quickenedOf(
  calibrated: CalibratedLayer,
  seconds: number,
): { hz: number; naturalHz: number } | undefined {
  const { cycles, naturalCycles } = calibrated;
  if (cycles === null || naturalCycles === null || cycles < 1.5 * naturalCycles) return undefined;
  return { hz: cycles / seconds, naturalHz: naturalCycles / seconds };
}

/** Opaque up to `grow` pixels past the region, then fading out over `feather` pixels. */
function featherAlpha(outside: Float32Array, grow: number, feather: number): Float32Array {
  const alpha = sharedFloat32(outside.length);
  for (let i = 0; i < outside.length; i++) {
    const d = outside[i]!;
    alpha[i] = d <= grow ? 1 : Math.max(0, 1 - (d - grow) / feather);
  }
  return alpha;
}

/** How deep into a bounded layer's footprint its motion can uncover (never the deep inside of a large region that moves a few pixels). */
function reachOf(family: LayerMotionFamily, measured: { maxDisplacement: number }, sizes: BandSizes): number {
  return family.bounded ? measured.maxDisplacement + sizes.layerFeather + 2 : Infinity;
}

/**
 * Fills the part of the layer's footprint (everything its opacity reaches) that its motion can uncover.
 * The ring just outside the footprint is the object's rim where its mask fell short: no source for the
 * fill. `outside`: layer-box-sized distance to the region.
 */
function fillBehindLayer(
  request: LayerRequest,
  layerBox: PixelBox,
  outside: Float32Array,
  reach: number,
  background: Uint8Array,
): void {
  const { layerGrow, layerFeather, rimRing } = request.sizes;
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const count = lw * lh;
  const footprint = layerGrow + layerFeather;
  const hole = new Uint8Array(count);
  for (let i = 0; i < count; i++) hole[i] = outside[i]! <= footprint ? 1 : 0;
  const depth = distanceTransform(lw, lh, (i) => hole[i] === 0);
  const state = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (hole[i]) state[i] = depth[i]! <= reach ? FILL : IGNORE;
    else state[i] = outside[i]! <= footprint + rimRing ? IGNORE : KNOWN;
  }
  inpaint(background, lw, lh, state, { seed: request.seed });
}

/**
 * A travel leaves its footprint entirely: fill it, and the rim ring around it (what its mask missed of
 * the object must not stay behind as an outline), with patches of the photo around it (inpaint-patch.ts).
 * The patches come from around the hole, so the fill works on the layer box grown by twice its own width
 * and height; the next ring out is no source. The result goes into the layer-box-sized `background`.
 */
function fillBehindTravel(request: LayerRequest, layerBox: PixelBox, background: Uint8Array): void {
  const { photo, width, height, shape, sizes } = request;
  const { layerGrow, layerFeather, rimRing } = sizes;
  const fillBox = {
    x0: Math.max(0, layerBox.x0 - 2 * boxWidth(layerBox)),
    y0: Math.max(0, layerBox.y0 - 2 * boxHeight(layerBox)),
    x1: Math.min(width, layerBox.x1 + 2 * boxWidth(layerBox)),
    y1: Math.min(height, layerBox.y1 + 2 * boxHeight(layerBox)),
  };
  const fw = boxWidth(fillBox);
  const fh = boxHeight(fillBox);
  const count = fw * fh;
  const outside = distanceTransform(
    fw,
    fh,
    (i) => shape.inside[(fillBox.y0 + Math.floor(i / fw)) * width + fillBox.x0 + (i % fw)] === 1,
  );
  const erased = layerGrow + layerFeather + rimRing;
  const state = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const d = outside[i]!;
    state[i] = d <= erased ? FILL : d <= erased + rimRing ? IGNORE : KNOWN;
  }
  const rgba = new Uint8Array(count * 4);
  for (let y = 0; y < fh; y++) {
    const from = ((fillBox.y0 + y) * width + fillBox.x0) * 4;
    rgba.set(photo.subarray(from, from + fw * 4), y * fw * 4);
  }
  inpaint(rgba, fw, fh, state, { seed: request.seed, copy: true });
  const lw = boxWidth(layerBox);
  const dx = layerBox.x0 - fillBox.x0;
  for (let y = 0; y < boxHeight(layerBox); y++) {
    const from = ((layerBox.y0 - fillBox.y0 + y) * fw + dx) * 4;
    background.set(rgba.subarray(from, from + lw * 4), y * lw * 4);
  }
}

/**
 * The layer's colours: where it is partly transparent (its feathered edge) the photo is a blend of the
 * object and what is behind it, photo = alpha F + (1 - alpha) B. With B the filled background, solving
 * for F keeps the composite exactly the photo at rest (no pop when the motion starts or passes through
 * rest) and leaves behind, in F, less of the old background the layer would otherwise carry as a halo.
 */
function unmixed(
  photo: Uint8Array,
  width: number,
  layerBox: PixelBox,
  alpha: Float32Array,
  background: Uint8Array,
): Uint8Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const foreground = sharedUint8(lw * lh * 4);
  for (let y = 0; y < lh; y++) {
    for (let x = 0; x < lw; x++) {
      const k = y * lw + x;
      const i = ((layerBox.y0 + y) * width + layerBox.x0 + x) * 4;
      const a = alpha[k]!;
      for (let c = 0; c < 4; c++) {
        const seen = photo[i + c]!;
        if (a >= 1 || a <= 0) {
          foreground[k * 4 + c] = seen;
          continue;
        }
        const value = (seen - (1 - a) * background[k * 4 + c]!) / a;
        foreground[k * 4 + c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
      }
    }
  }
  return foreground;
}

/** Each layer pixel's distance from the cut (where the opacity is above 0), at least 1 (plan.ts `vacate`). */
function reachFromCut(alpha: Float32Array, lw: number, lh: number): Float32Array {
  const distance = distanceTransform(lw, lh, (k) => alpha[k]! > 0);
  const reach = sharedFloat32(lw * lh);
  for (let k = 0; k < reach.length; k++) reach[k] = Math.max(1, distance[k]!);
  return reach;
}

/** 1 up to the clip's fade, 0 from the band's edge on. */
function clipOf(distance: number, band: number, fade: number): number {
  return distance <= band - fade ? 1 : distance >= band ? 0 : (band - distance) / fade;
}

/** Per frame of a travel, what its layer's corners moved by the frame's pose tell the renderer. */
interface TravelFrames {
  /**
   * The pixels the layer can change: where the layer box is drawn (plus a pixel for bilinear sampling)
   * and the footprint at rest, where the background is filled; inside `box`. x0, y0, x1, y1 per frame.
   */
  boxes: Int32Array;
  /** How far the layer has moved (its largest corner displacement, px): huge while it is out of view. */
  moved: Float32Array;
}

/** Both figures of TravelFrames from one pass over the layer box's corners (plan.ts `vacate`). */
function travelFramesOf(
  motion: LayerMotion,
  clock: RegionClock,
  frameCount: number,
  layerBox: PixelBox,
  box: PixelBox,
): TravelFrames {
  const boxes = new Int32Array(frameCount * 4);
  const moved = sharedFloat32(frameCount);
  const affine = new Float64Array(6);
  const point = new Float64Array(2);
  const corners = [
    layerBox.x0,
    layerBox.y0,
    layerBox.x1,
    layerBox.y0,
    layerBox.x0,
    layerBox.y1,
    layerBox.x1,
    layerBox.y1,
  ];
  for (let t = 0; t < frameCount; t++) {
    const tau = motionTime(clock, t);
    let x0 = layerBox.x0;
    let y0 = layerBox.y0;
    let x1 = layerBox.x1;
    let y1 = layerBox.y1;
    let most = 0;
    for (let i = 0; i < corners.length; i += 2) {
      forwardPoint(motion, tau, corners[i]!, corners[i + 1]!, affine, point);
      x0 = Math.min(x0, Math.floor(point[0]!) - 1);
      y0 = Math.min(y0, Math.floor(point[1]!) - 1);
      x1 = Math.max(x1, Math.ceil(point[0]!) + 2);
      y1 = Math.max(y1, Math.ceil(point[1]!) + 2);
      most = Math.max(most, Math.hypot(point[0]! - corners[i]!, point[1]! - corners[i + 1]!));
    }
    boxes[t * 4] = Math.max(box.x0, x0);
    boxes[t * 4 + 1] = Math.max(box.y0, y0);
    boxes[t * 4 + 2] = Math.min(box.x1, x1);
    boxes[t * 4 + 3] = Math.min(box.y1, y1);
    moved[t] = motion.opacity(tau) < 1 ? 1e9 : most;
  }
  return { boxes, moved };
}

function shapeGeometry(shape: RegionShape, reach: number): LayerGeometry {
  return {
    centroid: shape.centroid,
    samples: shape.samples,
    top: shape.box.y0,
    bottom: shape.box.y1 - 1,
    frame: { width: shape.width, height: shape.height, reach },
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
    poses[at + 7] = motion.amplitude !== 0 && (most > 1e-4 || opacity < 1) ? 1 : 0;
  }
  return poses;
}
