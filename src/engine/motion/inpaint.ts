// Fills the background behind a moving layer, so that where the region moves away the photo shows a
// plausible background instead of a hole or a smear (issue 3, point 2). Our own, rather than OpenCV's
// cv.inpaint, so the first preview does not wait for OpenCV's 10 MB WebAssembly runtime to load, and so
// the result is the same on every machine. Callers keep the object's own rim out of the sources by
// marking it IGNORE (plan-layer.ts), so the fill takes the colours of the background around the object,
// not of the object's edge that its mask missed.
//
// - A hole the object leaves entirely (a travel) takes patches of the photo around it, coarse to fine
//   (inpaint-patch.ts), so texture and structure run on into it.
// - Otherwise, or where no whole patch around the hole is known: push-pull (inpaint-core.ts), a smooth blend of the
//   colours around the hole. A smooth patch in a photo reads as a blur, so the fine grain of the
//   surroundings is put back: the local strength of the photo's pixel-scale detail (its deviation from
//   the 3x3 mean) is itself filled in by push-pull (in the log domain, so a few strong edges nearby do
//   not dominate it) and seeded noise of that strength is added. (Filling along rows and columns from the
//   nearest known pixels, to carry bands across narrow holes, was tried: it drew bright streaks from
//   highlights beside a hole.)
import { FILL, KNOWN, knownAround, pushPull } from './inpaint-core.js';
import { patchFill } from './inpaint-patch.js';
import { seededRandom } from './noise.js';

export { FILL, IGNORE, KNOWN } from './inpaint-core.js';

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
      if (!knownAround(state, width, i)) continue;
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
  /** Fill with patches of the photo around the hole (inpaint-patch.ts) where there are whole known ones. */
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
  if (options.copy && patchFill(rgba, width, height, state, { seed: options.seed ?? 0 })) return;
  // (new Float32Array(typed) copies directly; Float32Array.from goes through an iterator, far slower.)
  const color = new Float32Array(rgba);
  const weight = new Float32Array(count);
  for (let i = 0; i < count; i++) weight[i] = state[i] === KNOWN ? 1 : 0;
  pushPull(color, weight, width, height, 4);

  const grain = options.grain ?? true;
  let spread: Float32Array | null = null;
  if (grain) {
    const { energy, weight: energyWeight } = detailEnergy(rgba, width, height, state);
    if (energyWeight.includes(1)) {
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
