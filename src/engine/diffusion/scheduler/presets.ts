// Scheduler configs of the models Stir knows (a pack's manifest still says which one it uses).
import type { DDIMSchedulerConfig } from './config.js';

/**
 * Follow-Your-Click's inference config (MODEL-PACKS.md, "Scheduler of the paper's model"): DDIM, 1000
 * training steps, linear betas 0.00085-0.012 (not SD's scaled_linear), v-prediction, zero-SNR rescale,
 * steps_offset 1 with "leading" spacing (100 steps give 991, 981, ..., 1), set_alpha_to_one, no clipping;
 * sampled with eta 0.
 */
export const FOLLOW_YOUR_CLICK_DDIM: Readonly<DDIMSchedulerConfig> = {
  num_train_timesteps: 1000,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'linear',
  prediction_type: 'v_prediction',
  rescale_betas_zero_snr: true,
  steps_offset: 1,
  timestep_spacing: 'leading',
  set_alpha_to_one: true,
  clip_sample: false,
  clip_sample_range: 1,
};

/** Stable Diffusion 1.5's scheduler_config.json as diffusers reads it into DDIM: scaled_linear, epsilon. */
export const SD15_DDIM: Readonly<DDIMSchedulerConfig> = {
  num_train_timesteps: 1000,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  prediction_type: 'epsilon',
  rescale_betas_zero_snr: false,
  steps_offset: 1,
  timestep_spacing: 'leading',
  set_alpha_to_one: false,
  clip_sample: false,
  clip_sample_range: 1,
};
