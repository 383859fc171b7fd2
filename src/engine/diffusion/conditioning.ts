// The five conditioning channels of the 9-channel UNet input, per item (MODEL-PACKS.md, "Video UNet"):
// channel 4 the mask, channels 5-8 the image condition; channels 0-3, the noisy latent, are written each
// step by the UNet wrapper. Layout [5, F, h, w].
// - first-frame + region-mask (Follow-Your-Click, section 3.2: "the first frame latent z0 ... the
//   downsampled M_final ... concatenated in the channel dimension"): the image latent on frame 0 only;
//   the region mask on every frame, or 1 on frame 0 and 0 elsewhere when there is no region.
// - all-frames + frame-coefficients (PIA): the image latent on every frame; the mask channel a spatially
//   constant number per frame from a motion preset (frame 0 always 1).
import type { LoopMode } from '../../shared/index.js';
import { FrameCoefficientsSchema, type FrameCoefficients } from '../models/manifest.js';

export const CONDITION_CHANNELS = 5;

export function firstFrameConditions(
  imageLatent: Float32Array,
  regionMask: Float32Array | null,
  frames: number,
  height: number,
  width: number,
): Float32Array {
  const plane = height * width;
  const out = new Float32Array(CONDITION_CHANNELS * frames * plane);
  for (let f = 0; f < frames; f++) {
    const at = f * plane;
    if (regionMask) out.set(regionMask, at);
    else if (f === 0) out.fill(1, at, at + plane);
  }
  for (let c = 0; c < 4; c++) {
    out.set(imageLatent.subarray(c * plane, (c + 1) * plane), ((1 + c) * frames + 0) * plane);
  }
  return out;
}

export function allFramesConditions(
  imageLatent: Float32Array,
  coefficients: readonly number[],
  frames: number,
  height: number,
  width: number,
): Float32Array {
  const plane = height * width;
  const out = new Float32Array(CONDITION_CHANNELS * frames * plane);
  for (let f = 0; f < frames; f++) {
    out.fill(coefficients[f]!, f * plane, (f + 1) * plane);
    for (let c = 0; c < 4; c++) {
      out.set(imageLatent.subarray(c * plane, (c + 1) * plane), ((1 + c) * frames + f) * plane);
    }
  }
  return out;
}

const DEFAULT_COEFFICIENTS = FrameCoefficientsSchema.parse({});

/**
 * PIA's per-frame coefficients (diffusers' prepare_mask_coef_by_statistics with cond_frame 0): the preset
 * for the strength (small, moderate, large; the looping presets for a looping clip), extended with its
 * last value, read by each frame's distance from the conditioning frame.
 */
export function frameCoefficients(
  frames: number,
  strength: number,
  loop: LoopMode,
  table: FrameCoefficients = DEFAULT_COEFFICIENTS,
): number[] {
  const size = strength <= table.smallUpTo ? 'small' : strength <= table.moderateUpTo ? 'moderate' : 'large';
  const preset =
    loop === 'loop'
      ? table[size === 'small' ? 'loopSmall' : size === 'moderate' ? 'loopModerate' : 'loopLarge']
      : table[size];
  const conditionFrame = 0;
  return Array.from({ length: frames }, (_, f) => {
    const distance = Math.abs(f - conditionFrame);
    return preset[Math.min(distance, preset.length - 1)]!;
  });
}
