// DDIM (Song, Meng and Ermon, "Denoising Diffusion Implicit Models", ICLR 2021) as diffusers'
// DDIMScheduler runs it, as pure arithmetic over a config (issue 4, point 5; MODEL-PACKS.md). Notation:
// a_t = alphas_cumprod[t] (the paper's alpha_t), x = the current sample x_t, e = the predicted noise.
import { StirError } from '../../../shared/index.js';
import type { DenoisingScheduler, SchedulerStep } from '../types.js';
import { cumulativeAlphas, makeBetas } from './betas.js';
import { resolveDdimConfig, type DDIMSchedulerConfig } from './config.js';
import { inferenceTimesteps } from './timesteps.js';

export interface DdimStepOptions {
  /** 0: deterministic DDIM; 1: DDPM's variance (the paper's eta, eq. 16). */
  eta?: number;
  /** Standard normal noise for eta > 0, the sample's length; required then (no hidden randomness). */
  noise?: Float32Array;
}

export class DDIMScheduler implements DenoisingScheduler {
  readonly config: Readonly<DDIMSchedulerConfig>;
  readonly betas: Float64Array;
  readonly alphasCumprod: Float64Array;
  /** a_prev of the last step: 1 (a clean sample) with set_alpha_to_one, else alphas_cumprod[0]. */
  readonly finalAlphaCumprod: number;
  #timesteps: Int32Array = new Int32Array(0);
  #steps = 0;

  constructor(config: Partial<DDIMSchedulerConfig> | Record<string, unknown> = {}) {
    this.config = Object.freeze(resolveDdimConfig(config));
    this.betas = makeBetas(this.config);
    this.alphasCumprod = cumulativeAlphas(this.betas);
    this.finalAlphaCumprod = this.config.set_alpha_to_one ? 1 : this.alphasCumprod[0]!;
  }

  /** The timesteps of the last setTimesteps, largest first. */
  get timesteps(): Int32Array {
    return this.#timesteps;
  }

  setTimesteps(count: number): void {
    const T = this.config.num_train_timesteps;
    if (!Number.isInteger(count) || count < 1 || count > T) {
      throw new StirError(
        'BAD_REQUEST',
        `The number of denoising steps must be a whole number from 1 to ${T}, not ${count}.`,
      );
    }
    this.#steps = count;
    this.#timesteps = inferenceTimesteps(this.config, count);
  }

  /**
   * One step from x_t to x_{t-1} (t-1 meaning the previous inference timestep, t - T // N, as diffusers
   * computes it for every spacing):
   *
   *   x0  = the predicted clean sample ("predicted x_0" of eq. 12), from the model output:
   *         epsilon: (x - sqrt(1 - a_t) e) / sqrt(a_t)
   *         v:       sqrt(a_t) x - sqrt(1 - a_t) v,   and e = sqrt(a_t) v + sqrt(1 - a_t) x   (MODEL-PACKS.md)
   *         sample:  the output itself,               and e = (x - sqrt(a_t) x0) / sqrt(1 - a_t)
   *   sigma = eta sqrt((1 - a_prev) / (1 - a_t)) sqrt(1 - a_t / a_prev)                           (eq. 16)
   *   x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev - sigma^2) e + sigma noise                     (eq. 12)
   *
   * with a_prev = alphas_cumprod[t - T // N], or finalAlphaCumprod past the start.
   */
  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    options: DdimStepOptions = {},
  ): SchedulerStep {
    if (this.#steps === 0) {
      throw new StirError('INTERNAL', 'The scheduler was asked for a step before setTimesteps.');
    }
    const T = this.config.num_train_timesteps;
    if (!Number.isInteger(timestep) || timestep < 0 || timestep >= T) {
      throw new StirError('INTERNAL', `Timestep ${timestep} is outside the schedule (0 to ${T - 1}).`);
    }
    if (modelOutput.length !== sample.length) {
      throw new StirError(
        'INTERNAL',
        `The model output has ${modelOutput.length} values, the sample ${sample.length}.`,
      );
    }
    const eta = options.eta ?? 0;
    if (!(eta >= 0)) throw new StirError('BAD_REQUEST', `DDIM's eta must be 0 or more, not ${eta}.`);
    const noise = options.noise;
    if (eta > 0 && (!noise || noise.length !== sample.length)) {
      throw new StirError(
        'INTERNAL',
        `A step with eta ${eta} needs noise of the sample's length (${sample.length}).`,
      );
    }

    const previous = timestep - Math.floor(T / this.#steps);
    const aT = this.alphasCumprod[timestep]!;
    const aPrev = previous >= 0 ? this.alphasCumprod[previous]! : this.finalAlphaCumprod;
    const prediction = this.config.prediction_type;
    if (prediction === 'epsilon' && aT === 0) {
      // Zero-SNR's last timestep is pure noise: a noise prediction says nothing about x0 there.
      throw new StirError(
        'PACK_INVALID',
        'An epsilon-predicting model cannot start from a zero-SNR timestep: use v_prediction, or leading spacing.',
      );
    }
    const sqrtA = Math.sqrt(aT);
    const sqrtB = Math.sqrt(1 - aT);
    const clip = this.config.clip_sample ? this.config.clip_sample_range : Infinity;
    const variance = ((1 - aPrev) / (1 - aT)) * (1 - aT / aPrev);
    const sigma = eta * Math.sqrt(Math.max(0, variance));
    const sqrtAPrev = Math.sqrt(aPrev);
    const direction = Math.sqrt(Math.max(0, 1 - aPrev - sigma * sigma));

    const prevSample = new Float32Array(sample.length);
    const predOriginalSample = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!;
      const out = modelOutput[i]!;
      let x0: number;
      let epsilon: number;
      if (prediction === 'epsilon') {
        x0 = (x - sqrtB * out) / sqrtA;
        epsilon = out;
      } else if (prediction === 'v_prediction') {
        x0 = sqrtA * x - sqrtB * out;
        epsilon = sqrtA * out + sqrtB * x;
      } else {
        x0 = out;
        epsilon = (x - sqrtA * out) / sqrtB;
      }
      // clip_sample clamps x0 only; the noise direction keeps the unclipped prediction (as diffusers does).
      x0 = Math.min(clip, Math.max(-clip, x0));
      predOriginalSample[i] = x0;
      prevSample[i] = sqrtAPrev * x0 + direction * epsilon + (sigma > 0 ? sigma * noise![i]! : 0);
    }
    return { prevSample, predOriginalSample };
  }

  /** The forward process q(x_t | x_0): sqrt(a_t) x0 + sqrt(1 - a_t) noise. */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    const T = this.config.num_train_timesteps;
    if (!Number.isInteger(timestep) || timestep < 0 || timestep >= T) {
      throw new StirError('INTERNAL', `Timestep ${timestep} is outside the schedule (0 to ${T - 1}).`);
    }
    if (original.length !== noise.length) {
      throw new StirError('INTERNAL', `The sample has ${original.length} values, the noise ${noise.length}.`);
    }
    const a = Math.sqrt(this.alphasCumprod[timestep]!);
    const b = Math.sqrt(1 - this.alphasCumprod[timestep]!);
    const out = new Float32Array(original.length);
    for (let i = 0; i < out.length; i++) out[i] = a * original[i]! + b * noise[i]!;
    return out;
  }
}
