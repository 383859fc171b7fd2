// Glasses over an eye (issue 12): the frame's upper rim crosses the band between the brow and the upper
// lid, a run of rows far darker than the lid skin around it that ends in a sharp dark-to-skin edge. A
// blink that takes its lid skin from that band would pull the frame down over the eye (seen on Grace
// Hopper's portrait: the dark rim and its highlight streaked over the eyes), so the blink takes its lid
// from the skin below the rim only (face-blink.ts), and eval checks that the rim stays put (eval/people).
import { curveAt, meshPoints, type EyeIndices } from './landmarks.js';
import type { FoundFace } from './types.js';

/** The photo the face was found on, RGBA at `width` x `height` (the face mesh in the same pixels). */
export interface FacePhoto {
  data: Uint8Array;
  width: number;
  height: number;
}

/** One eye's rim, per column x0..x1 (inclusive): the frame's rows [top, bottom) in each column. */
export interface GlassesRim {
  x0: number;
  x1: number;
  top: Float64Array;
  bottom: Float64Array;
  /** The luma of the lid skin around the rim (the band's brighter rows), which the rim was told from. */
  skin: number;
}

/** A rim row is darker than this share of the lid skin (a crease or a lid shadow stays above 0.55). */
const DARK = 0.45;
/** The rim ends where the column is back above this share of the skin: a sharp edge, not a shadow. */
const SKIN = 0.7;
/**
 * ...and not above this share: the light glinting off the frame's lower edge is the frame too (stretched
 * into the lid it showed as a white streak).
 */
const GLINT = 1.25;
/** Rows the rim spans at least (a single dark row is a crease or noise). */
const MIN_ROWS = 2;
/** Share of the eye's columns where the rim must be found for the eye to wear glasses. */
const FOUND_SHARE = 0.6;
/** Rows above the brow's lower landmarks searched too: the rim often sits right at the brow's edge. */
const ABOVE_BROW = 2;
/** Rows above the upper lid's landmarks left out: the lashes are as dark as a rim. */
const ABOVE_LASHES = 1;

/** Luma at (x, y), the point clamped into the photo. */
export function lumaAt(photo: FacePhoto, x: number, y: number): number {
  const cx = Math.min(photo.width - 1, Math.max(0, x));
  const cy = Math.min(photo.height - 1, Math.max(0, y));
  const i = (cy * photo.width + cx) * 4;
  return 0.299 * photo.data[i]! + 0.587 * photo.data[i + 1]! + 0.114 * photo.data[i + 2]!;
}

/**
 * The rows [top, bottom) of the first dark run in the column's band that ends in skin (two rows at the
 * skin's level: past the glint on the frame's edge), or null.
 */
function rimInColumn(
  photo: FacePhoto,
  x: number,
  from: number,
  to: number,
  skin: number,
): [number, number] | null {
  const isSkin = (y: number) => {
    const luma = lumaAt(photo, x, y);
    return luma >= SKIN * skin && luma <= GLINT * skin;
  };
  let start = -1;
  let darkRows = 0;
  for (let y = from; y < to; y++) {
    if (lumaAt(photo, x, y) < DARK * skin) {
      if (start < 0) start = y;
      darkRows++;
    } else if (start >= 0 && isSkin(y) && isSkin(y + 1)) {
      if (darkRows >= MIN_ROWS) return [start, y];
      start = -1;
      darkRows = 0;
    }
  }
  return null;
}

/** Fills the columns where no rim was found (a highlight on the frame, say) from their nearest neighbours. */
function fillGaps(values: Float64Array): void {
  const known = [...values.keys()].filter((i) => !Number.isNaN(values[i]!));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i]!)) continue;
    const before = known.filter((k) => k < i).at(-1);
    const after = known.find((k) => k > i);
    if (before === undefined) values[i] = values[after!]!;
    else if (after === undefined) values[i] = values[before]!;
    else values[i] = values[before]! + ((values[after]! - values[before]!) * (i - before)) / (after - before);
  }
}

/**
 * The glasses' upper rim over one eye, over columns x0..x1, or null when the eye wears none. The lid skin
 * it is compared with: the brighter rows of the band (its 75th percentile), which the rim never fills.
 */
export function glassesRim(
  photo: FacePhoto,
  face: FoundFace,
  eye: EyeIndices,
  x0: number,
  x1: number,
): GlassesRim | null {
  const upper = meshPoints(face, eye.upper);
  const brow = meshPoints(face, eye.browLower);
  const xs = upper.map((p) => p[0]);
  const band = (x: number): [number, number] => [
    Math.floor(curveAt(brow, x + 0.5)) - ABOVE_BROW,
    Math.floor(curveAt(upper, x + 0.5)) - ABOVE_LASHES,
  ];
  const lumas: number[] = [];
  for (let x = x0; x <= x1; x++) {
    const [from, to] = band(x);
    for (let y = from; y < to; y++) lumas.push(lumaAt(photo, x, y));
  }
  if (lumas.length === 0) return null;
  lumas.sort((a, b) => a - b);
  const skin = lumas[Math.floor(0.75 * (lumas.length - 1))]!;
  const n = x1 - x0 + 1;
  const top = new Float64Array(n).fill(Number.NaN);
  const bottom = new Float64Array(n).fill(Number.NaN);
  let found = 0;
  let inEye = 0;
  for (let i = 0; i < n; i++) {
    const x = x0 + i;
    const [from, to] = band(x);
    const rim = rimInColumn(photo, x, from, to, skin);
    const onEye = x + 0.5 >= Math.min(...xs) && x + 0.5 <= Math.max(...xs);
    if (onEye) inEye++;
    if (!rim) continue;
    if (onEye) found++;
    top[i] = rim[0];
    bottom[i] = rim[1];
  }
  if (inEye === 0 || found / inEye < FOUND_SHARE) return null;
  fillGaps(top);
  fillGaps(bottom);
  return { x0, x1, top, bottom, skin };
}
