// Texture per superpixel: colour alone cannot tell grass from the sky behind it when both are pale, a
// ripple-textured sea from the smooth sky it mirrors, or a sharp leaf from the same browns blurred behind
// it. Texture is a neighbourhood property (one grass blade is smooth inside; the meadow is not), so the
// lightness gradient's energy, in total and split by orientation, is averaged over a window about one
// superpixel wide (summed-area tables, one pass per channel), then over each superpixel's pixels.
import type { Superpixels } from './superpixels.js';

/** Gradient orientations (mod 180 degrees) the energy is split into: 0, 45, 90 and 135 degrees. */
export const ORIENTATIONS = 4;

export interface SuperpixelTexture {
  /** log(1 + mean gradient magnitude of L around the superpixel), one per superpixel. */
  energy: Float64Array;
  /** Share of that energy in each orientation, ORIENTATIONS per superpixel, summing to 1. */
  orientation: Float64Array;
  /** Spread (standard deviation) of `energy` over the photo's pixels: the unit texture distances use. */
  spread: number;
}

/**
 * `lab`: the working image (3 floats a pixel, L first) the superpixels were computed on. `radius`: half
 * the side of the averaging window, in pixels.
 */
export function superpixelTexture(
  lab: Float32Array,
  sp: Superpixels,
  radius = Math.max(2, Math.round(Math.sqrt((sp.width * sp.height) / sp.count))),
): SuperpixelTexture {
  const { width, height } = sp;
  const n = width * height;
  // Channel 0: gradient magnitude; 1..ORIENTATIONS: the magnitude split between the two nearest
  // orientation bins.
  const channels = Array.from({ length: 1 + ORIENTATIONS }, () => new Float64Array(n));
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1);
    const down = Math.min(height - 1, y + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - 1);
      const right = Math.min(width - 1, x + 1);
      const gx = (lab[(y * width + right) * 3]! - lab[(y * width + left) * 3]!) / Math.max(1, right - left);
      const gy = (lab[(down * width + x) * 3]! - lab[(up * width + x) * 3]!) / Math.max(1, down - up);
      const magnitude = Math.sqrt(gx * gx + gy * gy);
      const i = y * width + x;
      channels[0]![i] = magnitude;
      if (magnitude === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      const position = (angle / Math.PI) * ORIENTATIONS;
      const lower = Math.floor(position) % ORIENTATIONS;
      const upper = (lower + 1) % ORIENTATIONS;
      const fraction = position - Math.floor(position);
      channels[1 + lower]![i] = channels[1 + lower]![i]! + magnitude * (1 - fraction);
      channels[1 + upper]![i] = channels[1 + upper]![i]! + magnitude * fraction;
    }
  }
  const sums = channels.map(() => new Float64Array(sp.count));
  for (let c = 0; c < channels.length; c++) {
    const local = boxMean(channels[c]!, width, height, radius);
    const sum = sums[c]!;
    for (let i = 0; i < n; i++) sum[sp.labels[i]!] = sum[sp.labels[i]!]! + local[i]!;
  }
  const energy = new Float64Array(sp.count);
  const orientation = new Float64Array(sp.count * ORIENTATIONS);
  let mean = 0;
  for (let s = 0; s < sp.count; s++) {
    const size = Math.max(1, sp.size[s]!);
    energy[s] = Math.log1p(sums[0]![s]! / size);
    mean += energy[s]! * sp.size[s]!;
    let total = 0;
    for (let o = 0; o < ORIENTATIONS; o++) total += sums[1 + o]![s]!;
    for (let o = 0; o < ORIENTATIONS; o++) {
      orientation[s * ORIENTATIONS + o] = total > 0 ? sums[1 + o]![s]! / total : 1 / ORIENTATIONS;
    }
  }
  mean /= n;
  let variance = 0;
  for (let s = 0; s < sp.count; s++) variance += (energy[s]! - mean) ** 2 * sp.size[s]!;
  return { energy, orientation, spread: Math.sqrt(variance / n) };
}

/**
 * How different two superpixels' textures are, in units of the photo's own texture spread: the energy
 * difference, plus the orientation histograms' L1 distance (0-2) scaled to count as much as one spread.
 */
export function textureDistance(texture: SuperpixelTexture, a: number, b: number): number {
  const unit = Math.max(0.05, texture.spread);
  let orientation = 0;
  for (let o = 0; o < ORIENTATIONS; o++) {
    orientation += Math.abs(
      texture.orientation[a * ORIENTATIONS + o]! - texture.orientation[b * ORIENTATIONS + o]!,
    );
  }
  return Math.abs(texture.energy[a]! - texture.energy[b]!) / unit + orientation;
}

/** Mean of `values` over the (2 radius + 1)^2 window around each pixel, clipped at the borders. */
function boxMean(values: Float64Array, width: number, height: number, radius: number): Float64Array {
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1]! + row;
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum =
        table[y1 * stride + x1]! -
        table[y0 * stride + x1]! -
        table[y1 * stride + x0]! +
        table[y0 * stride + x0]!;
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}
