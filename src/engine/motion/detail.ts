// The detail a bilinear sample loses, restored cheaply. Sampling the photo half a pixel off averages two
// pixels: fine texture loses half its contrast. So every moving frame of a fluid or a warp was softer
// than the photo the clip starts and loops on, and the texture snapped crisp at each rest frame (a
// pulse, and a loop seam of 1.23-1.31 on the storm and pier skies, QUALITY.md: at most 1.2).
//
// In one dimension Catmull-Rom interpolation is exactly linear interpolation plus f(1 - f)/2 times the
// linear interpolation of the negative second difference -(p[i-1] - 2 p[i] + p[i+1]) (f: the sample's
// fractional position). So a renderer samples the photo bilinearly as before and adds the same bilinear
// sample of a map of negative second differences, weighted by the fractional offsets: most of a cubic
// sample's sharpness for a fifth of its memory reads. In two dimensions the two axes' differences are
// summed into one map (the negative Laplacian), weighted by the mean of the two axes' f(1 - f): exact
// where a sample is as far off the grid in x as in y, close elsewhere. The map holds luma only (the eye
// reads fine detail in luma; the correction is added to each colour channel alike): one byte a pixel.
import { sharedInt8 } from './plan.js';

/** The map stores the negative Laplacian of luma divided by this, so that it fits a signed byte. */
export const DETAIL_SCALE = 4;

/** Whether each photo (by its array) has its map already: one map per photo serves all its regions. */
const maps = new WeakMap<Uint8Array, Int8Array>();

/**
 * The negative Laplacian (4 y - its four neighbours, edges repeated) of the RGBA photo's luma y, divided
 * by DETAIL_SCALE and clamped to a signed byte: width * height values, row-major.
 */
export function detailMap(photo: Uint8Array, width: number, height: number): Int8Array {
  const known = maps.get(photo);
  if (known && known.length === width * height) return known;
  const luma = new Int32Array(width * height);
  for (let i = 0; i < luma.length; i++) {
    const p = i * 4;
    luma[i] = (77 * photo[p]! + 150 * photo[p + 1]! + 29 * photo[p + 2]! + 128) >> 8;
  }
  const out = sharedInt8(width * height);
  for (let y = 0; y < height; y++) {
    const up = y > 0 ? -width : 0;
    const down = y < height - 1 ? width : 0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const left = x > 0 ? -1 : 0;
      const right = x < width - 1 ? 1 : 0;
      const laplacian = 4 * luma[i]! - luma[i + left]! - luma[i + right]! - luma[i + up]! - luma[i + down]!;
      const v = Math.round(laplacian / DETAIL_SCALE);
      out[i] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
  maps.set(photo, out);
  return out;
}
