// DDIM for the diffusion pipeline: `new DDIMScheduler(manifest.scheduler.config)`.
export { DDIMScheduler, type DdimStepOptions } from './ddim.js';
export {
  BETA_SCHEDULES,
  DDIM_DEFAULTS,
  PREDICTION_TYPES,
  TIMESTEP_SPACINGS,
  resolveDdimConfig,
  type BetaSchedule,
  type DDIMSchedulerConfig,
  type PredictionType,
  type TimestepSpacing,
} from './config.js';
export { FOLLOW_YOUR_CLICK_DDIM, SD15_DDIM } from './presets.js';
