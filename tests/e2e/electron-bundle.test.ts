// The Electron build cannot start here (no Electron binary), but its engine pieces run under Node: the
// bundled motion worker (out/main/motion-worker.js, built by `electron-vite build` before this suite) must
// render exactly what the source worker renders.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMotionEngine, type MotionAnimation } from '../../src/engine/motion/index.js';
import type { AnimateInput, JobControl } from '../../src/engine/render/types.js';
import { loadPhoto } from '../helpers/photos.js';

const BUNDLED_WORKER = fileURLToPath(new URL('../../out/main/motion-worker.js', import.meta.url));

/** Renders 24 frames on the worker threads, once they have started. */
async function framesWith(workerUrl: URL | undefined, input: AnimateInput): Promise<Uint8Array[]> {
  const control: JobControl = { signal: new AbortController().signal, progress: () => undefined };
  const animation = (await createMotionEngine({ workers: 2, workerUrl }).prepare(
    input,
    control,
  )) as MotionAnimation;
  try {
    await animation.whenWorkersSettled();
    const frames: Uint8Array[] = [];
    for await (const { image } of animation.frames({ from: 0, to: 24 })) frames.push(image.data);
    const stats = animation.renderStats;
    expect(stats.workersAlive, 'both workers started and stayed up').toBe(2);
    expect(stats.workerFrames, 'the workers rendered frames').toBeGreaterThan(0);
    return frames;
  } finally {
    await animation.dispose();
  }
}

describe('the Electron build', () => {
  it('bundles a motion worker that renders the same frames as the source', async () => {
    expect(existsSync(BUNDLED_WORKER), 'run `electron-vite build` (npm test does) before this suite').toBe(
      true,
    );
    const { image: photo } = await loadPhoto('chelsea.png');
    const data = new Uint8Array(photo.width * photo.height);
    for (let y = 80; y < 220; y++) data.fill(255, y * photo.width + 120, y * photo.width + 330);
    const input: AnimateInput = {
      photo,
      regions: [
        {
          id: 'r',
          mask: { width: photo.width, height: photo.height, data },
          prompt: 'sway',
          strength: 3,
          direction: null,
          seed: 1,
          start: 0,
          end: null,
          pose: null,
        },
      ],
      timing: { seconds: 2, fps: 12, loop: 'loop' },
      size: { width: photo.width, height: photo.height },
    };
    const bundled = await framesWith(pathToFileURL(BUNDLED_WORKER), input);
    const source = await framesWith(undefined, input);
    expect(bundled).toHaveLength(24);
    for (let i = 0; i < 24; i++)
      expect(
        Buffer.compare(bundled[i] ?? new Uint8Array(), source[i] ?? new Uint8Array()),
        `frame ${i}`,
      ).toBe(0);
    // And the clip moves: frame 5 differs from frame 0.
    expect(Buffer.compare(bundled[5] ?? new Uint8Array(), bundled[0] ?? new Uint8Array())).not.toBe(0);
  });
});
