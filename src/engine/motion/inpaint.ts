// Fills the background behind a moving layer, so that where the region moves away the photo shows a
// plausible background instead of a hole or a smear (issue 3, point 2). Our own, rather than OpenCV's
// cv.inpaint, so the first preview does not wait for OpenCV's 10 MB WebAssembly runtime to load, and so
// the result is the same on every machine. Callers keep the object's own rim out of the sources by
// marking it IGNORE (plan-layer.ts), so the fill takes the colours of the background around the object,
// not of the object's edge that its mask missed.
//
// - A hole the object leaves entirely (a travel) takes real texture from beside it (offset-fill.ts).
// - Otherwise, and where no patch beside the hole is wholly known: near the hole's edge, each pixel is
//   interpolated along its row and column from the nearest known pixels, so bands crossing a narrow hole
//   carry on through it; deeper in, a push-pull fill (inpaint-core.ts) takes over. Both are smooth, and a
//   smooth patch in a photo reads as a blur, so the fine grain of the surroundings is put back: the local
//   strength of the photo's pixel-scale detail (its deviation from the 3x3 mean) is itself filled in by
//   push-pull (in the log domain, so a few strong edges nearby do not dominate it) and seeded noise of
//   that strength is added.
import { FILL, KNOWN, pushPull, smoothedSources } from './inpaint-core.js';
import { seededRandom } from './noise.js';
import { offsetFill } from './offset-fill.js';

export { FILL, IGNORE, KNOWN } from './inpaint-core.js';

/**
 * Fills each FILL pixel from the nearest known pixel in each of the four directions along its row and
 * column, weighted by inverse squared distance: across a long, narrow hole (a rocket, a pole, a car) the
 * short way wins, so bands that cross it (a horizon, a cloud bank, a tower's beams) carry on through it
 * instead of melting into a blob. Pixels that see no known pixel in any direction keep what `into` has.
 */
function directionalFill(
  sources: Float32Array,
  state: Uint8Array,
  width: number,
  height: number,
  narrow: number,
  into: Float32Array,
): void {
  const sum = new Float32Array(width * height * 4);
  const total = new Float32Array(width * height);
  // Per pixel, the shortest distance to a known pixel along a row or column: how narrow the hole is there.
  const nearest = new Float32Array(width * height).fill(Infinity);
  const line = (start: number, step: number, count: number) => {
    let last = -1;
    let lastAt = 0;
    for (let k = 0; k < count; k++) {
      const i = start + k * step;
      const s = state[i];
      if (s === KNOWN) {
        last = i;
        lastAt = k;
      } else if (s === FILL && last >= 0) {
        const d = k - lastAt;
        const w = 1 / (d * d);
        total[i]! += w;
        if (d < nearest[i]!) nearest[i] = d;
        for (let c = 0; c < 4; c++) sum[i * 4 + c]! += w * sources[last * 4 + c]!;
      }
    }
  };
  for (let y = 0; y < height; y++) {
    line(y * width, 1, width);
    line(y * width + width - 1, -1, width);
  }
  for (let x = 0; x < width; x++) {
    line(x, width, height);
    line((height - 1) * width + x, -width, height);
  }
  // Deep inside a wide hole single rows and columns disagree and draw a plaid: there the smooth push-pull
  // fill (already in `into`) takes over, fully beyond three times `narrow` from the nearest known pixel.
  for (let i = 0; i < total.length; i++) {
    const w = total[i]!;
    if (state[i] !== FILL || w === 0) continue;
    const t = Math.min(1, Math.max(0, (nearest[i]! - narrow) / (2 * narrow)));
    const keep = t * t * (3 - 2 * t);
    for (let c = 0; c < 4; c++)
      into[i * 4 + c] = keep * into[i * 4 + c]! + (1 - keep) * (sum[i * 4 + c]! / w);
  }
}

/**
 * Log of the pixel-scale detail energy (mean squared deviation from the 3x3 mean, over the colour
 * channels) at every KNOWN pixel whose 3x3 neighbourhood is all KNOWN; weight 1 there, 0 elsewhere.
 */
function detailEnergy(
  rgba: Uint8Array,
  width: number,
  height: number,
  state: Uint8Array,
): { energy: Float32Array; weight: Float32Array } {
  const energy = new Float32Array(width * height);
  const weight = new Float32Array(width * height);
  for (let y = 1; y + 1 < height; y++) {
    for (let x = 1; x + 1 < width; x++) {
      const i = y * width + x;
      let known = true;
      for (let dy = -1; dy <= 1 && known; dy++)
        for (let dx = -1; dx <= 1; dx++) if (state[i + dy * width + dx] !== KNOWN) known = false;
      if (!known) continue;
      let sum = 0;
      for (let c = 0; c < 3; c++) {
        let mean = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) mean += rgba[(i + dy * width + dx) * 4 + c]!;
        sum += (rgba[i * 4 + c]! - mean / 9) ** 2;
      }
      energy[i] = Math.log(1 + sum / 3);
      weight[i] = 1;
    }
  }
  return { energy, weight };
}

/**
 * The strongest grain added (standard deviation, 0-255 scale). Sensor and JPEG grain stays below this;
 * stronger detail is texture and edges (a launch tower's beams), which noise cannot stand in for: noise
 * as strong reads as sand.
 */
const GRAIN_MOST = 3;

export interface InpaintOptions {
  /** Seeds the grain; the same seed gives the same fill. Default 0. */
  seed?: number;
  /** Add grain matched to the surroundings (default true). */
  grain?: boolean;
  /**
   * Pixels: up to this far from the nearest known pixel along a row or column, the fill carries bands
   * across the hole (directional); from three times as far it is the smooth push-pull fill. Default: no limit.
   */
  narrow?: number;
  /** Fill with texture copied from beside the hole when a wholly known patch is there (offset-fill.ts). */
  copy?: boolean;
}

/** Fills the FILL pixels of an RGBA image in place from the KNOWN ones. */
export function inpaint(
  rgba: Uint8Array,
  width: number,
  height: number,
  state: Uint8Array,
  options: InpaintOptions = {},
): void {
  const count = width * height;
  let any = false;
  for (let i = 0; i < count && !any; i++) any = state[i] === FILL;
  if (!any) return;
  const color = Float32Array.from(rgba);
  const weight = Float32Array.from(state, (s) => (s === KNOWN ? 1 : 0));
  const sources = smoothedSources(color, weight, width, height);
  pushPull(color, weight, width, height, 4);
  if (options.copy && offsetFill(rgba, sources, state, width, height, color)) {
    for (let i = 0; i < count; i++) {
      if (state[i] !== FILL) continue;
      for (let c = 0; c < 4; c++) {
        const value = color[i * 4 + c]!;
        rgba[i * 4 + c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
      }
    }
    return;
  }
  directionalFill(sources, state, width, height, options.narrow ?? Infinity, color);

  const grain = options.grain ?? true;
  let spread: Float32Array | null = null;
  if (grain) {
    const { energy, weight: energyWeight } = detailEnergy(rgba, width, height, state);
    if (energyWeight.some((w) => w > 0)) {
      pushPull(energy, energyWeight, width, height, 1);
      spread = energy;
    }
  }
  const random = seededRandom(options.seed ?? 0);
  const most = GRAIN_MOST * GRAIN_MOST;
  // White noise of variance v has a 3x3 detail energy of (8/9) v: scale so the fill's detail matches.
  const toNoise = Math.sqrt(9 / 8);
  for (let i = 0; i < count; i++) {
    if (state[i] !== FILL) continue;
    let noise = 0;
    if (spread) {
      // Box-Muller: one standard normal, the same for every channel (grain is mostly in brightness).
      const u = 1 - random();
      const v = random();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      noise = normal * toNoise * Math.sqrt(Math.min(most, Math.max(0, Math.exp(spread[i]!) - 1)));
    }
    for (let c = 0; c < 3; c++) {
      const value = color[i * 4 + c]! + noise;
      rgba[i * 4 + c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
    }
    rgba[i * 4 + 3] = Math.round(color[i * 4 + 3]!);
  }
}
