// The whole diffusion engine on the tiny packs, on the CPU: shapes, both conditioning layouts read back
// through the probe UNet, the oracle UNet's predictable result, determinism, cancellation, pose.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { StirError, type Mask, type Pose } from '../../../src/shared/index.js';
import {
  createDiffusionEngine,
  type DiffusionEngine,
  type DiffusionEngineOptions,
} from '../../../src/engine/diffusion/index.js';
import { frameCoefficients } from '../../../src/engine/diffusion/conditioning.js';
import { maskNearest } from '../../../src/engine/diffusion/masks.js';
import type { StepInfo } from '../../../src/engine/diffusion/pipeline.js';
import { SeededRandom } from '../../../src/engine/diffusion/rng.js';
import { encodeImage, imageTensor } from '../../../src/engine/diffusion/vae.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { contractsOf } from '../../../src/engine/models/contract.js';
import { OnnxSession, openSession } from '../../../src/engine/models/sessions.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import type { AnimateInput, JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import { POSE_JOINTS } from '../../../src/shared/index.js';
import { loadPhoto } from '../../helpers/photos.js';
import { packDir, type FixturePack } from '../models/fixture-packs.js';

let photo: RgbaImage;
beforeAll(async () => {
  photo = (await loadPhoto('chelsea.png')).image; // 451 x 300: working size 128 x 64, latent 16 x 8
});

function rect(x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(photo.width * photo.height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * photo.width + x] = 255;
  return { width: photo.width, height: photo.height, data };
}

function region(mask: Mask, extra: Partial<RegionSpec> = {}): RegionSpec {
  return {
    id: 'r',
    mask,
    prompt: 'sway',
    strength: 5,
    direction: null,
    seed: 1,
    start: 0,
    end: null,
    pose: null,
    ...extra,
  };
}

function engineFor(pack: FixturePack, options: Partial<DiffusionEngineOptions> = {}): DiffusionEngine {
  return createDiffusionEngine({ packDir: packDir(pack), provider: 'cpu', ...options });
}

function input(regions: RegionSpec[], extra: Partial<AnimateInput> = {}): AnimateInput {
  return {
    photo,
    regions,
    timing: { seconds: 1, fps: 12, loop: 'once' },
    size: { width: photo.width, height: photo.height },
    ...extra,
  };
}

interface Recorded extends JobControl {
  fractions: number[];
  previews: number;
}

function control(signal = new AbortController().signal, onProgress?: (stage: string) => void): Recorded {
  const recorded: Recorded = {
    signal,
    fractions: [],
    previews: 0,
    progress(stage, fraction) {
      recorded.fractions.push(fraction);
      onProgress?.(stage);
    },
    preview() {
      recorded.previews++;
    },
  };
  return recorded;
}

async function allFrames(engine: DiffusionEngine, request: AnimateInput): Promise<RgbaImage[]> {
  const animation = await engine.prepare(request, control());
  const frames: RgbaImage[] = [];
  for await (const { image } of animation.frames()) frames.push(image);
  await animation.dispose();
  return frames;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const CAT_FACE = () => rect(120, 60, 330, 220);

/** The image latent the pipeline computes, from the pack's own VAE encoder. */
async function imageLatentOf(pack: FixturePack, width: number, height: number): Promise<Float32Array> {
  const loaded = await loadPack(packDir(pack));
  const vae = loaded.manifest.components.vae!;
  const encoder = await openSession(
    loaded.path(vae.encoder),
    contractsOf(loaded.manifest).get(vae.encoder)!,
    {
      provider: 'cpu',
    },
  );
  const latent = await encodeImage(encoder, await imageTensor(photo, width, height), width, height, vae);
  await encoder.release();
  return latent;
}

describe('the diffusion engine', () => {
  it('gives round(seconds x fps) frames at the output size; anchored, frame 0 is the photo; the background keeps every pixel', async () => {
    const engine = engineFor('fyc');
    const recorded = control();
    const animation = await engine.prepare(
      input([region(CAT_FACE())], {
        timing: { seconds: 1.5, fps: 10, loop: 'once' },
        anchorFirstFrame: true,
      }),
      recorded,
    );
    expect(animation.engine).toBe('diffusion');
    expect([animation.frameCount, animation.fps, animation.width, animation.height]).toEqual([
      15, 10, 451, 300,
    ]);
    const frames: RgbaImage[] = [];
    for await (const { index, image } of animation.frames()) {
      expect(index).toBe(frames.length);
      frames.push(image);
    }
    expect(frames).toHaveLength(15);
    expect(same(frames[0]!.data, photo.data)).toBe(true);
    // Far from the region (beyond its dilation and feather), every pixel of every frame is the photo's.
    const far = [
      [20, 20],
      [430, 280],
      [60, 150],
      [400, 40],
    ];
    for (const frame of frames) {
      for (const [x, y] of far) {
        const i = (y! * photo.width + x!) * 4;
        expect(Array.from(frame.data.subarray(i, i + 4))).toEqual(Array.from(photo.data.subarray(i, i + 4)));
      }
    }
    // Inside, it moves: the last frame differs from the photo at the face.
    const i = (140 * photo.width + 225) * 4;
    expect(Math.abs(frames[14]!.data[i]! - photo.data[i]!)).toBeGreaterThan(5);
    // Progress only goes forward, ends at 1, and previews came during denoising.
    recorded.fractions.forEach(
      (f, k) => k > 0 && expect(f).toBeGreaterThanOrEqual(recorded.fractions[k - 1]!),
    );
    expect(recorded.fractions.at(-1)).toBe(1);
    expect(recorded.previews).toBeGreaterThan(0);
    await engine.dispose();
  });

  it('renders a smaller output size, and a clip without regions is the photo throughout', async () => {
    const engine = engineFor('fyc-plain');
    const small = await allFrames(engine, input([region(CAT_FACE())], { size: { width: 226, height: 150 } }));
    expect([small[0]!.width, small[0]!.height, small.length]).toEqual([226, 150, 12]);
    const still = await allFrames(engine, input([]));
    expect(still.every((f) => same(f.data, photo.data))).toBe(true);
  });

  it('is deterministic: the same seed gives the same bytes, another seed another animation', async () => {
    const engine = engineFor('fyc-plain');
    const a = await allFrames(engine, input([region(CAT_FACE(), { seed: 42 })]));
    const b = await allFrames(engine, input([region(CAT_FACE(), { seed: 42 })]));
    const c = await allFrames(engine, input([region(CAT_FACE(), { seed: 43 })]));
    expect(a.every((frame, k) => same(frame.data, b[k]!.data))).toBe(true);
    expect(a.some((frame, k) => !same(frame.data, c[k]!.data))).toBe(true);
  });

  it('stops within one step when cancelled, with CANCELLED', async () => {
    const steps: number[] = [];
    const engine = engineFor('fyc', { steps: 6, onStepEnd: (s) => steps.push(s.index) });
    const abort = new AbortController();
    // Cancelled while step 2 (index 1) is being reported: no further UNet run may start.
    const recorded = control(abort.signal, (stage) => {
      if (stage === 'Animating, step 2 of 6') abort.abort();
    });
    const error = await engine.prepare(input([region(CAT_FACE())]), recorded).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StirError);
    expect((error as StirError).code).toBe('CANCELLED');
    expect(steps).toEqual([0, 1]);
  });

  it('refuses a pack that cannot animate, and a folder that is no pack', async () => {
    const segmenterOnly = await engineFor('sam')
      .prepare(input([region(CAT_FACE())]), control())
      .catch((e: unknown) => e);
    expect((segmenterOnly as StirError).code).toBe('PACK_INVALID');
    expect((segmenterOnly as StirError).message).toContain('cannot animate');
    const missing = await createDiffusionEngine({ packDir: '/nonexistent/pack' })
      .prepare(input([region(CAT_FACE())]), control())
      .catch((e: unknown) => e);
    expect((missing as StirError).code).toBe('PACK_MISSING');
    expect(() => createDiffusionEngine({ packDir: packDir('fyc'), provider: 'quantum' })).toThrow(
      /choose one of/,
    );
  });

  it("without anchoring (the manifest's default), frame 0 is the model's frame 0 composited onto the photo", async () => {
    const engine = engineFor('fyc-plain');
    const timing = { seconds: 1, fps: 8, loop: 'once' as const };
    const free = await allFrames(engine, input([region(CAT_FACE())], { timing }));
    const anchored = await allFrames(engine, input([region(CAT_FACE())], { timing, anchorFirstFrame: true }));
    expect(same(anchored[0]!.data, photo.data)).toBe(true);
    expect(same(free[0]!.data, photo.data)).toBe(false);
    // The background is the photo's either way; inside the region the model's frames differ from the anchored ones.
    const far = (20 * photo.width + 20) * 4;
    expect(Array.from(free[0]!.data.subarray(far, far + 4))).toEqual(
      Array.from(photo.data.subarray(far, far + 4)),
    );
    const face = (140 * photo.width + 225) * 4;
    const differs = free.some((frame, k) => frame.data[face] !== anchored[k]!.data[face]);
    expect(differs).toBe(true);
    await engine.dispose();
  });

  it('frees its sessions when asked, the text encoder too, and loads them again for the next render', async () => {
    const engine = engineFor('fyc-plain');
    const before = await allFrames(engine, input([region(CAT_FACE())]));
    const loaded = Object.keys(engine.sessionStats()).sort();
    expect(loaded).toEqual(['textEncoder', 'unet', 'vaeDecoder', 'vaeEncoder']);
    const released = vi.spyOn(OnnxSession.prototype, 'release');
    await engine.release();
    expect(released).toHaveBeenCalledTimes(loaded.length);
    released.mockRestore();
    const after = await allFrames(engine, input([region(CAT_FACE())]));
    expect(before.every((frame, k) => same(frame.data, after[k]!.data))).toBe(true);
  });
});

describe('conditioning layouts, read back through the probe UNet', () => {
  const [h, w, F] = [8, 16, 8];
  const plane = h * w;
  const channel = (out: Float32Array, c: number, f: number) =>
    out.subarray((c * F + f) * plane, (c * F + f + 1) * plane);

  async function firstStep(
    pack: FixturePack,
    regions: RegionSpec[],
    loop: 'once' | 'loop' = 'once',
  ): Promise<StepInfo> {
    const steps: StepInfo[] = [];
    const engine = engineFor(pack, {
      steps: 1,
      onStepEnd: (s) => steps.push({ ...s, modelOutput: s.modelOutput.slice() }),
    });
    await engine.prepare(input(regions, { timing: { seconds: 1, fps: 12, loop } }), control());
    return steps[0]!;
  }

  it('first-frame + region-mask: mask on every frame where the region is, image latent on frame 0, noise, scalars', async () => {
    const mask = CAT_FACE();
    const step = await firstStep('probe-first-frame', [region(mask, { strength: 5, seed: 9 })]);
    expect(step.modelOutput).toHaveLength(4 * F * plane);
    const expectedMask = maskNearest(mask, w, h);
    for (let f = 0; f < F; f++)
      expect(Array.from(channel(step.modelOutput, 0, f))).toEqual(Array.from(expectedMask));
    const latent = await imageLatentOf('probe-first-frame', 128, 64);
    const first = channel(step.modelOutput, 1, 0);
    first.forEach((v, p) => expect(v).toBeCloseTo(latent[p]!, 5));
    for (let f = 1; f < F; f++) expect(channel(step.modelOutput, 1, f).every((v) => v === 0)).toBe(true);
    // Channel 0 of the noisy latent is the seeded initial noise (guidance leaves it alone: both halves agree).
    const seed = (await import('../../../src/engine/diffusion/rng.js')).combineSeeds([9]);
    const noise = new SeededRandom(seed).fillNormal(new Float32Array(4 * F * plane));
    channel(step.modelOutput, 2, 3).forEach((v, p) => expect(v).toBeCloseTo(noise[3 * plane + p]!, 5));
    // motion_strength + 1000 x fps (the pack's generated fps, 8).
    expect(channel(step.modelOutput, 3, 0).every((v) => Math.abs(v - 8005) < 1e-3)).toBe(true);
  });

  it('first-frame + region-mask with two regions: each region keeps its own mask and strength', async () => {
    const left = rect(20, 40, 180, 260);
    const right = rect(260, 40, 430, 260);
    const step = await firstStep('probe-first-frame', [
      region(left, { strength: 3, prompt: 'sway' }),
      region(right, { strength: 9, prompt: 'flow', id: 'b' }),
    ]);
    const scalars = channel(step.modelOutput, 3, 5);
    const cell = (x: number, y: number) =>
      Math.floor((y * h) / photo.height) * w + Math.floor((x * w) / photo.width);
    expect(scalars[cell(100, 150)]).toBeCloseTo(8003, 3);
    expect(scalars[cell(345, 150)]).toBeCloseTo(8009, 3);
    // The mask channel: each region's own mask where it is, so their union overall.
    const maskChannel = channel(step.modelOutput, 0, 2);
    expect(maskChannel[cell(100, 150)]).toBeCloseTo(1, 5);
    expect(maskChannel[cell(345, 150)]).toBeCloseTo(1, 5);
    expect(maskChannel[cell(220, 20)]).toBeCloseTo(0, 5);
  });

  it("all-frames + frame-coefficients: the image latent on every frame, PIA's coefficient per frame", async () => {
    for (const loop of ['once', 'loop'] as const) {
      const step = await firstStep('probe-all-frames', [region(CAT_FACE(), { strength: 10 })], loop);
      const coefficients = frameCoefficients(F, 10, loop);
      const latent = await imageLatentOf('probe-all-frames', 128, 64);
      for (let f = 0; f < F; f++) {
        expect(channel(step.modelOutput, 0, f).every((v) => Math.abs(v - coefficients[f]!) < 1e-6)).toBe(
          true,
        );
        channel(step.modelOutput, 1, f).forEach((v, p) => expect(v).toBeCloseTo(latent[p]!, 5));
      }
      // No motion_strength or fps input in this graph.
      expect(channel(step.modelOutput, 3, 0).every((v) => v === 0)).toBe(true);
    }
  });
});

describe('the oracle UNet: the result the pipeline must reach', () => {
  const [h, w, F] = [8, 16, 8];
  const plane = h * w;

  async function finalLatents(pack: FixturePack, mask: Mask): Promise<Float32Array> {
    let last: Float32Array | null = null;
    const engine = engineFor(pack, { onStepEnd: (s) => (last = s.latents.slice()) });
    await engine.prepare(input([region(mask)]), control());
    return last!;
  }

  it('first-frame layout: frame 0 and everything outside the region end as the photo latent; inside moves with time', async () => {
    const mask = CAT_FACE();
    const latents = await finalLatents('fyc-plain', mask);
    const image = await imageLatentOf('fyc-plain', 128, 64);
    const inside = maskNearest(mask, w, h);
    const offset = (f: number) => {
      let sum = 0;
      let count = 0;
      for (let c = 0; c < 4; c++) {
        for (let p = 0; p < plane; p++) {
          const d = latents[(c * F + f) * plane + p]! - image[c * plane + p]!;
          if (inside[p] === 0 || f === 0) expect(Math.abs(d)).toBeLessThan(1e-3);
          else {
            sum += d;
            count++;
          }
        }
      }
      return count ? sum / count : 0;
    };
    const drift = Array.from({ length: F }, (_, f) => Math.abs(offset(f)));
    for (let f = 2; f < F; f++) expect(drift[f]).toBeGreaterThan(drift[f - 1]!);
  });

  it('all-frames layout (float16 UNet): outside the regions the latent is held to the photo exactly', async () => {
    const mask = CAT_FACE();
    const latents = await finalLatents('pia', mask);
    const image = await imageLatentOf('pia', 128, 64);
    // The latent's corner cells lie beyond the region's dilation (1 cell) and feather (2 cells).
    const away = [0, 15, 7 * 16, 7 * 16 + 15];
    for (let c = 0; c < 4; c++) {
      for (let f = 0; f < F; f++) {
        for (const p of away) expect(latents[(c * F + f) * plane + p]).toBe(image[c * plane + p]);
      }
    }
    const centre = 4 * 16 + 8;
    expect(Math.abs(latents[(0 * F + 5) * plane + centre]! - image[centre]!)).toBeGreaterThan(1e-3);
  });

  it('follows a pose through the ControlNet: the posed region differs from the unposed one', async () => {
    const joints = (dx: number) => POSE_JOINTS.map((_, j) => ({ x: 180 + dx + (j % 4) * 10, y: 70 + j * 8 }));
    const pose: Pose = {
      keyframes: [
        { time: 0, joints: joints(0) },
        { time: 1, joints: joints(60) },
      ],
    };
    const mask = CAT_FACE();
    const still = await finalLatents('fyc', mask);
    let posed: Float32Array | null = null;
    const engine = engineFor('fyc', { onStepEnd: (s) => (posed = s.latents.slice()) });
    await engine.prepare(input([region(mask, { pose })]), control());
    const diff = still.reduce((s, v, i) => s + Math.abs(v - posed![i]!), 0);
    expect(diff).toBeGreaterThan(0.1);
  });
});
