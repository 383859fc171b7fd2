// Which of the T training timesteps N inference steps visit, largest first (diffusers' timestep_spacing;
// Lin et al. 2024, table 2, compare them).
import type { DDIMSchedulerConfig } from './config.js';

export function inferenceTimesteps(config: DDIMSchedulerConfig, steps: number): Int32Array {
  const T = config.num_train_timesteps;
  const out = new Int32Array(steps);
  switch (config.timestep_spacing) {
    case 'leading': {
      // 0, r, 2r, ... with r = T // N, plus steps_offset (MODEL-PACKS.md: 100 steps give 991, ..., 1).
      const ratio = Math.floor(T / steps);
      for (let i = 0; i < steps; i++) out[i] = (steps - 1 - i) * ratio + config.steps_offset;
      break;
    }
    case 'trailing': {
      // T, T - T/N, ... (exclusive of 0), rounded, minus 1: the first step is always T - 1.
      const ratio = T / steps;
      for (let i = 0; i < steps; i++) out[i] = roundHalfToEven(T - ratio * i) - 1;
      break;
    }
    case 'linspace': {
      // N evenly spaced values from 0 to T - 1, rounded.
      for (let i = 0; i < steps; i++) {
        const value = steps === 1 ? 0 : ((T - 1) * i) / (steps - 1);
        out[steps - 1 - i] = roundHalfToEven(value);
      }
      break;
    }
  }
  return out;
}

/** numpy's round: halves go to the even neighbour (62.5 -> 62, 937.5 -> 938). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
