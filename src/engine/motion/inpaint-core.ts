// The push-pull fill (Gortler et al., "The Lumigraph", SIGGRAPH 1996) and the pixel states every fill
// shares (inpaint.ts, inpaint-patch.ts).

/** What each pixel is to the fill. */
export const KNOWN = 0;
export const FILL = 1;
/** Neither a source nor filled (the object's rim, or the inside of a region deeper than it ever moves). */
export const IGNORE = 2;

/** The box (inclusive corners) of the FILL pixels of a width-wide state, or null when there are none. */
export function fillBounds(
  state: Uint8Array,
  width: number,
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FILL) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** Whether pixel i (not on the image's edge) and its 8 neighbours are all KNOWN. */
export function knownAround(state: Uint8Array, width: number, i: number): boolean {
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) if (state[i + dy * width + dx] !== KNOWN) return false;
  return true;
}

interface Level {
  width: number;
  height: number;
  channels: number;
  /** Values, normalised by weight after each push. */
  value: Float32Array;
  weight: Float32Array;
}

function pushDown(level: Level): Level {
  const { channels } = level;
  const width = Math.max(1, Math.ceil(level.width / 2));
  const height = Math.max(1, Math.ceil(level.height / 2));
  const value = new Float32Array(width * height * channels);
  const weight = new Float32Array(width * height);
  for (let y = 0; y < level.height; y++) {
    for (let x = 0; x < level.width; x++) {
      const i = y * level.width + x;
      const w = level.weight[i]!;
      if (w === 0) continue;
      const o = (y >> 1) * width + (x >> 1);
      weight[o]! += w;
      for (let c = 0; c < channels; c++) value[o * channels + c]! += level.value[i * channels + c]! * w;
    }
  }
  for (let o = 0; o < weight.length; o++) {
    const w = weight[o]!;
    if (w === 0) continue;
    for (let c = 0; c < channels; c++) value[o * channels + c]! /= w;
    weight[o] = Math.min(1, w);
  }
  return { width, height, channels, value, weight };
}

/**
 * Push-pull: every pixel with weight below 1 takes (1 - weight) of the bilinear value of the coarser
 * level. `value` (width * height * channels) is filled in place; `weight` is 1 for sources, 0 elsewhere.
 */
function hasGap(weight: Float32Array): boolean {
  for (let i = 0; i < weight.length; i++) if (weight[i]! < 1) return true;
  return false;
}

export function pushPull(
  value: Float32Array,
  weight: Float32Array,
  width: number,
  height: number,
  channels: number,
): void {
  const base: Level = { width, height, channels, value, weight: new Float32Array(weight) };
  const levels = [base];
  let top = base;
  while ((top.width > 1 || top.height > 1) && hasGap(top.weight)) {
    top = pushDown(top);
    levels.push(top);
  }
  for (let k = levels.length - 2; k >= 0; k--) {
    const fine = levels[k]!;
    const coarse = levels[k + 1]!;
    for (let y = 0; y < fine.height; y++) {
      const cy = Math.min(coarse.height - 1, Math.max(0, (y - 0.5) / 2));
      const y0 = Math.floor(cy);
      const y1 = Math.min(coarse.height - 1, y0 + 1);
      const fy = cy - y0;
      for (let x = 0; x < fine.width; x++) {
        const i = y * fine.width + x;
        const w = fine.weight[i]!;
        if (w >= 1) continue;
        const cx = Math.min(coarse.width - 1, Math.max(0, (x - 0.5) / 2));
        const x0 = Math.floor(cx);
        const x1 = Math.min(coarse.width - 1, x0 + 1);
        const fx = cx - x0;
        const a = (y0 * coarse.width + x0) * channels;
        const b = (y0 * coarse.width + x1) * channels;
        const d = (y1 * coarse.width + x0) * channels;
        const e = (y1 * coarse.width + x1) * channels;
        const cv = coarse.value;
        for (let c = 0; c < channels; c++) {
          const up =
            (cv[a + c]! * (1 - fx) + cv[b + c]! * fx) * (1 - fy) +
            (cv[d + c]! * (1 - fx) + cv[e + c]! * fx) * fy;
          fine.value[i * channels + c] = w * fine.value[i * channels + c]! + (1 - w) * up;
        }
        fine.weight[i] = 1;
      }
    }
  }
}
