// DDIM's configuration in diffusers' names (a pack's scheduler_config.json can be copied verbatim), with
// diffusers' defaults for what a config leaves out, checked so a wrong value fails at load time with the
// allowed values named, not as NaNs in the middle of a render.
import { StirError } from '../../../shared/index.js';

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export const PREDICTION_TYPES = ['epsilon', 'v_prediction', 'sample'] as const;
export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;

export type BetaSchedule = (typeof BETA_SCHEDULES)[number];
export type PredictionType = (typeof PREDICTION_TYPES)[number];
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

export interface DDIMSchedulerConfig {
  /** Diffusion steps the model was trained with (T). */
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  /**
   * linear: betas evenly spaced; scaled_linear: their square roots evenly spaced (latent diffusion, SD);
   * squaredcos_cap_v2: the cosine schedule (Nichol and Dhariwal 2021).
   */
  beta_schedule: BetaSchedule;
  /** What the model predicts: the noise, the velocity v (Salimans and Ho 2022), or the clean sample. */
  prediction_type: PredictionType;
  /** Rescale so the last timestep has zero signal (Lin et al. 2024); the paper's model is trained so. */
  rescale_betas_zero_snr: boolean;
  /** Added to every "leading" timestep (1 makes 100 steps run 991, 981, ..., 1). */
  steps_offset: number;
  timestep_spacing: TimestepSpacing;
  /** The last step's "previous" alpha product: 1 (a clean sample) or alphas_cumprod[0]. */
  set_alpha_to_one: boolean;
  /** Clamp the predicted clean sample to +-clip_sample_range. */
  clip_sample: boolean;
  clip_sample_range: number;
}

/** diffusers' DDIMScheduler defaults. */
export const DDIM_DEFAULTS: Readonly<DDIMSchedulerConfig> = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: 'linear',
  prediction_type: 'epsilon',
  rescale_betas_zero_snr: false,
  steps_offset: 0,
  timestep_spacing: 'leading',
  set_alpha_to_one: true,
  clip_sample: true,
  clip_sample_range: 1,
};

/** Keys of diffusers' DDIM config that Stir does not implement, refused when set to a non-default. */
const UNSUPPORTED: Record<string, (value: unknown) => boolean> = {
  thresholding: (value) => value === true,
  trained_betas: (value) => value !== null && value !== undefined,
};

function invalid(message: string, details: Record<string, unknown>): StirError {
  return new StirError('PACK_INVALID', message, {
    hint: "Check the pack's scheduler config against diffusers' DDIMScheduler.",
    details,
  });
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`The scheduler's ${key} ${JSON.stringify(value)} is not one of: ${allowed.join(', ')}.`, {
    key,
    value,
    allowed,
  });
}

function flag(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw invalid(`The scheduler's ${key} must be true or false, not ${JSON.stringify(value)}.`, {
    key,
    value,
  });
}

function number(key: string, value: unknown, check: (v: number) => boolean, expected: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && check(value)) return value;
  throw invalid(`The scheduler's ${key} must be ${expected}, not ${JSON.stringify(value)}.`, { key, value });
}

/** The full config: defaults filled in, every value checked. Keys Stir does not use are ignored. */
export function resolveDdimConfig(
  config: Partial<DDIMSchedulerConfig> | Record<string, unknown>,
): DDIMSchedulerConfig {
  const given = config as Record<string, unknown>;
  for (const [key, isSet] of Object.entries(UNSUPPORTED)) {
    if (isSet(given[key])) {
      throw invalid(`The scheduler's ${key} is not supported by Stir's DDIM scheduler.`, {
        key,
        value: given[key],
      });
    }
  }
  const pick = <K extends keyof DDIMSchedulerConfig>(key: K): unknown => given[key] ?? DDIM_DEFAULTS[key];
  const resolved: DDIMSchedulerConfig = {
    num_train_timesteps: number(
      'num_train_timesteps',
      pick('num_train_timesteps'),
      (v) => Number.isInteger(v) && v >= 2,
      'a whole number of at least 2',
    ),
    beta_start: number('beta_start', pick('beta_start'), (v) => v > 0 && v < 1, 'between 0 and 1'),
    beta_end: number('beta_end', pick('beta_end'), (v) => v > 0 && v < 1, 'between 0 and 1'),
    beta_schedule: oneOf('beta_schedule', pick('beta_schedule'), BETA_SCHEDULES),
    prediction_type: oneOf('prediction_type', pick('prediction_type'), PREDICTION_TYPES),
    rescale_betas_zero_snr: flag('rescale_betas_zero_snr', pick('rescale_betas_zero_snr')),
    steps_offset: number(
      'steps_offset',
      pick('steps_offset'),
      (v) => Number.isInteger(v) && v >= 0,
      'a whole number of 0 or more',
    ),
    timestep_spacing: oneOf('timestep_spacing', pick('timestep_spacing'), TIMESTEP_SPACINGS),
    set_alpha_to_one: flag('set_alpha_to_one', pick('set_alpha_to_one')),
    clip_sample: flag('clip_sample', pick('clip_sample')),
    clip_sample_range: number('clip_sample_range', pick('clip_sample_range'), (v) => v > 0, 'above 0'),
  };
  return resolved;
}
