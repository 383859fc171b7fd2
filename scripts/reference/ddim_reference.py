#!/usr/bin/env python3
"""Reference values for Stir's DDIM scheduler (src/engine/diffusion/scheduler), computed independently of it.

Run from the repository root:

    python3 scripts/reference/ddim_reference.py

It writes one JSON file per case to tests/fixtures/ddim/ (the config that produced the values, the inputs
and the expected outputs), then re-indents them with prettier when `npx` is available, so `npm run lint`
stays clean. The tests (tests/unit/scheduler) compare the TypeScript scheduler against these files.

What is computed, from the config alone, in float64 (numpy when it is installed, plain Python otherwise),
following the formulas of Hugging Face diffusers' DDIMScheduler (scheduling_ddim.py) and the papers behind
them; nothing here is taken from the TypeScript code:

- betas: "linear" = linspace(beta_start, beta_end, T); "scaled_linear" = linspace(sqrt(beta_start),
  sqrt(beta_end), T) ** 2; "squaredcos_cap_v2" = the cosine schedule of Nichol & Dhariwal 2021,
  beta_i = min(1 - abar((i + 1) / T) / abar(i / T), 0.999), abar(t) = cos((t + 0.008) / 1.008 * pi / 2) ** 2.
- rescale_betas_zero_snr (Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps are Flawed",
  Algorithm 1): s = sqrt(cumprod(1 - beta)); s = (s - s[-1]) * s[0] / (s[0] - s[-1]); abar = s ** 2;
  alphas = abar[i] / abar[i - 1] (abar[0] for the first); betas = 1 - alphas.
- alphas_cumprod = cumprod(1 - betas); final_alpha_cumprod = 1 if set_alpha_to_one else alphas_cumprod[0].
- timesteps for N inference steps: "leading" = reverse(arange(N) * (T // N)) + steps_offset;
  "trailing" = round(arange(T, 0, -T / N)) - 1; "linspace" = round(linspace(0, T - 1, N)) reversed.
- one DDIM step (Song et al. 2021, "Denoising Diffusion Implicit Models", eq. 12 and 16) at timestep t,
  previous timestep t - T // N (diffusers uses this for every spacing), a_t = alphas_cumprod[t],
  a_prev = alphas_cumprod[t - T // N] or final_alpha_cumprod when that is negative:
    epsilon:      x0 = (x - sqrt(1 - a_t) e) / sqrt(a_t)
    v_prediction: x0 = sqrt(a_t) x - sqrt(1 - a_t) v;  e = sqrt(a_t) v + sqrt(1 - a_t) x
    sample:       x0 = model output;                   e = (x - sqrt(a_t) x0) / sqrt(1 - a_t)
    clip_sample:  x0 clamped to [-clip_sample_range, clip_sample_range] (e is not recomputed)
    sigma = eta * sqrt((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev))                      (eq. 16)
    x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev - sigma^2) e + sigma * noise                 (eq. 12)
- add_noise(x0, noise, t) = sqrt(a_t) x0 + sqrt(1 - a_t) noise.

The inputs (sample, model output, noise) are small arrays of numbers that float32 holds exactly, so the
TypeScript side, which takes Float32Array, starts from the same values.
"""

import json
import math
import os
import shutil
import subprocess
import sys

try:
    import numpy as np
except ImportError:  # plain Python fallback, same formulas
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "ddim")

# diffusers' DDIMScheduler defaults, for keys a case leaves out.
DEFAULTS = {
    "num_train_timesteps": 1000,
    "beta_start": 0.0001,
    "beta_end": 0.02,
    "beta_schedule": "linear",
    "prediction_type": "epsilon",
    "rescale_betas_zero_snr": False,
    "steps_offset": 0,
    "timestep_spacing": "leading",
    "set_alpha_to_one": True,
    "clip_sample": True,
    "clip_sample_range": 1.0,
}


def linspace(a, b, n):
    if n == 1:
        return [float(a)]
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def cumprod(values):
    out, p = [], 1.0
    for v in values:
        p *= v
        out.append(p)
    return out


def betas_for(config):
    T = config["num_train_timesteps"]
    schedule = config["beta_schedule"]
    if schedule == "linear":
        betas = list(np.linspace(config["beta_start"], config["beta_end"], T, dtype=np.float64)) if np else linspace(config["beta_start"], config["beta_end"], T)
    elif schedule == "scaled_linear":
        roots = list(np.linspace(config["beta_start"] ** 0.5, config["beta_end"] ** 0.5, T, dtype=np.float64)) if np else linspace(config["beta_start"] ** 0.5, config["beta_end"] ** 0.5, T)
        betas = [r * r for r in roots]
    elif schedule == "squaredcos_cap_v2":
        abar = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = [min(1 - abar((i + 1) / T) / abar(i / T), 0.999) for i in range(T)]
    else:
        raise ValueError(schedule)
    betas = [float(b) for b in betas]
    if config["rescale_betas_zero_snr"]:
        s = [math.sqrt(a) for a in cumprod([1 - b for b in betas])]
        s0, sT = s[0], s[-1]
        s = [(v - sT) * s0 / (s0 - sT) for v in s]
        abar = [v * v for v in s]
        alphas = [abar[0]] + [abar[i] / abar[i - 1] for i in range(1, T)]
        betas = [1 - a for a in alphas]
    return betas


def timesteps_for(config, n):
    T = config["num_train_timesteps"]
    spacing = config["timestep_spacing"]
    if spacing == "leading":
        ratio = T // n
        return [i * ratio + config["steps_offset"] for i in range(n)][::-1]
    if spacing == "trailing":
        ratio = T / n
        if np:
            values = [float(v) for v in np.arange(T, 0, -ratio)]
        else:  # numpy's arange: ceil((stop - start) / step) values start + k * step
            values = [T - ratio * k for k in range(math.ceil(T / ratio))]
        return [int(round_half_even(v)) - 1 for v in values]
    if spacing == "linspace":
        return [int(round_half_even(v)) for v in linspace(0, T - 1, n)][::-1]
    raise ValueError(spacing)


def round_half_even(v):
    """numpy.round's rounding (half to even), which Python's round also does."""
    return round(v)


def ddim_step(config, alphas_cumprod, n, t, model_output, sample, eta, noise):
    T = config["num_train_timesteps"]
    prev_t = t - T // n
    a_t = alphas_cumprod[t]
    final = 1.0 if config["set_alpha_to_one"] else alphas_cumprod[0]
    a_prev = alphas_cumprod[prev_t] if prev_t >= 0 else final
    b_t = 1 - a_t
    kind = config["prediction_type"]
    x0, eps = [], []
    for x, m in zip(sample, model_output):
        if kind == "epsilon":
            x0.append((x - math.sqrt(b_t) * m) / math.sqrt(a_t))
            eps.append(m)
        elif kind == "v_prediction":
            x0.append(math.sqrt(a_t) * x - math.sqrt(b_t) * m)
            eps.append(math.sqrt(a_t) * m + math.sqrt(b_t) * x)
        elif kind == "sample":
            x0.append(m)
            eps.append((x - math.sqrt(a_t) * m) / math.sqrt(b_t))
        else:
            raise ValueError(kind)
    if config["clip_sample"]:
        r = config["clip_sample_range"]
        x0 = [min(max(v, -r), r) for v in x0]
    variance = (1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)
    sigma = eta * math.sqrt(variance)
    direction = math.sqrt(1 - a_prev - sigma * sigma)
    prev = [math.sqrt(a_prev) * x0[i] + direction * eps[i] for i in range(len(sample))]
    if eta > 0:
        prev = [prev[i] + sigma * noise[i] for i in range(len(sample))]
    return {"prev_timestep": prev_t, "alpha_prod_t": a_t, "alpha_prod_t_prev": a_prev, "prev_sample": prev, "pred_original_sample": x0}


def inputs(seed, size=16):
    """Deterministic numbers in about [-2, 2], multiples of 1/1024 (exact in float32)."""
    values, state = [], seed
    for _ in range(size):
        state = (state * 1103515245 + 12345) % (2 ** 31)
        values.append(round(((state / 2 ** 31) * 4 - 2) * 1024) / 1024)
    return values


CASES = [
    {
        "name": "follow-your-click",
        "about": "The paper's scheduler (MODEL-PACKS.md): linear 0.00085-0.012, v_prediction, zero-SNR, steps_offset 1, leading, set_alpha_to_one; eta 0.",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "linear", "prediction_type": "v_prediction", "rescale_betas_zero_snr": True, "steps_offset": 1, "timestep_spacing": "leading", "set_alpha_to_one": True, "clip_sample": False},
        "steps": 25,
        "at": [0, 12, 24],
        "eta": 0.0,
    },
    {
        "name": "follow-your-click-100-steps-eta",
        "about": "The paper's config with its config file's 100 steps (991, 981, ..., 1) and eta 0.7 with given noise.",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "linear", "prediction_type": "v_prediction", "rescale_betas_zero_snr": True, "steps_offset": 1, "timestep_spacing": "leading", "set_alpha_to_one": True, "clip_sample": False},
        "steps": 100,
        "at": [0, 50, 99],
        "eta": 0.7,
    },
    {
        "name": "sd15",
        "about": "Stable Diffusion 1.5's scheduler config: scaled_linear 0.00085-0.012, epsilon, steps_offset 1, leading, set_alpha_to_one false, no clipping; eta 0.",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon", "rescale_betas_zero_snr": False, "steps_offset": 1, "timestep_spacing": "leading", "set_alpha_to_one": False, "clip_sample": False},
        "steps": 50,
        "at": [0, 25, 49],
        "eta": 0.0,
    },
    {
        "name": "sd15-eta",
        "about": "SD 1.5's config with eta 1 (DDPM-like) and given noise.",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon", "rescale_betas_zero_snr": False, "steps_offset": 1, "timestep_spacing": "leading", "set_alpha_to_one": False, "clip_sample": False},
        "steps": 20,
        "at": [0, 10, 19],
        "eta": 1.0,
    },
    {
        "name": "trailing-v-zero-snr-eta",
        "about": "Trailing spacing (starts at 999, where zero-SNR makes alphas_cumprod 0), v_prediction, eta 0.5 with noise.",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "v_prediction", "rescale_betas_zero_snr": True, "steps_offset": 0, "timestep_spacing": "trailing", "set_alpha_to_one": False, "clip_sample": False},
        "steps": 10,
        "at": [0, 5, 9],
        "eta": 0.5,
    },
    {
        "name": "trailing-epsilon-clipped",
        "about": "Trailing spacing without zero-SNR (16 steps: T / N = 62.5, so rounding half to even matters), epsilon, clip_sample with range 1.5, diffusers' default betas (linear 0.0001-0.02).",
        "config": {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear", "prediction_type": "epsilon", "rescale_betas_zero_snr": False, "steps_offset": 0, "timestep_spacing": "trailing", "set_alpha_to_one": True, "clip_sample": True, "clip_sample_range": 1.5},
        "steps": 16,
        "at": [0, 7, 15],
        "eta": 0.0,
    },
    {
        "name": "linspace-sample-cosine",
        "about": "Linspace spacing, the model predicts the sample, the squaredcos_cap_v2 schedule, 12 steps, eta 0.3.",
        "config": {"num_train_timesteps": 1000, "beta_schedule": "squaredcos_cap_v2", "prediction_type": "sample", "rescale_betas_zero_snr": False, "steps_offset": 0, "timestep_spacing": "linspace", "set_alpha_to_one": False, "clip_sample": False},
        "steps": 12,
        "at": [0, 6, 11],
        "eta": 0.3,
    },
]


def main():
    os.makedirs(OUT, exist_ok=True)
    written = []
    for index, case in enumerate(CASES):
        config = dict(DEFAULTS)
        config.update(case["config"])
        betas = betas_for(config)
        alphas_cumprod = cumprod([1 - b for b in betas])
        n = case["steps"]
        timesteps = timesteps_for(config, n)
        steps = []
        for k, position in enumerate(case["at"]):
            t = timesteps[position]
            seed = 1000 * (index + 1) + k
            model_output, sample, noise = inputs(seed), inputs(seed + 100), inputs(seed + 200)
            result = ddim_step(config, alphas_cumprod, n, t, model_output, sample, case["eta"], noise)
            step = {"timestep": t, "eta": case["eta"], "model_output": model_output, "sample": sample}
            if case["eta"] > 0:
                step["noise"] = noise
            step.update(result)
            steps.append(step)
        a_t = alphas_cumprod[timesteps[-1]]
        original, noise = inputs(7000 + index), inputs(8000 + index)
        add_noise = {
            "timestep": timesteps[-1],
            "original": original,
            "noise": noise,
            "noisy": [math.sqrt(a_t) * x + math.sqrt(1 - a_t) * e for x, e in zip(original, noise)],
        }
        sampled = sorted(set(list(range(0, config["num_train_timesteps"], 7)) + [config["num_train_timesteps"] - 2, config["num_train_timesteps"] - 1] + [t for t in timesteps if 0 <= t < len(alphas_cumprod)]))
        fixture = {
            "about": case["about"],
            "generator": "scripts/reference/ddim_reference.py (" + ("numpy " + np.__version__ if np else "plain Python") + ", float64)",
            "config": case["config"],
            "effective_config": config,
            "num_inference_steps": n,
            "timesteps": timesteps,
            "final_alpha_cumprod": 1.0 if config["set_alpha_to_one"] else alphas_cumprod[0],
            "alphas_cumprod_at": {"index": sampled, "value": [alphas_cumprod[i] for i in sampled]},
            "steps": steps,
            "add_noise": add_noise,
        }
        path = os.path.join(OUT, case["name"] + ".json")
        with open(path, "w") as f:
            json.dump(fixture, f, indent=2)
            f.write("\n")
        written.append(path)
        print("wrote", os.path.relpath(path, ROOT))
    if shutil.which("npx"):
        subprocess.run(["npx", "prettier", "--write", *written], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
