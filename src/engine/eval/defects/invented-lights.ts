// Invented lights (issue 10, point 1): a travel's hole filled with patches of the photo around it can
// copy a lamp, a glint or the sun into itself, a second light that was never there. rocket.jpg's launch
// left new starbursts on the pad beside the one that shines there, and the hole-texture ratio hardly moved
// (3.71 with them, 3.60 without): a lamp is a few pixels of a large fill. So this counts them: in what
// fills the vacated area (the median plate hole-texture.ts reads, wherever it differs from the photo, which
// reaches past the mask where the layer was cut wider), the peaks of light: a bright pixel, the brightest
// around it, far brighter than a ring about it, and away from the fill's edge. A light the object half
// covered, completed from the edge, peaks at the edge or beyond it; a white sky filled with white sky has
// no peak; a lamp copied into the hole peaks inside it.
import type { GreyImage } from '../../flow/index.js';
import { CHANGED, vacatedArea, type VacatedArea } from './hole-texture.js';

export interface InventedLights {
  /** Peaks of light inside the fill. */
  count: number;
  /** Where they are, in pixels of the frames. */
  at: { x: number; y: number }[];
}

/** A peak is at least this bright (grey level): a copied lamp's core, averaged by the fill's vote. */
const BRIGHT = 200;
/** ...the brightest within PEAK px of it... */
const PEAK = 4;
/** ...and brighter by this than the mean of the ring PEAK + 1 to PEAK + 2 px about it. */
const LEAD = 60;
/**
 * ...and still clearly brighter (by LEAD / 2) than the ring's brighter part, from this share of it up: a
 * light stands out all round, while a ridge (a stem's sunlit edge, continued across the hole) crosses the
 * ring twice, as bright as the peak there, and its dark side alone pulls the ring's mean down. On
 * ladybird.jpg’s glide a fill that continues the stem peaked over 60 above the mean, 10-20 above this.
 */
const RIDGE_SHARE = 0.75;
/** A peak this close (px) to the fill's edge continues what lies beyond it. */
const EDGE = 2;

/**
 * `inside`: the object's mask at the frames' size (1 inside). null when the object never vacated any of
 * its area.
 */
export function inventedLights(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
  vacated: VacatedArea = vacatedArea(frames, photo, inside),
): InventedLights | null {
  const { width, height } = photo;
  const { near, frame, shown } = vacated;
  if (shown === 0) return null;
  const filled = new Uint8Array(inside.length);
  for (let i = 0; i < filled.length; i++)
    filled[i] = near[i] && Math.abs(frame.data[i]! - photo.data[i]!) > CHANGED ? 1 : 0;
  const value = (x: number, y: number) =>
    frame.data[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  const at: { x: number; y: number }[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = frame.data[y * width + x]!;
      if (!filled[y * width + x] || v < BRIGHT) continue;
      let interior = true;
      let peak = true;
      for (let dy = -PEAK; dy <= PEAK && peak; dy++) {
        for (let dx = -PEAK; dx <= PEAK; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (Math.max(Math.abs(dx), Math.abs(dy)) <= EDGE) {
            if (xx < 0 || yy < 0 || xx >= width || yy >= height || !filled[yy * width + xx]) interior = false;
          }
          // Ties go to the first in scan order, so a flat-topped peak counts once.
          const w = value(xx, yy);
          if (w > v || (w === v && (dy < 0 || (dy === 0 && dx < 0)))) {
            peak = false;
            break;
          }
        }
      }
      if (!interior || !peak) continue;
      const ring: number[] = [];
      for (let dy = -PEAK - 2; dy <= PEAK + 2; dy++) {
        for (let dx = -PEAK - 2; dx <= PEAK + 2; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) <= PEAK) continue;
          ring.push(value(x + dx, y + dy));
        }
      }
      const mean = ring.reduce((sum, w) => sum + w, 0) / ring.length;
      ring.sort((a, b) => a - b);
      const upper = ring[Math.floor(ring.length * RIDGE_SHARE)]!;
      if (v - mean >= LEAD && v - upper >= LEAD / 2) at.push({ x, y });
    }
  }
  return { count: at.length, at };
}
