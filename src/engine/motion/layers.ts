// Rigid and elastic motions of a region as a layer (issue 3, point 2): each is a forward map from a point
// of the photo to where it is drawn at a given motion time. Every map is affine, so its inverse is exact
// and the renderer samples the layer without smearing or tearing, and at motion time 0 every map is the identity,
// so the first frame is the photo.
import { seededRandom } from './noise.js';
import type { LayerPrimitive } from './spec.js';
import { routeOffset } from './guide.js';

export type Vec = readonly [number, number];

/** A direction in degrees (counter-clockwise from right) as a unit vector in image coordinates (y down). */
export function unitVector(degrees: number): [number, number] {
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), -Math.sin(radians)];
}

/** What a layer motion knows of its region, at the output size. */
export interface LayerGeometry {
  centroid: { x: number; y: number };
  /** Inside pixels, x y pairs (mask.ts regionShape). */
  samples: Float32Array;
  /** Top (smallest y) and bottom (largest y) of the region. */
  top: number;
  bottom: number;
  /** The frame, and how far the layer reaches past the mask (its feathered edge): where a travel leaves. */
  frame: { width: number; height: number; reach: number };
}

export interface LayerMotion {
  /** Displacement scale: pixels (translations), radians (rotations) or log-scale (zoom). */
  amplitude: number;
  /** Forward affine, [a, b, c, d, e, f]: x' = a x + b y + c, y' = d x + e y + f. */
  affine(tau: number, out: Float64Array): void;
  /** Layer opacity: 1, or 0 while a looping travel is wholly out of the frame (never in between). */
  opacity(tau: number): number;
}

export interface LayerMotionFamily {
  /** The motion with displacement scale `amplitude` and `cycles` whole cycles over the span. */
  build(amplitude: number, cycles: number): LayerMotion;
  /** Preferred cycle length in frames; null for motions that are not periodic (spin, travel). */
  periodFrames: number | null;
  /** True when the displacement grows in proportion to the amplitude (then one calibration step is exact). */
  linear: boolean;
  /** False for motions that may leave the region's band (spin, travel): they are clipped, not limited. */
  bounded: boolean;
  /** Spin: amplitude is radians per frame, and a loop closes only after whole turns. */
  wholeTurns: boolean;
  /** Where calibration starts for a requested speed (default 1). */
  guess?: (target: number) => number;
  /**
   * The widest the motion may be whatever its strength (a breath: BREATH_LARGEST): past it, it is held
   * there at its word's tempo and the person told, never made quicker (calibrateLayer).
   */
  largest?: number;
}

/**
 * The most a breath swells a region that is not a person, as a share of its size: a chest or a sleeping
 * cat's flank rises a few percent as it breathes. The eval's cat at strength 0.4 asked for about 9%, and
 * quickened to a pant to keep even that inside its band.
 */
export const BREATH_LARGEST = 0.04;

/** Rotation by `angle` (radians, counter-clockwise on screen) and scale `zoom` about (cx, cy), then (tx, ty). */
function setSimilarity(
  out: Float64Array,
  angle: number,
  zoom: number,
  cx: number,
  cy: number,
  tx = 0,
  ty = 0,
): void {
  const c = Math.cos(angle) * zoom;
  const s = Math.sin(angle) * zoom;
  // Image y points down, so a counter-clockwise turn on screen is [c s; -s c].
  out[0] = c;
  out[1] = s;
  out[2] = cx - c * cx - s * cy + tx;
  out[3] = -s;
  out[4] = c;
  out[5] = cy + s * cx - c * cy + ty;
}

const still = () => 1;

/** A breath's swell over its cycle: 0 at rest, 1 at its fullest, smooth both ways. */
const smoothSwell = (theta: number) => (1 - Math.cos(theta)) / 2;

/**
 * A region that grows by `amplitude` times swell(theta) - swell(0) about (px, py) and settles back, once a
 * period of `periodFrames` (a pulse about its centre, a breath about the middle of its base). `phase`: the
 * family's angle at motion time tau for a number of cycles.
 */
function swellFamily(
  periodFrames: number,
  phase: (cycles: number, tau: number) => number,
  swell: (theta: number) => number,
  px: number,
  py: number,
): LayerMotionFamily {
  const rest = swell(0);
  return {
    periodFrames,
    linear: true,
    bounded: true,
    wholeTurns: false,
    build(amplitude, cycles) {
      return {
        amplitude,
        affine: (tau, out) =>
          setSimilarity(out, 0, 1 + amplitude * (swell(phase(cycles, tau)) - rest), px, py),
        opacity: still,
      };
    },
  };
}

/**
 * The family of layer motions for a primitive on a region. `span` is the motion's length in frames,
 * `fps` turns the word's period in seconds into frames, `seed` varies shakes between regions.
 */
export function layerFamily(
  motion: LayerPrimitive,
  geometry: LayerGeometry,
  span: number,
  fps: number,
  loops: boolean,
  seed: number,
): LayerMotionFamily {
  const { centroid, samples } = geometry;
  const cx = centroid.x;
  const cy = centroid.y;
  const phase = (cycles: number, tau: number) => (2 * Math.PI * cycles * tau) / span;

  switch (motion.primitive) {
    case 'bob': {
      const dir = unitVector(motion.direction);
      const radius = Math.max(8, rmsRadius(samples, cx, cy));
      return {
        periodFrames: motion.period * fps,
        linear: false,
        bounded: true,
        wholeTurns: false,
        build(amplitude, cycles) {
          return {
            amplitude,
            affine: (tau, out) => {
              const wave = Math.sin(phase(cycles, tau));
              // A bobbing thing tilts a little as it moves (a boat on a swell).
              const tilt = (motion.tilt * amplitude * Math.sin(phase(cycles, tau) * 2)) / (2 * radius);
              setSimilarity(out, tilt, 1, cx, cy, dir[0] * amplitude * wave, dir[1] * amplitude * wave);
            },
            opacity: still,
          };
        },
      };
    }
    case 'bounce': {
      const dir = unitVector(motion.direction);
      return {
        periodFrames: motion.period * fps,
        linear: true,
        bounded: true,
        wholeTurns: false,
        build(amplitude, cycles) {
          return {
            amplitude,
            affine: (tau, out) => {
              // |sin|: a ballistic-looking hop that lands on its base, `cycles` hops per span.
              const hop = Math.abs(Math.sin(phase(cycles, tau) / 2));
              setSimilarity(out, 0, 1, cx, cy, dir[0] * amplitude * hop, dir[1] * amplitude * hop);
            },
            opacity: still,
          };
        },
      };
    }
    case 'swing': {
      const pivotY = motion.pivot === 'top' ? geometry.top : geometry.bottom;
      return {
        periodFrames: motion.period * fps,
        linear: false,
        bounded: true,
        wholeTurns: false,
        build(amplitude, cycles) {
          return {
            amplitude,
            affine: (tau, out) => setSimilarity(out, amplitude * Math.sin(phase(cycles, tau)), 1, cx, pivotY),
            opacity: still,
          };
        },
      };
    }
    case 'spin': {
      const sign = motion.clockwise ? -1 : 1;
      return {
        periodFrames: null,
        linear: false,
        bounded: false,
        wholeTurns: true,
        // amplitude: radians per frame; in a loop the calibration rounds it to whole turns per span.
        build(amplitude) {
          return {
            amplitude,
            affine: (tau, out) => setSimilarity(out, sign * amplitude * tau, 1, cx, cy),
            opacity: still,
          };
        },
      };
    }
    case 'shake': {
      // Three harmonics with seeded phases per axis: irregular, yet periodic over the span.
      const random = seededRandom(seed);
      const terms = [1, 2, 3].map((harmonic, i) => ({
        harmonic,
        weight: [1, 0.6, 0.35][i]!,
        px: random() * 2 * Math.PI,
        py: random() * 2 * Math.PI,
      }));
      return {
        periodFrames: motion.period * fps * 2,
        linear: true,
        bounded: true,
        wholeTurns: false,
        build(amplitude, cycles) {
          return {
            amplitude,
            affine: (tau, out) => {
              const theta = phase(cycles, tau);
              let dx = 0;
              let dy = 0;
              for (const term of terms) {
                dx += term.weight * (Math.sin(term.harmonic * theta + term.px) - Math.sin(term.px));
                dy += term.weight * (Math.sin(term.harmonic * theta + term.py) - Math.sin(term.py));
              }
              setSimilarity(out, 0, 1, cx, cy, amplitude * dx, amplitude * dy);
            },
            opacity: still,
          };
        },
      };
    }
    case 'pulse': {
      // breathe: a smooth swell; beat: a heartbeat's two quick swells ("lub-dub") then a rest.
      const swell = motion.beat
        ? (theta: number) => {
            const t = ((theta % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
            return Math.exp(-(((t - 0.9) / 0.35) ** 2)) + 0.6 * Math.exp(-(((t - 2.0) / 0.35) ** 2));
          }
        : smoothSwell;
      return swellFamily(motion.period * fps, phase, swell, cx, cy);
    }
    case 'breath': {
      // A breath on something that is not a person: the whole region grows by the same small share about
      // the middle of its base and settles back, so a lying cat's flank rises from what it lies on, its
      // head rises with it and grows no more than its body (a swell that fades at the region's edge grows
      // the middle most: the eyes bulge as through a lens). It only grows from rest, never shrinks below
      // it, so nothing behind it is uncovered.
      return {
        ...swellFamily(motion.period * fps, phase, smoothSwell, cx, geometry.bottom),
        largest: BREATH_LARGEST,
      };
    }
    case 'travel': {
      // Leaves along `dir` over a path of `amplitude` pixels, shrinking as it goes (perspective). Once and
      // ping-pong run the path over the whole span (ping-pong then plays it back). A loop: see travelLoop.
      const dir = unitVector(motion.direction);
      const along = travelPace(motion.pace);
      if (loops) return travelLoop(motion.shrink, geometry, dir, along, span);
      return {
        periodFrames: null,
        // Along a bent route the chord per frame falls short of the arc at the corners.
        linear: motion.shrink === 0 && !motion.route,
        bounded: false,
        wholeTurns: false,
        build(amplitude) {
          return {
            amplitude,
            affine: (tau, out) => {
              const q = along(Math.min(1, Math.max(0, tau / span)));
              const [tx, ty] = motion.route
                ? routeOffset(motion.route, amplitude * q)
                : [dir[0] * amplitude * q, dir[1] * amplitude * q];
              setSimilarity(out, 0, 1 - motion.shrink * q, cx, cy, tx, ty);
            },
            opacity: still,
          };
        },
      };
    }
  }
}

/** Frames a looping travel spends wholly outside the frame, between leaving and coming back. */
export const TRAVEL_OFF_FRAME_LEAST = 2;

/**
 * A travel in a loop (issue 10, point 1): it must end where it began, and it must never be seen
 * see-through (a loop that faded the object out on its way and back in at rest showed a ghost). So it
 * leaves along its path until it is wholly outside the frame, and comes back along the same line from
 * the opposite edge, slowing to rest where it started: the cut is made while nothing of it is in view.
 * `amplitude` is its speed while in view (px/frame); when that is too slow to get out and back within
 * the clip, it goes as fast as it must (the region report's field strength says how fast that is).
 * Coming back it keeps its full size (a shrink is perspective on its way out).
 */
function travelLoop(
  shrink: number,
  geometry: LayerGeometry,
  dir: Vec,
  along: (u: number) => number,
  span: number,
): LayerMotionFamily {
  const { centroid, samples, frame } = geometry;
  const cx = centroid.x;
  const cy = centroid.y;
  // Positions along dir, relative to the centroid: the object's extent and the frame's.
  let objectMin = Infinity;
  let objectMax = -Infinity;
  for (let i = 0; i < samples.length; i += 2) {
    const p = (samples[i]! - cx) * dir[0] + (samples[i + 1]! - cy) * dir[1];
    objectMin = Math.min(objectMin, p);
    objectMax = Math.max(objectMax, p);
  }
  if (!Number.isFinite(objectMin)) objectMin = objectMax = 0;
  let frameMin = Infinity;
  let frameMax = -Infinity;
  for (const [x, y] of [
    [0, 0],
    [frame.width, 0],
    [0, frame.height],
    [frame.width, frame.height],
  ] as const) {
    const p = (x - cx) * dir[0] + (y - cy) * dir[1];
    frameMin = Math.min(frameMin, p);
    frameMax = Math.max(frameMax, p);
  }
  // Past these distances the whole layer (mask, feathered edge, a pixel for sampling) is out of view.
  const leave = frameMax - objectMin + frame.reach + 2;
  const enter = objectMax - frameMin + frame.reach + 2;
  const smallest = (leave + enter) / Math.max(1, span - TRAVEL_OFF_FRAME_LEAST);
  return {
    periodFrames: null,
    linear: false,
    bounded: false,
    wholeTurns: false,
    guess: (target) => Math.max(target, 1e-3),
    build(amplitude) {
      const speed = Math.max(amplitude, smallest);
      const out = leave / speed;
      const back = span - enter / speed;
      // Share of the path out (1 once gone); -1 to 0 on the way back in.
      const progress = (tau: number) => {
        if (tau <= out) return along(Math.max(0, tau / out));
        if (tau < back) return 1;
        return -along(Math.max(0, (span - tau) / (span - back)));
      };
      return {
        amplitude,
        affine: (tau, o) => {
          const q = progress(tau);
          const shift = q >= 0 ? leave * q : enter * q;
          setSimilarity(o, 0, 1 - shrink * Math.max(0, q), cx, cy, dir[0] * shift, dir[1] * shift);
        },
        // Wholly out of view between leaving and coming back: drawn nowhere, and not counted as moving.
        opacity: (tau) => (tau > out && tau < back ? 0 : 1),
      };
    },
  };
}

/** Share of the path covered at a share u of the travel time (0 and 1 at the ends). */
export function travelPace(pace: 'accelerate' | 'steady'): (u: number) => number {
  if (pace === 'accelerate') return (u) => u * u; // constant acceleration from rest
  // Speeds up evenly over the first `ramp` of the time, then keeps a constant speed.
  const ramp = 0.3;
  const whole = 1 - ramp / 2;
  return (u) => (u <= ramp ? (u * u) / (2 * ramp) : u - ramp / 2) / whole;
}

/** Root-mean-square distance of the samples from a point. */
export function rmsRadius(samples: Float32Array, cx: number, cy: number): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 2) sum += (samples[i]! - cx) ** 2 + (samples[i + 1]! - cy) ** 2;
  return Math.sqrt(sum / Math.max(1, samples.length / 2));
}

/** Moves a point through a layer motion at motion time tau (forward map), into out[0], out[1]. */
export function forwardPoint(
  motion: LayerMotion,
  tau: number,
  x: number,
  y: number,
  affine: Float64Array,
  out: Float64Array,
): void {
  motion.affine(tau, affine);
  out[0] = affine[0]! * x + affine[1]! * y + affine[2]!;
  out[1] = affine[3]! * x + affine[4]! * y + affine[5]!;
}
