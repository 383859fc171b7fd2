// Body motions for the built-in engine (issue 12, points 4 and 7), driven by the skeleton: the one the
// detector finds on the person (breathe, wave, raise an arm) or the one keyed in the pose panel (the pose
// puppet). Every one starts from the photo (frame 0) and is back at rest at the end of its span.
// - breathe: a smooth field over the upper body lifts the chest and shoulders and widens the chest a
//   little, fading to nothing at the person's outline, so nothing outside the person moves;
// - wave: the forearm and hand swing to and fro about the elbow; raise: the arm lifts about the shoulder
//   and comes back. Both, and the puppet, pose the skeleton per frame and deform the person with it
//   (plan-skin.ts), filling what the limb uncovers.
import { StirError, type Mask, type Point, type Pose } from '../../shared/index.js';
import { jointsAt } from '../diffusion/pose.js';
import { distanceTransform } from '../motion/distance.js';
import type { RegionShape } from '../motion/mask.js';
import { sharedFloat32, type FieldRegionPlan, type PlanRequest } from '../motion/plan.js';
import type { BodyPrimitive, PuppetPrimitive } from '../motion/spec.js';
import { cyclesFor, motionTime } from '../motion/timing.js';
import { bodyInMask, openPoseJoints } from './fit-pose.js';
import { withHand } from './hand-region.js';
import { planSkin, type PlannedSkin } from './plan-skin.js';
import { J, rotated, shoulderWidth, type Joints } from './skeleton.js';
import type { FoundPeople } from './types.js';

export interface BodyRequest extends PlanRequest {
  photo: Uint8Array;
  shape: RegionShape;
  motion: BodyPrimitive | PuppetPrimitive;
  seed: number;
  fps: number;
  /** The region's keyframed skeleton, in photo pixels (the puppet's). */
  pose: Pose | null;
}

export type PlannedBody = PlannedSkin | { plan: FieldRegionPlan; fieldStrength: number };

/** The wave's swing about the elbow at strength 1, degrees each way; the raise's lift at strength 1. */
const WAVE_DEGREES_PER_STRENGTH = 7;
const WAVE_DEGREES_MOST = 45;
/** Share of the clip over which a wave builds up (and, at its end, dies down). */
const WAVE_SWELL = 0.2;

/**
 * How much of its swing a hand wave has at time share t of its span: it builds up from rest and dies down
 * to rest (smoothly, so the hand is still at both ends): a loop then joins where the hand rests, not where
 * it swings fastest (a pure sine's seam read 1.65 against the 1.2 allowed).
 */
export function waveSwell(t: number): number {
  const ramp = Math.max(0, Math.min(1, t / WAVE_SWELL, (1 - t) / WAVE_SWELL));
  return ramp * ramp * (3 - 2 * ramp);
}
const RAISE_DEGREES_PER_STRENGTH = 30;
const RAISE_DEGREES_MOST = 110;
/** The breath's peak lift at strength 1, pixels at a 512-pixel long side. */
const BREATH_LIFT_PER_STRENGTH = 10;

/**
 * Plans a body motion on the person in the region, or returns null for a breath with no person in the
 * region (the caller lets it swell and shrink as any other thing that breathes).
 */
export function planBodyInRegion(
  request: BodyRequest,
  photoSize: { width: number; height: number },
  mask: Mask,
  found: FoundPeople | null,
): PlannedBody | null {
  const sx = request.width / photoSize.width;
  const sy = request.height / photoSize.height;
  const scale = (joints: Joints): Joints => joints.map((p) => (p ? { x: p.x * sx, y: p.y * sy } : null));
  const { motion } = request;
  if (motion.primitive === 'puppet') {
    if (!request.pose) {
      throw new StirError('BAD_REQUEST', 'The pose puppet follows a skeleton, and this region has none.', {
        hint: 'Add a person skeleton in the pose panel (or fit it to the person), then key poses on the timeline.',
      });
    }
    const pose = request.pose;
    const rest = scale(jointsAt(pose, 0));
    return planSkin({
      ...request,
      rest,
      poseAt: (f) => posedOrRest(scale(jointsAt(pose, f / request.fps)), rest),
      limited: false,
    });
  }
  const body = found ? bodyInMask(found.bodies, mask) : null;
  if (motion.part === 'breathe') {
    if (!body) return null;
    const joints = scale(openPoseJoints(body));
    if (!joints[J.rightShoulder] || !joints[J.leftShoulder]) return null;
    return planBreath(request, joints);
  }
  const word = motion.part === 'wave' ? 'wave a hand' : 'raise an arm';
  if (!found) {
    throw new StirError(
      'BAD_REQUEST',
      `To ${word} Stir needs to find the person, and this engine does not look for people.`,
    );
  }
  if (!body) {
    throw new StirError('BAD_REQUEST', `Stir found no person in the region that should ${word}.`, {
      hint: 'Click on the person to make the region (the whole person, arms included).',
      details: { people: found.bodies.length },
    });
  }
  const rest = scale(openPoseJoints(body));
  const arm = armOf(rest, motion.side, word);
  const span = Math.max(1, request.clock.span);
  const cycles = cyclesFor(span, motion.period * request.fps);
  const phase = (f: number) => (2 * Math.PI * cycles * motionTime(request.clock, f)) / span;
  const shoulder = rest[arm.shoulder]!;
  const elbow = rest[arm.elbow]!;
  const wrist = rest[arm.wrist]!;
  // Which way is "out and up": away from the body's middle, turning the hand upwards.
  const middle = (rest[J.neck] ?? shoulder).x;
  // The hand goes with its arm, even where the click's selection stopped at the sleeve.
  const shape = withHand(request.shape, request.photo, elbow, wrist);
  if (motion.part === 'wave') {
    const amplitude =
      (Math.min(WAVE_DEGREES_MOST, WAVE_DEGREES_PER_STRENGTH * request.strength) * Math.PI) / 180;
    return planSkin({
      ...request,
      shape,
      rest,
      poseAt: (f, amount) => {
        const posed = [...rest];
        const swell = waveSwell(motionTime(request.clock, f) / span);
        posed[arm.wrist] = rotated(wrist, elbow, amount * amplitude * swell * Math.sin(phase(f)));
        return posed;
      },
      limited: true,
    });
  }
  const lift = (Math.min(RAISE_DEGREES_MOST, RAISE_DEGREES_PER_STRENGTH * request.strength) * Math.PI) / 180;
  // Rotating by a positive angle (image axes) turns a hanging arm towards the image's left.
  const sign = shoulder.x < middle ? 1 : -1;
  return planSkin({
    ...request,
    shape,
    rest,
    poseAt: (f, amount) => {
      const angle = (amount * sign * lift * (1 - Math.cos(phase(f)))) / 2;
      const posed = [...rest];
      posed[arm.elbow] = rotated(elbow, shoulder, angle);
      posed[arm.wrist] = rotated(wrist, shoulder, angle);
      return posed;
    },
    limited: true,
  });
}

/** Where a keyed joint is missing at some time, it holds its rest place. */
function posedOrRest(posed: Joints, rest: Joints): Joints {
  return rest.map((p, j) => posed[j] ?? p);
}

const ARMS = {
  right: { shoulder: J.rightShoulder, elbow: J.rightElbow, wrist: J.rightWrist },
  left: { shoulder: J.leftShoulder, elbow: J.leftElbow, wrist: J.leftWrist },
} as const;

/** The arm to move: the one named, else the one whose hand shows (the higher hand when both do). */
function armOf(joints: Joints, side: 'left' | 'right' | null, word: string) {
  const whole = (s: 'left' | 'right') =>
    joints[ARMS[s].shoulder] && joints[ARMS[s].elbow] && joints[ARMS[s].wrist] ? ARMS[s] : null;
  if (side) {
    const arm = whole(side);
    if (!arm) {
      throw new StirError(
        'BAD_REQUEST',
        `Stir cannot see the person's ${side} arm down to the hand, so it cannot ${word} with it.`,
        {
          hint: `Try the other arm, or "${word.split(' ')[0]} the hand" to let Stir choose.`,
          // A refusal by design: no arm is invented (eval reports it as such, not as a failure).
          details: { refusal: 'no-hand' },
        },
      );
    }
    return arm;
  }
  const both = [whole('right'), whole('left')].filter((a) => a !== null);
  if (both.length === 0) {
    throw new StirError(
      'BAD_REQUEST',
      `Stir cannot see either of the person's hands, so it cannot ${word}.`,
      {
        hint: 'A photo where an arm shows from the shoulder to the hand is needed.',
        details: { refusal: 'no-hand' },
      },
    );
  }
  return both.sort((a, b) => joints[a.wrist]!.y - joints[b.wrist]!.y)[0]!;
}

/**
 * The breath: a field over the upper body, strongest over the chest and the shoulders, smoothly to zero
 * at the person's outline. A frame samples the photo at x + w(t) B(x), so B points down (the chest's
 * content comes from below: it rises) and towards the chest's middle (it widens).
 */
function planBreath(request: BodyRequest, joints: Joints): { plan: FieldRegionPlan; fieldStrength: number } {
  const { width, shape, clock, frameCount, sizes, fps } = request;
  const right = joints[J.rightShoulder]!;
  const left = joints[J.leftShoulder]!;
  const w = shoulderWidth(joints);
  // Down the body: perpendicular to the shoulder line, towards the image's bottom.
  let nx = -(left.y - right.y) / w;
  let ny = (left.x - right.x) / w;
  if (ny < 0) [nx, ny] = [-nx, -ny];
  const neck: Point = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  const chest: Point = { x: neck.x + 0.45 * w * nx, y: neck.y + 0.45 * w * ny };
  const box = shape.box;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  // Distance inside the person to its outline: the field fades in over a fifth of the shoulders' width.
  const inside = distanceTransform(
    bw,
    bh,
    (i) => shape.inside[(box.y0 + Math.floor(i / bw)) * width + box.x0 + (i % bw)] !== 1,
  );
  const fade = Math.max(2, 0.2 * w);
  const basis = sharedFloat32(bw * bh * 2);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const d = inside[y * bw + x]!;
      if (d <= 0) continue;
      const u = Math.min(1, d / fade);
      const edge = u * u * (3 - 2 * u);
      const px = box.x0 + x + 0.5;
      const py = box.y0 + y + 0.5;
      // Along the body (down) and across it, from the chest.
      const along = (px - chest.x) * nx + (py - chest.y) * ny;
      const across = (px - chest.x) * ny - (py - chest.y) * nx;
      const chestBump = Math.exp(-(along ** 2) / (2 * (0.55 * w) ** 2) - across ** 2 / (2 * (0.6 * w) ** 2));
      let shoulderBump = 0;
      for (const s of [right, left]) {
        shoulderBump = Math.max(
          shoulderBump,
          Math.exp(-((px - s.x) ** 2 + (py - s.y) ** 2) / (2 * (0.3 * w) ** 2)),
        );
      }
      const g = edge * Math.min(1, chestBump + 0.8 * shoulderBump);
      if (g < 1e-3) continue;
      const i = (y * bw + x) * 2;
      // Up by g; outwards from the chest's middle line by a quarter of that, growing with the distance.
      const widen = (0.25 * across) / (0.5 * w);
      basis[i] = g * (nx - widen * ny);
      basis[i + 1] = g * (ny + widen * nx);
    }
  }
  const span = Math.max(1, clock.span);
  const motion = request.motion as BodyPrimitive;
  const cycles = cyclesFor(span, motion.period * fps);
  const lift = BREATH_LIFT_PER_STRENGTH * request.strength * sizes.unit;
  const weights = sharedFloat32(frameCount);
  for (let f = 0; f < frameCount; f++) {
    weights[f] = (lift * (1 - Math.cos((2 * Math.PI * cycles * motionTime(clock, f)) / span))) / 2;
  }
  // The field's strength (QUALITY.md): the mean displacement per frame over the person.
  let sum = 0;
  let count = 0;
  for (let i = 0; i < bw * bh; i++) {
    if (shape.inside[(box.y0 + Math.floor(i / bw)) * width + box.x0 + (i % bw)] !== 1) continue;
    sum += Math.hypot(basis[i * 2]!, basis[i * 2 + 1]!);
    count++;
  }
  let speed = 0;
  for (let f = 1; f < frameCount; f++) speed += Math.abs(weights[f]! - weights[f - 1]!);
  const mean = count > 0 && frameCount > 1 ? (sum / count) * (speed / (frameCount - 1)) : 0;
  return {
    plan: { kind: 'field', box: { ...box }, count: 1, bases: basis, weights, alphas: null },
    fieldStrength: mean / sizes.unit,
  };
}
