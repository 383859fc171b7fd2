// Touching things of one colour (issue 10, point 5): cups.jpg's two cyan cups touch rim to rim, and a click
// on one took both, since colour and texture see no edge between them. Their shapes do: two round bodies
// joined by a neck far narrower than either. This splits a mask at such necks and keeps the bodies the
// clicks are on, the way a watershed of the distance to the mask's edge splits touching cells.
//
// The distance's peaks are the bodies; flooding down from them (pixels in order of falling distance, each
// joining the pieces it touches), two bodies meet at the neck's distance, half its width. They stay apart
// when that is under NECK of the smaller body's half-width and both are bodies (half-width at least BODY
// of the long side). A branch or a stem joined to a body is no neck: its width never dips below its own
// on the way in, so it joins at its own half-width. Only a thing inside the photo is split: a sky, a lake
// or a field runs on behind what stands in front of it and reaches the photo's edge, and its parts either
// side of a tree are one region.
import { boundsWhere, growBox } from '../../image/bounds.js';
import { distanceTransform } from '../../motion/distance.js';

/** Two bodies stay apart where their neck's half-width is under this share of the smaller one's. */
const NECK = 0.4;
/** A body's half-width is at least this share of the mask's long side. */
const BODY = 0.02;

/**
 * The mask (255 inside) less the bodies joined to the clicked ones only by a narrow neck; the mask itself
 * when it reaches the image's edge or has no such neck. `clicked`: pixel indices of the positive clicks.
 */
export function splitAtNecks(mask: Uint8Array, width: number, height: number, clicked: number[]): Uint8Array {
  // Worked on the mask's bounds and a pixel round them (all outside it, so the distances are the same):
  // a thing is usually a small share of the photo, and this runs on every click.
  const box = boundsWhere(width, height, (i) => mask[i]! > 0);
  if (!box || box.x0 === 0 || box.y0 === 0 || box.x1 === width || box.y1 === height) return mask;
  // The mask touches no edge, so its box grown by a pixel is inside the image.
  const { x0, y0, x1, y1 } = growBox(box, 1, width, height);
  const w = x1 - x0;
  const h = y1 - y0;
  const crop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    crop.set(mask.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + w), y * w);
  const at = clicked
    .map((i) => ({ x: (i % width) - x0, y: Math.floor(i / width) - y0 }))
    .filter((p) => p.x >= 0 && p.y >= 0 && p.x < w && p.y < h)
    .map((p) => p.y * w + p.x);
  const kept = splitCrop(crop, w, h, at, BODY * Math.max(width, height));
  if (kept === crop) return mask;
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) out.set(kept.subarray(y * w, (y + 1) * w), (y0 + y) * width + x0);
  return out;
}

/** splitAtNecks on the mask's bounds: `least`, a body's smallest half-width in pixels. */
function splitCrop(
  mask: Uint8Array,
  width: number,
  height: number,
  clicked: number[],
  least: number,
): Uint8Array {
  const depth = distanceTransform(width, height, (i) => !mask[i]);
  const order = deepestFirst(mask, depth);
  if (order.length === 0) return mask;

  // Union-find over the flooded pixels; each root knows its body's half-width (its peak) and area.
  const parent = new Int32Array(mask.length).fill(-1);
  const peak = new Float32Array(mask.length);
  const area = new Int32Array(mask.length);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) {
      const next = parent[i]!;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const body = (r: number) => peak[r]! >= least;
  // Pairs of pieces kept apart at a neck (roots, two numbers a pair; a few at most): a later pixel
  // touching both joins only one of them.
  const apart: number[] = [];
  const isApart = (a: number, b: number) => {
    for (let k = 0; k < apart.length; k += 2) {
      if ((apart[k] === a && apart[k + 1] === b) || (apart[k] === b && apart[k + 1] === a)) return true;
    }
    return false;
  };
  // The deepest neck cut: below it, pixels join whichever piece they meet first, which cuts blocks.
  let cut = -1;
  for (const i of order) {
    parent[i] = i;
    peak[i] = depth[i]!;
    area[i] = 1;
    // The crop's border is outside the mask, so a pixel of it always has its four neighbours.
    for (let side = 0; side < 4; side++) {
      const n = side === 0 ? i - 1 : side === 1 ? i + 1 : side === 2 ? i - width : i + width;
      if (parent[n]! < 0) continue;
      const a = root(i);
      const b = root(n);
      if (a === b || (apart.length > 0 && isApart(a, b))) continue;
      const level = depth[i]!;
      if (body(a) && body(b) && level < NECK * Math.min(peak[a]!, peak[b]!)) {
        apart.push(a, b);
        cut = Math.max(cut, level);
        continue;
      }
      // The larger piece takes the smaller; a piece kept apart from the smaller stays apart from both.
      const big = area[a]! >= area[b]! ? a : b;
      const small = big === a ? b : a;
      parent[small] = big;
      peak[big] = Math.max(peak[big]!, peak[small]!);
      area[big]! += area[small]!;
      for (let k = 0; k < apart.length; k++) if (apart[k] === small) apart[k] = big;
    }
  }
  if (cut < 0) return mask;
  const kept = new Set(clicked.filter((i) => mask[i]).map(root));
  if (kept.size === 0) return mask;
  // The bodies' cores (deeper than every neck) are apart; each pixel of the rest goes to the nearest core,
  // so the cut runs straight across the neck.
  const core = (i: number, ours: boolean) => depth[i]! > cut && kept.has(root(i)) === ours;
  const toOurs = distanceTransform(width, height, (i) => mask[i]! > 0 && core(i, true));
  const toTheirs = distanceTransform(width, height, (i) => mask[i]! > 0 && core(i, false));
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i] && toOurs[i]! <= toTheirs[i]!) out[i] = 255;
  return out;
}

/** The mask's pixels in order of falling depth (a counting sort on quarter pixels). */
function deepestFirst(mask: Uint8Array, depth: Float32Array): Int32Array {
  let deepest = 0;
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    count++;
    deepest = Math.max(deepest, depth[i]!);
  }
  const buckets = Math.ceil(deepest * 4) + 1;
  const start = new Int32Array(buckets + 1);
  const bucketOf = (i: number) => buckets - 1 - Math.min(buckets - 1, Math.round(depth[i]! * 4));
  for (let i = 0; i < mask.length; i++) if (mask[i]) start[bucketOf(i) + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const order = new Int32Array(count);
  for (let i = 0; i < mask.length; i++) if (mask[i]) order[start[bucketOf(i)]!++] = i;
  return order;
}
