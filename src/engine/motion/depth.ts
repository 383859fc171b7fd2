// How deep inside its region a point is: distance to the region's edge, where fields fade to zero so
// nothing outside is pulled in and nothing outside moves. The photo's own edge is not an edge: a region
// that reaches it runs on past it as its mirror image, the way the renderer samples past the edge.
import { distanceTransform } from './distance.js';
import { boxHeight, boxWidth, growBox, type RegionShape } from './mask.js';

export interface RegionDepth {
  /** Pixels from (x, y) to the region's edge; 0 outside the region. */
  depthAt(x: number, y: number): number;
  /** The largest depth (the long side when the region has no edge). */
  deepest: number;
  /** Width of the fade-in from the edge used by fields. */
  ramp: number;
}

export function regionDepth(shape: RegionShape, width: number, height: number): RegionDepth {
  const long = Math.max(width, height);
  const area = growBox(shape.box, 2, width, height);
  const aw = boxWidth(area);
  const ah = boxHeight(area);
  const inside = distanceTransform(
    aw,
    ah,
    (i) => shape.inside[(area.y0 + Math.floor(i / aw)) * width + area.x0 + (i % aw)] === 0,
  );
  let deepest = 0;
  for (let i = 0; i < inside.length; i++) if (inside[i]! < 1e9 && inside[i]! > deepest) deepest = inside[i]!;
  if (deepest === 0) deepest = long;
  return {
    deepest,
    ramp: Math.max(1.5, Math.min(0.25 * deepest, 0.03 * long)),
    depthAt(x, y) {
      // Past the photo's edge the region is its mirror image (render-frame.ts samples there mirrored).
      // Extended straight out instead, a drift beside the photo's edge moved where the mirror shows what
      // the region does not cover: the pier's fog carried a wedge of the deck, mirrored, into its corner.
      const px = Math.min(area.x1 - 1, Math.max(area.x0, Math.round(mirror(x, width))));
      const py = Math.min(area.y1 - 1, Math.max(area.y0, Math.round(mirror(y, height))));
      if (!shape.inside[py * width + px]) return 0;
      const d = inside[(py - area.y0) * aw + (px - area.x0)]!;
      return d > 1e9 ? long : d;
    },
  };
}

/**
 * A coordinate past the photo's edge reflected back in (about the first and last pixels' centres); one
 * inside it as it is.
 */
export function mirror(v: number, size: number): number {
  const last = size - 1;
  if (last <= 0) return 0;
  let m = v % (2 * last);
  if (m < 0) m += 2 * last;
  return m > last ? 2 * last - m : m;
}
