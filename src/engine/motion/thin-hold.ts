// Thin structures standing in front of a smooth fluid region stay where they are (issue 10, points 3 and
// 5). A sky or a calm sea is selected with the blades, stalks and strings that stand up into it from
// outside (dune-grass.jpg: the faint tips of the blades over the sky; a dark blade coming in at the
// photo's left edge), and a drift carried them with the sky: the tips curled into dark wavy lines, and
// the blade at the edge, traced past it and sampled mirrored, became a dark V sailing across the sky. The
// segmenter gives such structures up where it can (segment/classic/thin-structures.ts), but a faint tip
// or a structure that comes in from the photo's edge stays in the region.
//
// So a fluid region that is smooth (what lies behind: little fine structure of its own) finds the thin
// structures in it that stand out from its local mean and run out of it (to a pixel it does not cover, or
// the photo's edge); they are HELD: drawn from the photo in every frame. The fluid itself moves a PLATE
// of the region without them (the hole they leave filled smoothly from the sky round it, with its grain),
// so no copy of them drifts off either. A cloud, a wisp or a disc of bokeh inside the region is wider
// than a stem or does not run out of it, and moves with it.
import { boxBlur } from './blur.js';
import { distanceTransform } from './distance.js';
import { FILL, IGNORE, KNOWN } from './inpaint-core.js';
import { inpaint } from './inpaint.js';
import { boxHeight, boxWidth, growBox, type PixelBox } from './mask.js';
import { sharedInt32, sharedUint8 } from './plan.js';

export interface ThinHold {
  /** The photo (full size, RGBA) with the held structures filled from what surrounds them. */
  plate: Uint8Array;
  /** Pixels (y * width + x) drawn from the photo in every frame: the held structures and a rim. */
  held: Int32Array;
}

/**
 * Levels (largest channel) by which the region's median pixel stands out from its local mean, at most,
 * where it is smooth (what lies behind). At 840 px: skies, calm water and bokeh 0-2 (the dune-grass sky
 * with its blades 2: its mean, 7.9, is the blades'), the storm's field 4, a meadow 12, grass 20-21.
 */
const SMOOTH = 3;
/** Levels (largest channel) by which a structure's pixels stand out from the local mean. */
const STANDS_OUT = 8;
/**
 * Levels by which a held structure's faint parts stand out: its out-of-focus halo and its fading tips,
 * which go with it where they touch it (left in the plate, they drifted off as a dark smudge).
 */
const FAINT = 3;
/** The local mean's blur (sigma) as a share of the long side, as plan-fluid.ts blurs its mean. */
const MEAN_SHARE = 0.006;
/** Structures gone in an opening of this share of the long side (radius) are thin: stems, not clouds. */
const THIN_SHARE = 0.01;
/**
 * Share of the long side a structure coming in from the photo's edge runs at least, to be held (and it
 * is narrow all along: a wisp of cloud cut by the edge is a blob).
 */
const LONG_SHARE = 0.05;
/** Pixels a held structure takes with it all round: its anti-aliased rim. */
const RIM = 2;
/** Pieces smaller than this (pixels) are grain, not a structure. */
const LEAST_PIECE = 12;

/** Long side (pixels) above which the structures are found at half size or less (a stalk stays 2 px). */
const DETECT_LONG = 1100;

/**
 * The structures of a smooth fluid region to hold still, and the plate the fluid moves instead of the
 * photo; null where the region is not smooth or holds none. `coverage`: the region at the output size
 * (0-1); `box`: where it is.
 */
export function thinHold(
  photo: Uint8Array,
  width: number,
  height: number,
  coverage: Float32Array,
  box: PixelBox,
): ThinHold | null {
  const long = Math.max(width, height);
  // Work on the region's box and a margin the blur and the opening read.
  const margin = Math.ceil((3 * MEAN_SHARE + THIN_SHARE) * long + RIM + 2);
  const area = growBox(box, margin, width, height);
  const w = boxWidth(area);
  const h = boxHeight(area);
  if (w <= 0 || h <= 0) return null;
  const atEdge = {
    left: area.x0 === 0,
    top: area.y0 === 0,
    right: area.x1 === width,
    bottom: area.y1 === height,
  };
  // Found at a reduced size on a large photo (the blurs and distances are most of the time), then held
  // at full size where the reduced answer says.
  const factor = Math.max(1, Math.ceil(long / DETECT_LONG));
  const small = reduce(photo, coverage, width, area, factor);
  const found = heldStructures(small.crop, small.cover, small.w, small.h, long / factor, atEdge);
  if (!found) return null;
  const held = factor === 1 ? found : enlarge(found, small.w, w, h, factor);
  const { crop, cover } = factor === 1 ? small : reduce(photo, coverage, width, area, 1);

  // With their rim, where the region covers the pixel whole (a pixel it shares with the region beside it
  // is blended with that one, as every edge pixel is).
  const near = distanceTransform(w, h, (k) => held[k] === 1);
  // The fill reads the region only: the grass beside a sky is no colour of the sky behind a blade.
  const state = new Uint8Array(w * h);
  for (let k = 0; k < w * h; k++) state[k] = cover[k]! > 0 ? KNOWN : IGNORE;
  const list: number[] = [];
  for (let k = 0; k < w * h; k++) {
    if (near[k]! > RIM || cover[k]! <= 0) continue;
    if (cover[k]! < 1) {
      // The rest of a structure at the region's soft edge: neither copied from nor filled.
      state[k] = IGNORE;
      continue;
    }
    state[k] = FILL;
    list.push((area.y0 + ((k / w) | 0)) * width + area.x0 + (k % w));
  }
  if (list.length === 0) return null;
  inpaint(crop, w, h, state);
  const plate = sharedUint8(photo.length);
  plate.set(photo);
  for (let y = 0; y < h; y++) {
    const to = ((area.y0 + y) * width + area.x0) * 4;
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (state[k] !== FILL) continue;
      for (let c = 0; c < 4; c++) plate[to + x * 4 + c] = crop[k * 4 + c]!;
    }
  }
  const heldPixels = sharedInt32(list.length);
  heldPixels.set(list);
  return { plate, held: heldPixels };
}

/** Which sides of a crop are the photo's own edges. */
interface PhotoEdges {
  left: boolean;
  top: boolean;
  right: boolean;
  bottom: boolean;
}

/**
 * 1 on the thin structures of a crop (RGBA, with the region's coverage) to hold, with their faint parts;
 * null where the region is not smooth or none runs out of it. `long`: the photo's long side at this size.
 */
function heldStructures(
  crop: Uint8Array,
  cover: Float32Array,
  w: number,
  h: number,
  long: number,
  atEdge: PhotoEdges,
): Uint8Array | null {
  const thin = Math.max(2, THIN_SHARE * long);
  const sigma = Math.max(2, MEAN_SHARE * long);
  // How far each pixel stands out from the local mean of what round it does not stand out: the mean of
  // everything, darkened by a dark stalk, made the sky beside the stalk stand out too, and a stalk with
  // that halo was too wide to be thin.
  const level = standingOut(crop, w, h, sigma, standingOut(crop, w, h, sigma, null));
  let count = 0;
  const histogram = new Uint32Array(256);
  const standsOut = new Uint8Array(w * h);
  for (let k = 0; k < w * h; k++) {
    if (cover[k]! <= 0) continue;
    count++;
    histogram[level[k]!]!++;
    if (level[k]! >= STANDS_OUT) standsOut[k] = 1;
  }
  let median = 0;
  for (let seen = 0; median < 255 && seen + histogram[median]! <= count / 2; median++)
    seen += histogram[median]!;
  if (count === 0 || median > SMOOTH) return null;

  // Thin: standing out, and gone in an opening of radius `thin` (what survives it is a cloud's body).
  const inner = distanceTransform(w, h, (k) => !standsOut[k]);
  const opened = distanceTransform(w, h, (k) => inner[k]! > thin);
  const candidate = new Uint8Array(w * h);
  for (let k = 0; k < w * h; k++) if (standsOut[k] && opened[k]! > thin && cover[k]! > 0) candidate[k] = 1;

  // Held: the pieces that run out of the region, into a pixel it does not cover (the stalks in front of
  // a sky, out of the grass below it), or, long, past the photo's edge, where they are not the fringe of
  // something wide inside it (a cloud cut by the photo's edge, a wisp beside it).
  const held = new Uint8Array(w * h);
  const stack: number[] = [];
  const piece: number[] = [];
  const seen = new Uint8Array(w * h);
  let any = false;
  for (let start = 0; start < w * h; start++) {
    if (!candidate[start] || seen[start]) continue;
    piece.length = 0;
    let runsOut = false;
    let atPhotoEdge = false;
    let fringe = false;
    let x0 = w;
    let x1 = 0;
    let y0 = h;
    let y1 = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const k = stack.pop()!;
      piece.push(k);
      const x = k % w;
      const y = (k - x) / w;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
            if ((nx < 0 && atEdge.left) || (nx >= w && atEdge.right)) atPhotoEdge = true;
            if ((ny < 0 && atEdge.top) || (ny >= h && atEdge.bottom)) atPhotoEdge = true;
            continue;
          }
          const q = ny * w + nx;
          if (cover[q]! <= 0) runsOut = true;
          // Beside something that stands out and is wide, it is that thing's fringe (a cloud's edge).
          else if (standsOut[q] && opened[q]! <= thin) fringe = true;
          if (candidate[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    // What comes in from the photo's edge is a stalk if it is long and no fringe of something wide.
    const extent = Math.max(x1 - x0, y1 - y0) + 1;
    const lengthy = extent >= LONG_SHARE * long && piece.length / extent <= 2 * thin;
    const stalk = runsOut || (atPhotoEdge && !fringe && lengthy);
    if (!stalk || piece.length < LEAST_PIECE) continue;
    for (const k of piece) held[k] = 1;
    any = true;
  }
  if (!any) return null;

  // With their faint parts: what touches them and stands out a little, up to the opening's reach.
  const reach = distanceTransform(w, h, (k) => held[k] === 1);
  const grow: number[] = [];
  for (let k = 0; k < w * h; k++) if (held[k]) grow.push(k);
  while (grow.length > 0) {
    const k = grow.pop()!;
    const x = k % w;
    const y = (k - x) / w;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (held[q] || level[q]! < FAINT || reach[q]! > thin || cover[q]! <= 0) continue;
        held[q] = 1;
        grow.push(q);
      }
    }
  }
  return held;
}

/**
 * The photo and the coverage over `area`, at 1 / factor: means of factor x factor blocks (coverage: 1
 * where all of a block is covered whole, 0 where none of it is covered, between otherwise).
 */
function reduce(
  photo: Uint8Array,
  coverage: Float32Array,
  width: number,
  area: PixelBox,
  factor: number,
): { crop: Uint8Array; cover: Float32Array; w: number; h: number } {
  const w = boxWidth(area);
  const h = boxHeight(area);
  const sw = Math.ceil(w / factor);
  const sh = Math.ceil(h / factor);
  const crop = new Uint8Array(sw * sh * 4);
  const cover = new Float32Array(sw * sh);
  for (let y = 0; y < sh; y++) {
    const fy1 = Math.min(h, (y + 1) * factor);
    for (let x = 0; x < sw; x++) {
      const fx1 = Math.min(w, (x + 1) * factor);
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let n = 0;
      let least = 1;
      let most = 0;
      for (let fy = y * factor; fy < fy1; fy++) {
        for (let fx = x * factor; fx < fx1; fx++) {
          const i = (area.y0 + fy) * width + area.x0 + fx;
          r += photo[i * 4]!;
          g += photo[i * 4 + 1]!;
          b += photo[i * 4 + 2]!;
          a += photo[i * 4 + 3]!;
          const c = coverage[i]!;
          if (c < least) least = c;
          if (c > most) most = c;
          n++;
        }
      }
      const s = y * sw + x;
      crop[s * 4] = r / n + 0.5;
      crop[s * 4 + 1] = g / n + 0.5;
      crop[s * 4 + 2] = b / n + 0.5;
      crop[s * 4 + 3] = a / n + 0.5;
      cover[s] = factor === 1 ? least : least >= 1 ? 1 : most > 0 ? Math.max(least, 0.5) : 0;
    }
  }
  return { crop, cover, w: sw, h: sh };
}

/** A reduced mask back at w x h, each pixel its block's. */
function enlarge(small: Uint8Array, sw: number, w: number, h: number, factor: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = ((y / factor) | 0) * sw;
    for (let x = 0; x < w; x++) out[y * w + x] = small[row + ((x / factor) | 0)]!;
  }
  return out;
}

/**
 * Per pixel, the largest channel's difference from the local mean (a blur of `sigma`), over the pixels
 * where `before` (an earlier answer) is under STANDS_OUT; every pixel where `before` is null.
 */
function standingOut(
  crop: Uint8Array,
  w: number,
  h: number,
  sigma: number,
  before: Uint8Array | null,
): Uint8Array {
  // The weight rides in the alpha channel: excluded pixels are transparent black.
  const weighted = new Uint8Array(crop.length);
  for (let k = 0; k < w * h; k++) {
    if (before && before[k]! >= STANDS_OUT) continue;
    for (let c = 0; c < 3; c++) weighted[k * 4 + c] = crop[k * 4 + c]!;
    weighted[k * 4 + 3] = 255;
  }
  boxBlur(weighted, w, h, sigma);
  const level = new Uint8Array(w * h);
  for (let k = 0; k < w * h; k++) {
    const a = weighted[k * 4 + 3]!;
    if (a === 0) {
      level[k] = 255;
      continue;
    }
    let most = 0;
    for (let c = 0; c < 3; c++)
      most = Math.max(most, Math.abs(crop[k * 4 + c]! - (weighted[k * 4 + c]! * 255) / a));
    level[k] = Math.min(255, Math.round(most));
  }
  return level;
}
