// The matte of a travelling layer (issue 10, point 1). A layer cut with a distance feather grown past its
// mask is opaque a few pixels into the background, so as it travels it carries a ring of the background it
// was cut from. A travel's layer is cut on the region's coverage refined on the photo instead (prepare.ts,
// mask-refine.ts: it follows the photo's own edges, sub-pixel soft), and every pixel of its soft edge is
// split into the object's colour F and the background's colour B so that a F + (1 - a) B is the photo I
// exactly: where the object stands still the layer over the background is the photo, so the travel starts
// without a pop, while F holds no old background for the layer to carry and B no object to leave behind.
import { distanceTransform } from './distance.js';
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

/** A pixel is told apart from both sides only where they differ by this much (RGB distance). */
const DISTINCT = 30;
/** Where the pixel's colour lies between the background's (0) and the object's (1), the opacity ramps over this span. */
const RAMP = { from: 0.35, to: 0.85 };

/** Inside a notch, a colour this far from the background's (RGB distance) is object, ramping from `from`. */
const NOT_GROUND = { from: 15, to: 40 };

/**
 * The travelling layer's opacity over `layerBox`: the refined coverage (width wide, 0-1) there, reaching
 * up to `reach` pixels further where the photo's colour says the object goes on (a segmenter's mask falls
 * short of thin parts and rims: left out, they stay behind as fragments of the object while it leaves).
 * There a pixel's colour is laid on the line from the nearest sure background colour to the nearest
 * sure-object colour; where it lies far enough towards the object (and near the line), it is object.
 */
export function travelAlpha(
  coverage: Float32Array,
  photo: Uint8Array,
  width: number,
  layerBox: PixelBox,
  reach: number,
): Float32Array {
  const lw = boxWidth(layerBox);
  const lh = boxHeight(layerBox);
  const count = lw * lh;
  const alpha = sharedFloat32(count);
  for (let y = 0; y < lh; y++) {
    const from = (layerBox.y0 + y) * width + layerBox.x0;
    for (let x = 0; x < lw; x++) alpha[y * lw + x] = certain(coverage[from + x]!);
  }
  const seen = layerPixels(photo, width, layerBox);
  const object = nearestColour(seen, lw, lh, (k) => alpha[k]! >= SURE);
  const outside = distanceTransform(lw, lh, (k) => alpha[k]! > 0);
  const ground = nearestColour(seen, lw, lh, (k) => outside[k]! > reach);
  if (!object || !ground) return alpha;
  // Notches into the cut narrower than twice the reach (the mask's closing): there the object goes on
  // wherever the colour is not the background's.
  const notAround = distanceTransform(lw, lh, (k) => outside[k]! > reach);
  for (let k = 0; k < count; k++) {
    const d = outside[k]!;
    if (d <= 0 || d > reach) continue;
    let along = 0;
    let span = 0;
    let apart = 0;
    for (let c = 0; c < 3; c++) {
      const toward = object[k * 4 + c]! - ground[k * 4 + c]!;
      const from = seen[k * 4 + c]! - ground[k * 4 + c]!;
      along += from * toward;
      span += toward * toward;
      apart += from * from;
    }
    let share = 0;
    if (notAround[k]! > reach) share = ramp(Math.sqrt(apart), NOT_GROUND.from, NOT_GROUND.to);
    if (span >= DISTINCT * DISTINCT) {
      const t = along / span;
      // A colour far off the line is neither (a shadow, a third thing): left where it is.
      if (apart - t * t * span <= span / 4) share = Math.max(share, ramp(t, RAMP.from, RAMP.to));
    }
    if (share > 0) alpha[k] = certain(share);
  }
  return alpha;
}

/** 0 below `from`, 1 above `to`, smooth between. */
function ramp(v: number, from: number, to: number): number {
  const u = Math.min(1, Math.max(0, (v - from) / (to - from)));
  return u * u * (3 - 2 * u);
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
export function certain(a: number): number {
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
