// Prepares an elastic warp (spec.ts WarpPrimitive: gust, ripple, sway, wave): one smooth displacement
// field sampled everywhere, d(x, t) = A(x) (sin(theta - psi(x)) + sin(psi(x))) e(x). d is zero at
// theta = 0 and periodic, so frame 0 is the photo and a whole number of cycles per span closes the loop;
// nothing is cut out, cross-faded or uncovered.
//
// Tempo and strength are separate (issue 10, point 2): the number of cycles comes from the word's period
// or the person's tempo alone, rounded so whole cycles fill the span; strength (the mean speed of the
// region's points, QUALITY.md) scales only the swing. A ripple is the exception: a swing too wide for its
// region would fold and drag the surroundings through it, so once its wavelength and fade-in span the
// region it quickens, up to the top of its natural tempo range, keeping measured flow linear in strength.
// Each primitive shapes A, psi and e:
// - gust: fronts of wind run along the direction (psi grows along it), points sway along the wind;
// - ripple: patches of water heave in slowly drifting phase (haze: every spot on its own);
// - sway and wave (anchor base): a plant is held where it grows, the swing grows with the height above
//   the region's base, the top lags the middle (a wave adds fronts running along the wind);
// - wave, anchor side: a flag, held at the side the wave starts from, displaced across the wave;
// - wave, anchor body: an animal undulates along its long axis, the wave running head to tail, the
//   head nearly still and the swing growing towards the tail.
// A fades to zero across a soft, image-aware band at the region's edge (edge-band.ts): textures (gust,
// ripple) fade in from inside their region; bending things (sway, wave) move whole up to their edge and
// the photo around them follows across a band wide enough that it never folds.
import type { Mask } from '../../shared/index.js';
import { measureMover, solveAmplitude, thinSamples, type Mover } from './calibrate.js';
import { regionDepth } from './depth.js';
import { detailMap } from './detail.js';
import { edgeFalloff, signedEdgeDistance, type FieldGrid } from './edge-band.js';
import { unitVector } from './layers.js';
import { boxHeight, boxWidth, type RegionShape } from './mask.js';
import { curlNoise, fractalNoise } from './noise.js';
import { sharedFloat32, type PlanRequest, type WarpRegionPlan } from './plan.js';
import { sampleGrid } from './plan-fluid.js';
import type { PlannedRegion } from './plan-layer.js';
import { timePairs } from './plan-layer.js';
import type { WarpPrimitive } from './spec.js';
import { cyclesFor } from './timing.js';

export interface WarpRequest extends PlanRequest {
  shape: RegionShape;
  motion: WarpPrimitive;
  seed: number;
  fps: number;
  /** The photo at the output size (the edge band follows its structure). */
  photo: Uint8Array;
  /** The person's direction, or null: for an animal, where its head points (null: found from its shape). */
  heading: number | null;
  /** True when the person set the region's tempo: it is kept as given, whatever the strength. */
  tempoFixed?: boolean;
}

/** Steepest slope of a texture warp: the largest share of a wavelength by which neighbours may move apart. */
const STEEPEST = 0.4;
/**
 * A bending region's fade reaches this many times its largest swing (so the photo never folds): for a
 * plant's sway a band outside, for a wave the band outside and a ramp inside together.
 */
const FADE_PER_SWING = 8;
/**
 * A wave's fade per swing: its fronts already stretch the cloth as they pass, and the fade is mostly
 * inside it, so a little more stretch there reads as the cloth's own (with a plant's 8, a flutter on
 * yellow-flower.jpg reached 57% of strength 4). The fade's steepest slope, about 1.5 / 7 of a pixel per
 * pixel, keeps the field well clear of folding (warp.test.ts).
 */
const WAVE_FADE_PER_SWING = 7;
/**
 * How far outside its mask a wave moves the photo, in 2% bands (band.ts); the rest of its fade lies inside,
 * up to half the region's depth: a flag's fronts travel through the flag, and a strong one must not drag
 * the person standing in front of it. A plant's sway moves its silhouette, so its band is all outside.
 */
const WAVE_OUTSIDE = 3;
const WAVE_INSIDE_SHARE = 0.5;
/** How fast the top of a plant lags its middle, radians over its height. */
const LAG = 0.8;
/**
 * The top of a ripple's or a wave's natural tempo range, as a multiple of its word's tempo (a slow lap to
 * a chop, a flag in a breeze to one in a gale).
 */
const QUICKEST_RIPPLE = 3;
/**
 * A wave held by its fade quickens to at most this multiple of its word's tempo: a flutter's 3 Hz to 4 Hz,
 * the top of cloth's 2-4 Hz (issue 10); a flag's 0.7 Hz to under 1 Hz, still a breeze.
 */
const QUICKEST_WAVE = 4 / 3;
/** Fewest frames in a cycle, however quick the word: fewer, and the frames would alias its motion. */
const SHORTEST_CYCLE = 4;
/** A ripple's fade-in from its edge widens to at most this share of the region's depth. */
const WIDEST_RAMP = 0.5;

/** The region's longer side, the unit of its wavelengths. */
function regionExtent(shape: RegionShape): number {
  return Math.max(boxWidth(shape.box), boxHeight(shape.box));
}

/** A, psi and e at one point before scaling to the strength; A includes nothing of the edge band. */
interface Shaper {
  (x: number, y: number, out: Float64Array): void;
}

export function planWarp(request: WarpRequest): PlannedRegion<WarpRegionPlan> {
  const { width, height, shape, motion, clock, frameCount, sizes } = request;
  const long = Math.max(width, height);
  const step = Math.min(8, Math.max(2, Math.round(long / 128)));
  const extent = regionExtent(shape);
  const bends = motion.primitive === 'sway' || motion.primitive === 'wave';
  /** A wave's phase runs along fronts (a sway has none). */
  const fronts = motion.primitive === 'wave';
  const natural = cyclesFor(clock.span, motion.period * request.fps);
  let cycles = natural;
  // The person's tempo is kept as given; a ripple's or a wave's may quicken to the top of its natural
  // range.
  const ripples = motion.primitive === 'ripple';
  const quickening = ripples ? QUICKEST_RIPPLE : fronts ? QUICKEST_WAVE : 1;
  const quickest =
    quickening === 1 || request.tempoFixed
      ? natural
      : Math.max(
          natural,
          Math.min(
            Math.floor(clock.span / SHORTEST_CYCLE),
            Math.floor((clock.span * quickening) / (motion.period * request.fps)),
          ),
        );
  const fadePerSwing = fronts ? WAVE_FADE_PER_SWING : FADE_PER_SWING;
  const samples = thinSamples(shape.samples, 400);
  const pairs = timePairs(clock, frameCount);
  const target = request.strength * sizes.unit;

  // Texture warps: the wavelength and the fade-in from the edge widen with the swing so the field never
  // folds over itself (a strong gust is first a broad one). Bends: the band outside widens.
  let wavelength = 'wavelength' in motion ? Math.max(8, motion.wavelength * extent) : extent;
  const depth = regionDepth(shape, width, height);
  let inner = bends ? 0 : depth.ramp;
  let outer = bends ? sizes.band : Math.min(sizes.band, 0.5 * depth.ramp);
  let built = buildField(request, step, shaperFor(request, wavelength), inner, outer);
  let gain = solveGain(built, samples, pairs, cycles, clock.span, target);
  // A ripple widens up to the region's size (wavelength) and half its depth (fade-in): wider, the swing
  // covers the region and drags its surroundings through it. Beyond, it quickens up to the top of its
  // natural tempo range, which keeps the field's shape, so measured flow stays linear in strength. A gust
  // (wind through plants, which must not vibrate) only widens.
  const waveFadeHeld = WAVE_OUTSIDE * sizes.band + WAVE_INSIDE_SHARE * depth.deepest;
  const widestWavelength = ripples ? Math.max(wavelength, extent) : Infinity;
  const widestRamp = ripples ? Math.max(inner, WIDEST_RAMP * depth.deepest) : depth.deepest;
  for (let round = 0; round < 4; round++) {
    const swing = gain * built.largest;
    let wider = false;
    let quicker = false;
    if (bends && fronts) {
      // The fade a swing needs: outside up to WAVE_OUTSIDE bands, then inside, then outside again.
      // The fade a swing needs: outside up to WAVE_OUTSIDE bands, then inside up to half the region's
      // depth; no wider (the swing is held to what that fade allows, below).
      const wanted = Math.max(sizes.band, fadePerSwing * swing);
      const needed = Math.min(waveFadeHeld, wanted);
      if (needed > (outer + inner) * 1.05) {
        outer = Math.min(needed, WAVE_OUTSIDE * sizes.band);
        inner = Math.min(needed - outer, WAVE_INSIDE_SHARE * depth.deepest);
        wider = true;
      }
      // Wider than its fade allows, it swings as wide as that and quickens instead (a flag in a gale).
      if (wanted > waveFadeHeld * 1.05 && cycles < quickest) {
        cycles = Math.min(quickest, Math.ceil((cycles * wanted) / waveFadeHeld));
        quicker = true;
      }
    } else if (bends) {
      const needed = Math.max(sizes.band, FADE_PER_SWING * swing);
      if (needed > outer * 1.05) {
        outer = needed;
        wider = true;
      }
    }
    if (bends) {
      // A wave's fronts must stay wider than its swing, as a texture's do: a 25-pixel swing over fronts
      // 70 pixels apart (a strong "wave" on a face-sized region) folds the field into noise.
      const neededWavelength = (2 * Math.PI * swing) / STEEPEST;
      if (fronts && neededWavelength > wavelength * 1.05) {
        wavelength = neededWavelength;
        wider = true;
      }
    } else {
      const neededWavelength = (2 * Math.PI * swing) / STEEPEST;
      const neededRamp = 6 * swing;
      if (Math.min(widestWavelength, neededWavelength) > wavelength * 1.05) {
        wavelength = Math.min(widestWavelength, neededWavelength);
        wider = true;
      }
      if (Math.min(widestRamp, neededRamp) > inner * 1.05) {
        inner = Math.min(widestRamp, neededRamp);
        wider = true;
      }
      const beyond = Math.max(neededWavelength / widestWavelength, neededRamp / widestRamp);
      if (beyond > 1.05 && cycles < quickest) {
        cycles = Math.min(quickest, Math.ceil(cycles * beyond));
        quicker = true;
      }
    }
    if (!wider && !quicker) break;
    if (wider) built = buildField(request, step, shaperFor(request, wavelength), inner, outer);
    gain = solveGain(built, samples, pairs, cycles, clock.span, target);
  }
  // A wave on a region too narrow for its fade swings no wider than the fade allows: weaker than asked
  // (its measured strength says so), rather than dragging what lies beside it or folding.
  if (fronts) gain = Math.min(gain, waveFadeHeld / fadePerSwing / built.largest);
  const { grid, amplitude, phase, direction } = built;
  for (let p = 0; p < amplitude.length; p++) amplitude[p]! *= gain;
  if (holdAtPhotoEdge(grid, amplitude, direction, width, height)) {
    // Held where it met the photo's edge, the region swings slower on the whole: the rest of it swings a
    // little wider to keep the strength asked (at most REGAIN_MOST wider, where most of it is held).
    built = { ...built, ...sampleField(grid, amplitude, phase, direction, samples) };
    gain = Math.min(REGAIN_MOST, solveGain(built, samples, pairs, cycles, clock.span, target));
    for (let p = 0; p < amplitude.length; p++) amplitude[p]! *= gain;
  }
  if (clock.mode === 'loop') {
    // A whole number of cycles averages the speed over every phase: the strength does not change. Water
    // heaves in nearly one phase too (lake-horizon's ripple left rest at 1.3 times its mean step).
    const start = loopPhase(built.sampleA, built.sampleP);
    for (let p = 0; p < phase.length; p++) phase[p]! += start;
  }

  const active = new Uint8Array(
    new SharedArrayBuffer(Math.max(1, (grid.cols - 1) * (grid.rows - 1))),
    0,
    Math.max(0, (grid.cols - 1) * (grid.rows - 1)),
  );
  const cols = grid.cols;
  for (let j = 0; j + 1 < grid.rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      const p = j * cols + i;
      active[j * (cols - 1) + i] =
        amplitude[p] !== 0 ||
        amplitude[p + 1] !== 0 ||
        amplitude[p + cols] !== 0 ||
        amplitude[p + cols + 1] !== 0
          ? 1
          : 0;
    }
  }
  const measured = measureMover(moverOf(built, samples, gain, cycles, clock.span), samples, pairs).meanSpeed;
  const detail = detailMap(request.photo, width, height);
  return {
    plan: {
      kind: 'warp',
      clock,
      grid,
      cycles,
      amplitude,
      phase,
      direction,
      active,
      detail,
      // A bend's band spreads its swing over eight swings, gently: its offset interpolates between the
      // grid points. A texture's fronts are as steep as STEEPEST allows: interpolated, a strong ripple on
      // coffee.png's crema measured 5% under its strength at 8 (ripple.test.ts).
      inverse: bends ? 'grid' : 'pixel',
    },
    fieldStrength: measured / sizes.unit,
    // A band wider than the 2% QUALITY.md allows around the mask: the area the field reaches.
    motionArea: outer > sizes.band ? reachOf(shape, grid, amplitude) : undefined,
  };
}

interface BuiltField {
  grid: FieldGrid;
  /** Per grid point, at unit gain: A (edge band included), psi, e. */
  amplitude: Float32Array;
  phase: Float32Array;
  direction: Float32Array;
  /** Largest |A| at unit gain: the largest swing is about twice it. */
  largest: number;
  /** At the samples: A, psi, e. */
  sampleA: Float64Array;
  sampleP: Float64Array;
  sampleD: Float64Array;
}

/**
 * How far (radians) into its cycle a looping warp starts. d = A (sin(theta - psi) + sin(psi)) is at rest
 * at theta = 0 whatever psi, and leaves it at speed |A cos(psi)|; over the cycle its mean speed is
 * (2 / pi) |A|. With psi near 0 (a plant's base, a flag's mast) it leaves rest at its fastest, so the
 * jump from the last frame back to the first read 1.23-1.31 times an ordinary step on the eval's plants
 * and flag (the loop seam, QUALITY.md: at most 1.2). Moving every phase on by the smallest start at
 * which the region leaves rest at its mean speed closes the loop as an ordinary step; the swing then
 * leans a little to one side of rest, as a plant in a steady breeze does. 0 when the region's phases
 * already spread its start (a wave running along a flag).
 */
function loopPhase(amplitudes: Float64Array, phases: Float64Array): number {
  let total = 0;
  for (const a of amplitudes) total += Math.abs(a);
  if (total === 0) return 0;
  const mean = (2 / Math.PI) * total;
  const leaving = (start: number) => {
    let sum = 0;
    for (let k = 0; k < amplitudes.length; k++)
      sum += Math.abs(amplitudes[k]! * Math.cos(phases[k]! + start));
    return sum;
  };
  if (leaving(0) <= mean) return 0;
  // leaving() falls from its value at 0 while the phases pass pi / 2: bisect for where it meets the mean.
  let low = 0;
  let high = Math.PI / 2;
  for (let i = 0; i < 30; i++) {
    const middle = (low + high) / 2;
    if (leaving(middle) > mean) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * How far from the photo's edge (in its own widest excursions across it) a point's swing fades in. At 2
 * with a held field scaled back up by at most REGAIN_MOST = 2, dune-grass's strength sweep keeps its
 * slope (0.91, R^2 0.996; at 3 the grass at strength 4 moved 2.6 px/frame, not 4: slope 0.67).
 */
const EDGE_HOLD = 2;

/**
 * Fades the part of a point's swing that points across the photo's edge, linearly, from EDGE_HOLD times
 * its widest excursion across the edge away from it to nothing at it. A region that reaches the edge
 * (grass to the frame's side) would otherwise show there what lies beyond the photo, which a warp can
 * only take mirrored: its blades met their own reflection in chevrons along the frame (dune-grass, issue
 * 10; edge-mirror.ts measures it). Held, no sample leaves the photo (a point x from the edge moves at most
 * x / EDGE_HOLD across it), the texture between is stretched or squeezed instead, and the swing along the
 * edge is left whole: grass at the frame's side still sways, only less across it. Points whose swing
 * cannot reach the edge are untouched. Returns whether any point was held.
 */
function holdAtPhotoEdge(
  grid: { x0: number; y0: number; step: number; cols: number; rows: number },
  amplitude: Float32Array,
  direction: Float32Array,
  width: number,
  height: number,
): boolean {
  let held = false;
  for (let j = 0; j < grid.rows; j++) {
    for (let i = 0; i < grid.cols; i++) {
      const p = j * grid.cols + i;
      const amp = amplitude[p]!;
      if (amp === 0) continue;
      // sin(theta - phase) + sin(phase) swings through at most twice the amplitude: along x the point
      // moves at most 2 |A| |direction x| each way.
      const x = grid.x0 + i * grid.step;
      const y = grid.y0 + j * grid.step;
      const across = heldShare(Math.min(x, width - 1 - x), 2 * Math.abs(amp * direction[p * 2]!));
      const down = heldShare(Math.min(y, height - 1 - y), 2 * Math.abs(amp * direction[p * 2 + 1]!));
      if (across === 1 && down === 1) continue;
      held = true;
      const dx = direction[p * 2]! * across;
      const dy = direction[p * 2 + 1]! * down;
      const kept = Math.hypot(dx, dy);
      amplitude[p] = amp * kept;
      direction[p * 2] = kept > 0 ? dx / kept : 0;
      direction[p * 2 + 1] = kept > 0 ? dy / kept : 0;
    }
  }
  return held;
}

/** How much of a swing `distance` from the edge is kept, when it moves at most `excursion` across it. */
function heldShare(distance: number, excursion: number): number {
  const ramp = EDGE_HOLD * excursion;
  return ramp <= distance ? 1 : Math.max(0, distance / ramp);
}

/**
 * The most a held field is scaled back up (planWarp): a point x from the edge then moves at most
 * REGAIN_MOST x / EDGE_HOLD = x across it, to the edge and never past it.
 */
const REGAIN_MOST = 2;

function buildField(
  request: WarpRequest,
  step: number,
  shaper: Shaper,
  inner: number,
  outer: number,
): BuiltField {
  const { width, height, shape } = request;
  const reach = outer + step;
  const x0 = Math.max(0, Math.floor(shape.box.x0 - reach));
  const y0 = Math.max(0, Math.floor(shape.box.y0 - reach));
  const cols = Math.ceil((Math.min(width, shape.box.x1 + reach) - x0) / step) + 1;
  const rows = Math.ceil((Math.min(height, shape.box.y1 + reach) - y0) / step) + 1;
  const grid = { x0, y0, step, cols, rows };
  const falloff = edgeFalloff(signedEdgeDistance(shape, request.photo, grid), { inner, outer });
  const points = cols * rows;
  const amplitude = sharedFloat32(points);
  const phase = sharedFloat32(points);
  const direction = sharedFloat32(points * 2);
  const at = new Float64Array(4);
  let largest = 0;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const p = j * cols + i;
      const f = falloff[p]!;
      if (f <= 0) continue;
      shaper(x0 + i * step, y0 + j * step, at);
      amplitude[p] = at[0]! * f;
      phase[p] = at[1]!;
      const norm = Math.hypot(at[2]!, at[3]!) || 1;
      direction[p * 2] = at[2]! / norm;
      direction[p * 2 + 1] = at[3]! / norm;
      largest = Math.max(largest, Math.abs(amplitude[p]!));
    }
  }
  const samples = thinSamples(shape.samples, 400);
  return {
    grid,
    amplitude,
    phase,
    direction,
    largest,
    ...sampleField(grid, amplitude, phase, direction, samples),
  };
}

/** The field's A, psi and unit e at the samples (x, y pairs), bilinear on its grid. */
function sampleField(
  grid: FieldGrid,
  amplitude: Float32Array,
  phase: Float32Array,
  direction: Float32Array,
  samples: Float32Array,
): Pick<BuiltField, 'sampleA' | 'sampleP' | 'sampleD'> {
  const points = grid.cols * grid.rows;
  const count = samples.length / 2;
  const sampleA = new Float64Array(count);
  const sampleP = new Float64Array(count);
  const sampleD = new Float64Array(count * 2);
  const pair = new Float32Array(points * 2);
  for (let p = 0; p < points; p++) {
    pair[p * 2] = amplitude[p]!;
    pair[p * 2 + 1] = phase[p]!;
  }
  const v = new Float64Array(2);
  for (let k = 0; k < count; k++) {
    sampleGrid(pair, grid, samples[k * 2]!, samples[k * 2 + 1]!, v);
    sampleA[k] = v[0]!;
    sampleP[k] = v[1]!;
    sampleGrid(direction, grid, samples[k * 2]!, samples[k * 2 + 1]!, v);
    const norm = Math.hypot(v[0]!, v[1]!) || 1;
    sampleD[k * 2] = v[0]! / norm;
    sampleD[k * 2 + 1] = v[1]! / norm;
  }
  return { sampleA, sampleP, sampleD };
}

function moverOf(
  field: BuiltField,
  samples: Float32Array,
  gain: number,
  cycles: number,
  span: number,
): Mover {
  const { sampleA, sampleP, sampleD } = field;
  return (tau, points, out) => {
    const theta = (2 * Math.PI * cycles * tau) / Math.max(1e-9, span);
    for (let k = 0; k < points.length / 2; k++) {
      const d = gain * sampleA[k]! * (Math.sin(theta - sampleP[k]!) + Math.sin(sampleP[k]!));
      out[k * 2] = points[k * 2]! + d * sampleD[k * 2]!;
      out[k * 2 + 1] = points[k * 2 + 1]! + d * sampleD[k * 2 + 1]!;
    }
  };
}

/** The gain on the unit field whose mean speed over the region is the target (the field is linear in it). */
function solveGain(
  field: BuiltField,
  samples: Float32Array,
  pairs: ReturnType<typeof timePairs>,
  cycles: number,
  span: number,
  target: number,
): number {
  return solveAmplitude(
    (g) => measureMover(moverOf(field, samples, g, cycles, span), samples, pairs).meanSpeed,
    target,
    true,
  );
}

/** The region's mask and every pixel its field moves, at the output size. */
function reachOf(shape: RegionShape, grid: FieldGrid, amplitude: Float32Array): Mask {
  const { width, height } = shape;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = shape.inside[i] ? 255 : 0;
  const { x0, y0, step, cols, rows } = grid;
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      const p = j * cols + i;
      if (!amplitude[p] && !amplitude[p + 1] && !amplitude[p + cols] && !amplitude[p + cols + 1]) continue;
      for (let y = y0 + j * step; y < Math.min(height, y0 + (j + 1) * step); y++) {
        data.fill(255, y * width + x0 + i * step, y * width + Math.min(width, x0 + (i + 1) * step));
      }
    }
  }
  return { width, height, data };
}

/** Position along an axis of the region's samples: smallest and largest. */
function extentAlong(samples: Float32Array, ax: number, ay: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < samples.length; k += 2) {
    const u = samples[k]! * ax + samples[k + 1]! * ay;
    min = Math.min(min, u);
    max = Math.max(max, u);
  }
  // Samples are a grid a few pixels apart: widen to the region's true edges.
  return Number.isFinite(min) ? { min: min - 1, max: max + 1 } : { min: 0, max: 1 };
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * A ripple's heave fades out where the curl noise is under this share of its typical (RMS) length: at
 * half, the fade was steep enough to fold lake-horizon's water at its strength (slope 1.86 at 512 px).
 */
const STILL_POINT = 1;

/** The RMS length of the curl noise (noise.ts curlNoise) over the region's box, on a 24 x 24 lattice. */
function curlSpeed(shape: RegionShape, wavelength: number, seed: number): number {
  const { x0, y0, x1, y1 } = shape.box;
  let squares = 0;
  for (let j = 0; j < 24; j++) {
    for (let i = 0; i < 24; i++) {
      const [cx, cy] = curlNoise(
        x0 + ((i + 0.5) * (x1 - x0)) / 24,
        y0 + ((j + 0.5) * (y1 - y0)) / 24,
        wavelength,
        seed,
      );
      squares += cx * cx + cy * cy;
    }
  }
  return Math.sqrt(squares / 576) || 1;
}

function shaperFor(request: WarpRequest, wavelength: number): Shaper {
  const { motion, shape } = request;
  const seed = request.seed * 7919 + 29;
  switch (motion.primitive) {
    case 'gust':
    case 'ripple': {
      const [ex, ey] = motion.primitive === 'gust' ? unitVector(motion.direction) : [0, 0];
      const typical = motion.primitive === 'ripple' ? curlSpeed(shape, wavelength, seed + 2) : 1;
      return (x, y, out) => {
        // Waves vary in strength from place to place.
        out[0] = 0.65 + 0.35 * fractalNoise(x / wavelength, y / wavelength, seed);
        const wobble = fractalNoise(x / wavelength + 7.3, y / wavelength - 3.1, seed + 1);
        const [cx, cy] = curlNoise(x, y, wavelength, seed + 2);
        if (motion.primitive === 'gust') {
          // Wind: fronts along the direction, bent by noise; points sway along the wind.
          out[1] = (2 * Math.PI * (x * ex + y * ey)) / wavelength + 1.5 * wobble;
          out[2] = ex + 0.3 * cx;
          out[3] = ey + 0.3 * cy;
        } else {
          // Water: patches heave to and fro in slowly drifting phase; heat haze: every spot on its own.
          // They heave along the curl noise, made unit, which turns over at each still point of the
          // noise (where the curl is zero): the water tore there (splash.jpg's crown: a crease across
          // it, a glint stretched along it; grid points 8 px apart moved 100 px apart). So the heave
          // fades to nothing at a still point, over the stretch where the curl is under STILL_POINT of its
          // typical length, and keeps its full swing everywhere else.
          out[0] *= Math.min(1, Math.hypot(cx, cy) / (STILL_POINT * typical));
          out[1] = (motion.haze ? 4 * Math.PI : 1.5) * wobble;
          out[2] = cx;
          out[3] = cy;
        }
      };
    }
    case 'sway':
      return plantShaper(shape, motion.direction, null);
    case 'wave': {
      if (motion.anchor === 'base') return plantShaper(shape, motion.direction, wavelength);
      // Flags and animals measure their wave in shares of their length: widened as the fronts are.
      const widened = wavelength / Math.max(8, motion.wavelength * regionExtent(shape));
      const share = motion.wavelength * Math.max(1, widened);
      if (motion.anchor === 'side') return flagShaper(shape, motion.direction, share);
      return bodyShaper(shape, request.heading, share);
    }
  }
}

/**
 * A plant held where it grows: points move along `degrees` (the wind), the swing grows with the height
 * above the region's base (its far side across the wind, below it when the wind blows sideways) and
 * the top lags the middle; with a wavelength, fronts of wind also run along the wind.
 */
function plantShaper(shape: RegionShape, degrees: number, wavelength: number | null): Shaper {
  const dir = unitVector(degrees);
  const axis: [number, number] = [-dir[1], dir[0]];
  const { min, max } = extentAlong(shape.samples, axis[0], axis[1]);
  const span = max - min || 1;
  return (x, y, out) => {
    const h = clamp01((max - (x * axis[0] + y * axis[1])) / span);
    out[0] = h * Math.sqrt(h);
    out[1] = LAG * h + (wavelength ? (2 * Math.PI * (x * dir[0] + y * dir[1])) / wavelength : 0);
    out[2] = dir[0];
    out[3] = dir[1];
  };
}

/** A flag: held at the side the wave starts from, displaced across the wave as it runs along `degrees`. */
function flagShaper(shape: RegionShape, degrees: number, wavelengthShare: number): Shaper {
  const axis = unitVector(degrees);
  const { min, max } = extentAlong(shape.samples, axis[0], axis[1]);
  const span = max - min || 1;
  const k = (2 * Math.PI) / Math.max(0.05, wavelengthShare);
  return (x, y, out) => {
    const s = clamp01((x * axis[0] + y * axis[1] - min) / span);
    out[0] = s ** 1.2;
    out[1] = k * s;
    out[2] = axis[1];
    out[3] = -axis[0];
  };
}

/**
 * An animal: a wave runs along its long axis (the principal axis of its mask) from head to tail, the
 * head nearly still, the swing growing towards the tail. The head points along `heading` when the person
 * gave one; otherwise it is the thicker end of the body.
 */
function bodyShaper(shape: RegionShape, heading: number | null, wavelengthShare: number): Shaper {
  const samples = shape.samples;
  const count = Math.max(1, samples.length / 2);
  let mx = 0;
  let my = 0;
  for (let k = 0; k < samples.length; k += 2) {
    mx += samples[k]!;
    my += samples[k + 1]!;
  }
  mx /= count;
  my /= count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < samples.length; k += 2) {
    const dx = samples[k]! - mx;
    const dy = samples[k + 1]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let ax = Math.cos(angle);
  let ay = Math.sin(angle);
  const { min, max } = extentAlong(samples, ax, ay);
  const span = max - min || 1;
  let headAtMin: boolean;
  if (heading !== null) {
    const [hx, hy] = unitVector(heading);
    headAtMin = hx * ax + hy * ay < 0;
  } else {
    // The thicker end is the head: more of the body lies in its third than in the tail's.
    let low = 0;
    let high = 0;
    for (let k = 0; k < samples.length; k += 2) {
      const s = (samples[k]! * ax + samples[k + 1]! * ay - min) / span;
      if (s < 1 / 3) low++;
      else if (s > 2 / 3) high++;
    }
    headAtMin = low >= high;
  }
  if (!headAtMin) {
    ax = -ax;
    ay = -ay;
  }
  const head = headAtMin ? min : -max;
  const k = (2 * Math.PI) / Math.max(0.05, wavelengthShare);
  return (x, y, out) => {
    const s = clamp01((x * ax + y * ay - head) / span);
    out[0] = 0.06 + 0.94 * s * s;
    out[1] = k * s;
    out[2] = -ay;
    out[3] = ax;
  };
}
