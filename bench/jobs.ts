// The jobs queue and the engine's responsiveness (issue 14, point 3): peak memory and threads with 1, 4
// and 8 renders asked for at once (through the queue, and all at once as before it), the longest stall
// of the engine's event loop during a 1920x1280 render with a sky-sized region (the plan built on a
// worker, and on the event loop as before), and the WebSocket round trip of a cheap call during 4
// renders. Run through bench/index.ts.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import WebSocket from 'ws';
import { createEngine, type EngineHandle } from '../src/engine/create-engine.js';
import { DEFAULT_JOB_SLOTS } from '../src/engine/jobs/job-manager.js';
import { buildPlan, planInput } from '../src/engine/motion/prepare.js';
import { decodePhoto } from '../src/engine/image/decode.js';
import type { RegionSpec } from '../src/engine/render/types.js';
import { regionSpecs } from '../src/engine/render/regions.js';
import { decodeFrame, encodeFrame } from '../src/shared/index.js';
import { parseParams } from '../src/shared/rpc/validate.js';
import { startWebServer } from '../src/web/server.js';
import type { BenchRow, BenchSuite } from './harness.js';

const ROCKET = new URL('../examples/photos/rocket.jpg', import.meta.url).pathname;
const LARGE = { width: 1920, height: 1280 };
/** The long side of the preview renders measured for memory and threads. */
const PREVIEW_LONG_SIDE = 512;

/** Threads of this process (Linux); null elsewhere. */
async function threadCount(): Promise<number | null> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => null);
  const match = status?.match(/^Threads:\s+(\d+)/m);
  return match ? Number(match[1]) : null;
}

/** Samples RSS and threads every 20 ms until stopped; gives the peaks. */
function sampler(): { stop(): Promise<{ rssMb: number; threads: number | null }> } {
  let rss = process.memoryUsage.rss();
  let threads: number | null = null;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage.rss());
    sampling = sampling.then(async () => {
      const now = await threadCount();
      if (now !== null) threads = Math.max(threads ?? 0, now);
    });
  }, 20);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      return { rssMb: rss / 1024 / 1024, threads };
    },
  };
}

/** The rocket photo at 1920x1280, written where openPhoto can read it. */
async function largePhoto(dir: string): Promise<string> {
  const path = join(dir, 'rocket-1920.png');
  await writeFile(
    path,
    await sharp(ROCKET).resize(LARGE.width, LARGE.height, { fit: 'fill' }).png().toBuffer(),
  );
  return path;
}

/** Opens the photo with one region over its top 45% (the sky) drifting. */
async function openWithSky(engine: EngineHandle, path: string, seconds: number): Promise<string> {
  const { service } = engine;
  const doc = await service.openPhoto(parseParams('openPhoto', { source: { kind: 'path', path } }));
  const mask = new Uint8Array(doc.width * doc.height);
  mask.fill(255, 0, doc.width * Math.round(doc.height * 0.45));
  await service.createRegion(
    parseParams('createRegion', {
      docId: doc.docId,
      region: { mask: { width: doc.width, height: doc.height, data: mask }, motion: { prompt: 'drift' } },
    }),
  );
  await service.updateSettings(
    parseParams('updateSettings', { docId: doc.docId, patch: { seconds, fps: 24 } }),
  );
  return doc.docId;
}

/** Starts a render of each document at once and waits for all of them. */
async function renderAll(engine: EngineHandle, docIds: string[], longSide: number): Promise<void> {
  const started = await Promise.all(
    docIds.map((docId) =>
      engine.service.startRender(parseParams('startRender', { docId, previewLongSide: longSide })),
    ),
  );
  await Promise.all(started.map(({ jobId }) => engine.jobs.settled(jobId)));
}

async function peaks(
  dir: string,
  photo: string,
  renders: number,
  slots: number,
): Promise<{ rssMb: number; threads: number | null; startMb: number; seconds: number }> {
  const engine = createEngine({ dataDir: join(dir, 'data'), exportDir: dir, jobSlots: slots });
  try {
    const docs: string[] = [];
    for (let i = 0; i < renders; i++) docs.push(await openWithSky(engine, photo, 1));
    const startMb = process.memoryUsage.rss() / 1024 / 1024;
    const sampling = sampler();
    const started = performance.now();
    await renderAll(engine, docs, PREVIEW_LONG_SIDE);
    const seconds = (performance.now() - started) / 1000;
    return { ...(await sampling.stop()), startMb, seconds };
  } finally {
    await engine.dispose();
  }
}

/** CPU time of this process's main thread so far, in ms (Linux, 10 ms ticks); null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return null;
  }
}

interface Stall {
  /** The longest event-loop delay (monitorEventLoopDelay), in ms: blocking and waiting for a core alike. */
  longestMs: number;
  /**
   * The most main-thread CPU time spent inside one gap between two 5 ms ticks, in ms: the event loop
   * blocked by our own code, whatever the machine's load (a busy machine stretches gaps, not this).
   */
  blockedMs: number | null;
}

/** How long the event loop stalls while `work` runs. */
async function stallDuring(work: () => Promise<unknown>): Promise<Stall> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let blocked: number | null = null;
  let lastCpu = mainThreadCpuMs();
  const ticks = setInterval(() => {
    const cpu = mainThreadCpuMs();
    if (cpu !== null && lastCpu !== null) blocked = Math.max(blocked ?? 0, cpu - lastCpu);
    lastCpu = cpu;
  }, 5);
  histogram.enable();
  try {
    // The histogram's timer must be running before the work starts, or a block at once goes unseen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await work();
    // A stall at the very end is recorded once the loop turns again.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    histogram.disable();
    clearInterval(ticks);
  }
  return { longestMs: histogram.max / 1e6, blockedMs: blocked };
}

/** Round trips of `listExportPresets` over the browser mode's WebSocket while `busy` runs. */
async function roundTrips(engine: EngineHandle, dir: string, busy: () => Promise<void>): Promise<number[]> {
  const server = await startWebServer({
    staticDir: dir,
    dispatch: engine.dispatch,
    bus: engine.bus,
    folders: { exports: join(dir, 'exports'), projects: join(dir, 'projects') },
  });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/ws`);
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const waiting = new Map<number, () => void>();
    socket.on('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as { t: string; id?: number };
      if (message.t === 'reply' && message.id !== undefined) waiting.get(message.id)?.();
    });
    let id = 0;
    const call = () =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        const callId = ++id;
        waiting.set(callId, () => {
          waiting.delete(callId);
          resolve(performance.now() - started);
        });
        socket.send(encodeFrame({ t: 'call', id: callId, method: 'listExportPresets', params: {} }));
      });
    const times: number[] = [];
    let done = false;
    const work = busy().finally(() => (done = true));
    while (!done) {
      times.push(await call());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await work;
    return times;
  } finally {
    socket.close();
    await server.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const benchJobs: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-jobs-'));
  try {
    const photo = await largePhoto(dir);

    // 1. Memory and threads: preview renders asked for at once, through the queue and all at once.
    for (const renders of [1, 4, 8]) {
      for (const [how, slots] of [
        ['queued', DEFAULT_JOB_SLOTS],
        ['all at once', renders],
      ] as const) {
        // All at once (as before the queue) only at the extreme: it takes long on a small machine.
        if (how === 'all at once' && renders !== 8) continue;
        const peak = await peaks(dir, photo, renders, slots);
        const note = `${how === 'queued' ? `${DEFAULT_JOB_SLOTS} slots` : 'no queue (before)'}; ${peak.startMb.toFixed(0)} MB before, ${peak.seconds.toFixed(1)} s`;
        rows.push({
          group: 'jobs',
          name: `peak memory, ${renders} render(s) ${how}`,
          value: peak.rssMb,
          unit: 'MB',
          note,
        });
        if (peak.threads !== null) {
          rows.push({
            group: 'jobs',
            name: `peak threads, ${renders} render(s) ${how}`,
            value: peak.threads,
            unit: 'x',
            note,
          });
        }
      }
    }

    // 2. The longest event-loop stall during a full-size 1920x1280 render of a sky-sized region.
    const engine = createEngine({ dataDir: join(dir, 'data'), exportDir: dir });
    try {
      const sky = await openWithSky(engine, photo, 1);
      const load = `load ${loadavg()[0]?.toFixed(1)}`;
      const now = await stallDuring(() => renderAll(engine, [sky], LARGE.width));
      // As before: the same plan built on the event loop.
      const decoded = await decodePhoto({ kind: 'path', path: photo });
      const regions: RegionSpec[] = regionSpecs(await engine.service.listRegions({ docId: sky }));
      const control = { signal: new AbortController().signal, progress: () => undefined };
      const input = await planInput(
        { photo: decoded.image, regions, timing: { seconds: 1, fps: 24, loop: 'loop' }, size: LARGE },
        control,
      );
      const before = await stallDuring(() => buildPlan(input, control));
      rows.push(
        {
          group: 'jobs',
          name: 'longest event-loop stall, 1920x1280 render, sky-sized region',
          value: now.longestMs,
          unit: 'ms',
          target: '< 50 ms',
          note: `plan built on a render worker; waits for a core count too (${load})`,
        },
        {
          group: 'jobs',
          name: 'longest main-thread block in that render (CPU time in one gap)',
          value: now.blockedMs ?? Number.NaN,
          unit: 'ms',
          target: '< 50 ms',
          note: 'Linux, 10 ms ticks',
        },
        {
          group: 'jobs',
          name: 'longest main-thread block, the same plan built on the event loop',
          value: before.blockedMs ?? Number.NaN,
          unit: 'ms',
          note: `before issue 14; monitorEventLoopDelay max ${before.longestMs.toFixed(0)} ms`,
        },
      );

      // 3. The round trip of a cheap call over the WebSocket while 4 renders (1024 px) run.
      const docs: string[] = [];
      for (let i = 0; i < 4; i++) docs.push(await openWithSky(engine, photo, 1));
      const times = await roundTrips(engine, dir, () => renderAll(engine, docs, 1024));
      rows.push(
        {
          group: 'jobs',
          name: 'WebSocket round trip of listExportPresets during 4 renders, median',
          value: median(times),
          unit: 'ms',
          note: `${times.length} calls; ${loadavg()[0]?.toFixed(1)} load`,
        },
        {
          group: 'jobs',
          name: 'WebSocket round trip of listExportPresets during 4 renders, max',
          value: Math.max(...times),
          unit: 'ms',
          target: '< 100 ms',
        },
      );
    } finally {
      await engine.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
};
