// Stir's diffusion pipeline (its VAE encoding, 9-channel conditioning of both layouts, guidance, DDIM
// scheduler, frame decoding) against diffusers' parts running the same steps (UNetMotionModel built as PIA
// builds it, AutoencoderKL, DDIMScheduler with eta 0, the same initial noise) on tiny random models
// (scripts/reference/reference_fixtures.py): final latents within 1e-3, decoded frames within 2/255
// (issue 11, point 2). It also measures what frame-0 anchoring does to those frames.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchoredFrames } from '../../../src/engine/diffusion/animation.js';
import { frameCoefficients } from '../../../src/engine/diffusion/conditioning.js';
import { DEFAULT_PARTS } from '../../../src/engine/diffusion/default-parts.js';
import { pipelineComponents } from '../../../src/engine/diffusion/index.js';
import { FollowYourClickPipeline, type PipelineResult } from '../../../src/engine/diffusion/pipeline.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import type { JobControl } from '../../../src/engine/render/types.js';
import type { LoopMode, Mask } from '../../../src/shared/index.js';
import {
  REFERENCE_DIR,
  maxAbsDiff,
  referenceFloats,
  referenceJson,
  unpackReferencePack,
} from '../../helpers/reference-packs.js';
import { readFileSync } from 'node:fs';

interface VideoRun {
  pack: string;
  layout: 'pia' | 'first-frame';
  latents: string;
  frames: string;
  timesteps: number[];
}
interface VideoFixture {
  photo: string;
  region: string;
  noise: string;
  frames: number;
  steps: number;
  guidance: number;
  prompt: string;
  negativePrompt: string;
  strength: number;
  loop: LoopMode;
  piaCoefficients: number[];
  runs: VideoRun[];
}

const fixture = referenceJson<VideoFixture>('video.json');
let work: string;
let photo: RgbaImage;
let region: Mask;

async function readRgba(name: string): Promise<RgbaImage> {
  const { data, info } = await sharp(join(REFERENCE_DIR, 'data', name))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'stir-reference-video-'));
  photo = await readRgba(fixture.photo);
  const mask = await readRgba(fixture.region);
  region = {
    width: mask.width,
    height: mask.height,
    data: Uint8Array.from({ length: mask.width * mask.height }, (_, i) => mask.data[i * 4]!),
  };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const control: JobControl = { signal: new AbortController().signal, progress: () => undefined };

/** The reference's frames [F, H, W, 3] against Stir's RGBA frames. */
function frameDiff(frames: RgbaImage[], reference: Uint8Array): number {
  let max = 0;
  frames.forEach((frame, f) => {
    const plane = frame.width * frame.height;
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        max = Math.max(max, Math.abs(frame.data[i * 4 + c]! - reference[(f * plane + i) * 3 + c]!));
      }
    }
  });
  return max;
}

/** Mean |a - b| over red, green and blue, in 0-255 units. */
function meanDiff(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) if (i % 4 !== 3) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / ((a.data.length / 4) * 3);
}

describe.each(fixture.runs)('$layout layout against diffusers', (run) => {
  let result: PipelineResult;
  const timesteps: number[] = [];
  beforeAll(async () => {
    const pack = await loadPack(unpackReferencePack(run.pack, work), { verifyHashes: true });
    const components = pipelineComponents(pack, 'cpu', DEFAULT_PARTS);
    const wholePhoto: Mask = { ...region, data: new Uint8Array(region.data.length).fill(255) };
    result = await new FollowYourClickPipeline(components).run(
      {
        photo,
        // PIA has no region input: the whole photo moves (nothing is held still), as in PIAPipeline.
        regions: [
          {
            mask: run.layout === 'pia' ? wholePhoto : region,
            prompt: fixture.prompt,
            strength: fixture.strength,
            pose: null,
          },
        ],
        seed: 0,
        steps: fixture.steps,
        guidance: fixture.guidance,
        negativePrompt: fixture.negativePrompt,
        eta: 0,
        loop: fixture.loop,
        frameTimes: Array.from({ length: fixture.frames }, (_, f) => f / 8),
        workingLongSide: photo.width,
        fps: 8,
        initialLatents: referenceFloats(fixture.noise),
        onStepEnd: (step) => timesteps.push(step.timestep),
      },
      control,
    );
    // The packs carry a pose ControlNet: with no pose the UNet gets zero residuals (its session too is released).
    await Promise.all(
      [components.unet, components.vaeEncoder, components.vaeDecoder, components.controlnet].map((s) =>
        s?.release(),
      ),
    );
    await components.prompts.session.release();
  });

  it('takes the timesteps diffusers takes', () => {
    expect(timesteps).toEqual(run.timesteps);
  });

  it('ends on the reference latents within 1e-3, and decodes the reference frames within 2/255', () => {
    const latents = maxAbsDiff(result.latents, referenceFloats(run.latents));
    const frames = frameDiff(
      result.frames,
      new Uint8Array(readFileSync(join(REFERENCE_DIR, 'data', run.frames))),
    );
    console.info(
      `[reference] ${run.pack}: final latents max |diff| ${latents.max.toExponential(2)}, decoded frames max |diff| ${frames}/255`,
    );
    expect(latents.max).toBeLessThanOrEqual(1e-3);
    expect(frames).toBeLessThanOrEqual(2);
  });

  it("measures frame-0 anchoring on the model's frames", async () => {
    const anchored = await anchoredFrames(photo, result.frames);
    const change = (frames: RgbaImage[]) =>
      frames.slice(1).reduce((sum, frame) => sum + meanDiff(frame, photo), 0) / (frames.length - 1);
    const moved = (frames: RgbaImage[]) =>
      frames.slice(1).reduce((sum, frame, k) => sum + meanDiff(frame, frames[k]!), 0) / (frames.length - 1);
    const altered =
      anchored.slice(1).reduce((sum, frame, k) => sum + meanDiff(frame, result.frames[k + 1]!), 0) /
      (anchored.length - 1);
    console.info(
      `[anchoring] ${run.pack}: frames 1..F differ from the photo by ${change(result.frames).toFixed(1)} (off) and ${change(anchored).toFixed(1)} (on); ` +
        `frame-to-frame change ${moved(result.frames).toFixed(2)} (off) and ${moved(anchored).toFixed(2)} (on); anchoring alters the model's frames by ${altered.toFixed(1)} on average (0-255)`,
    );
    expect(meanDiff(anchored[0]!, photo)).toBe(0);
    expect(altered).toBeGreaterThan(0);
  });
});

describe("PIA's motion preset", () => {
  it("is the one diffusers' prepare_mask_coef_by_statistics gives", () => {
    expect(frameCoefficients(fixture.frames, fixture.strength, fixture.loop)).toEqual(
      fixture.piaCoefficients,
    );
  });
});
