// Regions of real size (issue 13, point 1): people animate skies, water and fields, not only a coffee
// surface. The storm photo (1920x1280) with a drifting sky and a flowing field covering about 90% of the
// frame, 3 s at 24 fps: the plan, one frame on one thread, and the whole clip to a finished MP4 on every
// core (what `stir animate` makes a person wait for). Run through bench/index.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClipExporter } from '../src/engine/export/index.js';
import { createMotionEngine } from '../src/engine/motion/index.js';
import { spawnWorker, type SourceStart } from '../src/engine/workers/spawn.js';
import type { JobControl } from '../src/engine/render/types.js';
import { childCpuMs, cpuNote, timeMedianCpu, type BenchRow, type BenchSuite } from './harness.js';
import { stormScene } from './storm-scene.js';

/** ", ffmpeg CPU 8.1 s": what the encoder used since `before` (where /proc says). */
function ffmpegNote(before: number | null): string {
  const after = childCpuMs();
  return before === null || after === null ? '' : `, ffmpeg ${cpuNote(after - before)}`;
}

/** Starts one render worker the given way and waits for its first word (its modules have loaded). */
async function startWorker(start: SourceStart): Promise<void> {
  const worker = spawnWorker(new URL('../src/engine/motion/worker.ts', import.meta.url), {}, start);
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
}

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });
const TIMING = { seconds: 3, fps: 24, loop: 'loop' } as const;

export const benchLargeRegions: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const { photo, regions, coverage } = await stormScene();
  const size = { width: photo.width, height: photo.height };
  const label = `${photo.width}x${photo.height} storm, drift sky + flow field (${Math.round(coverage * 100)}% of the frame)`;

  // One thread: the plan, then frames in the middle of the clip (moving, not at rest).
  const single = createMotionEngine({ workers: 0 });
  let animation = await single.prepare({ photo, regions, timing: TIMING, size }, control());
  await animation.dispose();
  const plan = await timeMedianCpu(
    async () => {
      animation = await single.prepare({ photo, regions, timing: TIMING, size }, control());
    },
    1,
    0,
  );
  let index = 5;
  const frame = await timeMedianCpu(() => animation.renderFrame((index++ % 60) + 5), 7, 2);
  // Every frame of the clip, as the export renders them: frames differ in cost (where the traces reach
  // beyond the photo, where a region rests), so 72 x one frame is not what the clip costs.
  const clipFrames = await timeMedianCpu(
    async () => {
      for (let i = 0; i < animation.frameCount; i++) await animation.renderFrame(i);
    },
    1,
    0,
  );
  await animation.dispose();
  rows.push(
    {
      group: 'large',
      name: `plan, ${label}, one thread`,
      value: plan.ms,
      unit: 'ms',
      note: cpuNote(plan.cpuMs),
    },
    {
      group: 'large',
      name: `render per frame, ${label}, one thread`,
      value: frame.ms,
      unit: 'ms',
      note: cpuNote(frame.cpuMs),
    },
    {
      group: 'large',
      name: `render every frame of the clip (${animation.frameCount}), ${label}, one thread, mean per frame`,
      value: clipFrames.ms / animation.frameCount,
      unit: 'ms',
      note: cpuNote(clipFrames.cpuMs / animation.frameCount),
    },
  );

  // One render worker from source, as the CLI, the browser mode and the tests start it: from its cached
  // bundle (checked against the sources first), and through tsx, which transpiles each module.
  for (const start of ['bundle', 'tsx'] as const) {
    const one = await timeMedianCpu(() => startWorker(start), 3);
    rows.push({
      group: 'large',
      name: `start one render worker from source, ${start === 'bundle' ? 'its cached bundle' : 'through tsx'}`,
      value: one.ms,
      unit: 'ms',
      note: cpuNote(one.cpuMs),
    });
  }

  // What a fresh engine pays before its first frame on a worker: starting the render workers (from
  // their cached bundle, as the CLI runs; the Electron build loads its own bundled file).
  const starting = createMotionEngine();
  const started = await timeMedianCpu(
    async () => {
      const warmup = await starting.prepare({ photo, regions: [], timing: TIMING, size }, control());
      await warmup.whenWorkersSettled();
      await warmup.dispose();
    },
    1,
    0,
  );
  // The plan on warm render workers, as an export or preview after the first: each region on a worker of
  // its own (the sky and the field at once on two cores).
  const onWorkers = await timeMedianCpu(
    async () => {
      const planned = await starting.prepare({ photo, regions, timing: TIMING, size }, control());
      await planned.dispose();
    },
    1,
    0,
  );
  await starting.dispose();
  rows.push({
    group: 'large',
    name: `start ${availableParallelism()} render workers and plan nothing (what an export's first prepare adds)`,
    value: started.ms,
    unit: 'ms',
    note: cpuNote(started.cpuMs),
  });
  rows.push({
    group: 'large',
    name: `plan, ${label}, on ${availableParallelism()} warm render workers (a region each)`,
    value: onWorkers.ms,
    unit: 'ms',
    note: cpuNote(onWorkers.cpuMs),
  });

  // The whole clip to an MP4: plan, every frame on the worker threads, and ffmpeg encoding beside them.
  // At strength 1.5 the sky and the field each run two whole cross-fade cycles in 3 s, so the clip repeats
  // after half its frames and the export renders and encodes that half once (plan-period.ts); at strength
  // 1 they run one cycle, and every frame is rendered and encoded.
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-large-'));
  try {
    const engine = createMotionEngine();
    const exporter = createClipExporter();
    for (const strength of [1.5, 1]) {
      const scene = regions.map((region) => ({ ...region, strength }));
      const childBefore = childCpuMs();
      let period = 0;
      let frames = 0;
      const toMp4 = await timeMedianCpu(
        async () => {
          const clip = await engine.prepare({ photo, regions: scene, timing: TIMING, size }, control());
          frames = clip.frameCount;
          period = clip.period ?? frames;
          try {
            await exporter.export(
              clip,
              { format: 'mp4-h264', path: join(dir, 'storm.mp4'), overwrite: true },
              control(),
            );
          } finally {
            await clip.dispose();
          }
        },
        1,
        0,
      );
      const repeats = period < frames ? `repeats every ${period} frames` : 'no repeat';
      rows.push({
        group: 'large',
        name: `MP4 (H.264), ${label}, strength ${strength} (${repeats}), 3 s at 24 fps, plan + render + encode (${availableParallelism()} workers)`,
        value: toMp4.ms / 1000,
        unit: 's',
        target: '< 6 s',
        note: `${cpuNote(toMp4.cpuMs)} in node${ffmpegNote(childBefore)}`,
      });
    }
    await engine.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
};
