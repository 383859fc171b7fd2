// Hole rim (issue 10, points 1 and 7): where a travel's fill meets the photo, a step in shade shows as a
// rim round the hole (a fill copied from a lighter part of the bokeh), even where the fill is as textured
// as its surroundings and the hole-texture metric reads it right. Reads the median plate of the vacated
// area (hole-texture.ts): the pixels the fill changed, and on the outline of that set, outside the
// object's own mask, how much more the plate steps there than the photo did between the same two
// pixels. A fill that runs on from the photo changes little at its edge, so its changed set ends where the
// change fades under a few grey levels and the plate steps as the photo did; a rim steps by its shade.
import type { GreyImage } from '../../flow/index.js';
import { CHANGED, vacatedArea } from './hole-texture.js';

export interface HoleRim {
  /**
   * Over the changed set's outline, the plate's mean step across it over the photo's between the same
   * pixels: about 1 where the fill runs on from the photo, more where it steps (a rim).
   */
  ratio: number;
  /** Pixel pairs on the outline measured. */
  pairs: number;
}

/**
 * How far outside the object's mask the fill is looked for, px: past the rim the engine erases round it
 * (about 8 px at the eval's 512-px size, 29 px at 1920).
 */
const REACH = 16;
/** Below this many outline pairs there is no rim to speak of (a hole the object barely left). */
const LEAST_PAIRS = 24;
/** Grey levels added to both mean steps, so a flat photo is not divided by nothing. */
const FLOOR = 1;

/** `inside`: the object's mask at the frames' size (1 inside). null when nothing round it changed. */
export function holeRim(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
  reach = REACH,
): HoleRim | null {
  const { width, height } = photo;
  const { distance, near: band, frame: plate, shown } = vacatedArea(frames, photo, inside, reach);
  if (shown === 0) return null;
  const changed = new Uint8Array(distance.length);
  for (let i = 0; i < changed.length; i++)
    changed[i] = band[i] && Math.abs(plate.data[i]! - photo.data[i]!) > CHANGED ? 1 : 0;
  let plateSum = 0;
  let photoSum = 0;
  let pairs = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!changed[p] || distance[p]! <= 0) continue;
      const neighbours = [x > 0 ? p - 1 : -1, x + 1 < width ? p + 1 : -1, y > 0 ? p - width : -1];
      neighbours.push(y + 1 < height ? p + width : -1);
      for (const q of neighbours) {
        if (q < 0 || changed[q] || !band[q]) continue;
        plateSum += Math.abs(plate.data[p]! - plate.data[q]!);
        photoSum += Math.abs(photo.data[p]! - photo.data[q]!);
        pairs++;
      }
    }
  }
  if (pairs < LEAST_PAIRS) return null;
  return { ratio: (plateSum / pairs + FLOOR) / (photoSum / pairs + FLOOR), pairs };
}
