// The matte of a travelling layer (issue 10, point 1): a layer cut with a distance feather grown past its
// mask is opaque a few pixels into the background and half-opaque a few more, so as it travels it carries
// a ring of the background it was cut from. Here the layer's opacity is the region's coverage refined on
// the full-size photo (mask-refine.ts: it follows the photo's own edges, sub-pixel soft), and its colour
// in the soft band is decontaminated: the photo there is a F + (1 - a) B, B is the filled background, and
// the object's colour F is solved for where a says the pixel is mostly object, and taken from the nearest
// sure-object pixels where it is mostly background (there the solve divides by almost nothing).
import { pushPull } from './inpaint-core.js';
import { boxHeight, boxWidth, type PixelBox } from './mask.js';
import { sharedFloat32, sharedUint8 } from './plan.js';

/** Opacity from which a pixel is the object's own colour, a source for the band's estimate. */
const SURE = 0.95;

/** The layer's opacity over `layerBox`: the refined coverage (full-size, 0-1) there. */
export function travelAlpha(coverage: Float32Array, width: number, layerBox: PixelBox): Float32Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const alpha = sharedFloat32(lw * lh);
  for (let y = 0; y < lh; y++) {
    const from = (layerBox.y0 + y) * width + layerBox.x0;
    for (let x = 0; x < lw; x++) {
      const a = coverage[from + x]!;
      alpha[y * lw + x] = a < 0.02 ? 0 : a > 0.98 ? 1 : a;
    }
  }
  return alpha;
}

/**
 * The layer's colours (RGBA over `layerBox`) with no old background in its soft band: the photo where
 * alpha is sure; elsewhere a blend of the unmixed colour (I - (1 - a) B) / a, clamped, and the colour of
 * the nearest sure-object pixels, weighted by a^2 (the solve is trusted as far as the pixel is object).
 */
export function decontaminated(
  photo: Uint8Array,
  width: number,
  layerBox: PixelBox,
  alpha: Float32Array,
  background: Uint8Array,
): Uint8Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const count = lw * lh;
  const seen = new Uint8Array(count * 4);
  for (let y = 0; y < lh; y++) {
    const from = ((layerBox.y0 + y) * width + layerBox.x0) * 4;
    seen.set(photo.subarray(from, from + lw * 4), y * lw * 4);
  }
  // The nearest sure-object colour everywhere (push-pull spreads it outwards, nearer sources weigh more).
  const prior = new Float32Array(seen);
  const weight = new Float32Array(count);
  let anySure = false;
  for (let k = 0; k < count; k++) {
    if (alpha[k]! >= SURE) {
      weight[k] = 1;
      anySure = true;
    }
  }
  if (anySure) pushPull(prior, weight, lw, lh, 4);
  const foreground = sharedUint8(count * 4);
  for (let k = 0; k < count; k++) {
    const a = alpha[k]!;
    for (let c = 0; c < 4; c++) {
      const i = k * 4 + c;
      if (a >= SURE || c === 3 || !anySure) {
        foreground[i] = seen[i]!;
        continue;
      }
      const solved = a > 0 ? (seen[i]! - (1 - a) * background[i]!) / a : prior[i]!;
      const clamped = solved < 0 ? 0 : solved > 255 ? 255 : solved;
      const trust = a * a;
      foreground[i] = Math.round(trust * clamped + (1 - trust) * prior[i]!);
    }
  }
  return foreground;
}
