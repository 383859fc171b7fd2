// Several regions with their own prompts, without changing the exported graph (MODEL-PACKS.md, "Regions";
// the paper, section 4.4, after the Regional Prompter): each region's guided prediction is computed with
// its own prompt and mask, then the predictions are blended through the regions' masks at latent size.
// For a deterministic DDIM step, blending predictions equals blending the next latents.
import type { LatentShape } from './types.js';

/** Which predictions make a region's guided prediction: its conditional one, and its unconditional one under guidance. */
export interface GuidancePair {
  cond: number;
  uncond: number | null;
}

/**
 * Where each region shows in the [h, w] plane, found once per job from the blend weights so that a step
 * computes each region's guided prediction only where it can be seen: bottom to top, a region is drawn
 * alone where its weight is 1 (the bottom region: everywhere), blended over what lies beneath where its
 * weight is between 0 and 1, and not at all where a region above it has weight 1. Painting in that
 * order gives exactly the blend of every region in turn.
 */
export interface RegionLayers {
  /** Per region, [start, end) runs of plane cells where it is drawn alone. */
  opaque: Int32Array[];
  /** Per region, [start, end) runs of plane cells where it is blended through its weight. */
  blended: Int32Array[];
  /** Per region, its weight [h, w] (the bottom region's is never read). */
  weights: readonly Float32Array[];
}

export function regionLayers(weights: readonly Float32Array[], plane: number): RegionLayers {
  const opaque: Int32Array[] = [];
  const blended: Int32Array[] = [];
  // Top to bottom, so that what the regions above cover is known when each region is placed.
  const coveredAbove = new Uint8Array(plane);
  const kind = new Uint8Array(plane); // 0: hidden or outside, 1: opaque, 2: blended
  for (let r = weights.length - 1; r >= 0; r--) {
    const weight = weights[r]!;
    for (let p = 0; p < plane; p++) {
      const w = r === 0 ? 1 : weight[p]!;
      kind[p] = coveredAbove[p] || w <= 0 ? 0 : w >= 1 ? 1 : 2;
      if (w >= 1) coveredAbove[p] = 1;
    }
    opaque[r] = runsOf(kind, 1);
    blended[r] = runsOf(kind, 2);
  }
  return { opaque, blended, weights };
}

/** [start, end) runs of the cells equal to `value`. */
function runsOf(cells: Uint8Array, value: number): Int32Array {
  const runs: number[] = [];
  for (let p = 0; p < cells.length; p++) {
    if (cells[p] !== value) continue;
    const start = p;
    while (p < cells.length && cells[p] === value) p++;
    runs.push(start, p);
  }
  return Int32Array.from(runs);
}

/**
 * Classifier-free guidance per region, uncond + scale * (cond - uncond), then the regions' guided
 * predictions [4, F, h, w] blended through their soft weights [h, w], bottom to top (a later region over
 * an earlier one, as in the render request). The bottom region's prediction is the base where no region
 * reaches: there every region's UNet run keeps the photo still (first-frame layout), the latent is held
 * to the photo (PIA's layout), and the composite restores the photo's pixels anyway. Written into `out`.
 */
export function guideAndBlend(
  predictions: readonly Float32Array[],
  pairs: readonly GuidancePair[],
  scale: number,
  weights: readonly Float32Array[],
  shape: LatentShape,
  out: Float32Array,
): Float32Array {
  const plane = shape.height * shape.width;
  const layers = regionLayers(weights, plane);
  for (let from = 0; from < out.length; from += plane) {
    guideAndBlendPlane(predictions, pairs, scale, layers, out, from);
  }
  return out;
}

/**
 * `guideAndBlend` on one [h, w] plane of the [4, F, h, w] arrays, starting at `from`: the denoising loop
 * follows it with the scheduler's step on the same plane while its values are in cache. Allocates
 * nothing (this runs for every plane of every step).
 */
export function guideAndBlendPlane(
  predictions: readonly Float32Array[],
  pairs: readonly GuidancePair[],
  scale: number,
  layers: RegionLayers,
  out: Float32Array,
  from: number,
): void {
  for (let r = 0; r < pairs.length; r++) {
    const pair = pairs[r]!;
    const cond = predictions[pair.cond]!;
    // Without guidance a region's "unconditional" prediction is its conditional one, and the scale 1.
    const uncond = pair.uncond === null ? cond : predictions[pair.uncond]!;
    const s = pair.uncond === null ? 1 : scale;
    writeGuided(out, cond, uncond, s, from, layers.opaque[r]!);
    drawGuidedOver(out, cond, uncond, s, from, layers.blended[r]!, layers.weights[r]!);
  }
}

/** out = uncond + scale * (cond - uncond), on the runs of the plane at `from`. */
function writeGuided(
  out: Float32Array,
  cond: Float32Array,
  uncond: Float32Array,
  scale: number,
  from: number,
  runs: Int32Array,
): void {
  for (let k = 0; k < runs.length; k += 2) {
    const end = from + runs[k + 1]!;
    for (let i = from + runs[k]!; i < end; i++) {
      const u = uncond[i]!;
      out[i] = u + scale * (cond[i]! - u);
    }
  }
}

/** out = out + weight * (guided - out), on the runs of the plane at `from`, the weight per plane cell. */
function drawGuidedOver(
  out: Float32Array,
  cond: Float32Array,
  uncond: Float32Array,
  scale: number,
  from: number,
  runs: Int32Array,
  weight: Float32Array,
): void {
  for (let k = 0; k < runs.length; k += 2) {
    const end = from + runs[k + 1]!;
    for (let i = from + runs[k]!, p = runs[k]!; i < end; i++, p++) {
      const u = uncond[i]!;
      const o = out[i]!;
      out[i] = o + weight[p]! * (u + scale * (cond[i]! - u) - o);
    }
  }
}

/**
 * Keeps what lies outside the regions still, for layouts with no region input (PIA): after each step the
 * latent outside `inside` (soft, [h, w]) is replaced with `reference`, the image latent noised to the
 * current timestep (MODEL-PACKS.md; the same move as diffusers' inpainting pipelines).
 */
export function keepOutside(
  latents: Float32Array,
  reference: Float32Array,
  inside: Float32Array,
  shape: LatentShape,
): void {
  const plane = shape.height * shape.width;
  const layers = shape.channels * shape.frames;
  for (let layer = 0; layer < layers; layer++) {
    const base = layer * plane;
    for (let p = 0; p < plane; p++) {
      const keep = inside[p]!;
      const i = base + p;
      latents[i] = reference[i]! + keep * (latents[i]! - reference[i]!);
    }
  }
}

/** The image latent [4, h, w] repeated on every frame: [4, F, h, w]. */
export function imageVideo(imageLatent: Float32Array, shape: LatentShape): Float32Array {
  const plane = shape.height * shape.width;
  const out = new Float32Array(4 * shape.frames * plane);
  for (let c = 0; c < 4; c++) {
    const channel = imageLatent.subarray(c * plane, (c + 1) * plane);
    for (let f = 0; f < shape.frames; f++) out.set(channel, (c * shape.frames + f) * plane);
  }
  return out;
}
