// Thin structures across a region's edge go with the side they belong to (issue 10, points 3 and 5).
// The classic segmenter works on superpixels of a 512-px image, wider than a stem: a click on a sky took
// the seed heads standing up into it, and a drift then curled them into hooks; a click on the grass left
// them out, and a sway broke them off at the horizon. At the refine size (1024 px), where a stem is a
// few pixels wide, a region settles them by what it is:
//
//   - what lies behind (a sky, calm water, bokeh: smooth, little fine structure of its own) gives up the
//     thin structures inside it that are not of its own colours and touch what is outside it;
//   - what stands in front (grass, a field, a suit: made of fine structure) takes in the thin
//     structures outside it that are of its colours and touch it.
//
// Only regions that make a scene's layers are settled this way (large, reaching the photo's border). An
// object (smaller than a layer) takes in the thin parts of its own that touch it and end beside it, such
// as a ladybird's legs, which a travel would otherwise leave behind. Thin: standing out from the photo's
// median-filtered self (the filter is wider than a stem) and gone in an opening of about twice that
// width, so a cloud, a strip of sky over a mirror lake or a disc of bokeh is left to the segmenter.
// Colour: histograms of each side, as the photo has them and as the median filter leaves them (a sky's
// own colours are not its seed heads', however many it holds).

import { boundsWhere, growBox } from '../../image/bounds.js';

/** Bins per channel of the colour histograms (RGB): 16 levels each. */
const BIN_SHIFT = 4;
const BINS = 1 << (8 - BIN_SHIFT);
/** A region makes a layer of the scene from this share of the photo on, reaching the photo's border. */
const LAYER_SHARE = 0.08;
/**
 * Mean levels (largest channel) from its median-filtered self below which a region is smooth, what lies
 * behind: 1-5.5 for the skies, calm water and bokeh of the example photos, 7.5-22 for grass, fields,
 * a lake full of boats and the astronaut's suit.
 */
const SMOOTH = 6.5;
/** Structures narrower than about twice this share of the long side are thin. */
const OPEN_SHARE = 0.008;
/** How much likelier (per pixel) a colour must be on the other side for a structure to change sides. */
const LIKELIER = 2;
/** Levels (any channel) by which a structure's pixels stand out from their median-filtered self. */
const STRONG_CONTRAST = 14;
/** The same for the weak pixels of its fading tips and rim, which go with it where they touch it. */
const WEAK_CONTRAST = 8;
/**
 * Guide pixels a structure that changes sides takes with it all round: its anti-aliased rim, and the
 * half-pixel the mask's enlargement to the photo's size and its snapping to edges may give back.
 */
const RIM = 2;
/** An object takes in thin parts of it up to this many opening radii (OPEN_SHARE) from it. */
const REACH = 4;
/** Levels (any channel) from a piece's mean colour within which what it runs on into is of it. */
const SAME_COLOUR = 40;
/** Pieces smaller than this (guide pixels) are noise in the colours, not a structure. */
const LEAST_PIECE = 12;

/** An 8-bit RGBA image, the same through a median filter wider than a stem, and a 0/255 mask. */
export interface ThinStructuresInput {
  width: number;
  height: number;
  rgba: Uint8Array;
  broad: Uint8Array;
  mask: Uint8Array;
}

/**
 * The mask (0/255) with the thin structures across its edge settled: given up by a smooth region, taken
 * in by a textured one. The mask itself when it is not a layer of the scene or nothing changes sides.
 * `keep`: pixels (clicks) whose structure never leaves.
 */
export function settleThinStructures(
  input: ThinStructuresInput,
  keep: ReadonlyArray<number> = [],
): Uint8Array {
  const { width, height, rgba, broad, mask } = input;
  const n = width * height;
  let count = 0;
  for (let i = 0; i < n; i++) if (mask[i]) count++;
  if (count === 0 || count === n) return mask;
  // An object takes in its thin parts; a large region that is no layer (a cup filling a tenth of the
  // frame) is left as the segmenter gave it.
  if (count < n * LAYER_SHARE) return takeInAppendages(input);
  if (!reachesBorder(mask, width, height)) return mask;
  const inside = new Uint8Array(n);
  let fine = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    inside[i] = 1;
    fine += contrast(rgba, broad, i);
  }
  const behind = fine / count < SMOOTH;

  // Per pixel of each side: behind, how common a colour is around it as the photo has it (stems and
  // all) against the region's own (median-filtered) colours; in front, the region's colours as the
  // photo has them against the broad colours around it.
  const bins = BINS * BINS * BINS;
  const mine = new Float64Array(bins);
  const theirs = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    if (inside[i]) mine[binOf(behind ? broad : rgba, i)]!++;
    else theirs[binOf(behind ? rgba : broad, i)]!++;
  }
  const own = count;
  const other = n - count;
  // A pixel of this side changes sides where it stands out from its surroundings and its colour is
  // LIKELIER times as common on the other side, seen there often enough to be a colour of its own there.
  // Weak: standing out a little, of a colour merely more common on the other side.
  const from = behind ? 1 : 0;
  const strong = new Uint8Array(n);
  const weak = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (inside[i] !== from) continue;
    const standsOut = contrast(rgba, broad, i);
    if (standsOut < WEAK_CONTRAST) continue;
    const bin = binOf(rgba, i);
    const there = behind ? theirs[bin]! : mine[bin]!;
    const here = behind ? mine[bin]! : theirs[bin]!;
    const thereShare = there / (behind ? other : own);
    const hereShare = here / (behind ? own : other);
    if (thereShare > hereShare) weak[i] = 1;
    if (standsOut >= STRONG_CONTRAST && there >= LEAST_PIECE && thereShare > LIKELIER * hereShare)
      strong[i] = 1;
  }
  const r = thinRadius(width, height);
  keepThin(strong, width, height, r);
  const side = behind ? inside : inside.map((v) => 1 - v);
  const pieces = touchingPieces(strong, side, width, height, new Set(behind ? keep : []));
  if (!pieces) return mask;
  const moving = dilate(withTips(pieces, weak, width, height, r), width, height, RIM);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (behind ? inside[i] && !moving[i] : inside[i] || moving[i]) ? 255 : 0;
  return out;
}

/**
 * An object (a region smaller than a layer of the scene) takes in the thin parts of it the superpixels,
 * wider than they are, left out: a ladybird's legs and the rim of its shell, a kite's string end. They
 * stand out from what surrounds the object, touch it, and are of the object's own colours (as the photo
 * has them) far more than of the colours around them: the median-filtered colours close by (without
 * their thin parts) and the photo's own past REACH (thin parts of other things). Only within REACH of
 * the object, and only parts that end there (dropPiecesPassingBy): the lit struts of the tower beside
 * rocket.jpg's rocket are of the rocket's colours and touch it, and run on up the tower. The mask
 * (0/255) with them taken in, or the mask itself when there are none. A negative click's removal takes
 * them out with the object (classic-segmenter.ts), or they would be left as a region of their own.
 */
export function takeInAppendages(input: ThinStructuresInput): Uint8Array {
  const { width, height, mask } = input;
  const r = thinRadius(width, height);
  // All of it happens within 2 REACH of the object: on its box grown by that (an object is often a
  // hundredth of the photo, and a click's mask is waited for).
  const bounds = boundsWhere(width, height, (i) => mask[i] !== 0);
  if (!bounds) return mask;
  const { x0, y0, x1, y1 } = growBox(bounds, 2 * REACH * r + 1, width, height);
  const cw = x1 - x0;
  const ch = y1 - y0;
  const part = {
    width: cw,
    height: ch,
    rgba: new Uint8Array(cw * ch * 4),
    broad: new Uint8Array(cw * ch * 4),
    mask: new Uint8Array(cw * ch),
  };
  for (let y = 0; y < ch; y++) {
    const from = (y0 + y) * width + x0;
    part.rgba.set(input.rgba.subarray(from * 4, (from + cw) * 4), y * cw * 4);
    part.broad.set(input.broad.subarray(from * 4, (from + cw) * 4), y * cw * 4);
    part.mask.set(mask.subarray(from, from + cw), y * cw);
  }
  const taken = appendagesIn(part, r);
  if (taken === part.mask) return mask;
  const out = Uint8Array.from(mask, (v) => (v ? 255 : 0));
  for (let y = 0; y < ch; y++) out.set(taken.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
  return out;
}

/** takeInAppendages on the object's neighbourhood, with r the thin radius of the whole photo. */
function appendagesIn(input: ThinStructuresInput, r: number): Uint8Array {
  const { width, height, rgba, broad, mask } = input;
  const n = width * height;
  let count = 0;
  for (let i = 0; i < n; i++) if (mask[i]) count++;
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) inside[i] = mask[i] ? 1 : 0;
  const near = dilate(inside, width, height, REACH * r);
  const beyond = dilate(inside, width, height, 2 * REACH * r);
  const bins = BINS * BINS * BINS;
  const mine = new Float64Array(bins);
  const around = new Float64Array(bins);
  const past = new Float64Array(bins);
  let aroundCount = 0;
  let pastCount = 0;
  for (let i = 0; i < n; i++) {
    if (inside[i]) mine[binOf(rgba, i)]!++;
    else if (near[i]) {
      around[binOf(broad, i)]!++;
      aroundCount++;
    } else if (beyond[i]) {
      past[binOf(rgba, i)]!++;
      pastCount++;
    }
  }
  if (aroundCount === 0) return mask;
  // How common a colour is about the object: its broad colours close by, and everything past REACH
  // (thin parts of other things, which run on past it).
  const theirShare = (bin: number) =>
    Math.max(around[bin]! / aroundCount, pastCount > 0 ? past[bin]! / pastCount : 0);
  const strong = new Uint8Array(n);
  const weak = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (inside[i] || !near[i]) continue;
    const standsOut = contrast(rgba, broad, i);
    if (standsOut < WEAK_CONTRAST) continue;
    const bin = binOf(rgba, i);
    const mineShare = mine[bin]! / count;
    const there = theirShare(bin);
    if (mineShare > there) weak[i] = 1;
    if (standsOut >= STRONG_CONTRAST && mine[bin]! >= LEAST_PIECE && mineShare > LIKELIER * there)
      strong[i] = 1;
  }
  keepThin(strong, width, height, r);
  const outside = inside.map((v) => 1 - v);
  const pieces = touchingPieces(strong, outside, width, height, new Set());
  if (!pieces || !dropPiecesPassingBy(pieces, input, inside, near)) return mask;
  const grown = dilate(withTips(pieces, weak, width, height, r), width, height, RIM);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = inside[i] || (grown[i] && near[i]) ? 255 : 0;
  return out;
}

/**
 * The mask (0/255) without the thin pieces a removal left: thin throughout (nothing of them survives an
 * erosion by the thin radius) and touching what the removal took (`removed`, non-zero there). What an
 * object took in that its removal did not find again (a strip along rocket.jpg's rocket) goes with it.
 */
export function dropThinLeftovers(
  mask: Uint8Array,
  removed: Uint8Array,
  width: number,
  height: number,
): Uint8Array {
  const n = width * height;
  const r = thinRadius(width, height);
  const set = new Uint8Array(n);
  const gone = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    set[i] = mask[i] ? 1 : 0;
    gone[i] = removed[i] ? 1 : 0;
  }
  const core = erode(set, width, height, r);
  const byRemoved = dilate(gone, width, height, 1);
  const out = mask.slice();
  forEachPiece(set, width, height, (piece, size) => {
    let broad = false;
    let touches = false;
    for (let k = 0; k < size; k++) {
      if (core[piece[k]!]) broad = true;
      if (byRemoved[piece[k]!]) touches = true;
    }
    if (!broad && touches) for (let k = 0; k < size; k++) out[piece[k]!] = 0;
  });
  return out;
}

/**
 * Clears the pieces (8-connected) of `pieces` that run on past `near`: through pixels outside the object
 * (`inside`) that stand out from the median-filtered photo and are of about the piece's mean colour. A
 * leg ends beside its body; a strut of the tower beside a rocket, lit as the rocket is, goes on up the
 * tower, and a spoon's handle goes on past a cup's rim. Whether any piece is left.
 */
function dropPiecesPassingBy(
  pieces: Uint8Array,
  input: ThinStructuresInput,
  inside: Uint8Array,
  near: Uint8Array,
): boolean {
  const { width, height, rgba, broad } = input;
  const n = width * height;
  const walked = new Int32Array(n);
  const walkedMark = new Int32Array(n);
  let walk = 0;
  let any = false;
  forEachPiece(pieces, width, height, (piece, size) => {
    const mean = [0, 0, 0];
    for (let k = 0; k < size; k++) for (let c = 0; c < 3; c++) mean[c]! += rgba[piece[k]! * 4 + c]!;
    for (let c = 0; c < 3; c++) mean[c]! /= size;
    // Walk on from the piece through what stands out in its colour, until it leaves `near`.
    walk++;
    let count = 0;
    for (let k = 0; k < size; k++) {
      walked[count++] = piece[k]!;
      walkedMark[piece[k]!] = walk;
    }
    let passes = false;
    for (let head = 0; head < count && !passes; head++) {
      forNeighbours(walked[head]!, width, height, (q) => {
        if (passes || walkedMark[q] === walk || inside[q]) return;
        if (contrast(rgba, broad, q) < WEAK_CONTRAST) return;
        let off = 0;
        for (let c = 0; c < 3; c++) off = Math.max(off, Math.abs(rgba[q * 4 + c]! - mean[c]!));
        if (off > SAME_COLOUR) return;
        if (!near[q]) passes = true;
        walkedMark[q] = walk;
        walked[count++] = q;
      });
    }
    if (passes) for (let k = 0; k < size; k++) pieces[piece[k]!] = 0;
    else any = true;
  });
  return any;
}

/**
 * The pieces with the weak pixels joined to them (8-connected), up to 2r steps from them: a structure's
 * fading tips and rim, never a broad area of a like colour beside it.
 */
function withTips(
  pieces: Uint8Array,
  weak: Uint8Array,
  width: number,
  height: number,
  r: number,
): Uint8Array {
  const out = Uint8Array.from(pieces);
  const steps = new Uint8Array(out.length);
  const queue = new Int32Array(width * height);
  let tail = 0;
  for (let i = 0; i < out.length; i++) if (out[i]) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const p = queue[head]!;
    if (steps[p]! >= 2 * r) continue;
    forNeighbours(p, width, height, (q) => {
      if (out[q] || !weak[q]) return;
      out[q] = 1;
      steps[q] = steps[p]! + 1;
      queue[tail++] = q;
    });
  }
  return out;
}

/** Clears the set's broad parts: what an opening by a (2r+1)-square keeps. */
function keepThin(set: Uint8Array, width: number, height: number, r: number): void {
  const broad = dilate(erode(set, width, height, r), width, height, r);
  for (let i = 0; i < set.length; i++) if (broad[i]) set[i] = 0;
}

/** The largest difference of a channel between the photo and its median-filtered self at pixel i. */
function contrast(rgba: Uint8Array, broad: Uint8Array, i: number): number {
  const p = i * 4;
  return Math.max(
    Math.abs(rgba[p]! - broad[p]!),
    Math.abs(rgba[p + 1]! - broad[p + 1]!),
    Math.abs(rgba[p + 2]! - broad[p + 2]!),
  );
}

function binOf(rgba: Uint8Array, i: number): number {
  const p = i * 4;
  return ((rgba[p]! >> BIN_SHIFT) * BINS + (rgba[p + 1]! >> BIN_SHIFT)) * BINS + (rgba[p + 2]! >> BIN_SHIFT);
}

function reachesBorder(mask: Uint8Array, width: number, height: number): boolean {
  for (let x = 0; x < width; x++) if (mask[x] || mask[(height - 1) * width + x]) return true;
  for (let y = 0; y < height; y++) if (mask[y * width] || mask[y * width + width - 1]) return true;
  return false;
}

/**
 * The pieces (8-connected) of `thin` that touch the other side (`side` is where they are: stems growing
 * up into a sky from the grass), but those holding a `keep` pixel. null when there are none.
 */
function touchingPieces(
  thin: Uint8Array,
  side: Uint8Array,
  width: number,
  height: number,
  keep: ReadonlySet<number>,
): Uint8Array | null {
  const carve = new Uint8Array(width * height);
  let any = false;
  forEachPiece(thin, width, height, (piece, size) => {
    if (size < LEAST_PIECE) return;
    for (let k = 0; k < size; k++) if (keep.has(piece[k]!)) return;
    let touches = false;
    for (let k = 0; k < size && !touches; k++) {
      forNeighbours(piece[k]!, width, height, (q) => {
        if (!side[q]) touches = true;
      });
    }
    if (!touches) return;
    for (let k = 0; k < size; k++) carve[piece[k]!] = 1;
    any = true;
  });
  return any ? carve : null;
}

/**
 * Calls `visit` with each piece (8-connected) of the set: its pixels in `piece[0..size)`, a buffer the
 * next piece reuses. The set may be changed inside the piece just visited.
 */
function forEachPiece(
  set: Uint8Array,
  width: number,
  height: number,
  visit: (piece: Int32Array, size: number) => void,
): void {
  const n = width * height;
  const seen = new Uint8Array(n);
  const queue = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!set[start] || seen[start]) continue;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    for (let head = 0; head < tail; head++) {
      forNeighbours(queue[head]!, width, height, (q) => {
        if (set[q] && !seen[q]) {
          seen[q] = 1;
          queue[tail++] = q;
        }
      });
    }
    visit(queue, tail);
  }
}

/** The opening radius in pixels below which a structure is thin, for a width x height image. */
function thinRadius(width: number, height: number): number {
  return Math.max(2, Math.round(Math.max(width, height) * OPEN_SHARE));
}

/** Calls `visit` with each of the 8 neighbours of pixel p inside the image. */
function forNeighbours(p: number, width: number, height: number, visit: (q: number) => void): void {
  const x = p % width;
  const y = (p - x) / width;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dx !== 0 || dy !== 0) && xx >= 0 && xx < width) visit(yy * width + xx);
    }
  }
}

/** 1 where a (2r+1)-square around the pixel holds a set pixel. */
function dilate(set: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return boxCount(set, width, height, r, false);
}

/** 1 where the whole (2r+1)-square around the pixel (inside the image) is set. */
function erode(set: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return boxCount(set, width, height, r, true);
}

/**
 * Window sums of a 0/1 image over (2r+1)-squares (clipped at the image's edge), 1 where the window holds
 * a set pixel (`all` false) or only set pixels (`all` true). Running sums along each row, then down the
 * columns a row at a time, so both passes read memory in order.
 */
function boxCount(set: Uint8Array, width: number, height: number, r: number, all: boolean): Uint8Array {
  const rows = new Int32Array(width * height);
  // Each row in three runs (the window's right end inside the row and its left end before it; both
  // inside; only its left end inside), so the inner loops hold no bounds tests.
  const enters = Math.max(0, Math.min(width, width - r));
  const leaves = Math.min(width, r + 1);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let sum = 0;
    for (let x = 0; x < Math.min(r, width); x++) sum += set[o + x]!;
    let x = 0;
    for (; x < Math.min(enters, leaves); x++) rows[o + x] = sum += set[o + x + r]!;
    for (; x < enters; x++) rows[o + x] = sum += set[o + x + r]! - set[o + x - r - 1]!;
    for (; x < leaves; x++) rows[o + x] = sum;
    for (; x < width; x++) rows[o + x] = sum -= set[o + x - r - 1]!;
  }
  const out = new Uint8Array(width * height);
  const columns = new Int32Array(width);
  // The window's width at each column (clipped at the image's edge), for `all`.
  const across = new Int32Array(width);
  for (let x = 0; x < width; x++) across[x] = Math.min(width - 1, x + r) - Math.max(0, x - r) + 1;
  for (let y = 0; y < Math.min(r, height); y++) {
    for (let x = 0; x < width; x++) columns[x]! += rows[y * width + x]!;
  }
  for (let y = 0; y < height; y++) {
    if (y + r < height) for (let x = 0, o = (y + r) * width; x < width; x++) columns[x]! += rows[o + x]!;
    if (y - r - 1 >= 0) for (let x = 0, o = (y - r - 1) * width; x < width; x++) columns[x]! -= rows[o + x]!;
    const h = Math.min(height - 1, y + r) - Math.max(0, y - r) + 1;
    const o = y * width;
    if (all) for (let x = 0; x < width; x++) out[o + x] = columns[x] === across[x]! * h ? 1 : 0;
    else for (let x = 0; x < width; x++) out[o + x] = columns[x]! > 0 ? 1 : 0;
  }
  return out;
}
