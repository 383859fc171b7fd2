// Folded fields (seen: a strong "wave" on a face-sized region turned the whole head into noise): where a
// displacement field folds over itself, neighbouring pixels sample far-apart places and the frame fills
// with speckle. A smooth warp moves texture without adding any, so the frame's gradient energy where it
// changed stays near the photo's there; speckle multiplies it. Measured per frame over the pixels it
// changed, against the photo's energy over the same pixels.
import type { GreyImage } from '../../flow/index.js';
import { gradientEnergy } from './texture.js';

export interface Folding {
  /** The largest, over frames, of the changed pixels' gradient energy against the photo's: near 1 or below for a smooth motion. */
  ratio: number;
  /** The frame it was read on. */
  frame: number;
}

/** Grey levels by which a pixel must change to count as moved. */
const CHANGED = 6;
/** Grey levels^2 added to the photo's energy so a flat area's change is not divided by nothing. */
const FLOOR = 4;
/** Fewest changed pixels (and share of the region) a frame needs to be judged. */
const FEWEST = 64;
const LEAST_SHARE = 0.02;

/** `inside`: the region's mask at the frames' size (only its area sets how much change counts). */
export function folding(frames: readonly GreyImage[], photo: GreyImage, inside: Uint8Array): Folding | null {
  let area = 0;
  for (const v of inside) if (v) area++;
  const fewest = Math.max(FEWEST, LEAST_SHARE * area);
  const where = new Uint8Array(photo.data.length);
  let best: Folding | null = null;
  frames.forEach((frame, index) => {
    let changed = 0;
    for (let i = 0; i < where.length; i++) {
      const moved = Math.abs(frame.data[i]! - photo.data[i]!) > CHANGED ? 1 : 0;
      where[i] = moved;
      changed += moved;
    }
    if (changed < fewest) return;
    const ratio = gradientEnergy(frame, where) / (gradientEnergy(photo, where) + FLOOR);
    if (!best || ratio > best.ratio) best = { ratio, frame: index };
  });
  return best;
}
