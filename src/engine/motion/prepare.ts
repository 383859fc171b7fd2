// prepare(): from the request to a render plan. Resolves each region's motion word, builds its masks at
// the output size, and hands it to the planner of its family (fluid, layer, camera). Two steps: the photo
// is resized (sharp, off the event loop) where the job runs, and the plan is built by buildPlan, which
// takes seconds on a large photo and so runs on a render worker (render-pool.ts), never on the engine's
// event loop (issue 14, point 3).
import { frameCountOf, throwIfCancelled, type Mask } from '../../shared/index.js';
import { resizeRgba } from '../image/encode.js';
import type { RgbaImage } from '../image/types.js';
import type { AnimateInput, JobControl, RegionSpec, AnimationTiming } from '../render/types.js';
import { bandSizes } from './band.js';
import { motionOf } from './lexicon.js';
import { isWholePhoto, maskAtSize, regionShape } from './mask.js';
import { refineCoverage, refineOptionsFor } from './mask-refine.js';
import { planCamera } from './plan-camera.js';
import { planFluid } from './plan-fluid.js';
import { planLayer, type PlannedRegion } from './plan-layer.js';
import { planWarp } from './plan-warp.js';
import { sharedUint8, type FramePlan, type RegionPlan } from './plan.js';
import {
  isCamera,
  isFluid,
  isWarp,
  withDirection,
  withTempo,
  type LayerPrimitive,
  type MotionPrimitive,
} from './spec.js';
import { moves, regionClock, type RegionClock } from './timing.js';
import type { PeopleDetector } from '../people/detector.js';
import type { FoundPeople } from '../people/types.js';
import { planFaceInRegion } from '../people/face-region.js';
import { planBodyInRegion } from '../people/plan-body.js';
import { mayMeanOnPerson, meaningOnPerson } from '../people/person-word.js';
import { guideAtSize, guidedMotion } from './guide.js';
import { breathNote, strengthNote, tempoNote } from './strength-note.js';

/** The largest long side segmenters work at (SAM's input, the classic segmenter's refinement size). */
const SEGMENTED_SIZE = 1024;

/** What the engine made of each region, for eval and for people who ask. */
export interface RegionReport {
  id: string;
  word: string;
  primitive: MotionPrimitive['primitive'];
  family: RegionPlan['kind'] | 'still';
  /** Requested strength, px/frame at a 512-px long side. */
  strength: number;
  /** The strength of the engine's own displacement field (QUALITY.md), same unit. */
  fieldStrength: number;
  /** Said to the person when fieldStrength is not what they asked for, and why (strength-note.ts). */
  note: string | null;
  /**
   * Where the region moves (QUALITY.md measures mask correspondence and background stability against it,
   * grown by 2% of the long side): the region's own mask for every motion but travel; for a travel
   * (launch, fly away, drive forward, fall...) its mask swept along its path, at the output size.
   * Masks may be at any size: scale to the frame by nearest pixel.
   */
  motionArea: Mask;
}

export interface PreparedPlan {
  plan: FramePlan;
  regions: RegionReport[];
}

/** A camera word on a region that is not the whole photo: the region itself zooms or pans, and back. */
function cameraAsLayer(motion: MotionPrimitive, clock: RegionClock, fps: number): MotionPrimitive {
  const seconds = Math.max(1, clock.span) / fps;
  if (motion.primitive === 'zoom') return { primitive: 'pulse', period: seconds, beat: false };
  if (motion.primitive === 'pan')
    return { primitive: 'bob', period: seconds, direction: motion.direction, tilt: 0 };
  return motion;
}

/** A breath on a region with no person in it swells and settles at the breath's own pace. */
function breathPeriod(motion: MotionPrimitive): number {
  return 'period' in motion ? motion.period : 3.5;
}

/** What building a plan needs: the request with its photo already at the output size. */
export interface PlanInput {
  /** RGBA at `size`, on shared memory: the plan keeps it as its frame 0. */
  photo: Uint8Array;
  regions: RegionSpec[];
  timing: AnimationTiming;
  size: { width: number; height: number };
  /**
   * The faces and bodies on the photo, in the photo's own pixels (`photoSize`), when a region asks for a
   * face motion; found here, on the caller's side, because the detector is a worker of its own.
   */
  people: FoundPeople | null;
  photoSize: { width: number; height: number };
}

/** Both steps where the caller runs (no render workers). */
export async function preparePlan(
  input: AnimateInput,
  control: JobControl,
  people: PeopleDetector | null = null,
): Promise<PreparedPlan> {
  return buildPlan(await planInput(input, control, people), control);
}

/**
 * The last resize of each photo (by its pixels, which the engine never changes): an editor renders the
 * same photo at the same size after every edit, and resizing 12 MP took about 120 ms of the 150 ms an
 * edit may take to its first frame (issue 13, point 1). Plans only read it, so animations share it.
 */
const resizedPhotos = new WeakMap<Uint8Array, { width: number; height: number; data: Uint8Array }>();

/** The photo at `size`, RGBA on shared memory (the plan's frame 0). */
async function photoAtSize(photo: RgbaImage, width: number, height: number): Promise<Uint8Array> {
  const cached = resizedPhotos.get(photo.data);
  if (cached && cached.width === width && cached.height === height) return cached.data;
  const resized = await resizeRgba(photo, width, height);
  const data = sharedUint8(resized.data.length);
  data.set(resized.data);
  resizedPhotos.set(photo.data, { width, height, data });
  return data;
}

/** The photo at the output size, on shared memory, with the rest of the request. */
export async function planInput(
  input: AnimateInput,
  control: JobControl,
  people: PeopleDetector | null = null,
): Promise<PlanInput> {
  const { width, height } = input.size;
  control.progress('Preparing the photo', 0);
  const photo = await photoAtSize(input.photo, width, height);
  throwIfCancelled(control.signal);
  const wantsPeople = input.regions.some((region) => {
    const resolved = motionOf(region);
    return ['face', 'body'].includes(resolved.motion.primitive) || mayMeanOnPerson(resolved.word);
  });
  const found = wantsPeople && people ? await people.find(input.photo) : null;
  throwIfCancelled(control.signal);
  return {
    photo,
    regions: input.regions,
    timing: input.timing,
    size: input.size,
    people: found,
    photoSize: { width: input.photo.width, height: input.photo.height },
  };
}

export async function buildPlan(input: PlanInput, control: JobControl): Promise<PreparedPlan> {
  const { width, height } = input.size;
  const { fps, loop } = input.timing;
  const frameCount = frameCountOf(input.timing);
  const { photo } = input;

  const sizes = bandSizes(width, height);
  const regions: RegionPlan[] = [];
  const reports: RegionReport[] = [];
  for (const [n, region] of input.regions.entries()) {
    throwIfCancelled(control.signal);
    control.progress('Building motion fields', (n + 0.1) / input.regions.length);
    // "wave" on a person waves a hand (people/person-word.ts).
    const resolved = meaningOnPerson(motionOf(region), region.mask, input.people);
    const guide = guideAtSize(region, input.photoSize, input.size);
    let motion = guidedMotion(
      withTempo(withDirection(resolved.motion, resolved.direction), region.tempo),
      guide,
    );
    const clock = regionClock({ frameCount, fps, loop }, region.start, region.end);
    const report: RegionReport = {
      id: region.id,
      word: resolved.word,
      primitive: motion.primitive,
      family: 'still',
      strength: region.strength,
      fieldStrength: 0,
      note: null,
      motionArea: region.mask,
    };
    reports.push(report);
    if (!moves(clock) || region.strength <= 0) continue;
    const whole = isWholePhoto(region.mask);
    const coverage = maskAtSize(region.mask, width, height);
    // Snapped to the photo's edges at the output size where the mask was made smaller than it: enlarged
    // here, or by its segmenter (both work at most at SEGMENTED_SIZE on the long side), so no stair-steps.
    const enlarged = Math.max(width / region.mask.width, height / region.mask.height);
    const made = Math.max(enlarged, Math.max(width, height) / SEGMENTED_SIZE);
    // A face word moves what its field moves (people/plan-face.ts), whatever the mask's outline: its
    // coverage is only asked whether the region is empty, and refining it cost a third of a second per
    // face at 1080x1920.
    if (!whole && made > 1 && motion.primitive !== 'face')
      refineCoverage(coverage, photo, width, height, refineOptionsFor(width, height, made));
    const shape = regionShape(coverage, width, height);
    if (shape.area === 0) continue;
    const common = { width, height, clock, frameCount, strength: region.strength, sizes };
    let planned: PlannedRegion<RegionPlan>;
    if (motion.primitive === 'face') {
      planned = planFaceInRegion(
        { ...common, photo, motion, fps },
        input.photoSize,
        region.mask,
        input.people,
      );
    } else if (motion.primitive === 'body' || motion.primitive === 'puppet') {
      const body = { ...common, photo, shape, motion, seed: region.seed, fps, pose: region.pose };
      planned =
        planBodyInRegion(body, input.photoSize, region.mask, input.people) ??
        planLayer({ ...body, motion: { primitive: 'breath', period: breathPeriod(motion) } });
    } else if (isCamera(motion) && whole) {
      planned = planCamera({ ...common, photo, motion });
    } else {
      if (isCamera(motion)) motion = cameraAsLayer(motion, clock, fps);
      if (isWarp(motion)) {
        planned = planWarp({
          ...common,
          photo,
          shape,
          motion,
          seed: region.seed,
          fps,
          heading: resolved.direction,
          tempoFixed: region.tempo !== null && region.tempo !== undefined,
        });
      } else if (isFluid(motion)) {
        planned = planFluid({ ...common, photo, shape, motion, seed: region.seed, guide, coverage });
      } else {
        planned = planLayer({
          ...common,
          photo,
          shape,
          motion: motion as LayerPrimitive,
          seed: region.seed,
          fps,
          coverage,
        });
      }
    }
    regions.push(planned.plan);
    report.family = planned.plan.kind;
    report.fieldStrength = planned.fieldStrength;
    // Face and body words measure their strength their own way (a smile's lift, a breath's rise).
    const measuredAsSpeed = ['layer', 'warp', 'fluid'].includes(planned.plan.kind);
    // A breath held at its widest says so in its own words (a breath's size, not its band).
    const held = planned.held ? breathNote(planned.held, region.strength, planned.fieldStrength) : null;
    report.note =
      held ??
      (measuredAsSpeed
        ? strengthNote({
            strength: region.strength,
            fieldStrength: planned.fieldStrength,
            primitive: motion.primitive,
            loops: loop === 'loop',
            seconds: clock.span / fps,
          })
        : null);
    if (planned.quickened) report.note ??= tempoNote(planned.quickened, region.strength);
    if (planned.motionArea) report.motionArea = planned.motionArea;
  }
  control.progress('Building motion fields', 1);
  return { plan: { width, height, frameCount, photo, regions }, regions: reports };
}
