// Spill (issue 10): a motion in place that moves what lies beside its region. The astronaut's flag once
// faded its wave out over a band eight swings wide, outside the flag, and moved her suit, helmet and face,
// while background PSNR passed: it was measured outside the area the engine said it reached. Here the
// frames are compared with the photo beyond a generous band around the mask (three 2% bands, the most a
// wave's fade may take outside), on the photo's structure only: a sway may stretch the flat sky beside a
// plant unseen, but an edge, a face or a texture that moves there is another thing dragged along.

import type { GreyImage } from '../../flow/index.js';
import { signedDistance } from './texture.js';

/** Beyond this many 2%-of-the-long-side bands outside the mask, structure must stay still. */
export const SPILL_BANDS = 3;
/** A pixel is structure where the photo's central-difference gradient reaches this (grey levels). */
export const STRUCTURE = 12;
/** A structure pixel moved when a frame differs from the photo there by more than this (grey levels). */
export const MOVED = 10;

export interface Spill {
  /** Structure pixels beyond the band that moved in some frame, over the region's own pixels. */
  ratio: number;
  /** How many moved. */
  moved: number;
}

/**
 * Spill of each region of a clip: `insides` are the regions' masks at the frames' size (1 inside). A moved
 * pixel beyond the band of every region is put down to the nearest region; a region with nothing beyond
 * its band, or with no pixels, gets null.
 */
export function spills(
  frames: readonly GreyImage[],
  photo: GreyImage,
  insides: readonly Uint8Array[],
): (Spill | null)[] {
  const { width, height } = photo;
  const band = SPILL_BANDS * 0.02 * Math.max(width, height);
  const distances = insides.map((inside) => signedDistance(inside, width, height));
  const areas = insides.map((inside) => inside.reduce((sum, v) => sum + (v ? 1 : 0), 0));
  const watched: number[] = [];
  const owner: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      let nearest = -1;
      let nearestDistance = Infinity;
      distances.forEach((distance, k) => {
        if (distance[i]! < nearestDistance) {
          nearestDistance = distance[i]!;
          nearest = k;
        }
      });
      if (nearest < 0 || nearestDistance <= band) continue;
      const gx = photo.data[i + 1]! - photo.data[i - 1]!;
      const gy = photo.data[i + width]! - photo.data[i - width]!;
      if (Math.hypot(gx, gy) < STRUCTURE) continue;
      watched.push(i);
      owner.push(nearest);
    }
  }
  const moved = new Uint8Array(watched.length);
  for (const frame of frames) {
    for (let k = 0; k < watched.length; k++) {
      const i = watched[k]!;
      if (Math.abs(frame.data[i]! - photo.data[i]!) > MOVED) moved[k] = 1;
    }
  }
  return insides.map((_, region) => {
    let count = 0;
    let any = false;
    for (let k = 0; k < watched.length; k++) {
      if (owner[k] !== region) continue;
      any = true;
      count += moved[k]!;
    }
    return any && areas[region]! > 0 ? { ratio: count / areas[region]!, moved: count } : null;
  });
}

/** The spill of one region alone in its clip. */
export function spill(frames: readonly GreyImage[], photo: GreyImage, inside: Uint8Array): Spill | null {
  return spills(frames, photo, [inside])[0]!;
}
