// Several regions with their own prompts, without changing the exported graph (MODEL-PACKS.md, "Regions";
// the paper, section 4.4, after the Regional Prompter): each region's guided prediction is computed with
// its own prompt and mask, then the predictions are blended through the regions' masks at latent size.
// For a deterministic DDIM step, blending predictions equals blending the next latents.
import type { LatentShape } from './types.js';

/** Classifier-free guidance: uncond + scale * (cond - uncond), into `out`. */
export function guide(
  uncond: Float32Array,
  cond: Float32Array,
  scale: number,
  out = new Float32Array(cond.length),
): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = uncond[i]! + scale * (cond[i]! - uncond[i]!);
  return out;
}

/**
 * Blends per-region predictions [4, F, h, w] through soft weights [h, w], bottom to top (a later region
 * over an earlier one, as in the render request). Where no region reaches, the mean of the predictions.
 */
export function blendRegions(
  predictions: readonly Float32Array[],
  weights: readonly Float32Array[],
  shape: LatentShape,
): Float32Array {
  if (predictions.length === 1) return predictions[0]!;
  const plane = shape.height * shape.width;
  const layers = shape.channels * shape.frames;
  const out = new Float32Array(layers * plane);
  const share = 1 / predictions.length;
  for (const prediction of predictions)
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + prediction[i]! * share;
  predictions.forEach((prediction, r) => {
    const weight = weights[r]!;
    for (let p = 0; p < plane; p++) {
      const w = weight[p]!;
      if (w === 0) continue;
      for (let layer = 0; layer < layers; layer++) {
        const i = layer * plane + p;
        out[i] = out[i]! + w * (prediction[i]! - out[i]!);
      }
    }
  });
  return out;
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
