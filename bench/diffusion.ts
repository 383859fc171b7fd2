// The diffusion engine's own cost (issue 4, item 9). On a real GPU a denoising step takes ~100 ms and the
// JavaScript around it (writing the UNet's input, guidance, blending the regions, the DDIM step, the
// preview) must stay under 5% of that: measured here as the step's wall time minus the time inside
// onnxruntime, for 16 frames, 64x64 latents (512x512), 2 regions, guidance on, on the tiny pack (whose
// UNet is nearly free, so what is left is ours). Peak memory of a 16-frame 512x512 job is measured in a
// child process (its high-water resident set), so the rest of the benchmark run does not count; the tiny pack's weights are a
// few MB, so the figure is Stir's buffers plus onnxruntime, and a real pack adds its weights.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createDiffusionEngine, type DiffusionEngine } from '../src/engine/diffusion/index.js';
import type { AnimateInput, JobControl } from '../src/engine/render/types.js';
import { decodePhoto } from '../src/engine/image/decode.js';
import type { Mask } from '../src/shared/index.js';
import { fixturePacksCurrent, writeFixturePacks } from '../scripts/fixtures/tiny-packs.js';
import type { BenchRow, BenchSuite } from './harness.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PACKS = join(REPO, 'tests/fixtures/generated/packs');
const PHOTO = join(REPO, 'examples/photos/astronaut.png'); // 512 x 512
const STEPS = 25;

function halves(size: number): Mask[] {
  return [0, 1].map((half) => {
    const data = new Uint8Array(size * size);
    for (let y = size * 0.2; y < size * 0.8; y++) {
      for (let x = half * (size / 2) + 8; x < (half + 1) * (size / 2) - 8; x++) data[y * size + x] = 255;
    }
    return { width: size, height: size, data };
  });
}

async function job(frames: number): Promise<AnimateInput> {
  const { image } = await decodePhoto({ kind: 'path', path: PHOTO });
  return {
    photo: image,
    regions: halves(image.width).map((mask, i) => ({
      id: `r${i}`,
      mask,
      prompt: i === 0 ? 'sway' : 'flow',
      strength: 4,
      direction: null,
      seed: 7,
      start: 0,
      end: null,
      pose: null,
    })),
    timing: { seconds: frames / 8, fps: 8, loop: 'loop' },
    size: { width: image.width, height: image.height },
  };
}

const quiet: JobControl = { signal: new AbortController().signal, progress: () => {}, preview: () => {} };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Per-step wall time and time inside onnxruntime (UNet and ControlNet), from the step callback. */
async function stepTimes(): Promise<{ js: number[]; ort: number[] }> {
  const marks: { at: number; ort: number }[] = [];
  let engine: DiffusionEngine | null = null;
  const insideOrt = () => {
    const stats = engine?.sessionStats() ?? {};
    return (stats.unet?.runMillis ?? 0) + (stats.controlnet?.runMillis ?? 0);
  };
  engine = createDiffusionEngine({
    packDir: join(PACKS, 'fyc'),
    provider: 'cpu',
    steps: STEPS,
    workingLongSide: 512,
    onStepEnd: () => marks.push({ at: performance.now(), ort: insideOrt() }),
  });
  await engine.prepare(await job(16), quiet);
  await engine.dispose();
  const js: number[] = [];
  const ort: number[] = [];
  // Step 0 also pays one-time work (buffers, the ControlNet's shape probe); steps 1.. are the loop's cost.
  for (let i = 1; i < marks.length; i++) {
    const wall = marks[i]!.at - marks[i - 1]!.at;
    const inside = marks[i]!.ort - marks[i - 1]!.ort;
    js.push(wall - inside);
    ort.push(inside);
  }
  return { js, ort };
}

/**
 * The process's peak resident set in MB. On Linux, getrusage's maxRSS survives fork and exec: a child
 * spawned by a benchmark that already peaked at 1 GB reports 1 GB before doing anything. VmHWM belongs to
 * the address space, which exec makes anew, so it is the child's own; other systems fall back to maxRSS.
 */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** In the child process: one 16-frame 512x512 job, prepared and every frame rendered; prints its peak. */
async function memoryChild(): Promise<void> {
  const engine = createDiffusionEngine({
    packDir: join(PACKS, 'fyc'),
    provider: 'cpu',
    steps: 4,
    workingLongSide: 512,
  });
  const input = await job(16);
  await engine.pack();
  const before = peakRssMb();
  const animation = await engine.prepare(input, quiet);
  for await (const frame of animation.frames()) void frame;
  await animation.dispose();
  await engine.dispose();
  process.stdout.write(JSON.stringify({ before, peak: peakRssMb() }));
}

function peakMemory(): { before: number; peak: number } | null {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url)], {
    env: { ...process.env, STIR_BENCH_DIFFUSION_CHILD: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  try {
    return JSON.parse(child.stdout) as { before: number; peak: number };
  } catch {
    console.error('bench/diffusion: the memory child failed', child.stderr);
    return null;
  }
}

export const benchDiffusion: BenchSuite = async () => {
  if (!fixturePacksCurrent(PACKS)) writeFixturePacks(PACKS, REPO);
  const rows: BenchRow[] = [];
  const { js, ort } = await stepTimes();
  rows.push({
    group: 'diffusion',
    name: 'JavaScript per denoising step outside session.run (16 frames, 64x64 latents, 2 regions, guidance)',
    value: median(js),
    unit: 'ms',
    target: '< 5 ms',
    note: `median of ${js.length} steps; fastest ${Math.min(...js).toFixed(1)} ms`,
  });
  rows.push({
    group: 'diffusion',
    name: 'inside onnxruntime per step (tiny UNet and ControlNet, CPU; for scale only)',
    value: median(ort),
    unit: 'ms',
  });
  const memory = peakMemory();
  if (memory) {
    rows.push({
      group: 'diffusion',
      name: 'peak memory of a 16-frame 512x512 job (tiny pack: Stir + onnxruntime, without real weights)',
      value: memory.peak,
      unit: 'MB',
      note: `${(memory.peak - memory.before).toFixed(0)} MB above the process before the job`,
    });
  }
  return rows;
};

if (process.env.STIR_BENCH_DIFFUSION_CHILD === '1') await memoryChild();
