// What the pointer is over, before a click (issue 13, point 1: the hover outline answers in < 50 ms).
// No graph cut: from the superpixel under the pointer, neighbouring superpixels are taken in while their
// mean colour stays close to the region grown so far (a flood on the superpixel graph, in Lab). It runs
// on the cached working image's superpixels, so it costs well under a millisecond per superpixel taken.
import type { Superpixels } from './superpixels.js';

export interface HoverOptions {
  /** Largest Lab distance from the region's running mean at which a neighbour joins. */
  tolerance: number;
  /** Largest share of the photo an outline may cover (a flood through a flat background stops here). */
  maxShare: number;
}

export const HOVER_DEFAULTS: HoverOptions = { tolerance: 9, maxShare: 0.6 };

/** 1 per superpixel of the object at working-image point (x, y). */
export function hoverSuperpixels(
  sp: Superpixels,
  x: number,
  y: number,
  options: HoverOptions = HOVER_DEFAULTS,
): Uint8Array {
  const px = Math.min(sp.width - 1, Math.max(0, Math.round(x)));
  const py = Math.min(sp.height - 1, Math.max(0, Math.round(y)));
  const seed = sp.labels[py * sp.width + px]!;
  const taken = new Uint8Array(sp.count);
  taken[seed] = 1;
  const sum = [sp.mean[seed * 3]! * sp.size[seed]!, sp.mean[seed * 3 + 1]! * sp.size[seed]!, 0];
  sum[2] = sp.mean[seed * 3 + 2]! * sp.size[seed]!;
  let area = sp.size[seed]!;
  const limit = options.maxShare * sp.width * sp.height;
  const tolerance2 = options.tolerance * options.tolerance;
  const queue = [seed];
  for (let head = 0; head < queue.length && area < limit; head++) {
    const s = queue[head]!;
    for (let k = sp.neighbours.offsets[s]!; k < sp.neighbours.offsets[s + 1]!; k++) {
      const n = sp.neighbours.list[k]!;
      if (taken[n]) continue;
      const dl = sp.mean[n * 3]! - sum[0]! / area;
      const da = sp.mean[n * 3 + 1]! - sum[1]! / area;
      const db = sp.mean[n * 3 + 2]! - sum[2]! / area;
      if (dl * dl + da * da + db * db > tolerance2) continue;
      taken[n] = 1;
      const size = sp.size[n]!;
      sum[0]! += sp.mean[n * 3]! * size;
      sum[1]! += sp.mean[n * 3 + 1]! * size;
      sum[2]! += sp.mean[n * 3 + 2]! * size;
      area += size;
      queue.push(n);
    }
  }
  return taken;
}

/** The superpixels as a working-size mask (255 inside). */
export function superpixelMask(sp: Superpixels, taken: Uint8Array): Uint8Array {
  const mask = new Uint8Array(sp.width * sp.height);
  for (let i = 0; i < mask.length; i++) if (taken[sp.labels[i]!]) mask[i] = 255;
  return mask;
}
