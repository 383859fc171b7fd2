// Where the motion engine's work runs (issue 14, point 3): the plan (motion fields, inpainted layers) is
// built on a render worker, not on the engine's event loop, and gives the same frames as a plan built on
// the calling thread; cancelling while it is being built stops at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import type { AnimateInput, RegionSpec } from '../../../src/engine/render/types.js';
import { StirError } from '../../../src/shared/index.js';
import { loadPhoto } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';

const SIZE = { width: 150, height: 100 };
const COFFEE: SceneShape = { kind: 'ellipse', cx: 0.48, cy: 0.37, rx: 0.13, ry: 0.13 };
const SPOON: SceneShape = { kind: 'ellipse', cx: 0.62, cy: 0.55, rx: 0.1, ry: 0.25 };

let photo: RgbaImage;

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
});

function spec(prompt: string, shape: SceneShape): RegionSpec {
  return regionSpec({
    id: prompt,
    mask: rasterize(shape, photo.width, photo.height),
    prompt,
    strength: 2,
    seed: 3,
  });
}

function input(regions: RegionSpec[], size = SIZE): AnimateInput {
  return { photo, regions, timing: { seconds: 1, fps: 12, loop: 'loop' }, size };
}

async function framesOf(animation: MotionAnimation): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  try {
    for await (const { image } of animation.frames()) frames.push(image.data);
  } finally {
    await animation.dispose();
  }
  return frames;
}

const control = { signal: new AbortController().signal, progress: () => undefined };

describe('building the motion plan', () => {
  it('runs on a render worker and gives the same frames as on the calling thread', async () => {
    // Regions of different families: a fluid field (flow), a warp (sway) and a layer over an inpainted
    // background (bob).
    const regions = [spec('flow', COFFEE), spec('sway', SPOON), spec('bob', SPOON)];
    const stages: string[] = [];
    const control = { signal: new AbortController().signal, progress: (s: string) => stages.push(s) };
    const onWorker = (await createMotionEngine({ workers: 1 }).prepare(
      input(regions),
      control,
    )) as MotionAnimation;
    expect(onWorker.renderStats.plannedOn).toBe('worker');
    // The worker's progress reaches the job.
    expect(stages).toContain('Building motion fields');
    const reports = onWorker.regions.map((r) => r.family);

    const inline = (await createMotionEngine({ workers: 0 }).prepare(input(regions), {
      signal: new AbortController().signal,
      progress: () => undefined,
    })) as MotionAnimation;
    expect(inline.renderStats.plannedOn).toBe('caller');
    expect(inline.regions.map((r) => r.family)).toEqual(reports);
    expect(reports).toContain('fluid');
    expect(reports).toContain('warp');
    expect(reports).toContain('layer');

    const a = await framesOf(onWorker);
    const b = await framesOf(inline);
    expect(a.length).toBe(12);
    a.forEach((frame, i) => expect(Buffer.compare(frame, b[i]!)).toBe(0));
  });

  it('plans several regions on several workers at once, into the plan one worker builds', async () => {
    // Warm workers, both ready when the render asks: each takes a region as soon as it is free.
    const engine = createMotionEngine({ workers: 2 });
    const large = { width: photo.width, height: photo.height };
    await framesOf((await engine.prepare(input([spec('flow', COFFEE)], SIZE), control)) as MotionAnimation);
    const regions = [spec('flow', COFFEE), spec('sway', SPOON), spec('bob', SPOON)];
    const parallel = (await engine.prepare(input(regions, large), control)) as MotionAnimation;
    expect(parallel.renderStats.planners).toBe(2);
    const single = (await createMotionEngine({ workers: 1 }).prepare(
      input(regions, large),
      control,
    )) as MotionAnimation;
    expect(single.renderStats.planners).toBe(1);
    const report = (animation: MotionAnimation) =>
      animation.regions.map(({ motionArea, ...rest }) => ({ ...rest, area: motionArea.data.length }));
    expect(report(parallel)).toEqual(report(single));
    const a = await framesOf(parallel);
    const b = await framesOf(single);
    a.forEach((frame, i) => expect(Buffer.compare(frame, b[i]!)).toBe(0));
    await engine.dispose();
  });

  it('renders later frames into the frame buffers given back, the same frames', async () => {
    // The exporter gives each frame back once ffmpeg has it (recycle): its memory goes to a worker,
    // which renders a later frame into it (issue 13.1: no new 10 MB buffer a storm frame).
    const regions = [spec('flow', COFFEE), spec('sway', SPOON), spec('bob', SPOON)];
    const large = { width: photo.width, height: photo.height };
    const recycled = (await createMotionEngine({ workers: 1 }).prepare(
      input(regions, large),
      control,
    )) as MotionAnimation;
    const copies: Uint8Array[] = [];
    try {
      for await (const { image } of recycled.frames()) {
        copies.push(image.data.slice());
        recycled.recycle(image);
        // Handed over (transferred to the worker): nothing here can read or write it any more.
        expect(image.data.byteLength).toBe(0);
      }
      // Frames asked for one by one, after the stream, come from given-back memory too.
      const again = await recycled.renderFrame(5);
      expect(Buffer.compare(again.data, copies[5]!)).toBe(0);
    } finally {
      await recycled.dispose();
    }
    expect(recycled.renderStats.workerFrames).toBeGreaterThan(0);
    const fresh = await framesOf(
      (await createMotionEngine({ workers: 0 }).prepare(input(regions, large), control)) as MotionAnimation,
    );
    expect(copies.length).toBe(fresh.length);
    copies.forEach((frame, i) => expect(Buffer.compare(frame, fresh[i]!), `frame ${i}`).toBe(0));
  });

  it.each([1, 2])(
    'stops at once when cancelled while the plan is being built (%i workers)',
    async (workers) => {
      const controller = new AbortController();
      const engine = createMotionEngine({ workers });
      const large = { width: photo.width, height: photo.height };
      const prepared = engine.prepare(input([spec('flow', COFFEE), spec('rise', SPOON)], large), {
        signal: controller.signal,
        // The first word from the worker: it is building the plan now.
        progress: (stage) => {
          if (stage === 'Building motion fields') controller.abort();
        },
      });
      const error = await prepared.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StirError);
      expect((error as StirError).code).toBe('CANCELLED');
    },
  );
});
