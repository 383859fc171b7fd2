// Intrusion (issue 10, point 3): a fluid that shows, well inside its region, what the region never held.
// pier.jpg's fog drift, beside the photo's left edge, carried a dark wedge of the deck below it into its
// corner (it sampled past the photo's edge, mirrored, where the mirror shows the deck), and every metric
// passed: the seam reads the region's edge, spill what lies outside it. Here the frames are read inside
// the region, clear of its edge band, for grey levels beyond what the region holds in the photo near them
// (as far as a fluid carries its texture) by a margin: pale fog turning deck-dark, a blue sky turning
// grass-dark. Near, not over the whole region: a fog that darkens towards the water holds the deck's grey
// far from the deck. What it cannot see: something carried within the range of what is near (a dark
// blade of the sky's own, carried off; thin-hold.ts). Fluids only, as a fluid only ever moves its own
// texture about inside its region, while a warp or a wobble moves a layer, and what it uncovers inside
// its old edge is the background by design; and a fluid alone in its clip (measure.ts), as another
// region's motion reaches into it by design (the grass swaying over the dune's sky carries its blades'
// tips 40 px past the grass).
import type { GreyImage } from '../../flow/index.js';
import { signedDistance } from './texture.js';

export interface Intrusion {
  /** The most pixels, over frames, beyond what the region holds near them, over the pixels read. */
  share: number;
  /** The frame it was read on. */
  frame: number;
  /** Their mean position in that frame, in pixels of the frames: where to look; null when none. */
  at: { x: number; y: number } | null;
}

/** Pixels this far inside the region's edge (a share of the long side, at least BAND_LEAST px) are read. */
const BAND_SHARE = 0.01;
const BAND_LEAST = 3;
/**
 * What the region holds near a pixel: its photo's darkest and brightest within this share of the long
 * side, the most a fluid carries its texture (plan-fluid.ts CARRY), read in blocks of BLOCK_SHARE.
 */
const NEAR_SHARE = 0.15;
const BLOCK_SHARE = 0.01;
/**
 * That range widened by this share of itself, and by at least MARGIN_LEAST levels. The cross-fade
 * restores the contrast it loses about the local mean by up to sqrt(2) (render-frame.ts), so a fluid
 * overshoots its texture's extremes by up to 0.41 of their distance from the mean, never by half the range.
 */
const MARGIN_SHARE = 0.5;
const MARGIN_LEAST = 16;
/** Fewest pixels a region needs to be read. */
const FEWEST = 64;

/** `inside`: the region's mask at the frames' size (1 inside). null when too little of it lies clear of its edge. */
export function intrusion(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): Intrusion | null {
  const { width, height } = photo;
  const long = Math.max(width, height);
  const band = Math.max(BAND_LEAST, BAND_SHARE * long);
  const distance = signedDistance(inside, width, height);
  const read: number[] = [];
  for (let i = 0; i < inside.length; i++) if (inside[i] && distance[i]! <= -band) read.push(i);
  if (read.length < FEWEST) return null;
  const { below, above } = nearRange(photo, read, long);
  let best: Intrusion = { share: 0, frame: 0, at: null };
  frames.forEach((frame, index) => {
    let count = 0;
    let sx = 0;
    let sy = 0;
    for (const i of read) {
      const v = frame.data[i]!;
      if (v >= below[i]! && v <= above[i]!) continue;
      count++;
      sx += i % width;
      sy += Math.floor(i / width);
    }
    if (count / read.length > best.share)
      best = { share: count / read.length, frame: index, at: { x: sx / count, y: sy / count } };
  });
  return best;
}

/**
 * Per pixel, the grey levels the region holds near it, widened by the margin: [below, above]. Read from
 * its pixels clear of its edge (`read`), as the frames are: the edge's own pixels mix in what lies beside
 * the region (the pier's fog, cut along the deck, has deck-dark pixels all along its lower edge).
 */
function nearRange(
  photo: GreyImage,
  read: readonly number[],
  long: number,
): { below: Float32Array; above: Float32Array } {
  const { width, height, data } = photo;
  const block = Math.max(2, Math.round(BLOCK_SHARE * long));
  const bw = Math.ceil(width / block);
  const bh = Math.ceil(height / block);
  const low = new Float32Array(bw * bh).fill(Infinity);
  const high = new Float32Array(bw * bh).fill(-Infinity);
  for (const i of read) {
    const b = Math.floor(Math.floor(i / width) / block) * bw + Math.floor((i % width) / block);
    low[b] = Math.min(low[b]!, data[i]!);
    high[b] = Math.max(high[b]!, data[i]!);
  }
  const reach = Math.ceil((NEAR_SHARE * long) / block);
  const below = new Float32Array(width * height);
  const above = new Float32Array(width * height);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let y = Math.max(0, by - reach); y <= Math.min(bh - 1, by + reach); y++) {
        for (let x = Math.max(0, bx - reach); x <= Math.min(bw - 1, bx + reach); x++) {
          lo = Math.min(lo, low[y * bw + x]!);
          hi = Math.max(hi, high[y * bw + x]!);
        }
      }
      const margin = Math.max(MARGIN_LEAST, MARGIN_SHARE * (hi - lo));
      for (let y = by * block; y < Math.min(height, (by + 1) * block); y++) {
        for (let x = bx * block; x < Math.min(width, (bx + 1) * block); x++) {
          below[y * width + x] = lo - margin;
          above[y * width + x] = hi + margin;
        }
      }
    }
  }
  return { below, above };
}
