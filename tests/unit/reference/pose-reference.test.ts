// The pose ControlNet path against diffusers (issue 11, point 2): a tiny random ControlNetModel (made by
// ControlNetModel.from_unet from the fixture's 2D UNet), run per frame with its residuals added in
// UNetMotionModel as diffusers' AnimateDiffControlNetPipeline does, on Stir's own skeleton drawings of
// tests/fixtures/reference/pose.json (scripts/reference/reference_fixtures.py). Stir's whole pipeline with a
// posed region must end on the reference latents within 1e-3 and decode its frames within 2/255.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARTS } from '../../../src/engine/diffusion/default-parts.js';
import { pipelineComponents } from '../../../src/engine/diffusion/index.js';
import { FollowYourClickPipeline, type PipelineResult } from '../../../src/engine/diffusion/pipeline.js';
import { poseConditioning } from '../../../src/engine/diffusion/pose.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import type { JobControl } from '../../../src/engine/render/types.js';
import { PoseSchema, type LoopMode, type Pose } from '../../../src/shared/index.js';
import {
  REFERENCE_DIR,
  maxAbsDiff,
  readPoseFixture,
  referenceFloats,
  referenceFloatsGz,
  referenceJson,
  unpackReferencePack,
} from '../../helpers/reference-packs.js';

interface PoseRun {
  pack: string;
  drawings: string;
  latents: string;
  frames: string;
  timesteps: number[];
  latentChangeFromPose: number;
}
interface VideoFixture {
  photo: string;
  noise: string;
  frames: number;
  steps: number;
  guidance: number;
  prompt: string;
  negativePrompt: string;
  strength: number;
  loop: LoopMode;
  poseRun: PoseRun;
}

const fixture = referenceJson<VideoFixture>('video.json');
const run = fixture.poseRun;
const poseInput = readPoseFixture();
const pose: Pose = PoseSchema.parse(poseInput.pose);
const control: JobControl = { signal: new AbortController().signal, progress: () => undefined };
let work: string;
let photo: RgbaImage;
let result: PipelineResult;
const timesteps: number[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'stir-reference-pose-'));
  const { data, info } = await sharp(join(REFERENCE_DIR, 'data', fixture.photo))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  photo = { width: info.width, height: info.height, data: new Uint8Array(data) };
  const pack = await loadPack(unpackReferencePack(run.pack, work), { verifyHashes: true });
  const components = pipelineComponents(pack, 'cpu', DEFAULT_PARTS);
  result = await new FollowYourClickPipeline(components).run(
    {
      photo,
      regions: [
        {
          mask: {
            width: photo.width,
            height: photo.height,
            data: new Uint8Array(photo.width * photo.height).fill(255),
          },
          prompt: fixture.prompt,
          strength: fixture.strength,
          pose,
        },
      ],
      seed: 0,
      steps: fixture.steps,
      guidance: fixture.guidance,
      negativePrompt: fixture.negativePrompt,
      eta: 0,
      loop: fixture.loop,
      frameTimes: poseInput.frameTimes,
      workingLongSide: photo.width,
      fps: 8,
      initialLatents: referenceFloats(fixture.noise),
      onStepEnd: (step) => timesteps.push(step.timestep),
    },
    control,
  );
  await Promise.all(
    [components.unet, components.vaeEncoder, components.vaeDecoder, components.controlnet!].map((s) =>
      s.release(),
    ),
  );
  await components.prompts.session.release();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the pose ControlNet against diffusers', () => {
  it("feeds the reference exactly Stir's drawings of the skeleton", () => {
    const drawn = poseConditioning([pose], poseInput.frameTimes, poseInput.photo, poseInput.photo)!;
    const stored = referenceFloatsGz(run.drawings);
    expect(drawn.length).toBe(stored.length);
    expect(maxAbsDiff(drawn, stored).max).toBe(0);
  });

  it('takes the timesteps diffusers takes', () => {
    expect(timesteps).toEqual(run.timesteps);
  });

  it('ends on the reference latents within 1e-3, and decodes the reference frames within 2/255', () => {
    const latents = maxAbsDiff(result.latents, referenceFloats(run.latents));
    const reference = new Uint8Array(readFileSync(join(REFERENCE_DIR, 'data', run.frames)));
    let frames = 0;
    result.frames.forEach((frame, f) => {
      const plane = frame.width * frame.height;
      for (let i = 0; i < plane; i++) {
        for (let c = 0; c < 3; c++) {
          frames = Math.max(frames, Math.abs(frame.data[i * 4 + c]! - reference[(f * plane + i) * 3 + c]!));
        }
      }
    });
    console.info(
      `[reference] ${run.pack} with a pose: final latents max |diff| ${latents.max.toExponential(2)}, decoded frames max |diff| ${frames}/255 (the pose moves the reference latents by up to ${run.latentChangeFromPose})`,
    );
    // The pose must matter, or this comparison would not test the ControlNet at all.
    expect(run.latentChangeFromPose).toBeGreaterThan(0.1);
    expect(latents.max).toBeLessThanOrEqual(1e-3);
    expect(frames).toBeLessThanOrEqual(2);
  });
});
