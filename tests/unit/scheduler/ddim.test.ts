// The DDIM scheduler against reference values computed independently (scripts/reference/ddim_reference.py,
// float64 from the config alone; the fixtures keep the config that produced them).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DDIMScheduler,
  FOLLOW_YOUR_CLICK_DDIM,
  SD15_DDIM,
  type DDIMSchedulerConfig,
} from '../../../src/engine/diffusion/scheduler/index.js';
import { DdimConfigSchema } from '../../../src/engine/models/manifest.js';

interface Fixture {
  about: string;
  config: Partial<DDIMSchedulerConfig>;
  effective_config: DDIMSchedulerConfig;
  num_inference_steps: number;
  timesteps: number[];
  final_alpha_cumprod: number;
  alphas_cumprod_at: { index: number[]; value: number[] };
  steps: {
    timestep: number;
    eta: number;
    model_output: number[];
    sample: number[];
    noise?: number[];
    prev_timestep: number;
    alpha_prod_t_prev: number;
    prev_sample: number[];
    pred_original_sample: number[];
  }[];
  add_noise: { timestep: number; original: number[]; noise: number[]; noisy: number[] };
}

const DIR = fileURLToPath(new URL('../../fixtures/ddim/', import.meta.url));
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture] as const);

/** Float32 outputs against float64 references: a few float32 ulps, relative to the values' size. */
function expectClose(actual: ArrayLike<number>, expected: number[], tolerance = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThan(
      tolerance * scale,
    );
  }
}

describe('DDIMScheduler against the reference fixtures', () => {
  it('has the cases the issue asks for', () => {
    const configs = fixtures.map(([, f]) => f.effective_config);
    expect(configs.some((c) => c.prediction_type === 'epsilon')).toBe(true);
    expect(configs.some((c) => c.prediction_type === 'v_prediction')).toBe(true);
    expect(configs.some((c) => c.rescale_betas_zero_snr)).toBe(true);
    expect(configs.some((c) => !c.rescale_betas_zero_snr)).toBe(true);
    expect(configs.some((c) => c.timestep_spacing === 'leading')).toBe(true);
    expect(configs.some((c) => c.timestep_spacing === 'trailing')).toBe(true);
    expect(fixtures.some(([, f]) => f.steps.some((s) => s.eta === 0))).toBe(true);
    expect(fixtures.some(([, f]) => f.steps.some((s) => s.eta > 0 && s.noise))).toBe(true);
  });

  describe.each(fixtures)('%s', (_name, fixture) => {
    const scheduler = new DDIMScheduler(fixture.config);
    scheduler.setTimesteps(fixture.num_inference_steps);

    it('fills in the same defaults', () => {
      expect(scheduler.config).toEqual(fixture.effective_config);
    });

    it('has the same timesteps', () => {
      expect(Array.from(scheduler.timesteps)).toEqual(fixture.timesteps);
    });

    it('has the same alphas_cumprod', () => {
      const { index, value } = fixture.alphas_cumprod_at;
      expectClose(
        index.map((i) => scheduler.alphasCumprod[i]!),
        value,
        1e-12,
      );
      expect(scheduler.finalAlphaCumprod).toBeCloseTo(fixture.final_alpha_cumprod, 12);
    });

    it('takes the same steps (first, middle, last)', () => {
      for (const step of fixture.steps) {
        const out = scheduler.step(
          Float32Array.from(step.model_output),
          step.timestep,
          Float32Array.from(step.sample),
          {
            eta: step.eta,
            noise: step.noise ? Float32Array.from(step.noise) : undefined,
          },
        );
        expectClose(out.predOriginalSample, step.pred_original_sample);
        expectClose(out.prevSample, step.prev_sample);
      }
    });

    it('adds the same noise', () => {
      const { timestep, original, noise, noisy } = fixture.add_noise;
      expectClose(scheduler.addNoise(Float32Array.from(original), Float32Array.from(noise), timestep), noisy);
    });
  });
});

describe('DDIMScheduler presets', () => {
  it("the paper's preset: 100 steps run 991, 981, ..., 1 and the schedule ends at zero signal", () => {
    const scheduler = new DDIMScheduler(FOLLOW_YOUR_CLICK_DDIM);
    scheduler.setTimesteps(100);
    expect(scheduler.timesteps[0]).toBe(991);
    expect(scheduler.timesteps[1]).toBe(981);
    expect(scheduler.timesteps[99]).toBe(1);
    expect(scheduler.alphasCumprod[999]).toBe(0);
    expect(scheduler.finalAlphaCumprod).toBe(1);
    expect(scheduler.config.prediction_type).toBe('v_prediction');
  });

  it("SD 1.5's preset: scaled_linear betas, epsilon, the last step's previous alpha is alphas_cumprod[0]", () => {
    const scheduler = new DDIMScheduler(SD15_DDIM);
    expect(scheduler.betas[0]).toBeCloseTo(0.00085, 12);
    expect(scheduler.betas[999]).toBeCloseTo(0.012, 12);
    // Evenly spaced square roots: beta_500 is (sqrt(start) + (sqrt(end) - sqrt(start)) * 500 / 999)^2.
    const root = Math.sqrt(0.00085) + ((Math.sqrt(0.012) - Math.sqrt(0.00085)) * 500) / 999;
    expect(scheduler.betas[500]).toBeCloseTo(root * root, 12);
    expect(scheduler.betas[500]).not.toBeCloseTo(0.00085 + ((0.012 - 0.00085) * 500) / 999, 5); // not linear
    expect(scheduler.finalAlphaCumprod).toBe(scheduler.alphasCumprod[0]);
  });

  it('accepts a manifest scheduler config (diffusers keys it does not use pass through)', () => {
    const manifestConfig = DdimConfigSchema.parse({
      ...FOLLOW_YOUR_CLICK_DDIM,
      _class_name: 'DDIMScheduler',
    });
    const scheduler = new DDIMScheduler(manifestConfig);
    expect(scheduler.config).toEqual(FOLLOW_YOUR_CLICK_DDIM);
  });
});

describe('DDIMScheduler behaviour', () => {
  it('with eta 0 is deterministic and needs no noise; with eta > 0 the noise moves the result', () => {
    const scheduler = new DDIMScheduler(FOLLOW_YOUR_CLICK_DDIM);
    scheduler.setTimesteps(25);
    const sample = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i));
    const output = Float32Array.from({ length: 8 }, (_, i) => Math.cos(i));
    const t = scheduler.timesteps[5]!;
    const a = scheduler.step(output, t, sample);
    const b = scheduler.step(output, t, sample, { eta: 0 });
    expect(a.prevSample).toEqual(b.prevSample);
    const noisy = scheduler.step(output, t, sample, { eta: 1, noise: new Float32Array(8).fill(1) });
    expect(noisy.predOriginalSample).toEqual(a.predOriginalSample);
    expect(noisy.prevSample).not.toEqual(a.prevSample);
    expect(() => scheduler.step(output, t, sample, { eta: 0.5 })).toThrow(/needs noise/);
  });

  it('a sample built from a known x0 and noise is recovered exactly by a perfect model', () => {
    // x_t = sqrt(a) x0 + sqrt(1 - a) e; a model that predicts e (or v = sqrt(a) e - sqrt(1 - a) x0) gives x0.
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      const scheduler = new DDIMScheduler({ ...SD15_DDIM, prediction_type: prediction });
      scheduler.setTimesteps(50);
      const t = scheduler.timesteps[10]!;
      const x0 = Float32Array.from({ length: 6 }, (_, i) => (i - 2.5) / 3);
      const e = Float32Array.from({ length: 6 }, (_, i) => Math.cos(3 * i));
      const xt = scheduler.addNoise(x0, e, t);
      const a = scheduler.alphasCumprod[t]!;
      const out =
        prediction === 'epsilon' ? e : e.map((v, i) => Math.sqrt(a) * v - Math.sqrt(1 - a) * x0[i]!);
      expectClose(scheduler.step(out, t, xt).predOriginalSample, Array.from(x0), 1e-5);
    }
  });

  it('refuses an unknown value and lists the allowed ones', () => {
    expect(
      () => new DDIMScheduler({ beta_schedule: 'cosine' } as unknown as Partial<DDIMSchedulerConfig>),
    ).toThrow('linear, scaled_linear, squaredcos_cap_v2');
    expect(
      () => new DDIMScheduler({ prediction_type: 'v' } as unknown as Partial<DDIMSchedulerConfig>),
    ).toThrow('epsilon, v_prediction, sample');
    expect(
      () => new DDIMScheduler({ timestep_spacing: 'even' } as unknown as Partial<DDIMSchedulerConfig>),
    ).toThrow('leading, trailing, linspace');
    expect(() => new DDIMScheduler({ steps_offset: -1 })).toThrow(/steps_offset/);
    expect(() => new DDIMScheduler({ thresholding: true })).toThrow(/thresholding is not supported/);
  });

  it('refuses steps before setTimesteps, a bad step count, and epsilon at a zero-SNR timestep', () => {
    const scheduler = new DDIMScheduler(SD15_DDIM);
    const x = new Float32Array(4);
    expect(() => scheduler.step(x, 500, x)).toThrow(/before setTimesteps/);
    expect(() => scheduler.setTimesteps(0)).toThrow(/from 1 to 1000/);
    expect(() => scheduler.setTimesteps(1001)).toThrow(/from 1 to 1000/);
    const zeroSnr = new DDIMScheduler({
      ...SD15_DDIM,
      rescale_betas_zero_snr: true,
      timestep_spacing: 'trailing',
    });
    zeroSnr.setTimesteps(10);
    expect(zeroSnr.timesteps[0]).toBe(999);
    expect(() => zeroSnr.step(x, 999, x)).toThrow(/zero-SNR/);
  });

  it('writes into given buffers, in place over the sample, and in pieces, with the same numbers', () => {
    // The denoising loop's form: preallocated buffers, x_t overwritten by x_{t-1}, one plane at a time.
    for (const [name, fixture] of fixtures) {
      const scheduler = new DDIMScheduler(fixture.config);
      scheduler.setTimesteps(fixture.num_inference_steps);
      for (const step of fixture.steps) {
        const output = Float32Array.from(step.model_output);
        const noise = step.noise ? Float32Array.from(step.noise) : undefined;
        const fresh = scheduler.step(output, step.timestep, Float32Array.from(step.sample), {
          eta: step.eta,
          noise,
        });
        const latents = Float32Array.from(step.sample);
        const x0 = new Float32Array(latents.length).fill(Number.NaN);
        const inPlace = scheduler.step(output, step.timestep, latents, {
          eta: step.eta,
          noise,
          out: { prevSample: latents, predOriginalSample: x0 },
        });
        expect(inPlace.prevSample, name).toBe(latents);
        expect(Array.from(latents), name).toEqual(Array.from(fresh.prevSample));
        expect(Array.from(x0), name).toEqual(Array.from(fresh.predOriginalSample));

        const pieces = Float32Array.from(step.sample);
        const piecesX0 = new Float32Array(pieces.length);
        const k = scheduler.coefficients(step.timestep, step.eta);
        const cut = Math.floor(pieces.length / 3);
        for (const [from, to] of [
          [0, cut],
          [cut, pieces.length],
        ] as const) {
          scheduler.stepRange(k, pieces, output, noise ?? null, pieces, piecesX0, from, to);
        }
        expect(Array.from(pieces), name).toEqual(Array.from(fresh.prevSample));
        expect(Array.from(piecesX0), name).toEqual(Array.from(fresh.predOriginalSample));
      }
      const { timestep, original, noise, noisy } = fixture.add_noise;
      const out = new Float32Array(original.length);
      const written = scheduler.addNoise(
        Float32Array.from(original),
        Float32Array.from(noise),
        timestep,
        out,
      );
      expect(written).toBe(out);
      expectClose(out, noisy);
    }
  });

  it('refuses output buffers of the wrong length, and a noisy piece without noise', () => {
    const scheduler = new DDIMScheduler(FOLLOW_YOUR_CLICK_DDIM);
    scheduler.setTimesteps(25);
    const x = new Float32Array(8);
    const t = scheduler.timesteps[3]!;
    expect(() =>
      scheduler.step(x, t, x, { out: { prevSample: new Float32Array(7), predOriginalSample: x } }),
    ).toThrow(/output buffers/);
    const k = scheduler.coefficients(t, 1);
    expect(() => scheduler.stepRange(k, x, x, null, x, x, 0, 8)).toThrow(/needs noise/);
  });

  it("gives exactly N trailing timesteps where numpy's arange would give N + 1 (T / N inexact)", () => {
    const scheduler = new DDIMScheduler({ timestep_spacing: 'trailing' });
    scheduler.setTimesteps(61);
    expect(scheduler.timesteps.length).toBe(61);
    expect(scheduler.timesteps[0]).toBe(999);
    expect(Math.min(...scheduler.timesteps)).toBeGreaterThanOrEqual(0);
  });
});
