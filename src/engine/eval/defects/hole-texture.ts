// Hole texture (issue 10, point 7): a travelling object leaves a hole that must be filled with the
// texture around it, not a smooth blob. Compares the texture of what fills the vacated area with the
// texture of a ring around it in the photo. The fill behind a travel stands still while the object passes
// over it, so what fills each pixel is its median over the frames where the area changed: measured
// on a single frame (the one that differed most), the metric read the object itself coming back over its
// hole in a loop (ladybird, kite) as the fill's texture.
import type { GreyImage } from '../../flow/index.js';
import { gradientEnergy, localVariance, signedDistance } from './texture.js';

export interface HoleTexture {
  /**
   * Geometric mean of three ratios, fill over ring: gradient energy, local variance in 5x5 and 13x13
   * windows. 1 = as textured as its surroundings; near 0 = a smooth blob.
   */
  ratio: number;
  gradient: number;
  fineVariance: number;
  coarseVariance: number;
  /** How many frames show a fill in the vacated area. */
  frames: number;
}

/** Below this the surroundings carry no texture to continue (grey levels^2): nothing to measure. */
const FLAT_RING = 2;
/** A pixel counts as filled when it differs from the photo by more than this (grey levels). */
export const CHANGED = 6;

/**
 * What the hole metrics (this one and invented-lights.ts) read of a travel's vacated area: the signed
 * distance to the object's mask (negative inside), its `core` 2 px in (where a soft edge or a rim would
 * not mix in), the plate's reach `near` 8 px out (the widest window measured, so no window mixes in the
 * photo's object; hole-rim.ts reaches further, to the fill's edge), and the median plate over them
 * (holePlate). Made once per region and shared.
 */
export interface VacatedArea {
  distance: Float32Array;
  core: Uint8Array;
  near: Uint8Array;
  frame: GreyImage;
  shown: number;
}

/** `inside`: the object's mask at the frames' size (1 inside); `reach`: how far out `near` goes, px. */
export function vacatedArea(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
  reach = 8,
): VacatedArea {
  const distance = signedDistance(inside, photo.width, photo.height);
  const core = new Uint8Array(distance.length);
  const near = new Uint8Array(distance.length);
  for (let i = 0; i < distance.length; i++) {
    core[i] = distance[i]! <= -2 ? 1 : 0;
    near[i] = distance[i]! <= reach ? 1 : 0;
  }
  return { distance, core, near, ...holePlate(frames, photo, core, near) };
}

/**
 * `inside`: the object's mask at the frames' size (1 inside). null when the object never vacated any of
 * its area, or when the ring around it is flat.
 */
export function holeTexture(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
  vacated: VacatedArea = vacatedArea(frames, photo, inside),
): HoleTexture | null {
  let area = 0;
  for (const v of inside) area += v;
  if (area === 0) return null;
  const { distance, core, frame, shown } = vacated;
  const filled = new Uint8Array(inside.length);
  let filledCount = 0;
  for (let i = 0; i < filled.length; i++) {
    if (core[i] && Math.abs(frame.data[i]! - photo.data[i]!) > CHANGED) {
      filled[i] = 1;
      filledCount++;
    }
  }
  if (filledCount < 30) return null;
  const ringWidth = Math.max(6, 0.5 * Math.sqrt(area / Math.PI));
  // The ring starts past the mask's edge by each statistic's reach (central differences 1 px, windows
  // 2 and 6 px), so no window mixes in the object itself, as the plate keeps them off it on the fill's
  // side: a dark kite on a quiet sky made the sky's ring read as textured as the kite.
  const ringFrom = (reach: number) => {
    const ring = new Uint8Array(inside.length);
    for (let i = 0; i < ring.length; i++)
      ring[i] = distance[i]! >= 3 + reach && distance[i]! <= 3 + reach + ringWidth ? 1 : 0;
    return ring;
  };
  const ringStats = [
    gradientEnergy(photo, ringFrom(1)),
    localVariance(photo, ringFrom(2), 2),
    localVariance(photo, ringFrom(6), 6),
  ];
  if (Math.max(...ringStats) < FLAT_RING) return null;
  const fillStats = [
    gradientEnergy(frame, filled),
    localVariance(frame, filled, 2),
    localVariance(frame, filled, 6),
  ];
  // A floor of one grey level^2 so noise-free synthetic rings do not divide by nothing.
  const ratios = fillStats.map((f, k) => (f + 1) / (ringStats[k]! + 1));
  const [gradient, fineVariance, coarseVariance] = ratios as [number, number, number];
  return {
    ratio: Math.cbrt(gradient * fineVariance * coarseVariance),
    gradient,
    fineVariance,
    coarseVariance,
    frames: shown,
  };
}

/**
 * The vacated area as the clip shows it once the object has gone: each `near` pixel the median over the
 * frames in which any `where` pixel differs from the photo (the photo elsewhere), and how many those are.
 */
function holePlate(
  frames: readonly GreyImage[],
  photo: GreyImage,
  where: Uint8Array,
  near: Uint8Array,
): { frame: GreyImage; shown: number } {
  const moved = frames.filter((frame) => {
    for (let i = 0; i < where.length; i++)
      if (where[i] && Math.abs(frame.data[i]! - photo.data[i]!) > CHANGED) return true;
    return false;
  });
  const data = new Float32Array(photo.data);
  const values = new Float32Array(moved.length);
  for (let i = 0; i < near.length && moved.length > 0; i++) {
    if (!near[i]) continue;
    moved.forEach((frame, k) => (values[k] = frame.data[i]!));
    values.sort();
    data[i] = values[values.length >> 1]!;
  }
  return { frame: { width: photo.width, height: photo.height, data }, shown: moved.length };
}
