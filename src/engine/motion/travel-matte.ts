// The matte of a travelling layer (issue 10, point 1). A layer cut with a distance feather grown past its
// mask is opaque a few pixels into the background, so as it travels it carries a ring of the background it
// was cut from. A travel's layer is cut on the region's coverage refined on the photo instead (prepare.ts,
// mask-refine.ts: it follows the photo's own edges, sub-pixel soft), and every pixel of its soft edge is
// split into the object's colour F and the background's colour B so that a F + (1 - a) B is the photo I
// exactly: where the object stands still the layer over the background is the photo, so the travel starts
// without a pop, while F holds no old background for the layer to carry and B no object to leave behind.
import { pushPull } from './inpaint-core.js';
import { boxHeight, boxWidth, type PixelBox } from './mask.js';
import { sharedFloat32, sharedUint8 } from './plan.js';

/**
 * Coverage below this is no part of the object (the guided filter's faint spill into the background),
 * above 1 - this all of it: a pixel split for a few levels of either would be noise.
 */
const CERTAIN = 0.02;
/** Opacity from which a pixel shows the object's own colour: a source for the colour of its soft edge. */
const SURE = 0.95;

/** The travelling layer's opacity over `layerBox`: the coverage (width wide, 0-1) there. */
export function travelAlpha(coverage: Float32Array, width: number, layerBox: PixelBox): Float32Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const alpha = sharedFloat32(lw * lh);
  for (let y = 0; y < lh; y++) {
    const from = (layerBox.y0 + y) * width + layerBox.x0;
    for (let x = 0; x < lw; x++) alpha[y * lw + x] = certain(coverage[from + x]!);
  }
  return alpha;
}

/** The photo's RGBA over the layer box. */
function layerPixels(photo: Uint8Array, width: number, layerBox: PixelBox): Uint8Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const seen = new Uint8Array(lw * lh * 4);
  for (let y = 0; y < lh; y++) {
    const from = ((layerBox.y0 + y) * width + layerBox.x0) * 4;
    seen.set(photo.subarray(from, from + lw * 4), y * lw * 4);
  }
  return seen;
}

/** The colour of the nearest `source` pixels everywhere (push-pull: nearer sources weigh more); null with none. */
function nearestColour(
  seen: Uint8Array,
  lw: number,
  lh: number,
  source: (k: number) => boolean,
): Float32Array | null {
  const colour = new Float32Array(seen);
  const weight = new Float32Array(lw * lh);
  let any = false;
  for (let k = 0; k < weight.length; k++) {
    if (!source(k)) continue;
    weight[k] = 1;
    any = true;
  }
  if (!any) return null;
  pushPull(colour, weight, lw, lh, 4);
  return colour;
}

/** Coverage with its near-certain values made certain. */
function certain(a: number): number {
  return a < CERTAIN ? 0 : a > 1 - CERTAIN ? 1 : a;
}

/**
 * Splits each soft-edge pixel (0 < a < 1) of the photo over `layerBox` into the object's colour F and the
 * background's B, so that a F + (1 - a) B is the photo I. Each pixel starts from two guesses, F0 the colour
 * of the nearest sure-object pixels and B0 the fill (`background`), and moves both the least (in squares)
 * that makes the sum I: the residual goes mostly to the background where the pixel is mostly background,
 * and to the object where it is mostly object; F is then kept to what the photo allows
 * ((I - 255 (1 - a)) / a <= F <= I / a, so B stays in 0-255) and B is solved from it. Where a is 0 the
 * layer's colour is F0, which bilinear sampling of the moving layer blends in at its very edge: the
 * object's colour, not the old background's. Returns F and `rest`, the background at rest: B on the
 * soft edge, the photo where a is 0, the fill where a is 1 (RGBA over the layer box).
 */
export function splitEdge(
  photo: Uint8Array,
  width: number,
  layerBox: PixelBox,
  alpha: Float32Array,
  background: Uint8Array,
): { foreground: Uint8Array; rest: Uint8Array } {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const count = lw * lh;
  const seen = layerPixels(photo, width, layerBox);
  const prior = nearestColour(seen, lw, lh, (k) => alpha[k]! >= SURE);
  const foreground = sharedUint8(count * 4);
  const rest = sharedUint8(count * 4);
  for (let k = 0; k < count; k++) {
    const a = alpha[k]!;
    for (let c = 0; c < 4; c++) {
      const i = k * 4 + c;
      const I = seen[i]!;
      if (a >= 1 || c === 3) {
        foreground[i] = I;
        rest[i] = a >= 1 ? background[i]! : I;
        continue;
      }
      if (a <= 0) {
        foreground[i] = prior ? Math.round(prior[i]!) : I;
        rest[i] = I;
        continue;
      }
      const f0 = prior ? prior[i]! : I;
      const b0 = background[i]!;
      const residual = I - a * f0 - (1 - a) * b0;
      const spread = a * a + (1 - a) * (1 - a);
      let f = f0 + (residual * a) / spread;
      f = Math.min(Math.max(f, (I - 255 * (1 - a)) / a, 0), I / a, 255);
      foreground[i] = Math.round(f);
      const b = (I - a * foreground[i]!) / (1 - a);
      rest[i] = Math.round(Math.min(255, Math.max(0, b)));
    }
  }
  return { foreground, rest };
}
