// What the pipeline needs from the tokenizer and the scheduler, which live in their own folders
// (tokenizer/, scheduler/). Written as interfaces so each side can be read, and tested, alone.

/** CLIP's byte-level BPE (tokenizer/): ids padded or truncated to the text encoder's length. */
export interface PromptTokenizer {
  encodeForModel(text: string, maxLength?: number): Int32Array;
}

export interface SchedulerStep {
  prevSample: Float32Array;
  predOriginalSample: Float32Array;
}

/**
 * One DDIM step's arithmetic as per-element coefficients, computed once per step in float64 from the
 * alphas (scheduler/ddim.ts, `step`, gives the formulas they come from):
 *
 *   x0     = x0FromSample x + x0FromOutput out          (then clipped to +-clip)
 *   e      = epsFromSample x + epsFromOutput out
 *   x_prev = prevFromX0 x0 + prevFromEps e + sigma noise
 */
export interface StepCoefficients {
  x0FromSample: number;
  x0FromOutput: number;
  epsFromSample: number;
  epsFromOutput: number;
  /** sqrt(a_prev). */
  prevFromX0: number;
  /** sqrt(1 - a_prev - sigma^2): the "direction pointing to x_t" of eq. 12. */
  prevFromEps: number;
  sigma: number;
  /** clip_sample_range, or Infinity without clip_sample. */
  clip: number;
}

/** DDIM (scheduler/): pure math over a diffusers-style config. */
export interface DenoisingScheduler {
  setTimesteps(count: number): void;
  readonly timesteps: Int32Array;
  readonly alphasCumprod: Float64Array;
  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    /** `out`: buffers to write into (prevSample may be the sample itself); fresh arrays when left out. */
    options?: { eta?: number; noise?: Float32Array; out?: SchedulerStep },
  ): SchedulerStep;
  /** The coefficients of the step at `timestep`, for `stepRange`. */
  coefficients(timestep: number, eta?: number): StepCoefficients;
  /** `step` over elements [from, to) of flat arrays, unchecked (the denoising loop's per-plane form). */
  stepRange(
    k: StepCoefficients,
    sample: Float32Array,
    modelOutput: Float32Array,
    noise: Float32Array | null,
    prevSample: Float32Array,
    predOriginalSample: Float32Array,
    from: number,
    to: number,
  ): void;
  /** `out`: a buffer to write into; a fresh array when left out. */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number, out?: Float32Array): Float32Array;
}

/** A video latent's layout, [C, F, h, w] for one item (the batch dimension is handled by the UNet wrapper). */
export interface LatentShape {
  channels: number;
  frames: number;
  height: number;
  width: number;
}

export function latentSize(shape: LatentShape): number {
  return shape.channels * shape.frames * shape.height * shape.width;
}
