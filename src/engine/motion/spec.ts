// The motion primitives the built-in engine renders, with their parameters. A lexicon word names one
// primitive and fills in its parameters (words.ts); the planner turns it into fields and layers (plan.ts).
//
// Four families (issue 3, point 2):
// - fluid: a static Eulerian motion field inside the region, looped forwards and backwards
//   (Holynski et al., "Animating Pictures with Eulerian Motion Fields", CVPR 2021);
// - warp: an elastic displacement field inside the region, each point swaying about its rest position;
// - layer: the region cut out with a feathered edge and moved by a rigid or elastic transform over an
//   inpainted background;
// - camera: a whole-photo region moved as a camera would (zoom, pan).

import { LIMITS } from '../../shared/index.js';

/** Directions are degrees counter-clockwise from pointing right (0 right, 90 up, 180 left, 270 down). */
export type Degrees = number;

export type FluidPrimitive =
  /** Texture streams along a direction, with curl-noise turbulence (flow, pour, rise, drift, storm...). */
  | { primitive: 'flow'; direction: Degrees; turbulence: number; scale: number }
  /** Turbulence only, no mean direction: a surface that churns in place (boiling). */
  | { primitive: 'churn'; scale: number }
  /** Rotation about the region's centre, as a stirred drink or a whirlpool. */
  | { primitive: 'swirl'; turbulence: number; clockwise: boolean };

/**
 * Where a wave is held still: a plant at its base (it grows there; displacement grows with the height
 * above the region's base), a flag at the side the wave starts from (its pole), an animal nowhere (it
 * undulates along its body axis, head nearly still, the swing growing towards the tail).
 */
export type WaveAnchor = 'base' | 'side' | 'body';

/**
 * Elastic warps: every point sways about its own rest position; one smooth displacement field, sampled
 * everywhere (no cut-out layer), that fades to nothing across a soft band at the region's edge
 * (edge-band.ts): no cross-fade, no uncovered background, an exact loop. `period` is seconds per cycle
 * (the region's tempo replaces it); strength scales the swing, and quickens a ripple only once its swing
 * would fill its region, never past the top of its natural range (plan-warp.ts).
 * - gust: waves run across the region along `direction` (wind over grass, through fur or leaves);
 * - ripple: patches of a water surface heave to and fro, or, with `haze`, a fine random shimmer;
 * - sway: bends to and fro along `direction`, anchored at the region's base (trees, grass, plants);
 * - wave: a wave travelling along `direction` (anchor base: wind through plants; side: a flag) or, anchor
 *   body, along the region's own long axis from head to tail (a fish, a snake).
 * Wavelengths are shares of the region's larger side (of its body length for anchor body).
 */
export type WarpPrimitive =
  | { primitive: 'gust'; direction: Degrees; period: number; wavelength: number }
  | { primitive: 'ripple'; period: number; wavelength: number; haze: boolean }
  | { primitive: 'sway'; period: number; direction: Degrees }
  | { primitive: 'wave'; period: number; wavelength: number; direction: Degrees; anchor: WaveAnchor };

export type LayerPrimitive =
  /** Moves to and fro along a direction (default up and down), optionally tilting a little. */
  | { primitive: 'bob'; period: number; direction: Degrees; tilt: number }
  /** Hops along a direction and lands back on its base. */
  | { primitive: 'bounce'; period: number; direction: Degrees }
  /** Rotates to and fro about a pivot at the region's top (pendulum) or base (a rocking boat). */
  | { primitive: 'swing'; period: number; pivot: 'top' | 'base' }
  /** Turns continuously about the region's centre. */
  | { primitive: 'spin'; clockwise: boolean }
  /** Jitters in place; period is the fastest jitter. */
  | { primitive: 'shake'; period: number }
  /** Grows and shrinks about its centre; beat = a heartbeat's double pulse rather than a smooth breath. */
  | { primitive: 'pulse'; period: number; beat: boolean }
  /**
   * A breath on something that is not a person (a sleeping cat, a pillow): it swells from its base and
   * settles, at a breath's tempo, by no more than a breath does (layers.ts BREATH_LARGEST).
   */
  | { primitive: 'breath'; period: number }
  /**
   * Moves the region out along its path (launch, fly away, drive forward, fall): the region's mask swept
   * along `direction` over the distance the motion covers is its motion area (sweep.ts). `pace`:
   * accelerate = from rest with constant acceleration (a launch, a fall); steady = eases into a constant
   * speed (a glide). `shrink`: the share of its size it has lost at the end of its path (flying away).
   */
  | {
      primitive: 'travel';
      direction: Degrees;
      shrink: number;
      pace: 'accelerate' | 'steady';
      /** A drawn path to follow instead of `direction` (guide.ts); absent for a straight travel. */
      route?: Route;
    };

/** A drawn path as a travel follows it: points relative to its first (x y pairs), cumulative lengths. */
export interface Route {
  points: Float64Array;
  lengths: Float64Array;
}

export type CameraPrimitive =
  /** sign 1 zooms in, -1 zooms out; eased = a slow push rather than a zoom. */
  | { primitive: 'zoom'; sign: 1 | -1; eased: boolean }
  /** The view moves along a direction inside the photo (zoomed in just enough to stay inside it). */
  | { primitive: 'pan'; direction: Degrees; zoom: number };

/**
 * A face motion driven by the face mesh (src/engine/people/plan-face.ts); needs a detected face. A look
 * turns the eyes (and a little of the head) towards the horizontal side of `direction`.
 */
export type FacePrimitive =
  | { primitive: 'face'; part: 'smile' | 'blink' | 'nod' | 'shake' | 'brows' }
  | { primitive: 'face'; part: 'look'; direction: Degrees };
export type FacePart = FacePrimitive['part'];

/**
 * A body motion driven by the person's skeleton (src/engine/people/plan-body.ts); needs a detected body.
 * breathe: the chest and shoulders rise and fall (a region with no person in it swells from its base);
 * wave: the forearm and hand swing about the elbow; raise: the arm lifts about the shoulder and comes
 * back. `side` is the person's own arm, or null for the one whose hand shows.
 */
export type BodyPrimitive = {
  primitive: 'body';
  part: 'breathe' | 'wave' | 'raise';
  side: 'left' | 'right' | null;
  period: number;
};

/** The pose puppet: the region's keyframed skeleton deforms the person (src/engine/people/plan-skin.ts). */
export type PuppetPrimitive = { primitive: 'puppet' };

export type MotionPrimitive =
  | FluidPrimitive
  | WarpPrimitive
  | LayerPrimitive
  | CameraPrimitive
  | FacePrimitive
  | BodyPrimitive
  | PuppetPrimitive;
export type PrimitiveName = MotionPrimitive['primitive'];

export const FLUID_PRIMITIVES: readonly PrimitiveName[] = ['flow', 'churn', 'swirl'];
export const CAMERA_PRIMITIVES: readonly PrimitiveName[] = ['zoom', 'pan'];

export function isFluid(motion: MotionPrimitive): motion is FluidPrimitive {
  return FLUID_PRIMITIVES.includes(motion.primitive);
}

export function isWarp(motion: MotionPrimitive): motion is WarpPrimitive {
  return WARP_PRIMITIVES.includes(motion.primitive);
}

export const WARP_PRIMITIVES: readonly PrimitiveName[] = ['gust', 'ripple', 'sway', 'wave'];

export function isCamera(motion: MotionPrimitive): motion is CameraPrimitive {
  return CAMERA_PRIMITIVES.includes(motion.primitive);
}

/** Replaces the primitive's own direction with the person's, where it has one. */
export function withDirection(motion: MotionPrimitive, direction: Degrees | null): MotionPrimitive {
  if (direction === null || !('direction' in motion)) return motion;
  return { ...motion, direction };
}

/** Replaces the primitive's own period with the person's tempo (cycles per second), where it has one. */
export function withTempo(motion: MotionPrimitive, tempo: number | null | undefined): MotionPrimitive {
  if (tempo === null || tempo === undefined || !('period' in motion)) return motion;
  const hz = Math.min(LIMITS.tempoMax, Math.max(LIMITS.tempoMin, tempo));
  // Shake's period is its fastest jitter, half its cycle (layers.ts): the tempo is the whole cycle.
  return { ...motion, period: motion.primitive === 'shake' ? 1 / (2 * hz) : 1 / hz };
}
