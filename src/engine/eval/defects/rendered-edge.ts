// Stair-steps on the rendered edge (issue 10, point 4). The mask a clip was given can be smooth while
// what the viewer sees is not: a layer alpha or a hole rim made from a binary or enlarged mask cuts its
// own teeth. So the edge is read from the frames: where a frame differs from the photo is the moving
// layer plus the hole it left; the outline of that changed set is the layer's edge and the hole's rim,
// and its lone corners (stair-steps.ts) are the teeth a viewer sees.
import type { GreyImage } from '../../flow/index.js';
import { countCorners } from './stair-steps.js';

/** A pixel counts as changed when it differs from the photo by more than this (grey levels). */
const CHANGED = 6;
/**
 * Specks of change (a moved texture that happens to match the photo for a few pixels) and pinholes in it
 * are no edge: components smaller than this share of the region's area are dropped or filled.
 */
const SPECK_SHARE = 0.01;
/** Frames whose change has fewer corners than this carry no edge to judge. */
const FEWEST_CORNERS = 8;

export interface RenderedStairSteps {
  /** Share (0-1) of the changed set's outline corners that stand alone, pooled over the frames. */
  share: number;
  corners: number;
  /** Frames that had an edge to judge. */
  frames: number;
}

/**
 * `inside`: the region's mask at the frames' size (1 inside), only to size the specks. null when no
 * frame changed enough to have an edge.
 */
export function renderedStairSteps(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): RenderedStairSteps | null {
  const { width, height } = photo;
  let area = 0;
  for (const v of inside) area += v;
  const speck = Math.max(16, Math.round(SPECK_SHARE * area));
  let alone = 0;
  let corners = 0;
  let judged = 0;
  for (const frame of frames) {
    const changed = new Uint8Array(width * height);
    let any = 0;
    for (let i = 0; i < changed.length; i++) {
      if (Math.abs(frame.data[i]! - photo.data[i]!) > CHANGED) {
        changed[i] = 1;
        any++;
      }
    }
    if (any < speck) continue;
    dropSmallComponents(changed, width, height, 1, speck);
    dropSmallComponents(changed, width, height, 0, speck);
    const counted = countCorners(changed, width, height);
    if (counted.corners < FEWEST_CORNERS) continue;
    alone += counted.alone;
    corners += counted.corners;
    judged++;
  }
  return judged === 0 ? null : { share: alone / corners, corners, frames: judged };
}

/** Sets the 4-connected components of `value` smaller than `least` pixels to the other value, in place. */
function dropSmallComponents(
  set: Uint8Array,
  width: number,
  height: number,
  value: 0 | 1,
  least: number,
): void {
  const seen = new Uint8Array(set.length);
  const stack: number[] = [];
  const component: number[] = [];
  for (let start = 0; start < set.length; start++) {
    if (seen[start] || set[start] !== value) continue;
    component.length = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      component.push(i);
      const x = i % width;
      const y = (i - x) / width;
      const visit = (j: number) => {
        if (!seen[j] && set[j] === value) {
          seen[j] = 1;
          stack.push(j);
        }
      };
      if (x > 0) visit(i - 1);
      if (x + 1 < width) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y + 1 < height) visit(i + width);
    }
    if (component.length < least) for (const i of component) set[i] = 1 - value;
  }
}
