// Reflections at the photo's edge (seen on dune-grass: a sway on grass that reaches the frame's side took
// what came in from beyond the photo mirrored, and the blades met their own reflection in chevrons along
// the frame). Across a strip at each edge the region reaches, every line perpendicular to the edge is
// searched for a mirror axis: the place where the line reads the same forwards and backwards. A photo's
// own texture is rarely symmetric about any point; a mirrored sample is exactly that. A line counts as
// mirrored in a frame when it misses symmetry about its best axis by a small share of how much it changes
// there, where the photo's line does not; the measure is the largest share of an edge's lines mirrored
// in any frame.
import type { GreyImage } from '../../flow/index.js';

export interface EdgeMirror {
  /** The largest share, over frames and edges, of an edge's textured lines that read as a reflection. */
  share: number;
  /** The frame it was read on. */
  frame: number;
}

/** Width of the strip along each edge, as a share of the longer side (and at least STRIP_LEAST px). */
const STRIP_SHARE = 0.05;
const STRIP_LEAST = 16;
/** Pairs of pixels compared either side of an axis. */
const PAIRS = 5;
/**
 * A line is read about an axis by how much it misses being symmetric there, over how much it changes
 * there (its mean step between neighbours, plus one grey level): a reflection misses by almost nothing
 * however textured it is, while a smooth or stretched stretch of texture changes little but is no
 * more symmetric than it is textured. A line is mirrored when its best axis reads below MIRRORED ...
 */
export const MIRRORED = 0.25;
/** ... and the photo's best axis on the same line reads above NATURAL (its own texture is not symmetric). */
export const NATURAL = 0.5;
/**
 * ... and the photo's line changes by at least this much between neighbours on average (grey levels):
 * a soft sky taken mirrored shows no reflection anyone could see.
 */
export const TEXTURED = 2.5;
/** A frame's line counts only while its mean step keeps this share of the photo's line's. */
export const KEPT = 0.6;
/** Fewest judged lines an edge needs. */
const FEWEST = 8;
/** Mirror axes tried per pixel: a warp's reflection sits wherever its offset put it, between pixels too. */
const AXES_PER_PIXEL = 4;

/** A line as a function of the distance from the edge (0: on the edge). */
export type Line = (at: number) => number;

/** The line's lowest miss from symmetry over its change, over axes in [PAIRS, length - PAIRS - 1]. */
export function bestAxis(line: Line, length: number): number {
  const at = (position: number) => {
    const i = Math.floor(position);
    const f = position - i;
    return f === 0 ? line(i) : line(i) * (1 - f) + line(i + 1) * f;
  };
  let best = Infinity;
  for (let a = PAIRS * AXES_PER_PIXEL; a <= (length - PAIRS - 1) * AXES_PER_PIXEL; a++) {
    const axis = a / AXES_PER_PIXEL;
    let miss = 0;
    let change = 0;
    for (let k = 1; k <= PAIRS; k++) {
      miss += Math.abs(at(axis - k) - at(axis + k));
      change += Math.abs(at(axis - k + 1) - at(axis - k)) + Math.abs(at(axis + k) - at(axis + k - 1));
    }
    best = Math.min(best, miss / PAIRS / (change / (2 * PAIRS) + 1));
  }
  return best;
}

/** The mean absolute step between neighbours over the first `length` samples of a line. */
export function meanStep(line: Line, length: number): number {
  let change = 0;
  for (let at = 0; at + 1 < length; at++) change += Math.abs(line(at + 1) - line(at));
  return change / (length - 1);
}

interface Edge {
  /** Lines along the edge (rows for the left and right edges). */
  count: number;
  /** The pixel index of line `n` at distance `at` from the edge. */
  index(n: number, at: number): number;
}

/** `inside`: the region's mask at the frames' size; only edges it reaches within the strip are judged. */
export function edgeMirror(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): EdgeMirror | null {
  const { width, height } = photo;
  const strip = Math.min(
    Math.floor(Math.min(width, height) / 2),
    Math.max(STRIP_LEAST, Math.round(STRIP_SHARE * Math.max(width, height))),
  );
  const edges: Edge[] = [
    { count: height, index: (n, at) => n * width + at },
    { count: height, index: (n, at) => n * width + (width - 1 - at) },
    { count: width, index: (n, at) => at * width + n },
    { count: width, index: (n, at) => (height - 1 - at) * width + n },
  ];
  // The lines judged: the region reaches them within the strip, and the photo is textured and not
  // symmetric along them.
  const judged = edges.map((edge) => {
    const lines: { n: number; change: number }[] = [];
    for (let n = 0; n < edge.count; n++) {
      let reaches = false;
      for (let at = 0; at < strip && !reaches; at++) reaches = inside[edge.index(n, at)] === 1;
      if (!reaches) continue;
      const line: Line = (at) => photo.data[edge.index(n, at)]!;
      const change = meanStep(line, strip);
      if (change >= TEXTURED && bestAxis(line, strip) >= NATURAL) lines.push({ n, change });
    }
    return lines.length >= FEWEST ? lines : [];
  });
  if (judged.every((lines) => lines.length === 0)) return null;
  let best: EdgeMirror | null = null;
  frames.forEach((frame, index) => {
    // Each edge on its own: a sway reflects at the edge it swings away from, not at the others.
    judged.forEach((lines, e) => {
      if (lines.length === 0) return;
      const edge = edges[e]!;
      let mirrored = 0;
      for (const { n, change } of lines) {
        const line: Line = (at) => frame.data[edge.index(n, at)]!;
        // A reflection keeps the texture's contrast; a stretch (a zoom, a held swing) smooths it, and a
        // smooth line reads symmetric about each of its bumps.
        if (meanStep(line, strip) >= KEPT * change && bestAxis(line, strip) < MIRRORED) mirrored++;
      }
      const share = mirrored / lines.length;
      if (!best || share > best.share) best = { share, frame: index };
    });
  });
  return best;
}
