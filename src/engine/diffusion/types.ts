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

/** DDIM (scheduler/): pure math over a diffusers-style config. */
export interface DenoisingScheduler {
  setTimesteps(count: number): void;
  readonly timesteps: Int32Array;
  readonly alphasCumprod: Float64Array;
  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    options?: { eta?: number; noise?: Float32Array },
  ): SchedulerStep;
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array;
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
