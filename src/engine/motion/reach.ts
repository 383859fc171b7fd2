// Where each region's motion changed pixels, in the photo's own pixels, for the editor's partial
// re-renders (renderer/src/lib/preview/affected.ts): the bounds of its motion area. For most motions that
// is the mask; a skinned body motion (wave, raise an arm, the pose puppet) reaches past it, to every place
// a posed triangle of the person goes over the keyframes, with the fill where the person was (plan-skin.ts),
// and a travel to its mask swept along the path (sweep.ts).
import type { Mask } from '../../shared/index.js';
import type { RegionReport } from './prepare.js';

export interface PhotoRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounds of a mask's inside, scaled from the mask's size to the photo's (whole pixels, outward). */
function boundsInPhoto(mask: Mask, photo: { width: number; height: number }): PhotoRect | null {
  const { width, height, data } = mask;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return null;
  const sx = photo.width / width;
  const sy = photo.height / height;
  const left = Math.max(0, Math.floor(x0 * sx));
  const top = Math.max(0, Math.floor(y0 * sy));
  const right = Math.min(photo.width, Math.ceil((x1 + 1) * sx));
  const bottom = Math.min(photo.height, Math.ceil((y1 + 1) * sy));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function regionReach(
  regions: readonly RegionReport[],
  photo: { width: number; height: number },
): { regionId: string; rect: PhotoRect }[] {
  const out: { regionId: string; rect: PhotoRect }[] = [];
  for (const region of regions) {
    const rect = boundsInPhoto(region.motionArea, photo);
    if (rect) out.push({ regionId: region.id, rect });
  }
  return out;
}
