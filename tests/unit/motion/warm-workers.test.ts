// Warm render workers (issue 13, point 1): an animation's workers outlive it and serve the next render,
// which then starts without loading a worker; the next plan is rendered exactly as by a fresh engine; and
// no thread is left behind once the engine is disposed or the workers have waited keepWarmMs.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import type { AnimateInput, JobControl } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';

const COFFEE: SceneShape = { kind: 'ellipse', cx: 0.48, cy: 0.37, rx: 0.13, ry: 0.13 };
const SPOON: SceneShape = { kind: 'ellipse', cx: 0.62, cy: 0.55, rx: 0.1, ry: 0.25 };
const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

let photo: RgbaImage;

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
});

function input(prompt: string, shape: SceneShape): AnimateInput {
  const region = regionSpec({
    id: prompt,
    mask: rasterize(shape, photo.width, photo.height),
    prompt,
    strength: 2,
    seed: 3,
  });
  return {
    photo,
    regions: [region],
    timing: { seconds: 1, fps: 12, loop: 'loop' },
    size: { width: 150, height: 100 },
  };
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

/** This process's threads (Linux): worker threads are threads of the process. */
function threads(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
}

/** The threads of everything but the engine's workers (sharp, libuv), once they have all started. */
async function baselineThreads(): Promise<number> {
  await framesOf(await createMotionEngine({ workers: 0 }).prepare(input('flow', COFFEE), control()));
  return threads();
}

describe('warm render workers', () => {
  it('serve the next render at once, and it renders exactly as a fresh engine does', async () => {
    const engine = createMotionEngine({ workers: 2 });
    try {
      const first = await engine.prepare(input('flow', COFFEE), control());
      await first.whenWorkersSettled();
      await framesOf(first);
      expect(engine.workerStats).toEqual({ spawned: 2, idle: 2 });

      // Another plan of another family: the warm workers dropped the first one and take this one.
      const second = await engine.prepare(input('sway', SPOON), control());
      expect(second.renderStats.plannedOn).toBe('worker');
      expect(engine.workerStats.idle).toBe(0);
      const warmFrames = await framesOf(second);
      expect(second.renderStats.workerFrames).toBeGreaterThan(0);
      expect(engine.workerStats).toEqual({ spawned: 2, idle: 2 });

      // A preview that stops after the first frame drops the frames rendered ahead: the workers stop
      // them and come back warm too.
      const third = await engine.prepare(input('flow', SPOON), control());
      for await (const _frame of third.frames()) break;
      await third.dispose();
      await expect.poll(() => engine.workerStats, { timeout: 10_000 }).toEqual({ spawned: 2, idle: 2 });

      const fresh = await createMotionEngine({ workers: 0 }).prepare(input('sway', SPOON), control());
      const freshFrames = await framesOf(fresh);
      expect(warmFrames.length).toBe(12);
      warmFrames.forEach((frame, i) => expect(Buffer.compare(frame, freshFrames[i]!), `frame ${i}`).toBe(0));
    } finally {
      await engine.dispose();
    }
  });

  it.runIf(process.platform === 'linux')('leave no thread behind once the engine is disposed', async () => {
    const before = await baselineThreads();
    const engine = createMotionEngine({ workers: 2 });
    const animation = await engine.prepare(input('flow', COFFEE), control());
    await animation.whenWorkersSettled();
    await framesOf(animation);
    expect(engine.workerStats.idle).toBe(2);
    expect(threads()).toBeGreaterThan(before);
    await engine.dispose();
    expect(engine.workerStats.idle).toBe(0);
    await expect.poll(threads, { timeout: 10_000 }).toBeLessThanOrEqual(before);
  });

  it.runIf(process.platform === 'linux')('stop by themselves after keepWarmMs without a render', async () => {
    const before = await baselineThreads();
    const engine = createMotionEngine({ workers: 2, keepWarmMs: 300 });
    const animation = await engine.prepare(input('flow', COFFEE), control());
    await animation.whenWorkersSettled();
    await framesOf(animation);
    expect(engine.workerStats.idle).toBe(2);
    await expect.poll(() => engine.workerStats.idle, { timeout: 10_000 }).toBe(0);
    await expect.poll(threads, { timeout: 10_000 }).toBeLessThanOrEqual(before);
  });

  it('stops a worker still building a plan instead of keeping it', async () => {
    const engine = createMotionEngine({ workers: 1 });
    try {
      const controller = new AbortController();
      const large = { ...input('flow', COFFEE), size: { width: photo.width, height: photo.height } };
      const prepared = engine.prepare(large, {
        signal: controller.signal,
        progress: (stage) => {
          if (stage === 'Building motion fields') controller.abort();
        },
      });
      await expect(prepared).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(engine.workerStats.idle).toBe(0);
      // The next render starts a worker of its own and is unaffected.
      const next = await engine.prepare(input('flow', COFFEE), control());
      expect((await framesOf(next)).length).toBe(12);
      expect(engine.workerStats).toEqual({ spawned: 2, idle: 1 });
    } finally {
      await engine.dispose();
    }
  });
});
