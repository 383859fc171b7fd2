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
 * Classifier-free guidance per region, uncond + scale * (cond - uncond), then the regions' guided
 * predictions [4, F, h, w] blended through their soft weights [h, w], bottom to top (a later region over
 * an earlier one, as in the render request). The bottom region's prediction is the base where no region
 * reaches: there every region's UNet run keeps the photo still (first-frame layout), the latent is held
 * to the photo (PIA's layout), and the composite restores the photo's pixels anyway. Written into `out`,
 * so a step allocates nothing here (this runs once per denoising step, 262k values per item).
 */
export function guideAndBlend(
  predictions: readonly Float32Array[],
  pairs: readonly GuidancePair[],
  scale: number,
  weights: readonly Float32Array[],
  shape: LatentShape,
  out: Float32Array,
): Float32Array {
  // Whole-array passes in small monomorphic functions: V8 compiles each to a tight loop (one function
  // branching over the regions per element ran several times slower).
  const plane = shape.height * shape.width;
  const guided = (pair: GuidancePair) => {
    const cond = predictions[pair.cond]!;
    return {
      cond,
      uncond: pair.uncond === null ? cond : predictions[pair.uncond]!,
      scale: pair.uncond === null ? 1 : scale,
    };
  };
  const base = guided(pairs[0]!);
  writeGuided(out, base.cond, base.uncond, base.scale);
  // Drawing the bottom region over itself would change nothing: start from the second.
  for (let r = 1; r < pairs.length; r++) {
    const g = guided(pairs[r]!);
    drawGuidedOver(out, g.cond, g.uncond, g.scale, weights[r]!, plane);
  }
  return out;
}

/** out = uncond + scale * (cond - uncond). */
function writeGuided(out: Float32Array, cond: Float32Array, uncond: Float32Array, scale: number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const u = uncond[i]!;
    out[i] = u + scale * (cond[i]! - u);
  }
}

/** out = out + weight * (guided - out), the weight per cell of each [h, w] plane. */
function drawGuidedOver(
  out: Float32Array,
  cond: Float32Array,
  uncond: Float32Array,
  scale: number,
  weight: Float32Array,
  plane: number,
): void {
  const n = out.length;
  for (let base = 0; base < n; base += plane) {
    for (let p = 0; p < plane; p++) {
      const w = weight[p]!;
      if (w === 0) continue;
      const i = base + p;
      const u = uncond[i]!;
      const o = out[i]!;
      out[i] = o + w * (u + scale * (cond[i]! - u) - o);
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
