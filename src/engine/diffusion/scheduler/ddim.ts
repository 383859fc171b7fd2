// DDIM (Song, Meng and Ermon, "Denoising Diffusion Implicit Models", ICLR 2021) as diffusers'
// DDIMScheduler runs it, as pure arithmetic over a config (issue 4, point 5; MODEL-PACKS.md). Notation:
// a_t = alphas_cumprod[t] (the paper's alpha_t), x = the current sample x_t, e = the predicted noise.
import { StirError } from '../../../shared/index.js';
import type { DenoisingScheduler, SchedulerStep, StepCoefficients } from '../types.js';
import { cumulativeAlphas, makeBetas } from './betas.js';
import { resolveDdimConfig, type DDIMSchedulerConfig } from './config.js';
import { inferenceTimesteps } from './timesteps.js';

export interface DdimStepOptions {
  /** 0: deterministic DDIM; 1: DDPM's variance (the paper's eta, eq. 16). */
  eta?: number;
  /** Standard normal noise for eta > 0, the sample's length; required then (no hidden randomness). */
  noise?: Float32Array;
  /**
   * Buffers of the sample's length to write into, so a denoising loop allocates nothing per step.
   * `prevSample` may be `sample` itself (each element is read before it is overwritten). Fresh arrays when
   * left out.
   */
  out?: SchedulerStep;
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
    this.#checkTimestep(timestep);
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

    const k = this.coefficients(timestep, eta);
    const prevSample = options.out?.prevSample ?? new Float32Array(sample.length);
    const predOriginalSample = options.out?.predOriginalSample ?? new Float32Array(sample.length);
    if (prevSample.length !== sample.length || predOriginalSample.length !== sample.length) {
      throw new StirError(
        'INTERNAL',
        `The step's output buffers must have the sample's length (${sample.length}).`,
      );
    }
    this.stepRange(k, sample, modelOutput, noise ?? null, prevSample, predOriginalSample, 0, sample.length);
    return { prevSample, predOriginalSample };
  }

  /**
   * The formulas of `step` at `timestep`, rearranged into per-element coefficients (computed in float64
   * from alphas_cumprod, once per step): epsilon's x0 = x / sqrt(a_t) - (sqrt(1 - a_t) / sqrt(a_t)) e, and
   * so on for each prediction type.
   */
  coefficients(timestep: number, eta = 0): StepCoefficients {
    this.#checkTimestep(timestep);
    const T = this.config.num_train_timesteps;
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
    const variance = ((1 - aPrev) / (1 - aT)) * (1 - aT / aPrev);
    const sigma = eta * Math.sqrt(Math.max(0, variance));
    const prevFromX0 = Math.sqrt(aPrev);
    const prevFromEps = Math.sqrt(Math.max(0, 1 - aPrev - sigma * sigma));
    const clip = this.config.clip_sample ? this.config.clip_sample_range : Infinity;
    const common = { prevFromX0, prevFromEps, sigma, clip };
    switch (prediction) {
      case 'epsilon':
        return {
          x0FromSample: 1 / sqrtA,
          x0FromOutput: -sqrtB / sqrtA,
          epsFromSample: 0,
          epsFromOutput: 1,
          ...common,
        };
      case 'v_prediction':
        return {
          x0FromSample: sqrtA,
          x0FromOutput: -sqrtB,
          epsFromSample: sqrtB,
          epsFromOutput: sqrtA,
          ...common,
        };
      case 'sample':
        return {
          x0FromSample: 0,
          x0FromOutput: 1,
          epsFromSample: 1 / sqrtB,
          epsFromOutput: -sqrtA / sqrtB,
          ...common,
        };
    }
  }

  /**
   * `step` over the elements [from, to) of flat arrays, with coefficients from `coefficients`: a denoising
   * loop runs it on one small piece at a time, right after writing that piece of the model output, so the
   * values are still in cache. Lengths are not checked here (`step` checks them); `prevSample` may be
   * `sample`.
   */
  stepRange(
    k: StepCoefficients,
    sample: Float32Array,
    modelOutput: Float32Array,
    noise: Float32Array | null,
    prevSample: Float32Array,
    predOriginalSample: Float32Array,
    from: number,
    to: number,
  ): void {
    // The common case (eta 0, no clip_sample) has a loop of its own without branches.
    if (k.clip === Infinity && k.sigma === 0) {
      ddimUpdate(k, sample, modelOutput, prevSample, predOriginalSample, from, to);
      return;
    }
    if (k.sigma > 0 && noise === null) {
      throw new StirError('INTERNAL', 'A DDIM step with eta > 0 needs noise.');
    }
    ddimUpdateClippedOrNoisy(k, sample, modelOutput, noise, prevSample, predOriginalSample, from, to);
  }

  #checkTimestep(timestep: number, needsTimesteps = true): void {
    if (needsTimesteps && this.#steps === 0) {
      throw new StirError('INTERNAL', 'The scheduler was asked for a step before setTimesteps.');
    }
    const T = this.config.num_train_timesteps;
    if (!Number.isInteger(timestep) || timestep < 0 || timestep >= T) {
      throw new StirError('INTERNAL', `Timestep ${timestep} is outside the schedule (0 to ${T - 1}).`);
    }
  }

  /** The forward process q(x_t | x_0): sqrt(a_t) x0 + sqrt(1 - a_t) noise. */
  addNoise(
    original: Float32Array,
    noise: Float32Array,
    timestep: number,
    out = new Float32Array(original.length),
  ): Float32Array {
    this.#checkTimestep(timestep, false);
    if (original.length !== noise.length || out.length !== original.length) {
      throw new StirError(
        'INTERNAL',
        `The sample has ${original.length} values, the noise ${noise.length}, the output ${out.length}.`,
      );
    }
    const a = Math.sqrt(this.alphasCumprod[timestep]!);
    const b = Math.sqrt(1 - this.alphasCumprod[timestep]!);
    for (let i = 0; i < out.length; i++) out[i] = a * original[i]! + b * noise[i]!;
    return out;
  }
}

/** x_prev and x0 without clipping or noise: the usual DDIM step (eta 0, clip_sample off). */
function ddimUpdate(
  k: StepCoefficients,
  sample: Float32Array,
  modelOutput: Float32Array,
  prevSample: Float32Array,
  predOriginalSample: Float32Array,
  from: number,
  to: number,
): void {
  const { x0FromSample, x0FromOutput, epsFromSample, epsFromOutput, prevFromX0, prevFromEps } = k;
  for (let i = from; i < to; i++) {
    const x = sample[i]!;
    const out = modelOutput[i]!;
    const x0 = x0FromSample * x + x0FromOutput * out;
    predOriginalSample[i] = x0;
    prevSample[i] = prevFromX0 * x0 + prevFromEps * (epsFromSample * x + epsFromOutput * out);
  }
}

/**
 * The same with clip_sample (x0 only: the noise direction keeps the unclipped prediction, as diffusers
 * does) and eta's noise.
 */
function ddimUpdateClippedOrNoisy(
  k: StepCoefficients,
  sample: Float32Array,
  modelOutput: Float32Array,
  noise: Float32Array | null,
  prevSample: Float32Array,
  predOriginalSample: Float32Array,
  from: number,
  to: number,
): void {
  const { x0FromSample, x0FromOutput, epsFromSample, epsFromOutput, prevFromX0, prevFromEps, sigma, clip } =
    k;
  for (let i = from; i < to; i++) {
    const x = sample[i]!;
    const out = modelOutput[i]!;
    const x0 = Math.min(clip, Math.max(-clip, x0FromSample * x + x0FromOutput * out));
    const epsilon = epsFromSample * x + epsFromOutput * out;
    predOriginalSample[i] = x0;
    prevSample[i] = prevFromX0 * x0 + prevFromEps * epsilon + (noise === null ? 0 : sigma * noise[i]!);
  }
}
