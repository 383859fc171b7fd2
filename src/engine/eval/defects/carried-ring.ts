// Carried ring (issue 10, point 1): a travelling layer cut with a band of the background around it carries
// that old background along, a ring that reads as a cut-out sticker. Finds where the object went in a
// frame (the shift that best lays the photo's object core onto the frame), then, in a thin band just
// outside the object's mask, asks of each pixel the frame shows there: is it the background the object
// left (the photo at the band pixel) or the background it has arrived on (the photo at the moved place)?
import type { GreyImage } from '../../flow/index.js';
import { signedDistance } from './texture.js';

export interface CarriedRing {
  /**
   * Over the band pixels where the old and the new background differ: mean share of the frame's
   * difference from the new background against its distance to both, 0 = the layer carries nothing of
   * where it was cut (a clean matte), 1 = its edge band is the old background.
   */
  share: number;
  /** The frame measured and the object's shift there (pixels). */
  frame: number;
  shift: [number, number];
  /** Band pixels that counted. */
  pixels: number;
}

/** The band measured: from this far outside the mask (pixels at the frames' size)... */
const BAND_FROM = 1;
/** ...to this far: where a grown, feathered cut carries old background and a matte on the edge does not. */
const BAND_TO = 4;
/** Old and new background must differ by this much (grey levels) for a pixel to tell them apart. */
const DISTINCT = 12;
/** The object must have moved at least this far (pixels), past its band, for the band to be measured. */
const LEAST_SHIFT = 2 * BAND_TO + 2;
/** Mean absolute grey difference of the object's core, at its best shift, for it to count as found there. */
const FOUND = 10;

/** Sparse core pixels (well inside the mask) to match, as indices. */
function corePixels(distance: Float32Array, most: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < distance.length; i++) if (distance[i]! <= -3) all.push(i);
  const step = Math.max(1, Math.floor(all.length / most));
  return all.filter((_, k) => k % step === 0);
}

/** Mean absolute difference of the core moved by (dx, dy) against the frame; Infinity when off the frame. */
function coreError(photo: GreyImage, frame: GreyImage, core: number[], dx: number, dy: number): number {
  const { width, height } = photo;
  let sum = 0;
  let n = 0;
  for (const i of core) {
    const x = (i % width) + dx;
    const y = Math.floor(i / width) + dy;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    sum += Math.abs(frame.data[y * width + x]! - photo.data[i]!);
    n++;
  }
  return n >= core.length * 0.9 ? sum / n : Infinity;
}

/** The shift that best lays the core onto the frame: a coarse search over the whole frame, then refined. */
function findShift(
  photo: GreyImage,
  frame: GreyImage,
  core: number[],
): { dx: number; dy: number; error: number } {
  const { width, height } = photo;
  const coarse = core.filter((_, k) => k % 4 === 0);
  const step = 4;
  let best = { dx: 0, dy: 0, error: Infinity };
  for (let dy = -height + 1; dy < height; dy += step) {
    for (let dx = -width + 1; dx < width; dx += step) {
      const error = coreError(photo, frame, coarse, dx, dy);
      if (error < best.error) best = { dx, dy, error };
    }
  }
  const around = best;
  best = { dx: 0, dy: 0, error: Infinity };
  for (let dy = around.dy - step; dy <= around.dy + step; dy++) {
    for (let dx = around.dx - step; dx <= around.dx + step; dx++) {
      const error = coreError(photo, frame, core, dx, dy);
      if (error < best.error) best = { dx, dy, error };
    }
  }
  return best;
}

/**
 * `inside`: the object's mask at the frames' size. Measures the first frame (in `frames` order, so the
 * least shrunk on its way out) where the object is found shifted by more than its band; null when no
 * frame has it so, or when the band has no pixels whose old and new background differ.
 */
export function carriedRing(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
  candidates = 12,
): CarriedRing | null {
  const { width, height } = photo;
  const distance = signedDistance(inside, width, height);
  const core = corePixels(distance, 1500);
  if (core.length < 20) return null;
  const stride = Math.max(1, Math.floor(frames.length / candidates));
  for (let index = stride; index < frames.length; index += stride) {
    const frame = frames[index]!;
    const { dx, dy, error } = findShift(photo, frame, core);
    if (error > FOUND || Math.hypot(dx, dy) < LEAST_SHIFT) continue;
    let total = 0;
    let pixels = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const d = distance[i]!;
        if (d < BAND_FROM || d > BAND_TO) continue;
        const mx = x + dx;
        const my = y + dy;
        if (mx < 0 || my < 0 || mx >= width || my >= height) continue;
        const m = my * width + mx;
        // The new background must be untouched photo: outside the object and its band at rest.
        if (distance[m]! <= BAND_TO + 2) continue;
        const old = photo.data[i]!;
        const arrived = photo.data[m]!;
        if (Math.abs(old - arrived) < DISTINCT) continue;
        const shown = frame.data[m]!;
        const toNew = Math.abs(shown - arrived);
        const toOld = Math.abs(shown - old);
        total += toNew / (toNew + toOld + 1e-6);
        pixels++;
      }
    }
    if (pixels < 20) continue;
    return { share: total / pixels, frame: index, shift: [dx, dy], pixels };
  }
  return null;
}
