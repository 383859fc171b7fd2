// Noise schedules: the betas of the forward process, and their cumulative products alpha-bar_t
// (the DDIM paper's alpha_t: x_t = sqrt(alpha_t) x_0 + sqrt(1 - alpha_t) eps).
import type { DDIMSchedulerConfig } from './config.js';

export function makeBetas(config: DDIMSchedulerConfig): Float64Array {
  const T = config.num_train_timesteps;
  let betas: Float64Array;
  switch (config.beta_schedule) {
    case 'linear':
      betas = evenlySpaced(config.beta_start, config.beta_end, T);
      break;
    case 'scaled_linear':
      // Latent diffusion's schedule: the square roots are evenly spaced.
      betas = evenlySpaced(Math.sqrt(config.beta_start), Math.sqrt(config.beta_end), T).map((r) => r * r);
      break;
    case 'squaredcos_cap_v2':
      betas = cosineBetas(T);
      break;
  }
  return config.rescale_betas_zero_snr ? rescaleZeroTerminalSnr(betas) : betas;
}

/** alpha-bar_t = prod_{s <= t} (1 - beta_s). */
export function cumulativeAlphas(betas: Float64Array): Float64Array {
  const out = new Float64Array(betas.length);
  let product = 1;
  for (let t = 0; t < betas.length; t++) {
    product *= 1 - betas[t]!;
    out[t] = product;
  }
  return out;
}

function evenlySpaced(from: number, to: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = count === 1 ? from : from + ((to - from) * i) / (count - 1);
  return out;
}

/**
 * Nichol and Dhariwal 2021 ("Improved DDPM", eq. 17): alpha-bar(t) = cos((t + s) / (1 + s) * pi / 2)^2 with
 * s = 0.008, discretised as beta_i = 1 - alpha-bar((i + 1) / T) / alpha-bar(i / T), capped at 0.999.
 */
function cosineBetas(T: number): Float64Array {
  const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) out[i] = Math.min(1 - alphaBar((i + 1) / T) / alphaBar(i / T), 0.999);
  return out;
}

/**
 * Zero terminal SNR (Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps are Flawed",
 * Algorithm 1; MODEL-PACKS.md): shift sqrt(alpha-bar) so its last value is 0 and scale it so its first
 * value is unchanged, then recover the betas from the ratios of consecutive alpha-bars. The last timestep
 * is then pure noise, as at inference.
 */
export function rescaleZeroTerminalSnr(betas: Float64Array): Float64Array {
  const roots = cumulativeAlphas(betas).map(Math.sqrt);
  const first = roots[0]!;
  const last = roots[roots.length - 1]!;
  const alphaBars = roots.map((s) => ((s - last) * first) / (first - last)).map((s) => s * s);
  const out = new Float64Array(betas.length);
  for (let t = 0; t < betas.length; t++) {
    const alpha = t === 0 ? alphaBars[0]! : alphaBars[t]! / alphaBars[t - 1]!;
    out[t] = 1 - alpha;
  }
  return out;
}
