// A clip that repeats itself within its length (a loop of whole motion cycles: the engine's `period`,
// plan-period.ts) is rendered and encoded for one period only, and the video file plays that period as
// many times as the clip holds it, by stream copy (issue 13.1). Checked on real ffmpeg output decoded back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClipExporter } from '../../../src/engine/export/index.js';
import type { Animation } from '../../../src/engine/render/types.js';
import { cropTo, decodeFrames, probe, psnr } from './decode.js';
import { makeTestClip, type TestClip } from './test-animation.js';

let dir: string;
let clip: TestClip;
const PERIOD = 6;
const PERIODS = 3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-periodic-'));
  // chelsea.png at 257x171, one slide cycle in 6 frames at 12 fps.
  clip = await makeTestClip({ seconds: PERIOD / 12 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The slide played PERIODS times over, saying so through `period`; counts the frames it renders. */
function periodic(source: Animation, period: number | undefined): Animation & { rendered: number[] } {
  const rendered: number[] = [];
  const frameCount = source.frameCount * PERIODS;
  const renderFrame = (index: number, signal?: AbortSignal) => {
    rendered.push(index);
    return source.renderFrame(index % source.frameCount, signal);
  };
  return {
    engine: 'motion',
    width: source.width,
    height: source.height,
    fps: source.fps,
    frameCount,
    period,
    renderFrame,
    async *frames(range = {}) {
      for (let index = range.from ?? 0; index < (range.to ?? frameCount); index++)
        yield { index, image: await renderFrame(index, range.signal) };
    },
    async dispose() {},
    rendered,
  };
}

async function exportMp4(animation: Animation, name: string): Promise<string> {
  const path = join(dir, name);
  await createClipExporter().export(
    animation,
    { format: 'mp4-h264', path, overwrite: true },
    { signal: new AbortController().signal, progress: () => undefined },
  );
  return path;
}

describe('a clip that repeats itself', () => {
  it('renders one period, and the MP4 plays it over the whole length, frame for frame as the clip', async () => {
    const animation = periodic(clip.animation, PERIOD);
    const path = await exportMp4(animation, 'periodic.mp4');
    expect(animation.rendered).toEqual([0, 1, 2, 3, 4, 5]);
    const facts = await probe(path);
    expect(facts.frameCount).toBe(PERIOD * PERIODS);
    expect(facts.fps).toBeCloseTo(12, 1);

    const expected = await Promise.all(
      Array.from({ length: PERIOD }, (_, i) => clip.animation.renderFrame(i)),
    );
    let index = 0;
    for await (const frame of decodeFrames(path)) {
      // Each frame is the clip's own (lossy, so to within the encoder's error) ...
      // (H.264 wants even sides: the 257x171 clip is cropped to 256x170.)
      expect(psnr(cropTo(expected[index % PERIOD]!, frame.width, frame.height), frame)).toBeGreaterThan(32);
      index++;
    }
    expect(index).toBe(PERIOD * PERIODS);
  });

  it('gives the same picture as rendering and encoding every frame', async () => {
    const whole = periodic(clip.animation, undefined);
    const wholePath = await exportMp4(whole, 'whole.mp4');
    expect(whole.rendered).toHaveLength(PERIOD * PERIODS);
    const repeated = await exportMp4(periodic(clip.animation, PERIOD), 'repeated.mp4');
    const a: RgbaImageLike[] = [];
    for await (const frame of decodeFrames(wholePath)) a.push(frame);
    let index = 0;
    for await (const frame of decodeFrames(repeated)) {
      expect(psnr(a[index]!, frame)).toBeGreaterThan(38);
      index++;
    }
    expect(index).toBe(a.length);
  });
});

type RgbaImageLike = Parameters<typeof psnr>[0];
